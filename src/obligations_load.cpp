// The plan's "obligations" section: parties, events, flags, grade floors, obligations, templates.
#include "detail/loader.hpp"

#include <vigil/obligations.hpp>

#include <vigil/organisation.hpp>
#include <vigil/response.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace vigil {
inline namespace v0 {

namespace {
constexpr std::string_view builtin_events[] = {"occurred",         "report_received", "grade_reached",
                                               "flag_set",         "flag_cleared",    "response_started",
                                               "response_changed", "response_ended",  "report_sent"};
// Built-in events that may start a clock.
constexpr std::string_view builtin_anchors[] = {"occurred", "report_received", "response_started", "response_ended"};
}  // namespace

std::vector<std::string_view> builtin_event_names() { return {std::begin(builtin_events), std::end(builtin_events)}; }

const party* obligation_rules::find_party(std::string_view id) const noexcept {
    for (const auto& p : parties)
        if (p.id == id) return &p;
    return nullptr;
}
const party* obligation_rules::party_of_unit(std::string_view unit) const noexcept {
    if (unit.empty()) return nullptr;
    for (const auto& p : parties)
        if (p.unit == unit) return &p;
    return nullptr;
}
const obligation* obligation_rules::find(std::string_view id) const noexcept {
    for (const auto& o : items)
        if (o.id == id) return &o;
    return nullptr;
}
const report_template* obligation_rules::find_template(std::string_view id) const noexcept {
    for (const auto& t : templates)
        if (t.id == id) return &t;
    return nullptr;
}
const log_event_alias* obligation_rules::find_alias(std::string_view event) const noexcept {
    for (const auto& a : log_events)
        if (a.event == event) return &a;
    return nullptr;
}
bool obligation_rules::knows_event(std::string_view name) const noexcept {
    if (std::find(std::begin(builtin_events), std::end(builtin_events), name) != std::end(builtin_events)) return true;
    for (const auto& e : events)
        if (e.name == name) return true;
    return false;
}

namespace detail {

namespace {

bool good_id(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.'))
            return false;
    return true;
}

std::optional<std::string> ident(loader& ld, const json::object& o, std::string_view key, const std::string& ptr,
                                 bool required = true) {
    auto s = ld.string(o, key, ptr, required);
    if (s && !good_id(*s)) {
        ld.fail(loader::child(ptr, key), "obl.bad_ident", {{"found", *s}});
        return std::nullopt;
    }
    return s;
}

// {"minutes": N} | {"hours": N} | {"days": N} | {"working_days": N} | {"years": N}
bool load_amount(const json::value& v, const std::string& ptr, loader& ld, time_unit& unit, std::int64_t& amount) {
    const auto* o = ld.object(v, ptr, {"minutes", "hours", "days", "working_days", "years", "calendar_days", "months"});
    if (!o) return false;
    if (o->size() != 1) {
        ld.fail(ptr, "obl.one_unit", {});
        return false;
    }
    const auto& key = o->begin()->key();
    static constexpr std::pair<std::string_view, time_unit> units[] = {{"minutes", time_unit::minutes},
                                                                       {"hours", time_unit::hours},
                                                                       {"days", time_unit::days},
                                                                       {"working_days", time_unit::working_days},
                                                                       {"years", time_unit::years},
                                                                       {"calendar_days", time_unit::calendar_days},
                                                                       {"months", time_unit::months}};
    for (const auto& [name, u] : units)
        if (key == name) unit = u;
    auto n = ld.integer(*o, key, ptr, true, 1, 100000);
    if (!n) return false;
    amount = *n;
    return true;
}

std::vector<std::string> id_list(loader& ld, const json::object& o, std::string_view key, const std::string& ptr,
                                 bool required) {
    std::vector<std::string> out;
    const auto* a = ld.array(o, key, ptr, required);
    if (!a) return out;
    const std::string aptr = loader::child(ptr, key);
    for (std::size_t i = 0; i < a->size(); ++i) {
        const auto* s = (*a)[i].if_string();
        if (!s) {
            ld.fail(loader::child(aptr, i), "plan.expected_string", {{"found", std::string(loader::kind_id((*a)[i]))}});
            continue;
        }
        out.emplace_back(s->data(), s->size());
    }
    return out;
}

std::optional<grade> grade_of(loader& ld, const json::object& o, std::string_view key, const std::string& ptr) {
    auto s = ld.one_of(o, key, ptr, {"I", "II", "III", "IV"}, false);
    if (!s) return std::nullopt;
    return parse_grade(*s);
}

void load_condition(const json::value& v, const std::string& ptr, loader& ld, obligation_condition& c) {
    const auto* o = ld.object(v, ptr, {"grade", "flags", "response_active", "warning_in", "at"});
    if (!o) return;
    if (o->empty()) ld.fail(ptr, "obl.empty_when", {});
    if (const auto* g = o->if_contains("grade")) {
        const std::string gptr = loader::child(ptr, "grade");
        if (const auto* go = ld.object(*g, gptr, {"ge", "le", "eq"})) {
            c.grade_bound = true;
            if (go->empty()) ld.fail(gptr, "obl.no_grade_bound", {});
            auto ge = grade_of(ld, *go, "ge", gptr), le = grade_of(ld, *go, "le", gptr), eq = grade_of(ld, *go, "eq", gptr);
            if (eq && (ge || le)) ld.fail(gptr, "obl.eq_combined", {});
            c.grade_min = eq ? *eq : ge.value_or(grade::none);  // only "le": ungraded counts as below
            c.grade_max = eq ? *eq : le.value_or(grade::I);
            if (c.grade_min > c.grade_max) ld.fail(gptr, "rules.no_grade_between", {});
        }
    }
    if (o->contains("flags")) c.flags = id_list(ld, *o, "flags", ptr, false);
    c.response_active = ld.boolean(*o, "response_active", ptr, false).value_or(false);
    if (o->contains("response_active") && !c.response_active)
        ld.fail(loader::child(ptr, "response_active"), "obl.only_true", {});
    // The colours are checked against the plan's warning levels once those are loaded
    // (check_warning_conditions).
    if (const auto* w = ld.array(*o, "warning_in", ptr, false)) {
        const std::string wptr = loader::child(ptr, "warning_in");
        if (w->empty()) ld.fail(wptr, "obl.no_colour", {});
        for (std::size_t k = 0; k < w->size(); ++k) {
            const auto* s = (*w)[k].if_string();
            auto col = s ? parse_warning_colour(std::string_view(s->data(), s->size())) : std::nullopt;
            if (!col || *col == warning_colour::none) ld.fail(loader::child(wptr, k), "obl.expected_colour", {});
            else if (std::find(c.warning_in.begin(), c.warning_in.end(), *col) != c.warning_in.end())
                ld.fail(loader::child(wptr, k), "obl.colour_twice", {{"colour", std::string(to_string(*col))}});
            else c.warning_in.push_back(*col);
        }
    }
    c.at_anchor = ld.one_of(*o, "at", ptr, {"anchor", "ever"}, false).value_or("ever") == "anchor";
}

void load_template(const json::value& v, const std::string& ptr, loader& ld, report_template& t) {
    const auto* o = ld.object(v, ptr, {"id", "clause", "title", "fields", "body", "note"},
                              {"id", "clause", "title", "fields", "body"});
    if (!o) return;
    t.id = ident(ld, *o, "id", ptr).value_or("");
    t.clause = ld.string(*o, "clause", ptr).value_or("");
    t.title = ld.string(*o, "title", ptr).value_or("");
    t.body = ld.string(*o, "body", ptr).value_or("");
    t.note = ld.string(*o, "note", ptr, false).value_or("");
    const std::string fptr = loader::child(ptr, "fields");
    std::set<std::string> ids;
    if (const auto* a = ld.array(*o, "fields", ptr)) {
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string iptr = loader::child(fptr, i);
            const auto* fo = ld.object((*a)[i], iptr, {"id", "zh", "type"}, {"id", "zh", "type"});
            if (!fo) continue;
            report_field f;
            f.id = ident(ld, *fo, "id", iptr).value_or("");
            f.zh = ld.string(*fo, "zh", iptr).value_or("");
            f.type = ld.one_of(*fo, "type", iptr, {"text", "time", "count"}).value_or("text");
            if (!f.id.empty() && !ids.insert(f.id).second) ld.fail(loader::child(iptr, "id"), "obl.duplicate_field", {{"field", f.id}});
            t.fields.push_back(std::move(f));
        }
    }
    // Every placeholder names a field; every field is used.
    std::set<std::string> used;
    const std::string bptr = loader::child(ptr, "body");
    for (std::size_t i = 0; i < t.body.size(); ++i) {
        if (t.body[i] != '{') continue;
        auto j = t.body.find('}', i);
        if (j == std::string::npos) {
            ld.fail(bptr, "obl.unclosed_brace", {});
            break;
        }
        std::string name = t.body.substr(i + 1, j - i - 1);
        if (!ids.count(name)) ld.fail(bptr, "obl.unknown_placeholder", {{"placeholder", "{" + name + "}"}});
        used.insert(name);
        i = j;
    }
    for (const auto& f : t.fields)
        if (!f.id.empty() && !used.count(f.id)) ld.fail(fptr, "obl.unused_field", {{"field", f.id}});
}

}  // namespace

void load_obligations(const json::value& v, loader& ld, plan& p) {
    const std::string ptr = "/obligations";
    const auto* o = ld.object(v, ptr, {"clause", "parties", "events", "flags", "grade_floors", "items", "templates", "log_events"},
                              {"parties", "items"});
    if (!o) return;
    auto r = std::make_shared<obligation_rules>();
    r->clause = ld.string(*o, "clause", ptr, false).value_or("");

    auto labelled = [&](std::string_view key, std::string_view id_key, auto add) {
        const auto* a = ld.array(*o, key, ptr, false);
        if (!a) return;
        const std::string aptr = loader::child(ptr, key);
        std::set<std::string> seen;
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string iptr = loader::child(aptr, i);
            const auto* io = ld.object((*a)[i], iptr, {id_key, "zh", "en"}, {id_key, "zh"});
            if (!io) continue;
            auto id = ident(ld, *io, id_key, iptr).value_or("");
            if (!id.empty() && !seen.insert(id).second) ld.fail(loader::child(iptr, id_key), "obl.duplicate", {{"id", id}});
            add(id, ld.string(*io, "zh", iptr).value_or(""), ld.string(*io, "en", iptr, false).value_or(""), iptr);
        }
    };
    // Parties: each is one unit of the organisation ("unit") or says it is not ("group": true).
    if (const auto* a = ld.array(*o, "parties", ptr, false)) {
        const std::string aptr = loader::child(ptr, "parties");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string iptr = loader::child(aptr, i);
            const auto* io = ld.object((*a)[i], iptr, {"id", "zh", "en", "unit", "group", "units", "reading"}, {"id", "zh"});
            if (!io) continue;
            party pt;
            pt.id = ident(ld, *io, "id", iptr).value_or("");
            if (!pt.id.empty() && !seen.insert(pt.id).second) ld.fail(loader::child(iptr, "id"), "obl.duplicate", {{"id", pt.id}});
            pt.zh = ld.string(*io, "zh", iptr).value_or("");
            pt.en = ld.string(*io, "en", iptr, false).value_or("");
            ld.reading(*io, iptr, pt.reading, pt.reading_zh);
            pt.unit = ld.string(*io, "unit", iptr, false).value_or("");
            const bool has_group = io->contains("group");
            pt.group = ld.boolean(*io, "group", iptr, false).value_or(false);
            if (has_group && io->at("group").is_bool() && !pt.group)
                ld.fail(loader::child(iptr, "group"), "obl.group_only_true", {});
            if (io->contains("unit") && has_group) {
                ld.fail(iptr, "obl.unit_and_group", {});
                pt.unit.clear();  // one problem is enough
            }
            else if (!io->contains("unit") && !has_group)
                ld.fail(iptr, "obl.unit_or_group", {});
            if (io->contains("units")) {
                pt.units = id_list(ld, *io, "units", iptr, false);
                if (!has_group) ld.fail(loader::child(iptr, "units"), "obl.units_without_group", {});
            }
            r->parties.push_back(std::move(pt));
        }
        // Every unit named must be a unit of the organisation (loaded before this section).
        std::map<std::string, std::string> unit_party;
        for (std::size_t i = 0; i < r->parties.size(); ++i) {
            const auto& pt = r->parties[i];
            const std::string iptr = loader::child(aptr, i);
            auto check = [&](const std::string& u, const std::string& uptr) {
                if (!p.org) ld.fail(uptr, "obl.unit_needs_org", {{"unit", u}});
                else if (!p.org->find(u)) ld.fail(uptr, "org.unknown_unit_of", {{"unit", u}});
            };
            if (!pt.unit.empty()) {
                check(pt.unit, loader::child(iptr, "unit"));
                if (auto [it, fresh] = unit_party.emplace(pt.unit, pt.id); !fresh)
                    ld.fail(loader::child(iptr, "unit"), "obl.unit_taken", {{"unit", pt.unit}, {"party", it->second}});
            }
            std::set<std::string> members;
            for (std::size_t k = 0; k < pt.units.size(); ++k) {
                const std::string kptr = loader::child(loader::child(iptr, "units"), k);
                check(pt.units[k], kptr);
                if (!members.insert(pt.units[k]).second) ld.fail(kptr, "org.duplicate_unit", {{"unit", pt.units[k]}});
            }
        }
    }
    labelled("events", "name", [&](std::string id, std::string zh, std::string en, const std::string& iptr) {
        if (std::find(std::begin(builtin_events), std::end(builtin_events), id) != std::end(builtin_events))
            ld.fail(loader::child(iptr, "name"), "obl.builtin_event", {{"event", id}});
        r->events.push_back(event_kind{std::move(id), std::move(zh), std::move(en)});
    });
    labelled("flags", "name", [&](std::string id, std::string zh, std::string en, const std::string&) {
        r->flags.push_back(flag_kind{std::move(id), std::move(zh), std::move(en)});
    });
    auto has_flag = [&](const std::string& f) {
        return std::any_of(r->flags.begin(), r->flags.end(), [&](const flag_kind& k) { return k.name == f; });
    };
    auto flag_names = [&] {
        std::string s;
        for (const auto& f : r->flags) s += (s.empty() ? "" : ", ") + f.name;
        return s.empty() ? std::string("(none declared)") : s;
    };

    if (const auto* a = ld.array(*o, "grade_floors", ptr, false)) {
        const std::string aptr = loader::child(ptr, "grade_floors");
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string iptr = loader::child(aptr, i);
            const auto* fo = ld.object((*a)[i], iptr, {"flag", "grade", "clause", "text", "reading"}, {"flag", "grade", "clause"});
            if (!fo) continue;
            grade_floor f;
            f.flag = ld.string(*fo, "flag", iptr).value_or("");
            if (!f.flag.empty() && !has_flag(f.flag))
                ld.fail(loader::child(iptr, "flag"), "obl.unknown_flag", {{"flag", f.flag}, {"known", flag_names()}});
            if (auto g = ld.one_of(*fo, "grade", iptr, {"I", "II", "III", "IV"})) f.grade = *parse_grade(*g);
            f.clause = ld.string(*fo, "clause", iptr).value_or("");
            f.text = ld.string(*fo, "text", iptr, false).value_or("");
            ld.reading(*fo, iptr, f.reading, f.reading_zh);
            r->floors.push_back(std::move(f));
        }
    }

    const std::string items_ptr = loader::child(ptr, "items");
    std::set<std::string> ids;
    if (const auto* a = ld.array(*o, "items", ptr)) {
        if (a->empty()) ld.fail(items_ptr, "obl.no_items", {});
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string iptr = loader::child(items_ptr, i);
            const auto* io = ld.object((*a)[i], iptr,
                                       {"id", "clause", "text", "summary", "from", "to", "channel", "anchor", "deadline",
                                        "when", "every", "until", "restart", "supersedes", "fulfilled_by", "reading",
                                        "standing"},
                                       {"id", "clause", "text", "summary", "from", "to", "channel"});
            if (!io) continue;
            obligation ob;
            ob.id = ident(ld, *io, "id", iptr).value_or("");
            if (!ob.id.empty() && !ids.insert(ob.id).second) ld.fail(loader::child(iptr, "id"), "obl.duplicate_id", {{"id", ob.id}});
            ob.clause = ld.string(*io, "clause", iptr).value_or("");
            ob.text = ld.string(*io, "text", iptr).value_or("");
            ob.summary = ld.string(*io, "summary", iptr).value_or("");
            ld.reading(*io, iptr, ob.reading, ob.reading_zh);
            for (std::string_view key : {"from", "to"}) {
                auto list = id_list(ld, *io, key, iptr, true);
                if (io->contains(key) && list.empty() && key == "to" && !io->contains("fulfilled_by"))
                    ld.fail(loader::child(iptr, key), "obl.no_recipient", {});
                for (std::size_t k = 0; k < list.size(); ++k)
                    if (!r->find_party(list[k]))
                        ld.fail(loader::child(loader::child(iptr, key), k), "obl.unknown_party_declare", {{"party", list[k]}});
                (key == "from" ? ob.from : ob.to) = std::move(list);
            }
            if (auto c = ld.one_of(*io, "channel", iptr, {"any", "phone", "written", "online"}))
                ob.channel = *c == "phone" ? channel::phone : *c == "written" ? channel::written : *c == "online" ? channel::online : channel::any;
            if (const auto* w = io->if_contains("when")) {
                ob.has_when = true;
                load_condition(*w, loader::child(iptr, "when"), ld, ob.when);
                for (std::size_t k = 0; k < ob.when.flags.size(); ++k)
                    if (!has_flag(ob.when.flags[k]))
                        ld.fail(loader::child(loader::child(loader::child(iptr, "when"), "flags"), k), "obl.unknown_flag",
                                {{"flag", ob.when.flags[k]}, {"known", flag_names()}});
            }
            if (const auto* sv = io->if_contains("standing")) {
                const std::string sptr = loader::child(iptr, "standing");
                if (const auto* so = ld.object(*sv, sptr, {"since", "every", "reading"}, {"since", "every"})) {
                    obligation::standing_rule st;
                    if (auto since = ld.string(*so, "since", sptr)) {
                        if (auto d = parse_date(*since)) st.since = *d;
                        else ld.fail(loader::child(sptr, "since"), "obl.expected_date", {{"found", *since}});
                    }
                    ld.reading(*so, sptr, st.reading, st.reading_zh);
                    if (so->contains("every") && load_amount(so->at("every"), loader::child(sptr, "every"), ld, st.unit, st.every)) {
                        if (st.every <= 0) ld.fail(loader::child(sptr, "every"), "obl.period_min", {});
                        else if (!st.since.is_special()) ob.standing = st;
                    }
                }
            }
            const bool recurring = io->contains("every");
            if (recurring) {
                std::pair<time_unit, std::int64_t> e{};
                if (load_amount(io->at("every"), loader::child(iptr, "every"), ld, e.first, e.second)) ob.every = e;
                if (io->contains("anchor")) ld.fail(loader::child(iptr, "anchor"), "obl.recurrence_anchor", {});
                if (io->contains("deadline")) ld.fail(loader::child(iptr, "deadline"), "obl.recurrence_deadline", {});
                if (!ob.has_when) ld.fail(iptr, "obl.recurrence_when", {});
                if (ob.has_when && ob.when.at_anchor) ld.fail(loader::child(loader::child(iptr, "when"), "at"), "obl.recurrence_at", {});
                ob.timing = timing::within;
                if (auto u = ld.string(*io, "until", iptr, false)) {
                    bool known = false;
                    for (auto b : builtin_event_names()) known = known || b == *u;
                    for (const auto& e : r->events) known = known || e.name == *u;
                    if (!known) ld.fail(loader::child(iptr, "until"), "obl.unknown_event", {{"event", *u}});
                    else ob.until = *u;
                }
            } else {
                if (io->contains("until")) ld.fail(loader::child(iptr, "until"), "obl.until_without_every", {});
                if (auto an = ld.string(*io, "anchor", iptr)) {
                    ob.anchor = *an;
                    bool ok = std::find(std::begin(builtin_anchors), std::end(builtin_anchors), ob.anchor) != std::end(builtin_anchors);
                    for (const auto& e : r->events) ok = ok || e.name == ob.anchor;
                    if (!ok) {
                        std::string list;
                        for (auto b : builtin_anchors) list += std::string(list.empty() ? "" : ", ") + std::string(b);
                        for (const auto& e : r->events) list += ", " + e.name;
                        ld.fail(loader::child(iptr, "anchor"), "obl.unknown_anchor", {{"event", ob.anchor}, {"known", list}});
                    }
                }
                if (const auto* d = io->if_contains("deadline")) {
                    const std::string dptr = loader::child(iptr, "deadline");
                    if (const auto* s = d->if_string()) {
                        std::string_view k(s->data(), s->size());
                        if (k == "immediately") ob.timing = timing::immediately;
                        else if (k == "promptly") ob.timing = timing::promptly;
                        else if (k == "real_time") ob.timing = timing::real_time;
                        else if (k == "at_any_time") ob.timing = timing::at_any_time;
                        else if (k == "unstated") ob.timing = timing::unstated;
                        else ld.fail(dptr, "obl.bad_deadline", {{"found", std::string(k)}});
                    } else {
                        ob.timing = timing::within;
                        load_amount(*d, dptr, ld, ob.unit, ob.amount);
                    }
                } else {
                    ld.fail(iptr, "obl.missing_deadline", {});
                }
            }
            if (auto rs = ld.one_of(*io, "restart", iptr, {"grade_reached"}, false)) {
                ob.restart_on_grade = true;
                if (recurring) ld.fail(loader::child(iptr, "restart"), "obl.recurrence_restart", {});
                if (!ob.has_when || !ob.when.grade_bound)
                    ld.fail(loader::child(iptr, "restart"), "obl.restart_needs_grade", {});
            }
            if (io->contains("supersedes")) {
                ob.supersedes = id_list(ld, *io, "supersedes", iptr, false);
                if (!ob.restart_on_grade) ld.fail(loader::child(iptr, "supersedes"), "obl.supersedes_without_restart", {});
            }
            if (auto f = ld.string(*io, "fulfilled_by", iptr, false)) {
                ob.fulfilled_by = *f;
                bool ok = false;
                for (const auto& e : r->events) ok = ok || e.name == *f;
                if (!ok) ld.fail(loader::child(iptr, "fulfilled_by"), "obl.unknown_event_declare", {{"event", *f}});
            }
            r->items.push_back(std::move(ob));
        }
        for (std::size_t i = 0; i < r->items.size(); ++i)
            for (std::size_t k = 0; k < r->items[i].supersedes.size(); ++k)
                if (!r->find(r->items[i].supersedes[k]))
                    ld.fail(loader::child(loader::child(loader::child(items_ptr, i), "supersedes"), k), "obl.unknown_id",
                            {{"id", r->items[i].supersedes[k]}});
    }

    if (const auto* a = ld.array(*o, "templates", ptr, false)) {
        const std::string aptr = loader::child(ptr, "templates");
        std::set<std::string> tids;
        for (std::size_t i = 0; i < a->size(); ++i) {
            report_template t;
            load_template((*a)[i], loader::child(aptr, i), ld, t);
            if (!t.id.empty() && !tids.insert(t.id).second)
                ld.fail(loader::child(loader::child(aptr, i), "id"), "obl.duplicate_template", {{"id", t.id}});
            r->templates.push_back(std::move(t));
        }
    }
    if (const auto* a = ld.array(*o, "log_events", ptr, false)) {
        const std::string aptr = loader::child(ptr, "log_events");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string iptr = loader::child(aptr, i);
            const auto* ao = ld.object((*a)[i], iptr, {"event", "as", "to", "channel", "obligation", "occurred", "reading"}, {"event", "as"});
            if (!ao) continue;
            log_event_alias al;
            al.event = ident(ld, *ao, "event", iptr).value_or("");
            if (!al.event.empty() && !seen.insert(al.event).second)
                ld.fail(loader::child(iptr, "event"), "obl.duplicate_alias", {{"event", al.event}});
            if (!al.event.empty() && r->knows_event(al.event))
                ld.fail(loader::child(iptr, "event"), "obl.alias_hides", {{"event", al.event}});
            al.as = ld.string(*ao, "as", iptr).value_or("");
            if (!al.as.empty() && al.as != "ignore" && !r->knows_event(al.as))
                ld.fail(loader::child(iptr, "as"), "obl.unknown_alias_target", {{"event", al.as}});
            const bool report = al.as == "report_sent";
            if (ao->contains("to")) {
                al.to = id_list(ld, *ao, "to", iptr, false);
                for (std::size_t k = 0; k < al.to.size(); ++k)
                    if (!r->find_party(al.to[k]))
                        ld.fail(loader::child(loader::child(iptr, "to"), k), "obl.unknown_party", {{"party", al.to[k]}});
            }
            if (auto c = ld.one_of(*ao, "channel", iptr, {"phone", "written", "online"}, false))
                al.channel = *c == "phone" ? channel::phone : *c == "written" ? channel::written : channel::online;
            al.obligation = ld.string(*ao, "obligation", iptr, false).value_or("");
            if (!al.obligation.empty() && !r->find(al.obligation))
                ld.fail(loader::child(iptr, "obligation"), "obl.unknown_id", {{"id", al.obligation}});
            if (!report && (ao->contains("to") || ao->contains("channel") || ao->contains("obligation")))
                ld.fail(iptr, "obl.report_fields", {});
            if (ao->contains("occurred")) {
                al.occurred = ident(ld, *ao, "occurred", iptr).value_or("");
                for (const auto& other : r->log_events)
                    if (!other.occurred.empty() && !al.occurred.empty())
                        ld.fail(loader::child(iptr, "occurred"), "obl.occurred_twice", {{"event", other.event}});
            }
            ld.reading(*ao, iptr, al.reading, al.reading_zh);
            r->log_events.push_back(std::move(al));
        }
    }
    p.obligations = std::move(r);
}

void check_warning_conditions(loader& ld, const plan& p) {
    if (!p.obligations) return;
    const auto& items = p.obligations->items;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& w = items[i].when.warning_in;
        for (std::size_t k = 0; k < w.size(); ++k)
            if (!p.warnings || !p.warnings->find(w[k]))
                ld.fail("/obligations/items/" + std::to_string(i) + "/when/warning_in/" + std::to_string(k), "obl.colour_not_level",
                        {{"colour", std::string(to_string(w[k]))}});
    }
}

}  // namespace detail
}  // namespace v0
}  // namespace vigil
