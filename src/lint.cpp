// lint(): findings about a plan's tables (vigil/lint.hpp). Pure.
#include <vigil/classify.hpp>
#include <vigil/lint.hpp>
#include <vigil/notation.hpp>
#include <vigil/response.hpp>

#include <vigil/detail/answer_json.hpp>

#include <algorithm>

namespace vigil {
inline namespace v0 {

namespace {

// An alternative that bounds one count alone: the values of that fact that give its grade.
struct span_of {
    std::uint32_t fact, lo, hi;
    grade g;
    const criterion* c;
};

// The words of a finding (catalogue ids, rendered in either language).
std::string range_id(std::uint32_t lo, std::uint32_t hi) {
    if (lo == hi) return "lint.range_one";
    if (hi == UINT32_MAX) return "lint.range_more";
    return "lint.range_between";
}

std::string grade_id(grade g) {
    switch (g) {
    case grade::I: return "lint.grade_I";
    case grade::II: return "lint.grade_II";
    case grade::III: return "lint.grade_III";
    case grade::IV: return "lint.grade_IV";
    case grade::none: break;
    }
    return "lint.grade_none";
}

// A finding of catalogue message `id`: its message is the English rendering.
lint_finding finding(std::string kind, std::vector<std::string> clauses, std::vector<std::string> facts, std::string_view id,
                     message_args args) {
    lint_finding l{std::move(kind), std::move(clauses), std::move(facts), render_message(id, args, language::en), std::string(id), {}};
    l.args = std::move(args);
    return l;
}

// A fact as a Chinese finding names it: its Chinese label and its name ("死亡人数（deaths）").
std::string label_zh(const fact_def& f) { return f.label_zh.empty() ? f.name : f.label_zh + "（" + f.name + "）"; }

// The grade a warning colour stands for in the plans (一级 red … 四级 blue).
grade colour_grade(warning_colour c) {
    switch (c) {
    case warning_colour::red: return grade::I;
    case warning_colour::orange: return grade::II;
    case warning_colour::yellow: return grade::III;
    case warning_colour::blue: return grade::IV;
    default: return grade::none;
    }
}

}  // namespace

std::vector<lint_finding> lint(const plan& p) {
    std::vector<lint_finding> out;
    std::vector<span_of> spans;
    for (const auto& c : p.criteria)
        for (const auto& alt : c.any)
            if (alt.size() == 1 && p.facts[alt[0].fact].kind != fact_kind::boolean)
                spans.push_back({alt[0].fact, alt[0].lo, alt[0].hi, c.grade, &c});

    // ---- gaps: values between two spans of a fact that no span covers
    for (const auto& f : p.facts) {
        std::vector<span_of> s;
        for (const auto& x : spans)
            if (x.fact == f.index) s.push_back(x);
        std::sort(s.begin(), s.end(), [](const span_of& a, const span_of& b) { return a.lo < b.lo; });
        std::uint64_t covered_to = 0;  // values below this are covered or before the first span
        const span_of* below = nullptr;
        for (const auto& x : s) {
            if (below && x.lo > covered_to) {
                const auto lo = static_cast<std::uint32_t>(covered_to), hi = x.lo - 1;
                out.push_back(finding("gap", {below->c->clause, x.c->clause}, {f.name}, "lint.gap",
                                      {{"fact", f.name},
                                       {"fact@zh", label_zh(f)},
                                       {"range", range_id(lo, hi)},
                                       {"lo", std::to_string(lo)},
                                       {"hi", std::to_string(hi)},
                                       {"clause_a", below->c->clause},
                                       {"grade_a", grade_id(below->g)},
                                       {"upto", std::to_string(covered_to - 1)},
                                       {"clause_b", x.c->clause},
                                       {"grade_b", grade_id(x.g)},
                                       {"from", std::to_string(x.lo)}}));
            }
            if (!below || std::uint64_t{x.hi} + 1 > covered_to) {
                covered_to = std::uint64_t{x.hi} + 1;
                below = &x;
            }
        }
    }
    // ---- overlaps: values two grades claim; the highest wins
    for (std::size_t i = 0; i < spans.size(); ++i)
        for (std::size_t j = i + 1; j < spans.size(); ++j) {
            const auto& a = spans[i];
            const auto& b = spans[j];
            if (a.fact != b.fact || a.g == b.g) continue;
            const std::uint32_t lo = std::max(a.lo, b.lo), hi = std::min(a.hi, b.hi);
            if (lo > hi) continue;
            const auto& hi_g = a.g > b.g ? a : b;
            const auto& lo_g = a.g > b.g ? b : a;
            out.push_back(finding("overlap", {hi_g.c->clause, lo_g.c->clause}, {p.facts[a.fact].name}, "lint.overlap",
                                  {{"fact", p.facts[a.fact].name},
                                   {"fact@zh", label_zh(p.facts[a.fact])},
                                   {"range", range_id(lo, hi)},
                                   {"lo", std::to_string(lo)},
                                   {"hi", std::to_string(hi)},
                                   {"clause_a", hi_g.c->clause},
                                   {"grade_a", grade_id(hi_g.g)},
                                   {"clause_b", lo_g.c->clause},
                                   {"grade_b", grade_id(lo_g.g)},
                                   {"winner", std::string(to_string(hi_g.g))}}));
        }
    // ---- facts declared and never read
    std::vector<bool> read(p.facts.size(), false);
    for (const auto& c : p.criteria)
        for (const auto& alt : c.any)
            for (const auto& cond : alt) read[cond.fact] = true;
    auto rules = [&](const std::vector<decision_rule>& rs) {
        for (const auto& r : rs)
            for (const auto& alt : r.when)
                for (const auto& t : alt)
                    if (t.slot >= 1) read[t.slot - 1] = true;
    };
    if (p.warnings) rules(p.warnings->rules);
    if (p.responses) rules(p.responses->rules);
    for (const auto& f : p.facts)
        if (read[f.index])
            for (auto part : f.sum) read[part] = true;
    for (const auto& f : p.facts)
        if (!read[f.index])
            out.push_back(finding("unread", {}, {f.name}, "lint.unread", {{"fact", f.name}, {"fact@zh", label_zh(f)}}));
    // ---- grades no input reaches
    for (auto g : {grade::I, grade::II, grade::III, grade::IV}) {
        std::vector<std::string> clauses;
        bool computed = false;
        for (const auto& c : p.criteria)
            if (c.grade == g) {
                clauses.push_back(c.clause);
                computed = computed || !c.expert;
            }
        if (!clauses.empty() && !computed)
            out.push_back(finding("unreachable", clauses, {}, "lint.unreachable", {{"grade", grade_id(g)}}));
    }
    // ---- warning rules that answer facts differently from the grading table
    if (p.warnings)
        for (const auto& r : p.warnings->rules)
            for (const auto& alt : r.when) {
                fact_values v(p);
                v.product = p.info.scope.empty() ? product{0} : p.info.scope.front();
                bool facts_only = !alt.empty();
                std::vector<std::string> names;
                for (const auto& t : alt) {
                    if (t.slot == 0 || p.facts[t.slot - 1].kind == fact_kind::grade) facts_only = false;
                    else {
                        v.values[t.slot - 1] = t.lo;
                        names.push_back(p.facts[t.slot - 1].name);
                    }
                }
                if (!facts_only) continue;
                const auto a = classify(p, v);
                const grade w = colour_grade(r.colour);
                if (a.grade == w) continue;
                std::string because, because_zh;
                for (const auto& t : alt) {
                    because += (because.empty() ? "" : "; ") + term_text(t, language::en, &p);
                    because_zh += (because_zh.empty() ? "" : "；") + term_text(t, language::zh, &p);
                }
                std::vector<std::string> clauses{r.clause};
                if (a.winner()) clauses.push_back(a.winner()->what->clause);
                out.push_back(finding("disagree", std::move(clauses), names, "lint.disagree",
                                      {{"because", because},
                                       {"because@zh", because_zh},
                                       {"at", std::to_string(v.values[alt.front().slot - 1])},
                                       {"colour", "colour." + std::string(to_string(r.colour))},
                                       {"clause", r.clause},
                                       {"grade_w", grade_id(w)},
                                       {"grade_a", grade_id(a.grade)},
                                       {"winner", a.winner() ? "lint.winner" : ""},
                                       {"winner_clause", a.winner() ? a.winner()->what->clause : ""}}));
            }
    return out;
}

std::string to_json(const std::vector<lint_finding>& findings) {
    std::string out;
    detail::answer_json::lint(out, findings);  // docs/json.md
    return out;
}

}  // namespace v0
}  // namespace vigil
