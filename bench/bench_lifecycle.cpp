// Warnings, responses, the lifecycle and the event log: what each costs.
//   BM_decide_levels   colour and level only (the batch path of vigil classify)
//   BM_decide          with every rule that applied and the authority chain
//   BM_to_json         an assessment and its decision as JSON text (vigil::to_json): what a row of
//                      vigil classify --out jsonl costs to write, the answer's JSON module at work
//   BM_lifecycle_apply one event through the plan's transition table (no I/O)
//   BM_event_log_append one durable record on a log of 10, 1 000, 10 000 records: lock, catch up,
//                      write, fsync (I/O bound on a disk)
#include <vigil/classify.hpp>
#include <vigil/lifecycle.hpp>
#include <vigil/response.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

using namespace vigil;

std::vector<cluster_facts> clusters(std::size_t n) {
    std::mt19937 rng(7);
    std::vector<cluster_facts> v(n);
    for (auto& f : v) {
        f.rare_cases = rng() % 60;
        f.severe_cases = rng() % 12;
        f.deaths = rng() % 6;
        f.similar_cases_nearby = rng() % 2;
    }
    return v;
}

void BM_decide_levels(benchmark::State& state) {
    auto p = builtin_plan(state.range(0) ? "guiyang" : "yuzhong").value();
    auto fs = clusters(4096);
    std::vector<grade> gs;
    for (const auto& f : fs) gs.push_back(classify(*p, f).grade);
    modifiers m;
    m.possible_grade = grade::III;
    m.spreading = true;
    std::size_t i = 0;
    for (auto _ : state) {
        auto d = decide_levels(*p, fs[i], gs[i], true, m);
        benchmark::DoNotOptimize(d);
        i = (i + 1) & 4095;
    }
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(p->info.id);
}
BENCHMARK(BM_decide_levels)->Arg(0)->Arg(1);

void BM_decide(benchmark::State& state) {
    auto p = builtin_plan(state.range(0) ? "guiyang" : "yuzhong").value();
    auto fs = clusters(4096);
    std::vector<assessment> as;
    for (const auto& f : fs) as.push_back(classify(*p, f));
    modifiers m;
    m.possible_grade = grade::III;
    m.spreading = true;
    std::size_t i = 0;
    for (auto _ : state) {
        auto d = decide(*p, fs[i], as[i], m);
        benchmark::DoNotOptimize(d);
        i = (i + 1) & 4095;
    }
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(p->info.id);
}
BENCHMARK(BM_decide)->Arg(0)->Arg(1);

void BM_to_json(benchmark::State& state) {
    auto p = builtin_plan(state.range(0) ? "guiyang" : "yuzhong").value();
    auto fs = clusters(4096);
    std::vector<assessment> as;
    std::vector<decision> ds;
    modifiers m;
    m.possible_grade = grade::III;
    m.spreading = true;
    for (const auto& f : fs) {
        as.push_back(classify(*p, f));
        ds.push_back(decide(*p, f, as.back(), m));
    }
    std::size_t i = 0;
    std::int64_t bytes = 0;
    for (auto _ : state) {
        std::string a = to_json(as[i]);
        std::string d = to_json(ds[i]);
        benchmark::DoNotOptimize(a.data());
        benchmark::DoNotOptimize(d.data());
        bytes += static_cast<std::int64_t>(a.size() + d.size());
        i = (i + 1) & 4095;
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(bytes);
    state.SetLabel(p->info.id);
}
BENCHMARK(BM_to_json)->Arg(0)->Arg(1);

void BM_lifecycle_apply(benchmark::State& state) {
    auto p = builtin_plan("yuzhong").value();
    auto s = start(*p, log_entry{"2026-03-02T09:00:00+08:00", actor{"区市场监管局", "局长"}, "open",
                                 R"({"plan":"yuzhong","incident":"b"})"})
                 .value();
    s = apply(*p, s, log_entry{"2026-03-02T09:10:00+08:00", actor{"区市场监管局", "局长"}, "report", R"({"report_ref":"r"})"}).value();
    s = apply(*p, s, log_entry{"2026-03-02T09:20:00+08:00", actor{"区市场监管局", "局长"}, "assess", R"({"grade":"III"})"}).value();
    const log_entry start_3{"2026-03-02T10:00:00+08:00", actor{"区政府", "分管副区长"}, "start_response",
                            R"({"level":3,"endorsements":[{"as":"proposer","unit":"区市场监管局","ref":"请示"}]})"};
    for (auto _ : state) {
        auto r = apply(*p, s, start_3);
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_lifecycle_apply);

// A log of state.range(0) records (written with format_record, then opened), appended to.
// Set TMPDIR to a tmpfs (e.g. /dev/shm) to see the CPU work rather than the disk's fsync.
void BM_event_log_append(benchmark::State& state) {
    const char* base = std::getenv("TMPDIR");
    std::string path = std::string(base && *base ? base : "/tmp") + "/vigil-bench-" + std::to_string(::getpid()) + ".jsonl";
    ::unlink(path.c_str());
    const log_entry e{"2026-03-02T10:00:00+08:00", actor{"区指挥部", "指挥长"}, "tick", R"({"note":"一条记录"})"};
    {
        std::string text;
        std::string prev = zero_hash;
        const log_entry first{"2026-03-02T09:00:00+08:00", actor{"区指挥部", ""}, "open", "{}"};
        for (std::int64_t i = 1; i <= state.range(0); ++i) {
            auto line = format_record(static_cast<std::uint64_t>(i), i == 1 ? first : e, prev).value();
            prev = line.substr(line.size() - 66, 64);  // the hash: the 64 digits before "}
            text += line;
            text += '\n';
        }
        std::FILE* f = std::fopen(path.c_str(), "wb");
        if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fclose(f) != 0) {
            state.SkipWithError("cannot write the bench log");
            return;
        }
    }
    auto log = event_log::open(path).value();
    for (auto _ : state) {
        auto r = log.append(e);
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
    ::unlink(path.c_str());
}
BENCHMARK(BM_event_log_append)->Arg(10)->Arg(1000)->Arg(10000)->Iterations(200)->Unit(benchmark::kMicrosecond);

}  // namespace
