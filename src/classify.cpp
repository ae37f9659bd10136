#include <vigil/classify.hpp>
#include <vigil/response.hpp>

#include "detail/loader.hpp"
#include "detail/program.hpp"

#include <vigil/detail/answer_json.hpp>

#include <algorithm>
#include <system_error>
#include <thread>

namespace vigil {
inline namespace v0 {

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

namespace {

// The warning and response rules as flat runs of terms (program.hpp), in the plan's order.
void compile_decisions(const plan& p, decision_program& d) {
    d.alt_first.push_back(0);
    auto add = [&](std::vector<decision_prog_rule>& to, const decision_rule& r, decision_prog_rule::kind_t kind,
                   int value) {
        decision_prog_rule c{kind, static_cast<std::uint8_t>(value), static_cast<std::uint32_t>(d.alt_first.size() - 1),
                             static_cast<std::uint32_t>(r.when.size())};
        for (const auto& alt : r.when) {
            for (const auto& t : alt) {
                const bool boolean = t.slot > 0 && p.facts[t.slot - 1].kind == fact_kind::boolean;
                // A boolean column may hold any non-zero value for true (as the grading program reads it).
                const std::uint32_t hi = boolean && t.lo == 1 ? UINT32_MAX : t.hi;
                d.terms.push_back({t.slot, t.lo, hi - t.lo});
            }
            d.alt_first.push_back(static_cast<std::uint32_t>(d.terms.size()));
        }
        to.push_back(c);
    };
    if (p.warnings)
        for (const auto& r : p.warnings->rules) add(d.warnings, r, decision_prog_rule::warning, static_cast<int>(r.colour));
    if (p.responses && !p.responses->levels.empty()) {
        d.has_responses = true;
        d.highest = p.responses->levels.front().level;
        d.lowest = p.responses->levels.back().level;
        for (const auto& r : p.responses->rules)
            add(d.responses, r,
                r.action == decision_rule::effect::set     ? decision_prog_rule::set
                : r.action == decision_rule::effect::raise ? decision_prog_rule::raise
                                                           : decision_prog_rule::lower,
                r.level);
    }
}

// The answer of `rules` (warnings: the gravest colour; responses: the level) for one row whose
// subjects have the values `v` (by slot; others 0), as decide_levels() computes it.
int scalar_decision(const decision_program& d, const std::vector<decision_prog_rule>& rules, bool warnings,
                    const std::vector<std::uint32_t>& v) {
    auto holds = [&](const decision_prog_rule& r) {
        for (std::uint32_t a = r.first_alt; a < r.first_alt + r.alt_count; ++a) {
            bool all = true;
            for (std::uint32_t t = d.alt_first[a]; t < d.alt_first[a + 1]; ++t)
                all = all && v[d.terms[t].slot] - d.terms[t].lo <= d.terms[t].span;
            if (all) return true;
        }
        return false;
    };
    if (warnings) {
        int colour = 0;
        for (const auto& r : rules)
            if (holds(r)) colour = std::max(colour, int(r.value));
        return colour;
    }
    int base = 0, up = 0, down = 0;
    for (const auto& r : rules) {
        if (!holds(r)) continue;
        if (r.kind == decision_prog_rule::set) base = base == 0 ? r.value : std::min(base, int(r.value));
        else if (r.kind == decision_prog_rule::raise) up = std::max(up, int(r.value));
        else down = std::max(down, int(r.value));
    }
    return base == 0 ? 0 : std::min(d.lowest, std::max(d.highest, base - up) + down);
}

// A lookup table for `rules` when every subject they read is the grade, a grade fact or a boolean
// and the combinations are few (at most 4096); else none.
void compile_table(const plan& p, const decision_program& d, const std::vector<decision_prog_rule>& rules, bool warnings,
                   decision_table& table) {
    std::vector<std::uint32_t> slots;
    for (const auto& r : rules)
        for (std::uint32_t a = r.first_alt; a < r.first_alt + r.alt_count; ++a)
            for (std::uint32_t t = d.alt_first[a]; t < d.alt_first[a + 1]; ++t)
                if (std::find(slots.begin(), slots.end(), d.terms[t].slot) == slots.end()) slots.push_back(d.terms[t].slot);
    std::size_t combos = 1;
    for (auto s : slots) {
        const auto kind = s == 0 ? fact_kind::grade : p.facts[s - 1].kind;
        if (kind != fact_kind::grade && kind != fact_kind::boolean) return;
        const std::uint32_t size = kind == fact_kind::grade ? grade_count : 2;
        table.subjects.push_back({s, static_cast<std::uint32_t>(combos), kind == fact_kind::boolean});
        combos *= size;
        if (combos > 4096) {
            table.subjects.clear();
            return;
        }
    }
    table.answers.resize(combos);
    std::vector<std::uint32_t> v(p.facts.size() + 1, 0);
    for (std::size_t key = 0; key < combos; ++key) {
        for (const auto& sub : table.subjects) {
            const std::uint32_t size = sub.boolean ? 2 : grade_count;
            v[sub.slot] = static_cast<std::uint32_t>(key / sub.stride % size);
        }
        table.answers[key] = static_cast<std::uint8_t>(scalar_decision(d, rules, warnings, v));
    }
}

}  // namespace

std::shared_ptr<const program> compile_grading(const plan& p) {
    auto prog = std::make_shared<program>();
    prog->words = p.match_words();
    prog->grade_mask.assign(prog->words, {});
    prog->word_rows.assign(prog->words + 1, 0);
    prog->sums.resize(p.facts.size());
    for (const auto& f : p.facts) prog->sums[f.index] = f.sum;
    // criteria are in index order, so the rows come grouped by word
    for (const auto& c : p.criteria) {
        const std::size_t word = c.index / 64;
        for (const auto& alt : c.any) {
            program_row row{static_cast<std::uint8_t>(c.grade), static_cast<std::uint8_t>(c.index % 64),
                            static_cast<std::uint16_t>(alt.size()), static_cast<std::uint32_t>(prog->conditions.size())};
            for (const auto& cond : alt) {
                const auto& f = p.facts[cond.fact];
                // A boolean column may hold any non-zero value for true (as fact_values::set reads it).
                const std::uint32_t hi = f.kind == fact_kind::boolean && cond.lo == 1 ? UINT32_MAX : cond.hi;
                prog->conditions.push_back({cond.fact, cond.lo, hi - cond.lo});
                row.has_sum = row.has_sum || f.kind == fact_kind::sum;
            }
            prog->rows.push_back(row);
            prog->word_rows[word + 1] = static_cast<std::uint32_t>(prog->rows.size());
        }
        prog->grade_mask[word][static_cast<int>(c.grade)] |= std::uint64_t{1} << (c.index % 64);
        if (c.index >= 32) prog->narrow = false;
    }
    for (std::size_t w = 1; w <= prog->words; ++w) prog->word_rows[w] = std::max(prog->word_rows[w], prog->word_rows[w - 1]);
    for (auto prod : p.info.scope) prog->covered[static_cast<std::size_t>(prod)] = 1;
    prog->products = p.products.size();
    prog->legacy = legacy_slots(p);
    prog->legacy_column.assign(p.facts.size(), -1);
    for (std::size_t k = 0; k < fact_count; ++k)
        if (prog->legacy[k] >= 0) prog->legacy_column[static_cast<std::size_t>(prog->legacy[k])] = static_cast<std::int32_t>(k);
    compile_decisions(p, prog->decisions);
    compile_table(p, prog->decisions, prog->decisions.warnings, true, prog->decisions.warning_table);
    if (prog->decisions.has_responses)
        compile_table(p, prog->decisions, prog->decisions.responses, false, prog->decisions.response_table);
    return prog;
}

}  // namespace detail

// ------------------------------------------------------------------------------------ classify

namespace {

// "死亡和危重病例合计 = 6: deaths 2 + critical_cases 4"
std::string sum_text(const plan& p, const fact_values& v, const fact_def& f) {
    std::string s = (f.label_zh.empty() ? f.name : f.label_zh) + " = " + std::to_string(fact_value(p, v, f.index)) + ": ";
    for (std::size_t i = 0; i < f.sum.size(); ++i)
        s += (i ? " + " : "") + p.facts[f.sum[i]].name + " " + std::to_string(fact_value(p, v, f.sum[i]));
    return s;
}

}  // namespace

assessment classify(const plan& p, const fact_values& facts) {
    assessment a;
    a.matched_set.assign(p.match_words(), 0);
    if (!p.covers(facts.product)) {
        a.in_scope = false;
        const auto id = p.product_id(facts.product);
        a.scope_note = "a " + (id.empty() ? "product " + std::to_string(static_cast<int>(facts.product)) : std::string(id)) +
                       " incident is outside the scope of plan " + p.info.id + " (" + p.info.scope_clause + "): not graded";
        a.matched_set.back() = out_of_scope_bit;
        a.matched_bits = a.matched_set.front();
        return a;
    }
    for (const auto& c : p.criteria) {
        for (const auto& alt : c.any) {
            bool all = true;
            for (const auto& cond : alt) all = all && cond.holds(fact_value(p, facts, cond.fact));
            if (!all) continue;
            criterion_match m;
            m.what = &c;
            for (const auto& cond : alt) {
                const auto& f = p.facts[cond.fact];
                m.decided.push_back({cond.fact, f.name, fact_value(p, facts, cond.fact), cond.to_string(),
                                     f.kind == fact_kind::sum ? sum_text(p, facts, f) : std::string()});
            }
            a.matches.push_back(std::move(m));
            a.matched_set[c.index / 64] |= std::uint64_t{1} << (c.index % 64);
            break;  // one alternative is enough to report the criterion
        }
    }
    a.matched_bits = a.matched_set.front();
    // criteria are ordered graver first, so the first match is the winner
    a.computed = a.matches.empty() ? grade::none : a.matches.front().what->grade;
    a.grade = a.computed;
    return a;
}

result<assessment> apply_override(const plan& p, assessment a, grade_override o) {
    if (o.by.empty())
        return error{errc::invalid_input, "override.no_by", {}};
    if (o.reason.empty())
        return error{errc::invalid_input, "override.no_reason", {}};
    if (!o.clause.empty()) {
        const auto* c = p.find_criterion(o.clause);
        if (!c) return error{errc::invalid_input, "override.unknown_clause", {{"clause", o.clause}, {"plan", p.info.id}}};
        if (c->grade != o.grade)
            return error{errc::invalid_input, "override.clause_grade",
                         {{"clause", o.clause}, {"grade", std::string(to_string(c->grade))}, {"given", std::string(to_string(o.grade))}}};
    }
    if (!a.in_scope)
        return error{errc::invalid_input, "override.out_of_scope", {{"note", a.scope_note}}};
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

result<void> check_batch(const plan& p, const fact_columns& in, const batch_output& out) {
    const std::size_t n = in.size;
    if (!in.columns.empty()) {
        if (in.columns.size() > p.facts.size())
            return error{errc::invalid_input, std::to_string(in.columns.size()) + " fact columns; plan " + p.info.id +
                                                  " declares " + std::to_string(p.facts.size()) + " facts"};
        for (std::size_t f = 0; f < in.columns.size(); ++f)
            if (!in.columns[f].empty() && in.columns[f].size() != n)
                return error{errc::invalid_input, "column " + p.facts[f].name + " has " + std::to_string(in.columns[f].size()) +
                                                      " values; expected " + std::to_string(n)};
    } else {
        for (std::size_t f = 0; f < fact_count; ++f)
            if (!in.facts[f].empty() && in.facts[f].size() != n)
                return error{errc::invalid_input, "column " + std::string(to_string(static_cast<fact>(f))) + " has " +
                                                      std::to_string(in.facts[f].size()) + " values; expected " +
                                                      std::to_string(n)};
    }
    if (!in.product.empty() && in.product.size() != n)
        return error{errc::invalid_input, "column product has " + std::to_string(in.product.size()) +
                                              " values; expected " + std::to_string(n)};
    if (out.grades.size() < n)
        return error{errc::invalid_input, "grades output holds " + std::to_string(out.grades.size()) +
                                              " values; expected " + std::to_string(n)};
    const std::size_t words = p.match_words();
    if (!out.matched.empty() && out.matched.size() / words < n)
        return error{errc::invalid_input, "matched output holds " + std::to_string(out.matched.size()) +
                                              " values; expected " + std::to_string(n * words) +
                                              (words > 1 ? " (" + std::to_string(words) + " words a row)" : std::string()) + " or none"};
    if (!out.warnings.empty() && out.warnings.size() < n)
        return error{errc::invalid_input, "warnings output holds " + std::to_string(out.warnings.size()) +
                                              " values; expected " + std::to_string(n) + " or none"};
    if (!out.responses.empty() && out.responses.size() < n)
        return error{errc::invalid_input, "responses output holds " + std::to_string(out.responses.size()) +
                                              " values; expected " + std::to_string(n) + " or none"};
    // deciding: a grade fact (possible_grade) holds 0 (none) … 4 (I); a vectorised max first
    if ((!out.warnings.empty() || !out.responses.empty()) && !in.columns.empty())
        for (std::size_t f = 0; f < in.columns.size(); ++f) {
            if (p.facts[f].kind != fact_kind::grade || in.columns[f].empty()) continue;
            const std::uint32_t* x = in.columns[f].data();
            std::uint32_t high = 0;
            for (std::size_t i = 0; i < n; ++i) high = std::max(high, x[i]);
            if (high < static_cast<std::uint32_t>(grade_count)) continue;
            for (std::size_t i = 0; i < n; ++i)
                if (x[i] >= static_cast<std::uint32_t>(grade_count))
                    return error{errc::invalid_input, p.facts[f].name + "[" + std::to_string(i) + "] = " + std::to_string(x[i]) +
                                                          "; expected 0 (none) to 4 (I)"};
        }
    // products: a vectorised max over the column first, the position only when something is wrong
    const std::uint8_t* pr = in.product.data();
    std::uint8_t top = 0;
    for (std::size_t i = 0; i < in.product.size(); ++i) top = std::max(top, pr[i]);
    if (!in.product.empty() && top >= p.products.size())
        for (std::size_t i = 0; i < in.product.size(); ++i)
            if (pr[i] >= p.products.size()) {
                std::string expected;
                for (std::size_t k = 0; k < p.products.size(); ++k)
                    expected += (k == 0 ? "" : k + 1 == p.products.size() ? " or " : ", ") + std::to_string(k) + " (" + p.products[k].id + ")";
                return error{errc::invalid_input, "product[" + std::to_string(i) + "] = " + std::to_string(pr[i]) + "; expected " + expected};
            }
    return {};
}

#if defined(__GNUC__)
#define VIGIL_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define VIGIL_ALWAYS_INLINE inline
#endif

// Where a plan fact's column is: the plan-ordered columns, or the built-in names' columns.
VIGIL_ALWAYS_INLINE const std::uint32_t* column_of(const detail::program& prog, const fact_columns& in, std::uint32_t f,
                                                   std::size_t base) {
    const std::uint32_t* d = nullptr;
    if (!in.columns.empty()) {
        if (f < in.columns.size() && !in.columns[f].empty()) d = in.columns[f].data();
    } else {
        const std::int32_t k = prog.legacy_column[f];  // a modifier (k >= fact_count) has no compatibility column
        if (k >= 0 && static_cast<std::size_t>(k) < fact_count && !in.facts[static_cast<std::size_t>(k)].empty())
            d = in.facts[static_cast<std::size_t>(k)].data();
    }
    return d ? d + base : zero_column;
}

// A condition's values for a chunk: its column, or for a sum fact its parts added into `buf`.
VIGIL_ALWAYS_INLINE const std::uint32_t* values_of(const detail::program& prog, const fact_columns& in, std::uint32_t f,
                                                   std::size_t base, std::size_t len, std::uint32_t* buf) {
    const auto& parts = prog.sums[f];
    if (parts.empty()) return column_of(prog, in, f, base);
    for (std::size_t i = 0; i < len; ++i) buf[i] = 0;
    for (auto part : parts) {
        const std::uint32_t* x = column_of(prog, in, part, base);
        for (std::size_t i = 0; i < len; ++i) {
            const std::uint32_t s = buf[i] + x[i];
            buf[i] = s < buf[i] ? UINT32_MAX : s;  // saturating
        }
    }
    return buf;
}

// The matched set of one word of the match set for rows [base, base + len): rows [r0, r1).
template <class Bits>
VIGIL_ALWAYS_INLINE void match_word(const detail::program& prog, const fact_columns& in, std::size_t r0, std::size_t r1,
                                    std::size_t base, std::size_t len, Bits* acc) {
    alignas(64) std::uint32_t tmp[chunk];
    alignas(64) std::uint32_t sbuf[chunk];
    const detail::program_row* rows = prog.rows.data();
    const detail::program_condition* conds = prog.conditions.data();
    for (std::size_t i = 0; i < len; ++i) acc[i] = 0;
    for (std::size_t r = r0; r < r1; ++r) {
        const auto& row = rows[r];
        const Bits bit = static_cast<Bits>(Bits{1} << row.criterion);
        const detail::program_condition* c = conds + row.first;
        if (row.count == 1 && !row.has_sum) {
            const std::uint32_t* x = column_of(prog, in, c[0].fact, base);
            const std::uint32_t lo = c[0].lo, span = c[0].span;
            for (std::size_t i = 0; i < len; ++i) acc[i] |= (x[i] - lo) <= span ? bit : Bits{0};
        } else if (row.count == 2 && !row.has_sum) {
            const std::uint32_t* x = column_of(prog, in, c[0].fact, base);
            const std::uint32_t* y = column_of(prog, in, c[1].fact, base);
            const std::uint32_t lx = c[0].lo, sx = c[0].span, ly = c[1].lo, sy = c[1].span;
            for (std::size_t i = 0; i < len; ++i)
                acc[i] |= (((x[i] - lx) <= sx) & ((y[i] - ly) <= sy)) ? bit : Bits{0};
        } else if (row.count > 0) {
            for (std::size_t i = 0; i < len; ++i) tmp[i] = 1;
            for (std::uint32_t k = 0; k < row.count; ++k) {
                const std::uint32_t* x = values_of(prog, in, c[k].fact, base, len, sbuf);
                const std::uint32_t lo = c[k].lo, span = c[k].span;
                for (std::size_t i = 0; i < len; ++i) tmp[i] &= (x[i] - lo) <= span ? 1u : 0u;
            }
            for (std::size_t i = 0; i < len; ++i) acc[i] |= tmp[i] ? bit : Bits{0};
        }
    }
}

// Whether rule `r` holds for each row of a chunk: hold[i] is 1 or 0. `g` is the chunk's grades.
// The first alternative and the first term of each write their result rather than fill and AND.
VIGIL_ALWAYS_INLINE void rule_holds(const detail::program& prog, const fact_columns& in, const detail::decision_prog_rule& r,
                                    const std::uint32_t* g, std::size_t base, std::size_t len, std::uint32_t* hold) {
    alignas(64) std::uint32_t alt[chunk];
    alignas(64) std::uint32_t sbuf[chunk];
    const auto& d = prog.decisions;
    if (r.alt_count == 0)
        for (std::size_t i = 0; i < len; ++i) hold[i] = 0;
    for (std::uint32_t a = r.first_alt; a < r.first_alt + r.alt_count; ++a) {
        std::uint32_t* dst = a == r.first_alt ? hold : alt;
        const std::uint32_t t0 = d.alt_first[a], t1 = d.alt_first[a + 1];
        if (t0 == t1)  // no terms: it holds
            for (std::size_t i = 0; i < len; ++i) dst[i] = 1;
        for (std::uint32_t t = t0; t < t1; ++t) {
            const auto& term = d.terms[t];
            const std::uint32_t* x = term.slot == 0 ? g : values_of(prog, in, term.slot - 1, base, len, sbuf);
            const std::uint32_t lo = term.lo, span = term.span;
            if (t == t0)
                for (std::size_t i = 0; i < len; ++i) dst[i] = (x[i] - lo) <= span ? 1u : 0u;
            else
                for (std::size_t i = 0; i < len; ++i) dst[i] &= (x[i] - lo) <= span ? 1u : 0u;
        }
        if (dst != hold)
            for (std::size_t i = 0; i < len; ++i) hold[i] |= alt[i];
    }
}

// A decision by its table (program.hpp): each row's key from its subjects, then one lookup.
VIGIL_ALWAYS_INLINE void by_table(const detail::program& prog, const fact_columns& in, const detail::decision_table& t,
                                  const std::uint32_t* g, const std::uint32_t* scope, std::size_t base, std::size_t len,
                                  std::uint32_t* key, std::uint8_t* dst) {
    for (std::size_t i = 0; i < len; ++i) key[i] = 0;
    for (const auto& sub : t.subjects) {
        const std::uint32_t* x = sub.slot == 0 ? g : column_of(prog, in, sub.slot - 1, base);
        const std::uint32_t stride = sub.stride;
        if (sub.boolean)
            for (std::size_t i = 0; i < len; ++i) key[i] += (x[i] != 0 ? 1u : 0u) * stride;
        else
            for (std::size_t i = 0; i < len; ++i) key[i] += x[i] * stride;
    }
    const std::uint8_t* answers = t.answers.data();
    for (std::size_t i = 0; i < len; ++i) dst[i] = static_cast<std::uint8_t>(answers[key[i]] & scope[i]);
}

// The warnings and responses of rows [base, base + len) whose grades are written: decide_levels()
// over columns. Warning: the gravest colour of the rules that hold. Response: the highest level
// (the smallest number) a set rule gives, raised by the largest raise step, then lowered by the
// largest lower step, within the plan's levels; none without a set rule. Out of scope: none.
VIGIL_ALWAYS_INLINE void decide_chunk(const detail::program& prog, const fact_columns& in, const batch_output& out,
                                      std::size_t base, std::size_t len) {
    alignas(64) std::uint32_t g[chunk];
    alignas(64) std::uint32_t hold[chunk];
    alignas(64) std::uint32_t scope[chunk];
    alignas(64) std::uint32_t a[chunk], b[chunk], c[chunk];
    const auto& d = prog.decisions;
    const auto* grades = reinterpret_cast<const std::uint8_t*>(out.grades.data()) + base;
    for (std::size_t i = 0; i < len; ++i) g[i] = grades[i];
    if (!in.product.empty()) {
        const std::uint8_t* pr = in.product.data() + base;
        for (std::size_t i = 0; i < len; ++i) scope[i] = prog.covered[pr[i]] ? ~0u : 0u;
    } else {
        const std::uint32_t s = prog.covered[0] ? ~0u : 0u;
        for (std::size_t i = 0; i < len; ++i) scope[i] = s;
    }
    if (!out.warnings.empty() && !d.warning_table.answers.empty()) {
        by_table(prog, in, d.warning_table, g, scope, base, len, a, reinterpret_cast<std::uint8_t*>(out.warnings.data()) + base);
    } else if (!out.warnings.empty()) {
        for (std::size_t i = 0; i < len; ++i) a[i] = 0;
        for (const auto& r : d.warnings) {
            rule_holds(prog, in, r, g, base, len, hold);
            const std::uint32_t colour = r.value;
            for (std::size_t i = 0; i < len; ++i) {  // written with masks: GCC vectorises it so, not std::max
                const std::uint32_t x = colour & (0u - hold[i]);
                a[i] = a[i] > x ? a[i] : x;
            }
        }
        auto* w = reinterpret_cast<std::uint8_t*>(out.warnings.data()) + base;
        for (std::size_t i = 0; i < len; ++i) w[i] = static_cast<std::uint8_t>(a[i] & scope[i]);
    }
    if (!out.responses.empty()) {
        std::uint8_t* resp = out.responses.data() + base;
        if (!d.has_responses) {
            for (std::size_t i = 0; i < len; ++i) resp[i] = 0;
            return;
        }
        if (!d.response_table.answers.empty()) {
            by_table(prog, in, d.response_table, g, scope, base, len, a, resp);
            return;
        }
        constexpr std::uint32_t unset = 0xFF;
        for (std::size_t i = 0; i < len; ++i) a[i] = unset, b[i] = 0, c[i] = 0;  // set, raise, lower
        for (const auto& r : d.responses) {
            rule_holds(prog, in, r, g, base, len, hold);
            const std::uint32_t v = r.value;
            std::uint32_t* acc = r.kind == detail::decision_prog_rule::set ? a : r.kind == detail::decision_prog_rule::raise ? b : c;
            if (r.kind == detail::decision_prog_rule::set)
                for (std::size_t i = 0; i < len; ++i) {
                    const std::uint32_t m = 0u - hold[i], x = (v & m) | (unset & ~m);
                    acc[i] = acc[i] < x ? acc[i] : x;
                }
            else
                for (std::size_t i = 0; i < len; ++i) {
                    const std::uint32_t x = v & (0u - hold[i]);
                    acc[i] = acc[i] > x ? acc[i] : x;
                }
        }
        const std::int32_t hi = d.highest, lo = d.lowest;
        for (std::size_t i = 0; i < len; ++i) {
            const std::int32_t raised = std::max(hi, static_cast<std::int32_t>(a[i]) - static_cast<std::int32_t>(b[i]));
            const std::int32_t level = std::min(lo, raised + static_cast<std::int32_t>(c[i]));
            resp[i] = static_cast<std::uint8_t>(a[i] == unset ? 0u : static_cast<std::uint32_t>(level) & scope[i]);
        }
    }
}

// One chunk of run_rows: its grades and matched sets.
template <class Bits>
VIGIL_ALWAYS_INLINE void grade_chunk(const detail::program& prog, const fact_columns& in, std::size_t base, std::size_t len, Bits* acc, bool all_out, bool check_scope,
                                     bool want_bits, std::uint8_t* grades, std::uint64_t* matched, std::size_t n_rows,
                                     Bits m4, Bits m3, Bits m2, Bits m1) {
    const std::uint8_t* covered = prog.covered.data();
    match_word<Bits>(prog, in, 0, n_rows, base, len, acc);
    if (all_out) {
        for (std::size_t i = 0; i < len; ++i) grades[base + i] = 0;
        if (want_bits)
            for (std::size_t i = 0; i < len; ++i) matched[base + i] = out_of_scope_bit;
        return;
    }
    if (check_scope) {
        const std::uint8_t* pr = in.product.data() + base;
        for (std::size_t i = 0; i < len; ++i) {
            const Bits a = covered[pr[i]] ? acc[i] : Bits{0};
            acc[i] = a;
            grades[base + i] = static_cast<std::uint8_t>((a & m4) ? 4 : (a & m3) ? 3 : (a & m2) ? 2 : (a & m1) ? 1 : 0);
        }
        if (want_bits)
            for (std::size_t i = 0; i < len; ++i)
                matched[base + i] = covered[pr[i]] ? static_cast<std::uint64_t>(acc[i]) : out_of_scope_bit;
        return;
    }
    for (std::size_t i = 0; i < len; ++i) {
        const Bits a = acc[i];
        grades[base + i] = static_cast<std::uint8_t>((a & m4) ? 4 : (a & m3) ? 3 : (a & m2) ? 2 : (a & m1) ? 1 : 0);
    }
    if (want_bits)
        for (std::size_t i = 0; i < len; ++i) matched[base + i] = static_cast<std::uint64_t>(acc[i]);
}

// Rows [begin, end) of a checked batch, for a plan whose match set is one word. Bits: the width of
// the matched set while it is built.
template <class Bits>
VIGIL_ALWAYS_INLINE void run_rows(const detail::program& prog, const fact_columns& in, batch_output out,
                                  std::size_t begin, std::size_t end) {
    const auto& gm = prog.grade_mask[0];
    const Bits m4 = static_cast<Bits>(gm[4]), m3 = static_cast<Bits>(gm[3]), m2 = static_cast<Bits>(gm[2]),
               m1 = static_cast<Bits>(gm[1]);
    // scope: a row is out of scope when its product is one the plan does not cover
    const bool has_product = !in.product.empty();
    const bool all_out = !has_product && !prog.covered[0];
    bool all_covered = true;
    for (std::size_t k = 0; k < prog.products; ++k) all_covered = all_covered && prog.covered[k];
    const bool check_scope = has_product && !all_covered;
    const bool want_bits = !out.matched.empty();
    const bool want_decisions = !out.warnings.empty() || !out.responses.empty();
    auto* grades = reinterpret_cast<std::uint8_t*>(out.grades.data());
    std::uint64_t* matched = out.matched.data();
    const std::size_t n_rows = prog.rows.size();

    alignas(64) Bits acc[chunk];

    for (std::size_t base = begin; base < end; base += chunk) {
        const std::size_t len = std::min(chunk, end - base);
        grade_chunk<Bits>(prog, in, base, len, acc, all_out, check_scope, want_bits, grades, matched, n_rows, m4, m3,
                          m2, m1);
        if (want_decisions) decide_chunk(prog, in, out, base, len);
    }
}

// Rows [begin, end) for a plan whose match set has several words: word by word, the grade the
// gravest of them gives.
void run_rows_words(const detail::program& prog, const fact_columns& in, batch_output out, std::size_t begin,
                    std::size_t end) {
    const std::size_t words = prog.words;
    const bool has_product = !in.product.empty();
    const bool want_bits = !out.matched.empty();
    const bool want_decisions = !out.warnings.empty() || !out.responses.empty();
    auto* grades = reinterpret_cast<std::uint8_t*>(out.grades.data());
    std::uint64_t* matched = out.matched.data();
    alignas(64) std::uint64_t acc[chunk];
    for (std::size_t base = begin; base < end; base += chunk) {
        const std::size_t len = std::min(chunk, end - base);
        for (std::size_t i = 0; i < len; ++i) grades[base + i] = 0;
        for (std::size_t w = 0; w < words; ++w) {
            match_word<std::uint64_t>(prog, in, prog.word_rows[w], prog.word_rows[w + 1], base, len, acc);
            const auto& gm = prog.grade_mask[w];
            for (std::size_t i = 0; i < len; ++i) {
                const std::uint64_t a = acc[i];
                const std::uint8_t g = (a & gm[4]) ? 4 : (a & gm[3]) ? 3 : (a & gm[2]) ? 2 : (a & gm[1]) ? 1 : 0;
                grades[base + i] = std::max(grades[base + i], g);
            }
            if (want_bits)
                for (std::size_t i = 0; i < len; ++i) matched[(base + i) * words + w] = acc[i];
        }
        for (std::size_t i = 0; i < len; ++i) {
            const std::uint8_t prod = has_product ? in.product[base + i] : 0;
            if (prog.covered[prod]) continue;
            grades[base + i] = 0;
            if (want_bits) {
                for (std::size_t w = 0; w < words; ++w) matched[(base + i) * words + w] = 0;
                matched[(base + i) * words + words - 1] = out_of_scope_bit;
            }
        }
        if (want_decisions) decide_chunk(prog, in, out, base, len);
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
    if (prog.words > 1) run_rows_words(prog, in, out, begin, end);
    else if (prog.narrow) run_rows_narrow(prog, in, out, begin, end);
    else run_rows_wide(prog, in, out, begin, end);
}

}  // namespace

result<void> classify_batch(const plan& p, const fact_columns& in, batch_output out) {
    if (auto ok = check_batch(p, in, out); !ok) return ok;
    run_range(*p.program, in, out, 0, in.size);
    return {};
}

result<void> classify_batch_parallel(const plan& p, const fact_columns& in, batch_output out, unsigned threads) {
    if (auto ok = check_batch(p, in, out); !ok) return ok;
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
    std::string out;
    detail::answer_json::assessment_only(out, a);  // the one JSON of an assessment (docs/json.md)
    return out;
}

}  // namespace v0
}  // namespace vigil
