// vigil_bench: bulk classification against its two baselines, in one binary.
//
//   BM_classify_batch/N          classify_batch, grade + matched set, one thread (the headline)
//   BM_classify_batch_grades/N   classify_batch, grades only
//   BM_classify_batch_parallel/N classify_batch_parallel, all hardware threads
//   BM_classify_batch_decide/N   classify_batch over the plan's facts and its modifier facts: grade,
//                                warning and response in one pass (one thread)
//   BM_decide_levels_rows/N      the same answers the old way: classify_batch, then decide_levels()
//                                row by row (the per-row path the batch replaces; a baseline)
//   BM_classify_single           classify(), one cluster a call, with its reasons
//   BM_c_abi_batch/N             vigil_classify_batch through the C ABI (when libvigil_c is built)
//   BM_c_abi_columns_decide/N    vigil_classify_columns with warnings and responses (what Python's
//                                classify_columns(decide=True) and Java's classifyColumns call)
//   BM_stream_baseline/N         reads the same ten columns, writes one byte a row: the memory bound
//   BM_handwritten_ifelse/N      a hand-written if/else of yuzhong's thresholds (a baseline: its
//                                thresholds are written here on purpose, and checked against the plan)
//
// Sizes run from 1 K to VIGIL_BENCH_MAX_ROWS clusters (default 10 M; 100 M needs ~5 GB of memory).
// Data: a seeded generator around the plan's bounds that hits every grade (checked at start).
#include <vigil/classify.hpp>
#include <vigil/response.hpp>

#include <benchmark/benchmark.h>

#ifdef VIGIL_BENCH_C_ABI
#include <vigil/vigil.h>
#endif

#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <vector>

namespace {

using namespace vigil;

constexpr std::uint64_t seed = 20261123;

struct data_set {
    std::size_t n = 0;
    std::array<std::vector<std::uint32_t>, fact_count> cols;
    std::vector<std::uint8_t> product;
    fact_columns in;           // by the built-in facts' names (the compatibility columns)
    std::vector<gsl::span<const std::uint32_t>> by_plan;
    fact_columns in_declared;  // the same columns in the plan's fact order
    std::array<std::vector<std::uint32_t>, modifier_count> mods;  // the modifiers (modifier_names order)
    std::vector<gsl::span<const std::uint32_t>> by_plan_mods;
    fact_columns in_decide;    // the plan's facts and its modifier facts
    std::vector<grade> grades;
    std::vector<warning_colour> warnings;
    std::vector<std::uint8_t> responses;
    std::vector<std::uint64_t> matched;
    std::vector<std::uint8_t> bytes;  // baselines' output
};

const plan& the_plan();

// A cluster a row: 30 % quiet ones (mostly no grade), the rest anywhere across the bounds.
std::unique_ptr<data_set> make_data(std::size_t n) {
    auto d = std::make_unique<data_set>();
    d->n = n;
    for (auto& c : d->cols) c.resize(n);
    d->product.resize(n);
    std::mt19937_64 rng(seed);
    auto below = [&](std::uint32_t k) { return static_cast<std::uint32_t>(rng() % k); };
    auto region = [&] { return below(100) < 6 ? 2 + below(2) : below(2); };
    for (std::size_t i = 0; i < n; ++i) {
        const bool quiet = below(10) < 3;
        d->cols[0][i] = quiet ? below(12) : below(60);
        d->cols[1][i] = quiet ? below(3) : below(12);
        d->cols[2][i] = quiet ? 0 : below(7);
        d->cols[3][i] = below(2);
        for (std::size_t k = 4; k < fact_count; ++k) d->cols[k][i] = quiet ? below(2) : region();
        d->product[i] = below(10) == 0 ? 1 : 0;
    }
    d->in.size = n;
    for (std::size_t k = 0; k < fact_count; ++k) d->in.facts[k] = d->cols[k];
    d->in.product = d->product;
    // the plan's facts by name: the same columns where the plan declares a fact of that name
    const plan& p = the_plan();
    d->by_plan.resize(p.facts.size());
    for (std::size_t k = 0; k < fact_count; ++k)
        if (const auto* f = p.find_fact(to_string(static_cast<fact>(k)))) d->by_plan[f->index] = d->cols[k];
    d->in_declared.size = n;
    d->in_declared.columns = d->by_plan;
    d->in_declared.product = d->product;
    // modifiers: 20 % of the rows assessed as possibly reaching a grade, each flag on 1 row in 8
    for (auto& c : d->mods) c.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        d->mods[0][i] = below(5) == 0 ? 1 + below(4) : 0;
        for (std::size_t k = 1; k < modifier_count; ++k) d->mods[k][i] = below(8) == 0 ? 1 : 0;
    }
    d->by_plan_mods = d->by_plan;
    for (std::size_t k = 0; k < modifier_count; ++k)
        if (const auto* f = p.find_fact(modifier_names[k])) d->by_plan_mods[f->index] = d->mods[k];
    d->in_decide.size = n;
    d->in_decide.columns = d->by_plan_mods;
    d->in_decide.product = d->product;
    d->warnings.resize(n);
    d->responses.resize(n);
    d->grades.resize(n);
    d->matched.resize(n);
    d->bytes.resize(n);
    return d;
}

const data_set& data(std::size_t n) {
    static std::map<std::size_t, std::unique_ptr<data_set>> cache;  // bench-only: one data set per size
    if (!cache.count(n)) {
        cache.clear();  // keep one size in memory at a time
        cache[n] = make_data(n);
    }
    return *cache[n];
}
data_set& mut(const data_set& d) { return const_cast<data_set&>(d); }

const plan& the_plan() {
    static const plan_ptr p = [] {
        const char* id = std::getenv("VIGIL_BENCH_PLAN");
        auto r = find_plan(id ? id : "yuzhong");
        if (!r) {
            std::fprintf(stderr, "vigil_bench: %s\n", r.error().message().c_str());
            std::exit(1);
        }
        return *r;
    }();
    return *p;
}

std::size_t bytes_per_row(bool bits) { return fact_count * 4 + 1 + 1 + (bits ? 8 : 0); }

void set_counters(benchmark::State& s, std::size_t n, std::size_t row_bytes) {
    s.SetItemsProcessed(static_cast<std::int64_t>(s.iterations() * n));
    s.SetBytesProcessed(static_cast<std::int64_t>(s.iterations() * n * row_bytes));
}

void BM_classify_batch(benchmark::State& s) {
    const auto& d = data(static_cast<std::size_t>(s.range(0)));
    auto& m = mut(d);
    for (auto _ : s) {
        auto r = classify_batch(the_plan(), d.in, {m.grades, m.matched});
        benchmark::DoNotOptimize(r);
        benchmark::ClobberMemory();
    }
    set_counters(s, d.n, bytes_per_row(true));
}

// The same over the columns given in the plan's fact order (fact_columns::columns).
void BM_classify_batch_declared(benchmark::State& s) {
    const auto& d = data(static_cast<std::size_t>(s.range(0)));
    auto& m = mut(d);
    for (auto _ : s) {
        auto r = classify_batch(the_plan(), d.in_declared, {m.grades, m.matched});
        benchmark::DoNotOptimize(r);
        benchmark::ClobberMemory();
    }
    set_counters(s, d.n, bytes_per_row(true));
}

void BM_classify_batch_grades(benchmark::State& s) {
    const auto& d = data(static_cast<std::size_t>(s.range(0)));
    auto& m = mut(d);
    for (auto _ : s) {
        auto r = classify_batch(the_plan(), d.in, {m.grades, {}});
        benchmark::DoNotOptimize(r);
        benchmark::ClobberMemory();
    }
    set_counters(s, d.n, bytes_per_row(false));
}

void BM_classify_batch_parallel(benchmark::State& s) {
    const auto& d = data(static_cast<std::size_t>(s.range(0)));
    auto& m = mut(d);
    for (auto _ : s) {
        auto r = classify_batch_parallel(the_plan(), d.in, {m.grades, m.matched});
        benchmark::DoNotOptimize(r);
        benchmark::ClobberMemory();
    }
    set_counters(s, d.n, bytes_per_row(true));
}

// Grade, warning and response of every row in one pass.
void BM_classify_batch_decide(benchmark::State& s) {
    const auto& d = data(static_cast<std::size_t>(s.range(0)));
    auto& m = mut(d);
    for (auto _ : s) {
        auto r = classify_batch(the_plan(), d.in_decide, {m.grades, {}, m.warnings, m.responses});
        benchmark::DoNotOptimize(r);
        benchmark::ClobberMemory();
    }
    set_counters(s, d.n, bytes_per_row(false) + modifier_count * 4 + 2);
}

// The same answers through decide_levels() a row at a time (what the C ABI did before the batch
// decided in its pass): the baseline that BM_classify_batch_decide replaces.
void BM_decide_levels_rows(benchmark::State& s) {
    const auto& d = data(static_cast<std::size_t>(s.range(0)));
    auto& m = mut(d);
    const plan& p = the_plan();
    fact_values v(p);
    for (auto _ : s) {
        auto r = classify_batch(p, d.in_decide, {m.grades, {}});
        benchmark::DoNotOptimize(r);
        for (std::size_t i = 0; i < d.n; ++i) {
            for (std::size_t f = 0; f < d.by_plan_mods.size(); ++f)
                if (!d.by_plan_mods[f].empty()) v.values[f] = d.by_plan_mods[f][i];
            v.product = static_cast<product>(d.product[i]);
            const auto x = decide_levels(p, v, m.grades[i], p.covers(v.product));
            m.warnings[i] = x.warning;
            m.responses[i] = static_cast<std::uint8_t>(x.response);
        }
        benchmark::ClobberMemory();
    }
    set_counters(s, d.n, bytes_per_row(false) + modifier_count * 4 + 2);
}

void BM_classify_single(benchmark::State& s) {
    const auto& d = data(1 << 16);
    std::vector<cluster_facts> rows(d.n);
    for (std::size_t i = 0; i < d.n; ++i) {
        for (std::size_t k = 0; k < fact_count; ++k) rows[i].set(static_cast<fact>(k), d.cols[k][i]);
        rows[i].product = static_cast<product>(d.product[i]);
    }
    std::size_t i = 0;
    for (auto _ : s) {
        auto a = classify(the_plan(), rows[i]);
        benchmark::DoNotOptimize(a);
        if (++i == rows.size()) i = 0;
    }
    s.SetItemsProcessed(static_cast<std::int64_t>(s.iterations()));
}

#ifdef VIGIL_BENCH_C_ABI
// The plan of VIGIL_BENCH_PLAN (default yuzhong) through the C ABI; NULL, and the benchmark
// skipped with the ABI's error, when it cannot be had.
vigil_plan* c_abi_plan(benchmark::State& s) {
    vigil_plan* plan = nullptr;
    const char* id = std::getenv("VIGIL_BENCH_PLAN");
    if (vigil_plan_builtin(&plan, id ? id : "yuzhong") != VIGIL_OK) {
        s.SkipWithError(vigil_last_error());
        return nullptr;
    }
    return plan;
}

void BM_c_abi_batch(benchmark::State& s) {
    const auto& d = data(static_cast<std::size_t>(s.range(0)));
    auto& m = mut(d);
    vigil_plan* plan = c_abi_plan(s);
    if (!plan) return;
    const std::uint32_t* cols[fact_count];
    for (std::size_t k = 0; k < fact_count; ++k) cols[k] = d.cols[k].data();
    for (auto _ : s) {
        int rc = vigil_classify_batch(m.bytes.data(), m.matched.data(), plan, d.n, cols, fact_count, d.product.data());
        benchmark::DoNotOptimize(rc);
        benchmark::ClobberMemory();
    }
    vigil_plan_free(plan);
    set_counters(s, d.n, bytes_per_row(true));
}
BENCHMARK(BM_c_abi_batch)->Apply([](benchmark::internal::Benchmark* b) {
    for (std::int64_t n : {1'000LL, 1'000'000LL}) b->Arg(n);
})->Unit(benchmark::kMicrosecond);

// Grade, warning and response by the plan's facts through the C ABI (vigil_classify_columns).
void BM_c_abi_columns_decide(benchmark::State& s) {
    const auto& d = data(static_cast<std::size_t>(s.range(0)));
    auto& m = mut(d);
    vigil_plan* plan = c_abi_plan(s);
    if (!plan) return;
    std::vector<const std::uint32_t*> cols;
    for (const auto& c : d.by_plan_mods) cols.push_back(c.empty() ? nullptr : c.data());
    for (auto _ : s) {
        int rc = vigil_classify_columns(m.bytes.data(), nullptr, reinterpret_cast<std::uint8_t*>(m.warnings.data()),
                                        m.responses.data(), plan, d.n, cols.data(), cols.size(), d.product.data());
        benchmark::DoNotOptimize(rc);
        benchmark::ClobberMemory();
    }
    vigil_plan_free(plan);
    set_counters(s, d.n, bytes_per_row(false) + modifier_count * 4 + 2);
}
BENCHMARK(BM_c_abi_columns_decide)->Apply([](benchmark::internal::Benchmark* b) {
    for (std::int64_t n : {1'000'000LL, 10'000'000LL}) b->Arg(n);
})->Unit(benchmark::kMicrosecond);
#endif

// The memory bound: read every input column, write one byte a row.
void BM_stream_baseline(benchmark::State& s) {
    const auto& d = data(static_cast<std::size_t>(s.range(0)));
    auto& m = mut(d);
    for (auto _ : s) {
        const std::uint32_t *a = d.cols[0].data(), *b = d.cols[1].data(), *c = d.cols[2].data(), *e = d.cols[3].data(),
                            *f = d.cols[4].data(), *g = d.cols[5].data(), *h = d.cols[6].data(), *k = d.cols[7].data(),
                            *l = d.cols[8].data();
        const std::uint8_t* p = d.product.data();
        std::uint8_t* out = m.bytes.data();
        for (std::size_t i = 0; i < d.n; ++i)
            out[i] = static_cast<std::uint8_t>(a[i] ^ b[i] ^ c[i] ^ e[i] ^ f[i] ^ g[i] ^ h[i] ^ k[i] ^ l[i] ^ p[i]);
        benchmark::ClobberMemory();
    }
    set_counters(s, d.n, bytes_per_row(false));
}

// yuzhong 1.5 written by hand (data/plans/yuzhong.json, grading); scope: drug and device.
inline std::uint8_t handwritten(std::uint32_t rare, std::uint32_t severe, std::uint32_t deaths, std::uint32_t similar,
                                std::uint32_t prov2, std::uint32_t cty3, std::uint32_t str4) {
    if (rare >= 50 || severe >= 10 || deaths >= 5 || prov2 >= 2) return 4;
    if ((rare >= 30 && rare < 50) || (severe >= 5 && severe < 10) || (deaths > 2 && deaths < 5 && similar) || cty3 >= 2)
        return 3;
    if ((rare >= 20 && rare < 30) || (severe >= 3 && severe < 5) || (deaths >= 1 && deaths <= 2 && similar) || str4 >= 2)
        return 2;
    if ((rare >= 10 && rare < 20) || severe == 2) return 1;
    return 0;
}

void BM_handwritten_ifelse(benchmark::State& s) {
    const auto& d = data(static_cast<std::size_t>(s.range(0)));
    auto& m = mut(d);
    for (auto _ : s) {
        const std::uint32_t *rare = d.cols[0].data(), *severe = d.cols[1].data(), *deaths = d.cols[2].data(),
                            *similar = d.cols[3].data(), *prov2 = d.cols[4].data(), *cty3 = d.cols[6].data(),
                            *str4 = d.cols[8].data();
        std::uint8_t* out = m.bytes.data();
        for (std::size_t i = 0; i < d.n; ++i)
            out[i] = handwritten(rare[i], severe[i], deaths[i], similar[i], prov2[i], cty3[i], str4[i]);
        benchmark::ClobberMemory();
    }
    set_counters(s, d.n, bytes_per_row(false));
}

// The data hits every grade, and the hand-written baseline agrees with the plan (yuzhong only).
bool check_data() {
    const auto& d = data(1 << 16);
    auto& m = mut(d);
    if (!classify_batch(the_plan(), d.in, {m.grades, m.matched})) return false;
    std::array<std::size_t, grade_count> seen{};
    for (auto g : d.grades) ++seen[static_cast<int>(g)];
    for (int g = 0; g < grade_count; ++g)
        if (seen[g] == 0) {
            std::fprintf(stderr, "vigil_bench: the data has no cluster of grade %d\n", g);
            return false;
        }
    if (the_plan().info.id == "yuzhong")
        for (std::size_t i = 0; i < d.n; ++i)
            if (handwritten(d.cols[0][i], d.cols[1][i], d.cols[2][i], d.cols[3][i], d.cols[4][i], d.cols[6][i],
                            d.cols[8][i]) != static_cast<std::uint8_t>(d.grades[i])) {
                std::fprintf(stderr, "vigil_bench: the hand-written baseline disagrees with the plan at row %zu\n", i);
                return false;
            }
    return true;
}

std::int64_t max_rows() {
    const char* e = std::getenv("VIGIL_BENCH_MAX_ROWS");
    return e ? std::atoll(e) : 10'000'000;
}

void sizes(benchmark::internal::Benchmark* b) {
    for (std::int64_t n : {1'000LL, 100'000LL, 1'000'000LL, 10'000'000LL, 100'000'000LL})
        if (n <= max_rows()) b->Arg(n);
}

}  // namespace

BENCHMARK(BM_stream_baseline)->Apply(sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_handwritten_ifelse)->Apply(sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_classify_batch)->Apply(sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_classify_batch_declared)->Apply(sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_classify_batch_grades)->Apply(sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_classify_batch_decide)->Apply(sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_decide_levels_rows)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_classify_batch_parallel)->Apply(sizes)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_classify_single);

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    if (!check_data()) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
