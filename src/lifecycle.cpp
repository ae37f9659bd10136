// The incident state machine over the plan's transition table (pure: its binding to the event log,
// incident_log, is the edge's: src/edge/incident_log.cpp).
#include <vigil/lifecycle.hpp>
#include <vigil/notation.hpp>
#include <vigil/detail/json_check.hpp>
#include <vigil/time.hpp>

#include <vigil/detail/answer_json.hpp>
#include "detail/obligations.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace vigil {
inline namespace v0 {

namespace json = boost::json;

// ------------------------------------------------------------------------------------ the table

namespace {
std::string braces(const std::vector<std::string>& v) {
    std::string s = "{";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
    return s + "}";
}

// A colour the payload or the plan names, in Chinese ("red" → 红色; another word as it is).
std::string colour_zh(const std::string& c) {
    auto k = parse_warning_colour(c);
    return k ? std::string(colour_text(*k, language::zh)) : c;
}

// "{red, orange}" in Chinese: "{红色, 橙色}".
std::string colours_zh(const std::vector<std::string>& v) {
    std::vector<std::string> w;
    for (const auto& c : v) w.push_back(colour_zh(c));
    return braces(w);
}

}  // namespace

std::string guard::to_string() const { return guard_text(*this, language::en); }

bool transition::leaves(std::string_view state) const {
    for (const auto& f : from)
        if (f == state || f == "*") return true;
    return false;
}

std::string transition::to_string() const { return transition_text(*this, language::en); }

const state_def* lifecycle_table::find_state(std::string_view id) const noexcept {
    for (const auto& s : states)
        if (s.id == id) return &s;
    return nullptr;
}

const checklist* lifecycle_table::find_checklist(std::string_view id) const noexcept {
    for (const auto& c : checklists)
        if (c.id == id) return &c;
    return nullptr;
}

// ------------------------------------------------------------------------------------ the machine

namespace {

error refused(std::vector<diagnostic> d) { return error{errc::refused, std::move(d)}; }

// What an accepted record means for the reporting duties: the timeline reader's typed events for
// it, each named by its record ("record 3", "record 1/payload/occurred_at").
result<std::vector<timeline_event>> means_of(const plan& p, const log_entry& e, const json::value& payload, std::uint64_t seq,
                                             bool response_active) {
    const json::value rec = json::object{{"time", e.time}, {"actor", json::object{{"unit", e.actor.unit}, {"role", e.actor.role}}},
                                         {"event", e.event}, {"payload", payload}};
    auto m = detail::event_meaning(p, rec, response_active, "");  // the payload as parsed once, not its text
    if (!m) return m.error();
    const std::string name = seq ? "record " + std::to_string(seq) : "<event>";
    for (auto& x : *m) x.pointer = name + x.pointer;
    return m;
}

diagnostic diag(std::string ptr, std::string_view id, message_args args) { return diagnostic::of("<event>", 0, 0, std::move(ptr), id, std::move(args)); }

const json::value* member(const json::object& o, std::string_view k) { return o.if_contains(k); }

std::optional<int> payload_int(const json::object& o, std::string_view k) {
    const auto* v = member(o, k);
    if (v && v->is_int64()) return static_cast<int>(v->get_int64());
    if (v && v->is_uint64() && v->get_uint64() < 100) return static_cast<int>(v->get_uint64());
    return std::nullopt;
}

std::optional<std::string> payload_string(const json::object& o, std::string_view k) {
    const auto* v = member(o, k);
    if (v && v->is_string() && !v->get_string().empty()) return std::string(v->get_string());
    return std::nullopt;
}

bool in(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// Guards that read only the incident (not the payload): used for allowed_next().
bool state_guard(const guard& g) {
    return g.kind == "current_in" || g.kind == "warning_active" || g.kind == "warning_in" || g.kind == "grade_in";
}

// Why a row does not fire: a catalogue message (vigil/messages.hpp) and its arguments; empty when
// nothing stands in the way.
struct reason {
    std::string id;
    message_args args;
    bool empty() const noexcept { return id.empty(); }
};

// Why the guard fails (empty when it holds).
reason check_guard(const plan& p, const guard& g, const incident& s, const json::object& payload) {
    if (g.kind == "level_in" || g.kind == "level_vs_current") {
        auto lv = payload_int(payload, "level");
        if (!lv) return {"lifecycle.no_level", {}};
        if (g.kind == "level_in" && !in(g.args, std::to_string(*lv)))
            return {"lifecycle.level_not_in", {{"level", std::to_string(*lv)}, {"set", braces(g.args)}}};
        if (g.kind == "level_vs_current") {
            if (s.response == 0) return {"lifecycle.no_response", {}};
            if (g.args[0] == "higher" && !(*lv < s.response))
                return {"lifecycle.level_not_higher", {{"level", std::to_string(*lv)}, {"current", std::to_string(s.response)}}};
            if (g.args[0] == "lower" && !(*lv > s.response))
                return {"lifecycle.level_not_lower", {{"level", std::to_string(*lv)}, {"current", std::to_string(s.response)}}};
        }
        return {};
    }
    if (g.kind == "colour_in") {
        auto c = payload_string(payload, "colour");
        if (!c) return {"lifecycle.no_colour", {}};
        if (!in(g.args, *c))
            return {"lifecycle.colour_not_in", {{"colour", *c}, {"colour@zh", colour_zh(*c)}, {"set", braces(g.args)}, {"set@zh", colours_zh(g.args)}}};
        return {};
    }
    if (g.kind == "current_in") {
        if (!in(g.args, std::to_string(s.response)))
            return {"lifecycle.current_not_in",
                    {{"current", s.response ? std::to_string(s.response) : std::string("none")},
                     {"current@zh", s.response ? std::to_string(s.response) : std::string("无")},
                     {"set", braces(g.args)}}};
        return {};
    }
    if (g.kind == "warning_active") {
        bool want = g.args[0] == "true";
        bool have = s.warning != warning_colour::none;
        if (want != have)
            return want ? reason{"lifecycle.no_warning", {}}
                        : reason{"lifecycle.warning_in_force", {{"colour", "colour." + std::string(to_string(s.warning))}}};
        return {};
    }
    if (g.kind == "warning_in") {
        if (!in(g.args, std::string(to_string(s.warning))))
            return {"lifecycle.warning_not_in",
                    {{"colour", "colour." + std::string(to_string(s.warning))}, {"set", braces(g.args)}, {"set@zh", colours_zh(g.args)}}};
        return {};
    }
    if (g.kind == "grade_in") {
        if (!in(g.args, std::string(to_string(s.grade))))
            return {"lifecycle.grade_not_in",
                    {{"grade", std::string(to_string(s.grade))}, {"grade@zh", grade_word(s.grade, language::zh)}, {"set", braces(g.args)}}};
        return {};
    }
    if (g.kind == "payload_has") {
        std::string missing;
        for (const auto& f : g.args)
            if (!payload_string(payload, f)) missing += (missing.empty() ? "" : ", ") + f;
        if (!missing.empty()) return {"lifecycle.payload_lacks", {{"missing", missing}}};
        return {};
    }
    if (g.kind == "checklist") {
        const auto* cl = p.lifecycle->find_checklist(g.args[0]);
        const auto* v = member(payload, "checklist");
        const json::object* co = v ? v->if_object() : nullptr;
        std::string missing;
        for (const auto& it : cl->items) {
            const json::value* iv = co ? co->if_contains(it.id) : nullptr;
            const json::object* io = iv ? iv->if_object() : nullptr;
            const json::value* met = io ? io->if_contains("met") : nullptr;
            const json::value* ev = io ? io->if_contains("evidence") : nullptr;
            bool ok = met && met->is_bool() && met->get_bool() && ev && ev->is_string() && !ev->get_string().empty();
            if (!ok) missing += (missing.empty() ? "" : "; ") + it.id + " (" + it.text + ")";
        }
        if (!missing.empty()) return {"lifecycle.checklist_incomplete", {{"checklist", cl->id}, {"checklist_clause", cl->clause}, {"missing", missing}}};
        return {};
    }
    return {"lifecycle.unknown_guard", {{"guard", g.kind}}};
}

// Payload needs of the actions (empty when met).
reason check_actions(const plan& p, const transition& r, const json::object& payload) {
    for (const auto& a : r.actions) {
        if (a == "set_grade") {
            auto g = payload_string(payload, "grade");
            if (!g || !parse_grade(*g)) return {"lifecycle.set_grade_needs", {}};
        } else if (a == "set_warning") {
            auto c = payload_string(payload, "colour");
            auto col = c ? parse_warning_colour(*c) : std::nullopt;
            if (!col || *col == warning_colour::none || !p.warnings->find(*col)) return {"lifecycle.set_warning_needs", {}};
        } else if (a == "set_response") {
            auto lv = payload_int(payload, "level");
            if (!lv || !p.responses->find(*lv)) return {"lifecycle.set_response_needs", {}};
        } else if (a == "record_report") {
            // A report actually made: what the payload says of it must be well formed.
            if (const auto* to = member(payload, "to")) {
                bool ok = to->is_string() && !to->as_string().empty();
                if (const auto* arr = to->if_array()) {
                    ok = !arr->empty();
                    for (const auto& x : *arr) ok = ok && x.is_string() && !x.as_string().empty();
                }
                if (!ok) return {"lifecycle.report_to", {}};
            }
            if (const auto* c = member(payload, "channel")) {
                const auto* cs = c->if_string();
                if (!cs || (*cs != "phone" && *cs != "written" && *cs != "online"))
                    return {"lifecycle.report_channel", {}};
            }
            for (const char* k : {"obligation", "from"})
                if (const auto* v = member(payload, k); v && !v->is_string())
                    return {"lifecycle.report_string", {{"field", k}}};
        }
    }
    return {};
}

// The payload's endorsements, typed: each entry with a capacity ("as") and a document ("ref");
// an entry without them endorses nothing and is not kept.
std::vector<endorsement> endorsements_of(const json::object& payload) {
    std::vector<endorsement> out;
    const auto* v = member(payload, "endorsements");
    const json::array* arr = v ? v->if_array() : nullptr;
    for (std::size_t i = 0; arr && i < arr->size(); ++i) {
        const auto* eo = (*arr)[i].if_object();
        if (!eo) continue;
        auto as = payload_string(*eo, "as");
        auto ref = payload_string(*eo, "ref");
        if (!as || !ref) continue;
        out.push_back(endorsement{*as, actor{payload_string(*eo, "unit").value_or(""), payload_string(*eo, "role").value_or("")}, *ref});
    }
    return out;
}

// The documents the row asks for (payload_has), as the payload names them.
std::vector<document_ref> references_of(const transition& r, const json::object& payload) {
    std::vector<document_ref> out;
    for (const auto& g : r.guards)
        if (g.kind == "payload_has")
            for (const auto& f : g.args)
                if (auto v = payload_string(payload, f)) out.push_back(document_ref{f, *v});
    return out;
}

reason check_endorsements(const transition& r, const std::vector<endorsement>& given) {
    std::string missing, missing_zh;
    for (const auto& need : r.endorsements) {
        bool found = false;
        for (const auto& g : given) {
            if (g.as != need.as) continue;
            for (const auto& pat : need.any) found = found || pat.matches(g.by);
        }
        if (!found) {
            missing += (missing.empty() ? "" : "; ") + need.as + " by " + to_string(need.any);
            missing_zh += (missing_zh.empty() ? "" : "；") + actors_text(need.any, language::zh) + "的" + need.as;
        }
    }
    if (!missing.empty()) return {"lifecycle.missing_endorsement", {{"missing", missing}, {"missing@zh", missing_zh}}};
    return {};
}

}  // namespace

result<incident> start(const plan& p, const log_entry& opening) {
    if (!p.lifecycle) return error{errc::invalid_input, "lifecycle.no_section", {{"plan", p.info.id}}};
    std::vector<diagnostic> bad;
    if (opening.event != open_event) bad.push_back(diag("/event", "lifecycle.first_not_open", {}));
    boost::system::error_code ec;
    json::value v = json::parse(opening.payload.empty() ? std::string_view("{}") : std::string_view(opening.payload), ec);
    const json::object* o = ec ? nullptr : v.if_object();
    if (!o) bad.push_back(diag("/payload", "lifecycle.event_payload", {}));
    auto plan_id = o ? payload_string(*o, "plan") : std::nullopt;
    if (o && plan_id != p.info.id)
        bad.push_back(diag("/payload/plan", "lifecycle.other_plan", {{"logged", plan_id.value_or("")}, {"plan", p.info.id}}));
    if (auto h = o ? payload_string(*o, "plan_sha256") : std::nullopt; h && *h != p.sha256)
        bad.push_back(diag("/payload/plan_sha256", "lifecycle.other_plan_sha", {{"plan", p.info.id}, {"logged", *h}, {"given", p.sha256}}));
    const auto opened = parse_instant(opening.time);
    if (!opened) bad.push_back(diag("/time", "lifecycle.open_bad_time", {{"found", opening.time}}));
    // "occurred_at" (事发), and any "<event>_at": an event known before the log was opened
    // (discovered_at: 发现), each an instant not after the opening.
    std::string occurred;
    if (o)
        for (const auto& kv : *o) {
            const std::string_view k = kv.key();
            if (k.size() <= 3 || k.substr(k.size() - 3) != "_at") continue;
            const bool occ = k == "occurred_at";
            message_args args{{"event", std::string(k.substr(0, k.size() - 3))}};
            const auto* os = kv.value().if_string();
            auto at = os ? parse_instant(std::string_view(os->data(), os->size())) : result<instant>(error{errc::invalid_input, ""});
            if (!at) {
                args.push_back({"what", occ ? "lifecycle.what_occurred" : "lifecycle.what_event"});
                bad.push_back(diag("/payload/" + std::string(k), "lifecycle.known_bad_time", std::move(args)));
            } else if (opened && *at > *opened) {
                args.push_back({"when", occ ? "lifecycle.at_occurred" : "lifecycle.at_event"});
                args.push_back({"at", std::string(os->data(), os->size())});
                args.push_back({"opened", opening.time});
                bad.push_back(diag("/payload/" + std::string(k), "lifecycle.known_after_open", std::move(args)));
            } else if (occ) {
                occurred = std::string(os->data(), os->size());
            }
        }
    if (!bad.empty()) return error{errc::invalid_input, std::move(bad)};
    incident s;
    s.plan_id = p.info.id;
    s.plan_version = o ? payload_string(*o, "plan_version").value_or("") : "";
    s.id = o ? payload_string(*o, "incident").value_or("") : "";
    if (!occurred.empty()) s.occurred_at = parse_instant(occurred).value();
    s.state = p.lifecycle->initial;
    auto means = means_of(p, opening, v, 1, false);
    if (!means) return means.error();
    s.history.push_back(history_item{1, *opened, opening.actor, std::string(open_event), "", s.state, p.lifecycle->clause,
                                     json::serialize(v), std::move(*means), endorsements_of(*o), {}});
    return s;
}

result<incident> apply(const plan& p, const incident& s, const log_entry& e, std::uint64_t seq) {
    if (!p.lifecycle) return error{errc::invalid_input, "lifecycle.no_section", {{"plan", p.info.id}}};
    const auto& t = *p.lifecycle;
    // The event itself.
    std::vector<diagnostic> bad;
    auto when = parse_instant(e.time);
    if (!when) bad.push_back(diag("/time", "lifecycle.event_bad_time", {{"found", e.time}}));
    boost::system::error_code ec;
    json::value pv = json::parse(e.payload.empty() ? std::string_view("{}") : std::string_view(e.payload), ec);
    if (ec || !pv.is_object()) bad.push_back(diag("/payload", "lifecycle.event_payload", {}));
    if (e.event.empty()) bad.push_back(diag("/event", "lifecycle.event_no_name", {}));
    if (!bad.empty()) return error{errc::invalid_input, std::move(bad)};
    const json::object& payload = pv.get_object();
    const auto given = endorsements_of(payload);

    // The refusal's head and one reason, from the catalogue.
    const auto refusal = [&](std::string ptr, std::string_view why, message_args args) {
        args.insert(args.begin(), {{"event", e.event}, {"actor", to_string(e.actor)}, {"state", s.state}, {"why", std::string(why)}});
        return refused({diag(std::move(ptr), "lifecycle.refused_because", std::move(args))});
    };
    // Time runs forward.
    if (!s.history.empty()) {
        const instant last = s.history.back().at;
        if (*when < last) return refusal("/time", "lifecycle.before_last", {{"time", e.time}, {"last", format_local(last)}});
    }
    if (t.find_state(s.state) && t.find_state(s.state)->final) return refusal("/event", "lifecycle.final_state", {});
    if (!p.org || !p.org->knows(e.actor))
        return refusal("/actor", "lifecycle.not_a_unit", {{"clause", p.org ? p.org->clause : std::string("none")}});
    std::vector<const transition*> candidates;
    for (const auto& r : t.rows)
        if (r.event == e.event && r.leaves(s.state)) candidates.push_back(&r);
    if (candidates.empty()) {
        std::vector<std::string> events_here;
        for (const auto& r : t.rows)
            if (r.leaves(s.state) && !in(events_here, r.event)) events_here.push_back(r.event);
        std::string here;
        for (const auto& ev : events_here) here += (here.empty() ? "" : ", ") + ev;
        bool known = in(t.events, e.event);
        return refusal("/event", known ? "lifecycle.no_transition" : "lifecycle.unknown_event",
                       {{"allowed", here.empty() ? "lifecycle.allowed_none" : "lifecycle.allowed_list"}, {"here", here}});
    }
    std::vector<diagnostic> why;
    why.push_back(diag("/event", "lifecycle.refused", {{"event", e.event}, {"actor", to_string(e.actor)}, {"state", s.state}}));
    for (const auto* r : candidates) {
        reason fail;
        std::string ptr = "/payload";
        for (const auto& g : r->guards) {
            fail = check_guard(p, g, s, payload);
            if (!fail.empty()) {
                fail.args.push_back({"guard", g.to_string()});
                fail.args.push_back({"guard@zh", guard_text(g, language::zh)});
                fail.args.push_back({"guard_why", std::move(fail.id)});
                fail.id = "lifecycle.guard_failed";
                break;
            }
        }
        if (fail.empty()) fail = check_actions(p, *r, payload);
        if (fail.empty()) {
            bool ok = false;
            for (const auto& pat : r->by) ok = ok || pat.matches(e.actor);
            if (!ok) {
                std::vector<std::string> units;  // joined when the message is rendered, in its language
                for (const auto& pat : r->by) units.push_back(to_string(pat));
                fail = {"lifecycle.authority", {{"who", to_string(e.actor)}, {"by", list_argument(units)}}};
                ptr = "/actor";
            }
        }
        if (fail.empty()) {
            fail = check_endorsements(*r, given);
            if (!fail.empty()) ptr = "/payload/endorsements";
        }
        if (!fail.empty()) {
            message_args args{{"row", std::to_string(r->index)}, {"clause", r->clause}, {"rule", r->to_string()},
                              {"rule@zh", transition_text(*r, language::zh, &p)}, {"reason", fail.id}};
            for (auto& a : fail.args) args.push_back(std::move(a));
            why.push_back(diag(ptr, "lifecycle.row_refused", std::move(args)));
            continue;
        }
        // Fire.
        incident n = s;
        for (const auto& a : r->actions) {
            if (a == "set_grade") n.grade = *parse_grade(*payload_string(payload, "grade"));
            else if (a == "set_warning") n.warning = *parse_warning_colour(*payload_string(payload, "colour"));
            else if (a == "clear_warning") n.warning = warning_colour::none;
            else if (a == "set_response") n.response = *payload_int(payload, "level");
            else if (a == "clear_response") n.response = 0;
        }
        if (!r->to.empty()) n.state = r->to;
        auto means = means_of(p, e, pv, seq, s.response != 0);
        if (!means) return means.error();
        n.history.push_back(history_item{seq, *when, e.actor, e.event, s.state, n.state, r->clause, json::serialize(pv), std::move(*means),
                                         given, references_of(*r, payload)});
        return n;
    }
    return refused(std::move(why));
}

result<incident> replay(const plan& p, const std::vector<log_record>& records) {
    if (records.empty()) return error{errc::invalid_input, "lifecycle.no_records", {}};
    auto s = start(p, records.front().entry);
    if (!s) return s;
    for (std::size_t i = 1; i < records.size(); ++i) {
        auto n = apply(p, *s, records[i].entry, records[i].seq);
        if (!n) {
            auto e = n.error();
            e.diagnostics.insert(e.diagnostics.begin(),
                                 diagnostic::of("", 0, 0, "", "lifecycle.no_replay",
                                                {{"seq", std::to_string(records[i].seq)}, {"plan", p.info.id}, {"version", p.info.version}}));
            return e;
        }
        s = std::move(n);
    }
    return s;
}

std::vector<allowed_event> allowed_next(const plan& p, const incident& s) {
    std::vector<allowed_event> out;
    if (!p.lifecycle) return out;
    if (const auto* st = p.lifecycle->find_state(s.state); st && st->final) return out;
    const json::object none;
    for (const auto& r : p.lifecycle->rows) {
        if (!r.leaves(s.state)) continue;
        bool ok = true;
        allowed_event a;
        for (const auto& g : r.guards) {
            if (state_guard(g)) ok = ok && check_guard(p, g, s, none).empty();
            else {
                a.conditions.push_back(g.to_string());
                a.guards.push_back(g);
            }
        }
        if (!ok) continue;
        a.event = r.event;
        a.to = r.to.empty() ? s.state : r.to;
        a.by = r.by;
        a.endorsements = r.endorsements;
        a.clause = r.clause;
        a.row = r.to_string();
        out.push_back(std::move(a));
    }
    return out;
}


std::string to_json(const plan& p, const incident& s) {
    std::string out;
    detail::answer_json::incident_state(out, p, s);  // the one JSON of an incident's state (docs/json.md)
    return out;
}

std::string to_text(const plan& p, const incident& s) { return to_text(p, s, language::en); }

std::string to_text(const plan& p, const incident& s, language lang) {
    const bool zh = lang == language::zh;
    // the labels, padded to one column (a Chinese character takes two)
    auto label = [zh](std::string_view en, std::string_view cn) { return std::string(zh ? cn : en); };
    // who may: "a or b" / "a或b"
    auto who = [lang](const std::vector<actor_pattern>& any) { return actors_text(any, lang); };
    std::string out;
    const auto* st = p.lifecycle ? p.lifecycle->find_state(s.state) : nullptr;
    out += label("incident  ", "事件      ") + s.id + label(" (plan ", "（预案 ") + s.plan_id +
           (s.plan_version.empty() ? "" : " v" + s.plan_version) + label(")", "）") + "\n";
    if (s.occurred_at) out += label("occurred  ", "发生时间  ") + format_local(*s.occurred_at) + "\n";
    out += label("state     ", "状态      ") + s.state + (st && !st->name_zh.empty() ? " " + st->name_zh : "") + "\n";
    out += label("grade     ", "级别      ") + (zh && s.grade == grade::none ? std::string("无") : std::string(to_string(s.grade)));
    if (s.grade != grade::none) out += " " + p.grade_names_zh[static_cast<int>(s.grade)];
    out += "\n" + label("warning   ", "预警      ") +
           (zh && s.warning == warning_colour::none ? std::string("无") : std::string(to_string(s.warning)));
    if (p.warnings)
        if (const auto* l = p.warnings->find(s.warning)) out += " " + l->name_zh;
    out += "\n" + label("response  ", "响应      ") + (s.response ? std::to_string(s.response) : label("none", "无"));
    if (p.responses)
        if (const auto* l = p.responses->find(s.response)) out += " " + l->name_zh;
    out += "\n\n" + label("history", "经过") + "\n";
    for (const auto& it : s.history) {
        out += "  " + std::to_string(it.seq) + "  " + format_local(it.at) + "  " + it.event + label("  by ", "  由 ") + to_string(it.actor) +
               "  " + (it.from.empty() ? "" : it.from + " -> ") + it.to + "  (" + it.clause + ")\n";
    }
    auto next = allowed_next(p, s);
    out += "\n" + label("allowed next", "下一步可发生的事件") + "\n";
    if (next.empty()) out += label("  (none: the incident is closed)\n", "  （无：事件已结束）\n");
    for (const auto& a : next) {
        out += "  " + a.event + " -> " + a.to;
        if (!a.guards.empty()) {
            out += "  [";
            for (std::size_t i = 0; i < a.guards.size(); ++i) out += (i ? label("; ", "；") : "") + guard_text(a.guards[i], lang);
            out += "]";
        }
        out += label("  by ", "  由 ") + who(a.by);
        for (const auto& e : a.endorsements) out += label("; ", "；") + e.as + label(": ", "：") + who(e.any);
        out += "  (" + a.clause + ")\n";
    }
    return out;
}

result<log_entry> parse_event(std::string_view text, std::string_view source) {
    const std::string src(source);
    if (text.size() > (1u << 20)) return error{errc::too_large, {diagnostic::of(src, 0, 0, "", "event.too_large")}};
    text = detail::skip_bom(text);
    boost::system::error_code ec;
    json::parse_options opt;
    opt.max_depth = 32;
    json::value v = json::parse(text, ec, {}, opt);
    if (ec) return error{errc::parse_error, {diagnostic::of(src, 0, 0, "", "json.malformed", detail::json_error_args(ec))}};
    if (auto issue = detail::check_json(text)) {
        auto args = issue->args;
        args.push_back({"issue", issue->id});
        args.push_back({"offset", std::to_string(issue->offset)});
        return error{errc::parse_error, {diagnostic::of(src, 0, 0, "", "json.issue_at_byte", std::move(args))}};
    }
    std::vector<diagnostic> bad;
    auto fail = [&](std::string ptr, std::string_view id, message_args args = {}) {
        bad.push_back(diagnostic::of(src, 0, 0, std::move(ptr), id, std::move(args)));
    };
    const auto* o = v.if_object();
    if (!o) return error{errc::invalid_input, {diagnostic::of(src, 0, 0, "/", "event.expected_object")}};
    log_entry e;
    for (const auto& kv : *o)
        if (kv.key() != "event" && kv.key() != "time" && kv.key() != "actor" && kv.key() != "payload")
            fail("/" + std::string(kv.key()), "event.unknown_field");
    auto str = [&](const json::object& obj, std::string_view k, const std::string& ptr, bool required) -> std::string {
        const auto* x = obj.if_contains(k);
        if (!x) {
            if (required) fail(ptr, "timeline.missing_string", {{"field", std::string(k)}});
            return {};
        }
        if (!x->is_string()) {
            fail(ptr + "/" + std::string(k), "event.expected_string");
            return {};
        }
        return std::string(x->get_string());
    };
    e.event = str(*o, "event", "", true);
    e.time = str(*o, "time", "", true);
    if (const auto* a = o->if_contains("actor")) {
        if (const auto* ao = a->if_object()) {
            e.actor.unit = str(*ao, "unit", "/actor", true);
            e.actor.role = str(*ao, "role", "/actor", false);
            for (const auto& kv : *ao)
                if (kv.key() != "unit" && kv.key() != "role") fail("/actor/" + std::string(kv.key()), "event.unknown_actor_field");
        } else {
            fail("/actor", "event.bad_actor");
        }
    } else {
        fail("", "event.missing_actor");
    }
    if (const auto* pl = o->if_contains("payload")) {
        if (!pl->is_object()) fail("/payload", "event.payload_not_object");
        else e.payload = json::serialize(*pl);
    } else {
        e.payload = "{}";
    }
    if (!e.time.empty() && !parse_instant(e.time)) fail("/time", "event.bad_time", {{"found", e.time}});
    if (!bad.empty()) return error{errc::invalid_input, std::move(bad)};
    return e;
}

// ------------------------------------------------------------------------------------ the history

timeline history(const incident& s) {
    timeline t;
    t.incident = s.id;
    t.source = "<incident " + s.id + ">";
    for (const auto& h : s.history)
        for (const auto& e : h.means) t.events.push_back(e);
    return t;
}

result<std::vector<obligation_due>> compute_deadlines(const plan& p, const incident& s, const calendar& cal,
                                                      const deadline_options& opt) {
    return compute_deadlines(p, history(s), cal, opt);
}

result<std::vector<audit_entry>> audit(const plan& p, const incident& s, const calendar& cal, instant as_of) {
    return audit(p, history(s), cal, as_of);
}

}  // namespace v0
}  // namespace vigil
