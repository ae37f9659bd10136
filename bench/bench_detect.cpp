// vigil::detect over an archive of case reports (bench/report_gen.hpp: seeded noise, planted
// clusters, duplicates, late reports), guiyang's detection rules, one thread.
//
//   BM_detect/N          detect() over N case_reports: made columns (every text interned), then detected:
//                        every cluster at every level, first crossings, spread
//   BM_detect_columns/N  detect() over the same N reports as columns (what the readers of
//                        `vigil detect` make): the detection alone
#include "report_gen.hpp"

#include <vigil/detect.hpp>

#include <benchmark/benchmark.h>

#include <map>
#include <memory>

namespace {

using namespace vigil;

bench::stream_options stream(std::size_t n) {
    bench::stream_options o;
    o.seed = 20261129;
    o.background = n;
    o.products = std::max<std::size_t>(50, n / 200);
    for (int k = 0; k < 20; ++k)
        o.planted.push_back({"PLANT" + std::to_string(k), "L" + std::to_string(k), k % 2 ? "520102" : "500103",
                                 static_cast<std::uint32_t>(3 + k), static_cast<std::uint32_t>(k % 4), static_cast<std::uint32_t>(k % 3),
                                 2, 10 + 15 * k, 240, 48});
    return o;
}

const std::vector<case_report>& archive(std::size_t n) {
    static std::map<std::size_t, std::unique_ptr<std::vector<case_report>>> cache;
    auto& slot = cache[n];
    if (!slot) slot = std::make_unique<std::vector<case_report>>(bench::generate_reports(*builtin_plan("guiyang").value(), stream(n)));
    return *slot;
}

const report_columns& column_archive(std::size_t n) {
    static std::map<std::size_t, std::unique_ptr<report_columns>> cache;
    auto& slot = cache[n];
    if (!slot) slot = std::make_unique<report_columns>(bench::generate_columns(*builtin_plan("guiyang").value(), stream(n)));
    return *slot;
}

void BM_detect(benchmark::State& state) {
    auto p = builtin_plan("guiyang").value();
    const auto& reports = archive(static_cast<std::size_t>(state.range(0)));
    std::size_t clusters = 0;
    for (auto _ : state) {
        auto r = detect(*p, reports);
        clusters = r.value().clusters.size();
        benchmark::DoNotOptimize(clusters);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * reports.size()));
    state.counters["clusters"] = static_cast<double>(clusters);
}

void BM_detect_columns(benchmark::State& state) {
    auto p = builtin_plan("guiyang").value();
    const auto& reports = column_archive(static_cast<std::size_t>(state.range(0)));
    std::size_t clusters = 0;
    for (auto _ : state) {
        auto r = detect_columns(*p, reports);
        clusters = r.value().clusters.size();
        benchmark::DoNotOptimize(clusters);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * reports.size()));
    state.counters["clusters"] = static_cast<double>(clusters);
}

}  // namespace

BENCHMARK(BM_detect)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_detect_columns)->Arg(10000)->Arg(100000)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond);
