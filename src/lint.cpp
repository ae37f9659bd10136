// lint(): findings about a plan's tables (vigil/lint.hpp). Pure.
#include <vigil/classify.hpp>
#include <vigil/lint.hpp>
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

std::string range(std::uint32_t lo, std::uint32_t hi) {
    if (lo == hi) return std::to_string(lo);
    if (hi == UINT32_MAX) return std::to_string(lo) + " and more";
    return std::to_string(lo) + " to " + std::to_string(hi);
}

std::string grade_text(grade g) { return g == grade::none ? std::string("no grade") : "grade " + std::string(to_string(g)); }

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
                lint_finding l{"gap", {below->c->clause, x.c->clause}, {f.name}, ""};
                l.message = f.name + " " + range(static_cast<std::uint32_t>(covered_to), x.lo - 1) + ": no grade, between " +
                            below->c->clause + " (" + grade_text(below->g) + ", up to " + std::to_string(covered_to - 1) +
                            ") and " + x.c->clause + " (" + grade_text(x.g) + ", from " + std::to_string(x.lo) + ")";
                out.push_back(std::move(l));
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
            lint_finding l{"overlap", {hi_g.c->clause, lo_g.c->clause}, {p.facts[a.fact].name}, ""};
            l.message = p.facts[a.fact].name + " " + range(lo, hi) + ": claimed by " + hi_g.c->clause + " (" + grade_text(hi_g.g) +
                        ") and " + lo_g.c->clause + " (" + grade_text(lo_g.g) + "); the highest wins: " +
                        std::string(to_string(hi_g.g));
            out.push_back(std::move(l));
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
            out.push_back({"unread", {}, {f.name}, f.name + " is declared and read by no criterion, warning or response rule, nor sum"});
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
            out.push_back({"unreachable", clauses, {}, grade_text(g) + ": every criterion is an expert determination; no input reaches it"});
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
                std::string because;
                for (const auto& t : alt) because += (because.empty() ? "" : "; ") + t.written;
                lint_finding l{"disagree", {r.clause}, names, ""};
                if (a.winner()) l.clauses.push_back(a.winner()->what->clause);
                l.message = because + " (at " + std::to_string(v.values[alt.front().slot - 1]) + "): a " +
                            std::string(to_string(r.colour)) + " warning by " + r.clause + " (the colour of " + grade_text(w) +
                            "), and " + grade_text(a.grade) + " by the grading table" +
                            (a.winner() ? " (" + a.winner()->what->clause + ")" : std::string());
                out.push_back(std::move(l));
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
