#include <vigil/classify.hpp>

#include "detail/loader.hpp"
#include "detail/program.hpp"

#include <algorithm>

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
            for (const auto& cond : alt)
                prog->conditions.push_back({static_cast<std::uint32_t>(cond.fact), cond.lo, cond.hi - cond.lo});
            prog->rows.push_back(row);
        }
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

namespace {
constexpr std::size_t chunk = 1024;
}

result<void> classify_batch(const plan& p, const fact_columns& in, batch_output out) {
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
    for (std::size_t i = 0; i < in.product.size(); ++i)
        if (in.product[i] > 1)
            return error{errc::invalid_input, "product[" + std::to_string(i) + "] = " + std::to_string(in.product[i]) +
                                                  "; expected 0 (drug) or 1 (device)"};

    const auto& prog = *p.program;
    const bool want_bits = !out.matched.empty();
    alignas(64) std::uint8_t g[chunk];
    alignas(64) std::uint8_t m[chunk];
    alignas(64) std::uint64_t bits[chunk];

    for (std::size_t base = 0; base < n; base += chunk) {
        const std::size_t len = std::min(chunk, n - base);
        std::fill_n(g, len, std::uint8_t{0});
        std::fill_n(bits, len, std::uint64_t{0});
        for (const auto& row : prog.rows) {
            std::fill_n(m, len, std::uint8_t{1});
            bool possible = true;
            for (std::uint32_t k = 0; k < row.count && possible; ++k) {
                const auto& c = prog.conditions[row.first + k];
                const auto col = in.facts[c.fact];
                if (col.empty()) {
                    possible = (0u - c.lo) <= c.span;  // an absent fact is 0
                    continue;
                }
                const std::uint32_t* x = col.data() + base;
                const std::uint32_t lo = c.lo, span = c.span;
                for (std::size_t i = 0; i < len; ++i) m[i] &= static_cast<std::uint8_t>((x[i] - lo) <= span);
            }
            if (!possible) continue;
            const std::uint8_t gr = row.grade;
            for (std::size_t i = 0; i < len; ++i) {
                const std::uint8_t cand = static_cast<std::uint8_t>(m[i] * gr);
                g[i] = g[i] > cand ? g[i] : cand;
            }
            if (want_bits) {
                const unsigned shift = row.criterion;
                for (std::size_t i = 0; i < len; ++i) bits[i] |= static_cast<std::uint64_t>(m[i]) << shift;
            }
        }
        if (!in.product.empty() && !(prog.covers[0] && prog.covers[1])) {
            const std::uint8_t* pr = in.product.data() + base;
            for (std::size_t i = 0; i < len; ++i) {
                const bool out_of_scope = !prog.covers[pr[i]];
                g[i] = out_of_scope ? 0 : g[i];
                bits[i] = out_of_scope ? out_of_scope_bit : bits[i];
            }
        } else if (in.product.empty() && !prog.covers[0]) {
            std::fill_n(g, len, std::uint8_t{0});
            std::fill_n(bits, len, out_of_scope_bit);
        }
        for (std::size_t i = 0; i < len; ++i) out.grades[base + i] = static_cast<grade>(g[i]);
        if (want_bits) std::copy_n(bits, len, out.matched.data() + base);
    }
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
