#include <vigil/classify.hpp>

#include "detail/loader.hpp"
#include "detail/program.hpp"

#include <algorithm>
#include <system_error>
#include <thread>

namespace vigil {
inline namespace v0 {

// ------------------------------------------------------------------------------------ facts

std::uint32_t cluster_facts::value(fact f) const noexcept {
    switch (f) {
    case fact::rare_cases: return rare_cases;
    case fact::severe_cases: return severe_cases;
    case fact::deaths: return deaths;
    case fact::similar_cases_nearby: return similar_cases_nearby ? 1u : 0u;
    case fact::provinces_with_II: return provinces_with_II;
    case fact::prefectures_with_III: return prefectures_with_III;
    case fact::counties_with_III: return counties_with_III;
    case fact::counties_with_IV: return counties_with_IV;
    case fact::streets_with_IV: return streets_with_IV;
    }
    return 0;
}

void cluster_facts::set(fact f, std::uint32_t v) noexcept {
    switch (f) {
    case fact::rare_cases: rare_cases = v; break;
    case fact::severe_cases: severe_cases = v; break;
    case fact::deaths: deaths = v; break;
    case fact::similar_cases_nearby: similar_cases_nearby = v != 0; break;
    case fact::provinces_with_II: provinces_with_II = v; break;
    case fact::prefectures_with_III: prefectures_with_III = v; break;
    case fact::counties_with_III: counties_with_III = v; break;
    case fact::counties_with_IV: counties_with_IV = v; break;
    case fact::streets_with_IV: streets_with_IV = v; break;
    }
}

std::string assessment::reasons() const {
    std::string s;
    for (const auto& m : matches) {
        if (!s.empty()) s += ';';
        s += m.what->clause;
    }
    return s;
}

// ------------------------------------------------------------------------------------ compile

namespace detail {

std::shared_ptr<const program> compile_grading(const plan& p) {
    auto prog = std::make_shared<program>();
    for (const auto& c : p.criteria) {
        for (const auto& alt : c.any) {
            program_row row{static_cast<std::uint8_t>(c.grade), static_cast<std::uint8_t>(c.index),
                            static_cast<std::uint16_t>(alt.size()), static_cast<std::uint32_t>(prog->conditions.size())};
            for (const auto& cond : alt) {
                // A boolean column may hold any non-zero value for true (as cluster_facts::set reads it).
                const std::uint32_t hi = is_boolean(cond.fact) && cond.lo == 1 ? UINT32_MAX : cond.hi;
                prog->conditions.push_back({static_cast<std::uint32_t>(cond.fact), cond.lo, hi - cond.lo});
            }
            prog->rows.push_back(row);
        }
        prog->grade_mask[static_cast<int>(c.grade)] |= std::uint64_t{1} << c.index;
        if (c.index >= 32) prog->narrow = false;
    }
    for (auto prod : p.info.scope) prog->covers[static_cast<int>(prod)] = true;
    return prog;
}

}  // namespace detail

// ------------------------------------------------------------------------------------ classify

assessment classify(const plan& p, const cluster_facts& facts) {
    assessment a;
    if (!p.covers(facts.product)) {
        a.in_scope = false;
        a.scope_note = "a " + std::string(to_string(facts.product)) + " incident is outside the scope of plan " +
                       p.info.id + " (" + p.info.scope_clause + "): not graded";
        a.matched_bits = out_of_scope_bit;
        return a;
    }
    for (const auto& c : p.criteria) {
        for (const auto& alt : c.any) {
            bool all = true;
            for (const auto& cond : alt) all = all && cond.holds(facts.value(cond.fact));
            if (!all) continue;
            criterion_match m;
            m.what = &c;
            for (const auto& cond : alt) m.decided.push_back({cond.fact, facts.value(cond.fact), cond.to_string()});
            a.matches.push_back(std::move(m));
            a.matched_bits |= std::uint64_t{1} << c.index;
            break;  // one alternative is enough to report the criterion
        }
    }
    // criteria are ordered graver first, so the first match is the winner
    a.computed = a.matches.empty() ? grade::none : a.matches.front().what->grade;
    a.grade = a.computed;
    return a;
}

result<assessment> apply_override(const plan& p, assessment a, grade_override o) {
    if (o.by.empty())
        return error{errc::invalid_input, "an override needs the person who decided it (by)"};
    if (o.reason.empty())
        return error{errc::invalid_input, "an override needs a reason"};
    if (!o.clause.empty()) {
        const auto* c = p.find_criterion(o.clause);
        if (!c) return error{errc::invalid_input, "override clause \"" + o.clause + "\" is not a criterion of plan " + p.info.id};
        if (c->grade != o.grade)
            return error{errc::invalid_input, "override clause \"" + o.clause + "\" is of grade " +
                                                  std::string(to_string(c->grade)) + ", not " +
                                                  std::string(to_string(o.grade))};
    }
    if (!a.in_scope)
        return error{errc::invalid_input, "cannot grade an out-of-scope incident: " + a.scope_note};
    a.grade = o.grade;
    a.override_ = std::move(o);
    return a;
}

// ------------------------------------------------------------------------------------ batch
//
// The batch path runs the compiled program over chunks of rows, one pass over a chunk per
// alternative: each pass is a branch-free loop over columns that the compiler vectorises (a
// compare per condition, an OR of the criterion's bit into the row's matched set). The grade is
// derived from the matched set at the end of the chunk (criteria are graver first). No
// allocation, no virtual call, no per-row branch. On x86-64 with GCC the kernel is also built for
// AVX2 and for x86-64-v4 (AVX-512) and chosen at load time (function multi-versioning); elsewhere
// it is plain C++ that the compiler vectorises for its target.

namespace {

constexpr std::size_t chunk = 128;  // measured: 64 … 2048 tried; a chunk's columns stay in L1 across the passes
alignas(64) constexpr std::uint32_t zero_column[chunk] = {};  // an absent fact reads as 0

result<void> check_batch(const fact_columns& in, const batch_output& out) {
    const std::size_t n = in.size;
    for (std::size_t f = 0; f < fact_count; ++f)
        if (!in.facts[f].empty() && in.facts[f].size() != n)
            return error{errc::invalid_input, "column " + std::string(to_string(static_cast<fact>(f))) + " has " +
                                                  std::to_string(in.facts[f].size()) + " values; expected " +
                                                  std::to_string(n)};
    if (!in.product.empty() && in.product.size() != n)
        return error{errc::invalid_input, "column product has " + std::to_string(in.product.size()) +
                                              " values; expected " + std::to_string(n)};
    if (out.grades.size() < n)
        return error{errc::invalid_input, "grades output holds " + std::to_string(out.grades.size()) +
                                              " values; expected " + std::to_string(n)};
    if (!out.matched.empty() && out.matched.size() < n)
        return error{errc::invalid_input, "matched output holds " + std::to_string(out.matched.size()) +
                                              " values; expected " + std::to_string(n) + " or none"};
    // products: a vectorised OR over the column first, the position only when something is wrong
    const std::uint8_t* pr = in.product.data();
    std::uint8_t any = 0;
    for (std::size_t i = 0; i < in.product.size(); ++i) any |= pr[i];
    if (any > 1)
        for (std::size_t i = 0; i < in.product.size(); ++i)
            if (pr[i] > 1)
                return error{errc::invalid_input, "product[" + std::to_string(i) + "] = " + std::to_string(pr[i]) +
                                                      "; expected 0 (drug) or 1 (device)"};
    return {};
}

#if defined(__GNUC__)
#define VIGIL_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define VIGIL_ALWAYS_INLINE inline
#endif

// Rows [begin, end) of a checked batch. Bits: the width of the matched set while it is built.
template <class Bits>
VIGIL_ALWAYS_INLINE void run_rows(const detail::program& prog, const fact_columns& in, batch_output out,
                                  std::size_t begin, std::size_t end) {
    const std::size_t n_rows = prog.rows.size();
    const detail::program_row* rows = prog.rows.data();
    const detail::program_condition* conds = prog.conditions.data();
    const Bits m4 = static_cast<Bits>(prog.grade_mask[4]), m3 = static_cast<Bits>(prog.grade_mask[3]),
               m2 = static_cast<Bits>(prog.grade_mask[2]), m1 = static_cast<Bits>(prog.grade_mask[1]);
    // scope: a row is out of scope when its product is one the plan does not cover
    const bool has_product = !in.product.empty();
    const bool all_out = !has_product && !prog.covers[0];
    const bool check_scope = has_product && !(prog.covers[0] && prog.covers[1]);
    const std::uint8_t uncovered = prog.covers[0] ? 1 : 0;  // the product value that is out (when check_scope)
    const bool want_bits = !out.matched.empty();
    auto* grades = reinterpret_cast<std::uint8_t*>(out.grades.data());
    std::uint64_t* matched = out.matched.data();

    alignas(64) Bits acc[chunk];
    alignas(64) std::uint32_t tmp[chunk];
    auto column = [&](std::uint32_t f, std::size_t base) -> const std::uint32_t* {
        const auto& col = in.facts[f];
        return col.empty() ? zero_column : col.data() + base;
    };

    for (std::size_t base = begin; base < end; base += chunk) {
        const std::size_t len = std::min(chunk, end - base);
        for (std::size_t i = 0; i < len; ++i) acc[i] = 0;
        for (std::size_t r = 0; r < n_rows; ++r) {
            const auto& row = rows[r];
            const Bits bit = static_cast<Bits>(Bits{1} << row.criterion);
            const detail::program_condition* c = conds + row.first;
            if (row.count == 1) {
                const std::uint32_t* x = column(c[0].fact, base);
                const std::uint32_t lo = c[0].lo, span = c[0].span;
                for (std::size_t i = 0; i < len; ++i) acc[i] |= (x[i] - lo) <= span ? bit : Bits{0};
            } else if (row.count == 2) {
                const std::uint32_t* x = column(c[0].fact, base);
                const std::uint32_t* y = column(c[1].fact, base);
                const std::uint32_t lx = c[0].lo, sx = c[0].span, ly = c[1].lo, sy = c[1].span;
                for (std::size_t i = 0; i < len; ++i)
                    acc[i] |= ((x[i] - lx) <= sx) & ((y[i] - ly) <= sy) ? bit : Bits{0};
            } else if (row.count > 2) {
                for (std::size_t i = 0; i < len; ++i) tmp[i] = 1;
                for (std::uint32_t k = 0; k < row.count; ++k) {
                    const std::uint32_t* x = column(c[k].fact, base);
                    const std::uint32_t lo = c[k].lo, span = c[k].span;
                    for (std::size_t i = 0; i < len; ++i) tmp[i] &= (x[i] - lo) <= span ? 1u : 0u;
                }
                for (std::size_t i = 0; i < len; ++i) acc[i] |= tmp[i] ? bit : Bits{0};
            }
        }
        if (all_out) {
            for (std::size_t i = 0; i < len; ++i) grades[base + i] = 0;
            if (want_bits)
                for (std::size_t i = 0; i < len; ++i) matched[base + i] = out_of_scope_bit;
            continue;
        }
        if (check_scope) {
            const std::uint8_t* pr = in.product.data() + base;
            for (std::size_t i = 0; i < len; ++i) {
                const Bits a = pr[i] == uncovered ? Bits{0} : acc[i];
                acc[i] = a;
                grades[base + i] = static_cast<std::uint8_t>((a & m4) ? 4 : (a & m3) ? 3 : (a & m2) ? 2 : (a & m1) ? 1 : 0);
            }
            if (want_bits)
                for (std::size_t i = 0; i < len; ++i)
                    matched[base + i] = pr[i] == uncovered ? out_of_scope_bit : static_cast<std::uint64_t>(acc[i]);
            continue;
        }
        for (std::size_t i = 0; i < len; ++i) {
            const Bits a = acc[i];
            grades[base + i] = static_cast<std::uint8_t>((a & m4) ? 4 : (a & m3) ? 3 : (a & m2) ? 2 : (a & m1) ? 1 : 0);
        }
        if (want_bits)
            for (std::size_t i = 0; i < len; ++i) matched[base + i] = static_cast<std::uint64_t>(acc[i]);
    }
}

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) && !defined(VIGIL_NO_MULTIVERSION)
#define VIGIL_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define VIGIL_CLONES
#endif

VIGIL_CLONES void run_rows_narrow(const detail::program& prog, const fact_columns& in, batch_output out,
                                  std::size_t begin, std::size_t end) {
    run_rows<std::uint32_t>(prog, in, out, begin, end);
}

VIGIL_CLONES void run_rows_wide(const detail::program& prog, const fact_columns& in, batch_output out,
                                std::size_t begin, std::size_t end) {
    run_rows<std::uint64_t>(prog, in, out, begin, end);
}

void run_range(const detail::program& prog, const fact_columns& in, batch_output out, std::size_t begin,
               std::size_t end) {
    if (prog.narrow) run_rows_narrow(prog, in, out, begin, end);
    else run_rows_wide(prog, in, out, begin, end);
}

}  // namespace

result<void> classify_batch(const plan& p, const fact_columns& in, batch_output out) {
    if (auto ok = check_batch(in, out); !ok) return ok;
    run_range(*p.program, in, out, 0, in.size);
    return {};
}

result<void> classify_batch_parallel(const plan& p, const fact_columns& in, batch_output out, unsigned threads) {
    if (auto ok = check_batch(in, out); !ok) return ok;
    const std::size_t n = in.size;
    // at least 32 K rows a thread, or it is not worth a thread; parts are whole chunks
    const std::size_t min_part = std::size_t{1} << 15;
    if (n / min_part < 2 || threads == 1) {  // one part: no thread, and no asking how many there are
        run_range(*p.program, in, out, 0, n);
        return {};
    }
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t parts = std::max<std::size_t>(1, std::min<std::size_t>(threads, n / min_part));
    const std::size_t per = (n / parts + chunk - 1) / chunk * chunk;
    const auto& prog = *p.program;
    std::vector<std::thread> pool;
    try {
        pool.reserve(parts - 1);
        for (std::size_t t = 1; t < parts; ++t) {
            const std::size_t b = std::min(n, t * per), e = std::min(n, (t + 1) * per);
            pool.emplace_back([&prog, &in, out, b, e] { run_range(prog, in, out, b, e); });
        }
    } catch (const std::system_error&) {
        // no more threads to be had: the parts not started run here
        for (std::size_t t = pool.size() + 1; t < parts; ++t)
            run_range(prog, in, out, std::min(n, t * per), std::min(n, (t + 1) * per));
    }
    run_range(prog, in, out, 0, std::min(n, per));
    for (auto& t : pool) t.join();
    return {};
}

}  // namespace v0
}  // namespace vigil

// ------------------------------------------------------------------------------------ json

namespace vigil {
inline namespace v0 {

std::string to_json(const assessment& a) {
    namespace json = boost::json;
    json::object o;
    o["grade"] = to_string(a.grade);
    o["grade_zh"] = grade_zh(a.grade);
    o["computed"] = to_string(a.computed);
    o["in_scope"] = a.in_scope;
    if (!a.in_scope) o["scope_note"] = a.scope_note;
    if (a.override_) {
        const auto& ov = *a.override_;
        o["override"] = json::object{{"grade", to_string(ov.grade)}, {"by", ov.by}, {"reason", ov.reason},
                                     {"at", ov.at}, {"clause", ov.clause}};
    }
    json::array matches;
    for (const auto& m : a.matches) {
        json::array decided;
        for (const auto& d : m.decided)
            decided.push_back(json::object{{"fact", to_string(d.fact)}, {"value", d.value}, {"bound", d.bound}});
        matches.push_back(json::object{{"clause", m.what->clause},
                                       {"grade", to_string(m.what->grade)},
                                       {"decided", std::move(decided)},
                                       {"text", m.what->text}});
    }
    o["matches"] = std::move(matches);
    return json::serialize(o);
}

}  // namespace v0
}  // namespace vigil
