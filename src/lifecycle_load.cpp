// Loading the plan section "lifecycle": states, checklists and the transition table.
#include "detail/actors.hpp"
#include "detail/loader.hpp"

#include <vigil/lifecycle.hpp>
#include <vigil/obligations.hpp>
#include <vigil/response.hpp>

#include <algorithm>
#include <set>

namespace vigil {
inline namespace v0 {
namespace detail {

namespace {

constexpr std::string_view guard_kinds[] = {"level_in", "colour_in", "current_in", "level_vs_current", "warning_active",
                                            "warning_in", "grade_in", "checklist", "payload_has"};
constexpr std::string_view action_names[] = {"set_grade", "set_warning", "clear_warning", "set_response",
                                             "clear_response", "record_report"};

bool good_name(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

template <class Range>
std::string join_range(const Range& r) {
    std::string s;
    for (const auto& n : r) s += (s.empty() ? "" : ", ") + std::string(n);
    return s;
}

void load_guard(std::string_view kind, const json::value& v, const std::string& ptr, loader& ld, const plan& p,
                const lifecycle_table& t, guard& g) {
    g.kind = std::string(kind);
    if (std::find(std::begin(guard_kinds), std::end(guard_kinds), kind) == std::end(guard_kinds)) {
        ld.fail(ptr, "lc.unknown_guard", {{"guard", g.kind}, {"known", join_range(guard_kinds)}});
        return;
    }
    auto list_of = [&](auto check) {
        const auto* a = v.if_array();
        if (!a || a->empty()) {
            ld.fail(ptr, "lc.empty_array", {});
            return;
        }
        for (std::size_t i = 0; i < a->size(); ++i) {
            auto s = check((*a)[i], loader::child(ptr, i));
            if (s) g.args.push_back(*s);
        }
    };
    auto level = [&](const json::value& x, const std::string& xp) -> std::optional<std::string> {
        const int n = x.is_int64() ? static_cast<int>(x.get_int64()) : 0;
        if (!p.responses) {
            ld.fail(xp, "lc.needs_responses_levels", {});
            return std::nullopt;
        }
        if (!x.is_int64() || !p.responses->find(n)) {
            ld.fail(xp, "lc.expected_level", {{"max", std::to_string(p.responses->levels.size())}});
            return std::nullopt;
        }
        return std::to_string(n);
    };
    if (kind == "level_in" || kind == "current_in") {
        list_of(level);
    } else if (kind == "colour_in" || kind == "warning_in") {
        list_of([&](const json::value& x, const std::string& xp) -> std::optional<std::string> {
            const auto* s = x.if_string();
            auto c = s ? parse_warning_colour(std::string_view(s->data(), s->size())) : std::nullopt;
            if (!c || *c == warning_colour::none || !p.warnings || !p.warnings->find(*c)) {
                ld.fail(xp, "lc.expected_colour", {});
                return std::nullopt;
            }
            return std::string(*s);
        });
    } else if (kind == "grade_in") {
        list_of([&](const json::value& x, const std::string& xp) -> std::optional<std::string> {
            const auto* s = x.if_string();
            if (!s || !parse_grade(std::string_view(s->data(), s->size()))) {
                ld.fail(xp, "lc.expected_grade", {});
                return std::nullopt;
            }
            return std::string(*s);
        });
    } else if (kind == "payload_has") {
        list_of([&](const json::value& x, const std::string& xp) -> std::optional<std::string> {
            const auto* s = x.if_string();
            if (!s || s->empty()) {
                ld.fail(xp, "lc.expected_field", {});
                return std::nullopt;
            }
            return std::string(*s);
        });
    } else if (kind == "level_vs_current") {
        const auto* s = v.if_string();
        if (!s || (*s != "higher" && *s != "lower")) ld.fail(ptr, "lc.higher_lower", {});
        else g.args.emplace_back(*s);
    } else if (kind == "warning_active") {
        if (!v.is_bool()) ld.fail(ptr, "lc.expected_bool", {});
        else g.args.emplace_back(v.get_bool() ? "true" : "false");
    } else if (kind == "checklist") {
        const auto* s = v.if_string();
        if (!s || !t.find_checklist(std::string_view(s->data(), s->size())))
            ld.fail(ptr, "lc.expected_checklist", {});
        else g.args.emplace_back(*s);
    }
}

}  // namespace

void load_lifecycle(const json::value& v, loader& ld, plan& p) {
    const std::string ptr = "/lifecycle";
    const auto* o = ld.object(v, ptr, {"clause", "initial", "states", "checklists", "transitions"},
                              {"clause", "initial", "states", "transitions"});
    if (!o) return;
    auto t = std::make_shared<lifecycle_table>();
    t->clause = ld.string(*o, "clause", ptr).value_or("");
    if (!p.org) ld.fail(ptr, "lc.needs_org", {});

    // states
    if (const auto* states = ld.array(*o, "states", ptr)) {
        const std::string sptr = loader::child(ptr, "states");
        for (std::size_t i = 0; i < states->size(); ++i) {
            const std::string iptr = loader::child(sptr, i);
            const auto* so = ld.object((*states)[i], iptr, {"id", "name_zh", "clause", "final"}, {"id", "name_zh"});
            if (!so) continue;
            state_def s;
            s.id = ld.string(*so, "id", iptr).value_or("");
            if (!good_name(s.id)) ld.fail(loader::child(iptr, "id"), "lc.bad_name", {});
            else if (t->find_state(s.id)) ld.fail(loader::child(iptr, "id"), "lc.duplicate_state", {{"state", s.id}});
            s.name_zh = ld.string(*so, "name_zh", iptr).value_or("");
            s.clause = ld.string(*so, "clause", iptr, false).value_or("");
            s.final = ld.boolean(*so, "final", iptr, false).value_or(false);
            t->states.push_back(std::move(s));
        }
        if (states->empty()) ld.fail(sptr, "lc.no_state", {});
    }
    t->initial = ld.string(*o, "initial", ptr).value_or("");
    if (!t->initial.empty() && !t->find_state(t->initial))
        ld.fail(loader::child(ptr, "initial"), "lc.unknown_state", {{"state", t->initial}});

    // checklists
    if (const auto* cls = ld.array(*o, "checklists", ptr, false)) {
        const std::string cptr = loader::child(ptr, "checklists");
        for (std::size_t i = 0; i < cls->size(); ++i) {
            const std::string iptr = loader::child(cptr, i);
            const auto* co = ld.object((*cls)[i], iptr, {"id", "clause", "items"}, {"id", "clause", "items"});
            if (!co) continue;
            checklist c;
            c.id = ld.string(*co, "id", iptr).value_or("");
            if (!good_name(c.id)) ld.fail(loader::child(iptr, "id"), "lc.bad_name", {});
            c.clause = ld.string(*co, "clause", iptr).value_or("");
            if (const auto* items = ld.array(*co, "items", iptr)) {
                const std::string itp = loader::child(iptr, "items");
                if (items->empty()) ld.fail(itp, "lc.no_item", {});
                std::set<std::string> seen;
                for (std::size_t k = 0; k < items->size(); ++k) {
                    const std::string kp = loader::child(itp, k);
                    const auto* io = ld.object((*items)[k], kp, {"id", "text"}, {"id", "text"});
                    if (!io) continue;
                    checklist_item it{ld.string(*io, "id", kp).value_or(""), ld.string(*io, "text", kp).value_or("")};
                    if (!good_name(it.id) || !seen.insert(it.id).second)
                        ld.fail(loader::child(kp, "id"), "lc.bad_item_id", {});
                    c.items.push_back(std::move(it));
                }
            }
            t->checklists.push_back(std::move(c));
        }
    }

    // transitions
    if (const auto* rows = ld.array(*o, "transitions", ptr)) {
        const std::string rptr = loader::child(ptr, "transitions");
        if (rows->empty()) ld.fail(rptr, "lc.no_transition", {});
        for (std::size_t i = 0; i < rows->size(); ++i) {
            const std::string iptr = loader::child(rptr, i);
            const auto* ro = ld.object((*rows)[i], iptr,
                                       {"from", "event", "guards", "actions", "to", "by", "endorsements", "report", "clause", "text", "reading"},
                                       {"from", "event", "by", "clause"});
            if (!ro) continue;
            transition r;
            r.index = i;
            // from: a state, "*", or an array of states
            if (const auto* f = ro->if_contains("from")) {
                const std::string fp = loader::child(iptr, "from");
                auto add = [&](const json::value& x, const std::string& xp) {
                    const auto* s = x.if_string();
                    if (!s) {
                        ld.fail(xp, "lc.expected_state", {});
                        return;
                    }
                    std::string id(*s);
                    if (id != "*" && !t->find_state(id)) ld.fail(xp, "lc.unknown_state", {{"state", id}});
                    r.from.push_back(id);
                };
                if (const auto* fa = f->if_array()) {
                    if (fa->empty()) ld.fail(fp, "lc.no_state", {});
                    for (std::size_t k = 0; k < fa->size(); ++k) add((*fa)[k], loader::child(fp, k));
                } else {
                    add(*f, fp);
                }
            }
            r.event = ld.string(*ro, "event", iptr).value_or("");
            if (!good_name(r.event)) ld.fail(loader::child(iptr, "event"), "lc.bad_name", {});
            if (r.event == open_event) ld.fail(loader::child(iptr, "event"), "lc.open_row", {});
            if (const auto* g = ro->if_contains("guards")) {
                const std::string gp = loader::child(iptr, "guards");
                if (const auto* go = ld.object(*g, gp, {"level_in", "colour_in", "current_in", "level_vs_current", "warning_active",
                                                         "warning_in", "grade_in", "checklist", "payload_has"})) {
                    for (const auto& kv : *go) {
                        guard gd;
                        load_guard(kv.key(), kv.value(), loader::child(gp, kv.key()), ld, p, *t, gd);
                        r.guards.push_back(std::move(gd));
                    }
                }
            }
            if (const auto* a = ld.array(*ro, "actions", iptr, false)) {
                for (std::size_t k = 0; k < a->size(); ++k) {
                    const auto* s = (*a)[k].if_string();
                    if (!s || std::find(std::begin(action_names), std::end(action_names), std::string_view(*s)) == std::end(action_names))
                        ld.fail(loader::child(loader::child(iptr, "actions"), k), "lc.expected_action", {{"known", join_range(action_names)}});
                    else r.actions.emplace_back(*s);
                }
            }
            for (const auto& act : r.actions) {
                if ((act == "set_warning" || act == "clear_warning") && !p.warnings)
                    ld.fail(loader::child(iptr, "actions"), "lc.action_needs_warnings", {{"action", act}});
                if ((act == "set_response" || act == "clear_response") && !p.responses)
                    ld.fail(loader::child(iptr, "actions"), "lc.action_needs_responses", {{"action", act}});
            }
            if (auto to = ld.string(*ro, "to", iptr, false)) {
                r.to = *to;
                if (!t->find_state(r.to)) ld.fail(loader::child(iptr, "to"), "lc.unknown_state", {{"state", r.to}});
            }
            if (p.org) r.by = parse_actor_patterns(*ro, "by", iptr, ld, p, true);
            if (const auto* es = ld.array(*ro, "endorsements", iptr, false)) {
                const std::string ep = loader::child(iptr, "endorsements");
                for (std::size_t k = 0; k < es->size(); ++k) {
                    const std::string kp = loader::child(ep, k);
                    const auto* eo = ld.object((*es)[k], kp, {"as", "any"}, {"as", "any"});
                    if (!eo) continue;
                    endorsement_rule er;
                    er.as = ld.string(*eo, "as", kp).value_or("");
                    if (!good_name(er.as)) ld.fail(loader::child(kp, "as"), "lc.bad_as", {});
                    if (p.org) er.any = parse_actor_patterns(*eo, "any", kp, ld, p, true);
                    r.endorsements.push_back(std::move(er));
                }
            }
            if (const auto* rv = ro->if_contains("report")) {
                const std::string rp = loader::child(iptr, "report");
                if (std::find(r.actions.begin(), r.actions.end(), "record_report") == r.actions.end())
                    ld.fail(rp, "lc.report_without_action", {});
                if (const auto* rep = ld.object(*rv, rp, {"to", "channel", "obligation"})) {
                    report_default d;
                    d.to = strings(*rep, "to", rp, ld);
                    for (std::size_t k = 0; k < d.to.size(); ++k)
                        if (!p.obligations || !p.obligations->find_party(d.to[k]))
                            ld.fail(loader::child(loader::child(rp, "to"), k), "lc.unknown_party", {{"party", d.to[k]}});
                    d.channel = ld.one_of(*rep, "channel", rp, {"phone", "written", "online"}, false).value_or("");
                    d.obligation = ld.string(*rep, "obligation", rp, false).value_or("");
                    if (!d.obligation.empty() && (!p.obligations || !p.obligations->find(d.obligation)))
                        ld.fail(loader::child(rp, "obligation"), "lc.unknown_obligation", {{"obligation", d.obligation}});
                    r.report = std::move(d);
                }
            }
            r.clause = ld.string(*ro, "clause", iptr).value_or("");
            r.text = ld.string(*ro, "text", iptr, false).value_or("");
            ld.reading(*ro, iptr, r.reading, r.reading_zh);
            if (std::find(t->events.begin(), t->events.end(), r.event) == t->events.end()) t->events.push_back(r.event);
            t->rows.push_back(std::move(r));
        }
    }
    p.lifecycle = std::move(t);
}

}  // namespace detail
}  // namespace v0
}  // namespace vigil
