// Loading the plan sections "warnings" and "responses" (docs/plan-format.md).
#include "detail/actors.hpp"
#include "detail/loader.hpp"

#include <vigil/notation.hpp>
#include <vigil/organisation.hpp>
#include <vigil/response.hpp>

#include <algorithm>
#include <set>

namespace vigil {
inline namespace v0 {
namespace detail {

namespace {

void load_authority(const json::value& v, const std::string& ptr, loader& ld, const plan& p, authority& out) {
    const auto* o = ld.object(v, ptr, {"clause", "text", "proposer", "approver", "issuer", "notify"}, {"clause", "issuer"});
    if (!o) return;
    out.clause = ld.string(*o, "clause", ptr).value_or("");
    out.text = ld.string(*o, "text", ptr, false).value_or("");
    out.proposer = parse_actor_patterns(*o, "proposer", ptr, ld, p, false);
    out.approver = parse_actor_patterns(*o, "approver", ptr, ld, p, false);
    out.issuer = parse_actor_patterns(*o, "issuer", ptr, ld, p, true);
    out.notify = strings(*o, "notify", ptr, ld);
    for (std::size_t i = 0; i < out.notify.size(); ++i)
        if (p.org && !p.org->find(out.notify[i]))
            ld.fail(loader::child(loader::child(ptr, "notify"), i), "org.unknown_unit", {{"unit", out.notify[i]}});
}

std::string subject_list(const plan& p) { return "grade, " + p.fact_names(); }

std::optional<std::uint32_t> grade_value(const json::value& v, const std::string& ptr, loader& ld) {
    const auto* s = v.if_string();
    auto g = s ? parse_grade(std::string_view(s->data(), s->size())) : std::nullopt;
    if (!g) {
        ld.fail(ptr, "rules.expected_grade", {});
        return std::nullopt;
    }
    return static_cast<std::uint32_t>(*g);
}

// One term: key -> bounds.
std::optional<rule_term> load_term(std::string_view key, const json::value& v, const std::string& ptr, loader& ld,
                                   const plan& p) {
    rule_term t;
    t.subject = std::string(key);
    const fact_def* f = key == "grade" ? nullptr : p.find_fact(key);
    if (f && f->name != key) f = nullptr;  // rules name facts by name, not label
    if (key != "grade" && !f) {
        ld.fail(ptr, "rules.unknown_subject", {{"subject", std::string(key)}, {"known", subject_list(p)}});
        return std::nullopt;
    }
    t.slot = f ? f->index + 1 : 0;
    const bool is_grade = !f || f->kind == fact_kind::grade;
    const bool is_bool = f && f->kind == fact_kind::boolean;
    if (is_bool) {
        const auto* b = v.if_bool();
        if (!b) {
            ld.fail(ptr, "rules.boolean_subject", {{"subject", std::string(key)}});
            return std::nullopt;
        }
        t.lo = t.hi = *b ? 1 : 0;
        t.written = term_text(t, language::en, &p);
        return t;
    }
    if (is_grade) {
        if (v.is_string()) {
            auto g = grade_value(v, ptr, ld);
            if (!g) return std::nullopt;
            t.lo = t.hi = *g;
            t.written = term_text(t, language::en, &p);
            return t;
        }
        const auto* o = ld.object(v, ptr, {"eq", "ge", "le", "in"});
        if (!o) return std::nullopt;
        if (o->empty()) {
            ld.fail(ptr, "rules.no_grade_bound", {});
            return std::nullopt;
        }
        if (const auto* in = o->if_contains("in")) {
            // "in" must be a contiguous run of grades: store its bounds.
            const auto* a = ld.array(*in, loader::child(ptr, "in"));
            if (!a || a->empty() || o->size() != 1) {
                ld.fail(ptr, "rules.bad_in", {});
                return std::nullopt;
            }
            std::vector<std::uint32_t> gs;
            for (std::size_t i = 0; i < a->size(); ++i)
                if (auto g = grade_value((*a)[i], loader::child(loader::child(ptr, "in"), i), ld)) gs.push_back(*g);
            if (gs.size() != a->size()) return std::nullopt;
            std::sort(gs.begin(), gs.end());
            for (std::size_t i = 1; i < gs.size(); ++i)
                if (gs[i] != gs[i - 1] + 1) {
                    ld.fail(ptr, "rules.in_not_neighbours", {});
                    return std::nullopt;
                }
            t.lo = gs.front();
            t.hi = gs.back();
        } else {
            t.lo = 0;
            t.hi = 4;
            if (const auto* x = o->if_contains("eq")) {
                auto g = grade_value(*x, loader::child(ptr, "eq"), ld);
                if (!g) return std::nullopt;
                t.lo = t.hi = *g;
            }
            if (const auto* x = o->if_contains("ge")) {
                auto g = grade_value(*x, loader::child(ptr, "ge"), ld);
                if (!g) return std::nullopt;
                t.lo = std::max(t.lo, *g);
            }
            if (const auto* x = o->if_contains("le")) {
                auto g = grade_value(*x, loader::child(ptr, "le"), ld);
                if (!g) return std::nullopt;
                t.hi = std::min(t.hi, *g);
            }
        }
        if (t.lo > t.hi) {
            ld.fail(ptr, "rules.no_grade_between", {});
            return std::nullopt;
        }
        t.written = term_text(t, language::en, &p);
        return t;
    }
    // a count
    if (v.is_int64() || v.is_uint64()) {
        auto n = v.is_int64() ? v.get_int64() : static_cast<std::int64_t>(v.get_uint64());
        if (n < 0 || n > UINT32_MAX) {
            ld.fail(ptr, "rules.count_range", {});
            return std::nullopt;
        }
        t.lo = t.hi = static_cast<std::uint32_t>(n);
        t.written = term_text(t, language::en, &p);
        return t;
    }
    const auto* o = ld.object(v, ptr, {"ge", "gt", "le", "lt", "eq"});
    if (!o) return std::nullopt;
    if (o->empty()) {
        ld.fail(ptr, "rules.no_bound", {});
        return std::nullopt;
    }
    std::int64_t lo = 0, hi = UINT32_MAX;
    if (auto x = ld.integer(*o, "ge", ptr, false)) lo = std::max(lo, *x);
    if (auto x = ld.integer(*o, "gt", ptr, false)) lo = std::max(lo, *x + 1);
    if (auto x = ld.integer(*o, "le", ptr, false)) hi = std::min(hi, *x);
    if (auto x = ld.integer(*o, "lt", ptr, false, 1)) hi = std::min(hi, *x - 1);
    if (auto x = ld.integer(*o, "eq", ptr, false)) lo = hi = *x;
    if (lo > hi) {
        ld.fail(ptr, "rules.no_value_between", {});
        return std::nullopt;
    }
    t.lo = static_cast<std::uint32_t>(lo);
    t.hi = static_cast<std::uint32_t>(hi);
    t.written = term_text(t, language::en, &p);  // the one renderer (vigil/notation.hpp)
    return t;
}

// "when": [ {subject: bound, …}, … ]  (OR of ANDs)
std::vector<std::vector<rule_term>> load_when(const json::object& o, const std::string& ptr, loader& ld, const plan& p) {
    std::vector<std::vector<rule_term>> any;
    const auto* a = ld.array(o, "when", ptr, true);
    if (!a) return any;
    const std::string wptr = loader::child(ptr, "when");
    if (a->empty()) ld.fail(wptr, "plan.no_alternative", {});
    for (std::size_t i = 0; i < a->size(); ++i) {
        const std::string iptr = loader::child(wptr, i);
        const auto* ao = (*a)[i].if_object();
        if (!ao || ao->empty()) {
            ld.fail(iptr, "rules.empty_conditions", {});
            continue;
        }
        std::vector<rule_term> all;
        for (const auto& kv : *ao)
            if (auto t = load_term(kv.key(), kv.value(), loader::child(iptr, kv.key()), ld, p)) all.push_back(*t);
        any.push_back(std::move(all));
    }
    return any;
}

}  // namespace

void load_warnings(const json::value& v, loader& ld, plan& p) {
    const std::string ptr = "/warnings";
    const auto* o = ld.object(v, ptr, {"clause", "levels", "rules", "content", "forms", "lift"},
                              {"clause", "levels", "rules", "content"});
    if (!o) return;
    auto w = std::make_shared<warning_rules>();
    w->clause = ld.string(*o, "clause", ptr).value_or("");
    if (const auto* levels = ld.array(*o, "levels", ptr)) {
        const std::string lptr = loader::child(ptr, "levels");
        if (levels->empty()) ld.fail(lptr, "rules.no_warning_level", {});
        for (std::size_t i = 0; i < levels->size(); ++i) {
            const std::string iptr = loader::child(lptr, i);
            const auto* lo = ld.object((*levels)[i], iptr, {"colour", "number", "name_zh", "issue"}, {"colour", "name_zh", "issue"});
            if (!lo) continue;
            warning_level l;
            if (auto c = ld.one_of(*lo, "colour", iptr, {"blue", "yellow", "orange", "red"})) {
                l.colour = *parse_warning_colour(*c);
                if (w->find(l.colour)) ld.fail(loader::child(iptr, "colour"), "rules.duplicate_colour", {{"colour", *c}});
            }
            l.number = static_cast<int>(ld.integer(*lo, "number", iptr, false, 1, 4).value_or(0));
            l.name_zh = ld.string(*lo, "name_zh", iptr).value_or("");
            if (const auto* is = lo->if_contains("issue")) load_authority(*is, loader::child(iptr, "issue"), ld, p, l.issue);
            w->levels.push_back(std::move(l));
        }
    }
    if (const auto* rules = ld.array(*o, "rules", ptr)) {
        const std::string rptr = loader::child(ptr, "rules");
        for (std::size_t i = 0; i < rules->size(); ++i) {
            const std::string iptr = loader::child(rptr, i);
            const auto* ro = ld.object((*rules)[i], iptr, {"clause", "text", "reading", "colour", "when"},
                                       {"clause", "text", "colour", "when"});
            if (!ro) continue;
            decision_rule r;
            r.clause = ld.string(*ro, "clause", iptr).value_or("");
            r.text = ld.string(*ro, "text", iptr).value_or("");
            ld.reading(*ro, iptr, r.reading, r.reading_zh);
            if (auto c = ld.one_of(*ro, "colour", iptr, {"blue", "yellow", "orange", "red"})) {
                r.colour = *parse_warning_colour(*c);
                if (!w->find(r.colour))
                    ld.fail(loader::child(iptr, "colour"), "rules.colour_not_level", {{"colour", *c}});
            }
            r.when = load_when(*ro, iptr, ld, p);
            w->rules.push_back(std::move(r));
        }
    }
    if (const auto* c = o->if_contains("content")) {
        const std::string cptr = loader::child(ptr, "content");
        if (const auto* co = ld.object(*c, cptr, {"clause", "fields"}, {"clause", "fields"})) {
            w->content_clause = ld.string(*co, "clause", cptr).value_or("");
            w->content_fields = strings(*co, "fields", cptr, ld, true);
        }
    }
    w->forms = strings(*o, "forms", ptr, ld);
    if (const auto* l = o->if_contains("lift")) {
        const std::string lptr = loader::child(ptr, "lift");
        if (const auto* lo = ld.object(*l, lptr, {"clause", "text"}, {"clause", "text"})) {
            w->lift_clause = ld.string(*lo, "clause", lptr).value_or("");
            w->lift_text = ld.string(*lo, "text", lptr).value_or("");
        }
    }
    p.warnings = std::move(w);
}

void load_responses(const json::value& v, loader& ld, plan& p) {
    const std::string ptr = "/responses";
    const auto* o = ld.object(v, ptr, {"clause", "levels", "rules"}, {"clause", "levels", "rules"});
    if (!o) return;
    auto rs = std::make_shared<response_rules>();
    rs->clause = ld.string(*o, "clause", ptr).value_or("");
    if (const auto* levels = ld.array(*o, "levels", ptr)) {
        const std::string lptr = loader::child(ptr, "levels");
        for (std::size_t i = 0; i < levels->size(); ++i) {
            const std::string iptr = loader::child(lptr, i);
            const auto* lo = ld.object((*levels)[i], iptr, {"level", "name_zh", "start"}, {"level", "name_zh", "start"});
            if (!lo) continue;
            response_level l;
            l.level = static_cast<int>(ld.integer(*lo, "level", iptr, true, 1, 9).value_or(0));
            if (l.level != static_cast<int>(i) + 1)
                ld.fail(loader::child(iptr, "level"), "rules.level_order", {{"level", std::to_string(i + 1)}});
            l.name_zh = ld.string(*lo, "name_zh", iptr).value_or("");
            if (const auto* st = lo->if_contains("start")) load_authority(*st, loader::child(iptr, "start"), ld, p, l.start);
            rs->levels.push_back(std::move(l));
        }
        if (levels->empty()) ld.fail(lptr, "rules.no_response_level", {});
    }
    if (const auto* rules = ld.array(*o, "rules", ptr)) {
        const std::string rptr = loader::child(ptr, "rules");
        for (std::size_t i = 0; i < rules->size(); ++i) {
            const std::string iptr = loader::child(rptr, i);
            const auto* ro = ld.object((*rules)[i], iptr, {"clause", "text", "reading", "set", "raise", "lower", "when"},
                                       {"clause", "text", "when"});
            if (!ro) continue;
            decision_rule r;
            r.clause = ld.string(*ro, "clause", iptr).value_or("");
            r.text = ld.string(*ro, "text", iptr).value_or("");
            ld.reading(*ro, iptr, r.reading, r.reading_zh);
            int effects = 0;
            const auto max = static_cast<std::int64_t>(std::max<std::size_t>(rs->levels.size(), 1));
            if (auto x = ld.integer(*ro, "set", iptr, false, 1, max)) {
                r.action = decision_rule::effect::set;
                r.level = static_cast<int>(*x);
                ++effects;
            }
            if (auto x = ld.integer(*ro, "raise", iptr, false, 1, max)) {
                r.action = decision_rule::effect::raise;
                r.level = static_cast<int>(*x);
                ++effects;
            }
            if (auto x = ld.integer(*ro, "lower", iptr, false, 1, max)) {
                r.action = decision_rule::effect::lower;
                r.level = static_cast<int>(*x);
                ++effects;
            }
            if (effects != 1) ld.fail(iptr, "rules.one_effect", {});
            r.when = load_when(*ro, iptr, ld, p);
            rs->rules.push_back(std::move(r));
        }
    }
    p.responses = std::move(rs);
}

}  // namespace detail
}  // namespace v0
}  // namespace vigil
