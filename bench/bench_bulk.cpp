// `vigil classify`'s bulk path (src/cli/classify_bulk.cpp) over text in memory: CSV with the
// plan's facts, CSV with every fact and modifier and the override columns, and JSON Lines, to CSV
// (the output counted and dropped). The rows come from a seeded generator over the plan's
// declared facts (VIGIL_BENCH_PLAN, default yuzhong): no fact is named here. Every row is plain,
// so none may go to the general path: a benchmark that sees one stops with an error.
#include "classify_bulk.hpp"

#include <vigil/classify.hpp>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>
#include <random>
#include <streambuf>
#include <string>

namespace {

using namespace vigil;

const plan& bulk_plan() {
    static const plan_ptr p = [] {
        const char* id = std::getenv("VIGIL_BENCH_PLAN");
        auto r = find_plan(id ? id : "yuzhong");
        if (!r) std::abort();
        return *r;
    }();
    return *p;
}

enum class form { csv, csv_modifiers, jsonl, jsonl_modifiers };

// Rows of `n` clusters: the plan's facts that are not optional always; with modifiers, every
// optional one too (a tenth of their cells blank in CSV, left out in JSON Lines), and in CSV the
// override columns (blank).
std::string make_rows(form f, std::size_t n) {
    const plan& p = bulk_plan();
    const bool modifiers = f == form::csv_modifiers || f == form::jsonl_modifiers;
    const bool json = f == form::jsonl || f == form::jsonl_modifiers;
    std::vector<const fact_def*> facts;
    for (const auto& d : p.facts)
        if (d.kind != fact_kind::sum && (modifiers || !d.optional)) facts.push_back(&d);
    static constexpr const char* overrides[] = {"override_grade", "override_by", "override_reason", "override_at", "override_clause"};
    std::mt19937_64 rng(20261129);
    auto below = [&](std::uint64_t k) { return rng() % k; };
    std::string out;
    out.reserve(n * (json ? 260 : modifiers ? 72 : 40));
    if (!json) {
        out += "id";
        for (const auto* d : facts) out += ',' + d->name;
        out += ",product";
        if (modifiers)
            for (const char* o : overrides) out += std::string(",") + o;
        out += '\n';
    }
    for (std::size_t i = 0; i < n; ++i) {
        const bool quiet = below(10) < 3;
        const std::string product = p.products[below(10) < 9 ? 0 : p.products.size() - 1].id;
        if (json) out += "{\"id\":" + std::to_string(i);
        else out += std::to_string(i);
        for (const auto* d : facts) {
            const bool blank = d->optional && below(10) == 0;
            std::string v;
            if (d->kind == fact_kind::count) v = std::to_string(quiet ? below(3) : below(below(4) == 0 ? 60 : 8));
            else if (d->kind == fact_kind::boolean) v = below(5) == 0 ? "true" : "false";
            else v = json ? '"' + std::string(to_string(static_cast<grade>(below(grade_count)))) + '"'
                          : std::string(to_string(static_cast<grade>(below(grade_count))));
            if (json) {
                if (!blank) out += ",\"" + d->name + "\":" + v;
            } else {
                out += ',';
                if (!blank) out += v;
            }
        }
        if (json) out += ",\"product\":\"" + product + "\"}\n";
        else out += ',' + product + (modifiers ? ",,,,,\n" : "\n");
    }
    return out;
}

const std::string& rows(form f) {
    static std::map<form, std::string> cache;
    const std::size_t n = std::getenv("VIGIL_BENCH_BULK_ROWS") ? std::strtoull(std::getenv("VIGIL_BENCH_BULK_ROWS"), nullptr, 10) : 1000000;
    auto& s = cache[f];
    if (s.empty()) s = make_rows(f, n);
    return s;
}

// Reads text in memory (no copy).
struct memory_buf : std::streambuf {
    explicit memory_buf(const std::string& s) {
        char* b = const_cast<char*>(s.data());
        setg(b, b, b + s.size());
    }
};

// Counts what is written and drops it.
struct counting_buf : std::streambuf {
    std::size_t bytes = 0;
    std::streamsize xsputn(const char*, std::streamsize n) override {
        bytes += static_cast<std::size_t>(n);
        return n;
    }
    int_type overflow(int_type c) override {
        ++bytes;
        return c;
    }
};

void run_bulk(benchmark::State& s, form f) {
    const std::string& text = rows(f);
    const bool json = f == form::jsonl || f == form::jsonl_modifiers;
    std::size_t fallbacks = 0;
    cli::line_fallback fallback = [&](std::string_view, std::size_t, std::string_view) -> result<std::string> {
        ++fallbacks;
        return std::string();
    };
    cli::bulk_options o;
    o.header = "id,grade,grade_zh,reasons,warning,response\n";
    std::size_t rows_n = 0, out_bytes = 0;
    for (auto _ : s) {
        memory_buf in_buf(text);
        std::istream in(&in_buf);
        counting_buf out_buf;
        std::ostream out(&out_buf);
        auto r = json ? cli::classify_jsonl_bulk(bulk_plan(), in, out, fallback, o)
                      : cli::classify_csv_bulk(bulk_plan(), in, out, fallback, o);
        if (!r.taken || r.status != 0 || fallbacks) {
            s.SkipWithError("a row left the bulk path");
            return;
        }
        out_bytes = out_buf.bytes;
        benchmark::DoNotOptimize(out_bytes);
    }
    rows_n = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) - (json ? 0 : 1);
    s.SetItemsProcessed(static_cast<std::int64_t>(s.iterations() * rows_n));
    s.SetBytesProcessed(static_cast<std::int64_t>(s.iterations() * text.size()));
    s.counters["input_MB"] = static_cast<double>(text.size()) / 1e6;
    s.counters["output_MB"] = static_cast<double>(out_bytes) / 1e6;
}

void BM_bulk_csv(benchmark::State& s) { run_bulk(s, form::csv); }
void BM_bulk_csv_modifiers(benchmark::State& s) { run_bulk(s, form::csv_modifiers); }
void BM_bulk_jsonl(benchmark::State& s) { run_bulk(s, form::jsonl); }
void BM_bulk_jsonl_modifiers(benchmark::State& s) { run_bulk(s, form::jsonl_modifiers); }

BENCHMARK(BM_bulk_csv)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_bulk_csv_modifiers)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_bulk_jsonl)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_bulk_jsonl_modifiers)->Unit(benchmark::kMillisecond);

}  // namespace
