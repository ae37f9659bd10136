// Reporting obligations: timelines, due instants with their explanations, the audit, templates.
#include <vigil/obligations.hpp>

#include "detail/loader.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace vigil {
inline namespace v0 {

namespace json = boost::json;
namespace pt = boost::posix_time;
namespace gr = boost::gregorian;

// ------------------------------------------------------------------------------------ names

std::string_view to_string(channel c) noexcept {
    switch (c) {
    case channel::any: return "any";
    case channel::phone: return "phone";
    case channel::written: return "written";
    case channel::online: return "online";
    }
    return "?";
}

std::string_view to_string(timing t) noexcept {
    switch (t) {
    case timing::within: return "within";
    case timing::immediately: return "immediately";
    case timing::promptly: return "promptly";
    case timing::real_time: return "real_time";
    case timing::at_any_time: return "at_any_time";
    case timing::unstated: return "unstated";
    }
    return "?";
}

std::string_view to_string(time_unit u) noexcept {
    switch (u) {
    case time_unit::minutes: return "minutes";
    case time_unit::hours: return "hours";
    case time_unit::days: return "days";
    case time_unit::working_days: return "working_days";
    case time_unit::years: return "years";
    }
    return "?";
}

std::string_view to_string(audit_status s) noexcept {
    switch (s) {
    case audit_status::on_time: return "on_time";
    case audit_status::late: return "late";
    case audit_status::missing: return "missing";
    case audit_status::not_yet_due: return "not_yet_due";
    case audit_status::superseded: return "superseded";
    case audit_status::reported: return "reported";
    case audit_status::outstanding: return "outstanding";
    }
    return "?";
}

namespace {

std::string amount_text(time_unit u, std::int64_t n) {
    std::string unit;
    switch (u) {
    case time_unit::minutes: unit = n == 1 ? "minute" : "minutes"; break;
    case time_unit::hours: unit = n == 1 ? "hour" : "hours"; break;
    case time_unit::days: unit = n == 1 ? "day" : "days"; break;
    case time_unit::working_days: unit = n == 1 ? "working day" : "working days"; break;
    case time_unit::years: unit = n == 1 ? "year" : "years"; break;
    }
    return std::to_string(n) + " " + unit;
}

std::string timing_text(timing t) {
    switch (t) {
    case timing::within: return "within";
    case timing::immediately: return "immediately (立即)";
    case timing::promptly: return "promptly (及时)";
    case timing::real_time: return "in real time (实时)";
    case timing::at_any_time: return "at any time (随时)";
    case timing::unstated: return "no time stated";
    }
    return "?";
}

}  // namespace

std::string obligation_condition::to_string() const {
    std::string s;
    auto add = [&](std::string part) { s += (s.empty() ? "" : " and ") + std::move(part); };
    if (grade_bound) {
        auto name = [](grade g) { return std::string(vigil::to_string(g)); };
        if (grade_min == grade::none && grade_max == grade::I) add("any grade, or not yet graded");
        else if (grade_min == grade::none) add("grade " + name(grade_max) + " or lighter, or not yet graded");
        else if (grade_min == grade_max) add("grade " + name(grade_min));
        else if (grade_max == grade::I) add("grade " + name(grade_min) + " or graver");
        else {
            std::string list;
            for (int g = static_cast<int>(grade_max); g >= static_cast<int>(grade_min); --g)
                list += (list.empty() ? "" : g == static_cast<int>(grade_min) ? " or " : ", ") + name(static_cast<grade>(g));
            add("grade " + list);
        }
    }
    for (const auto& f : flags) add("flag " + f);
    if (response_active) add("a response is active");
    if (s.empty()) s = "always";
    return s;
}

std::string obligation::deadline_text() const {
    if (every) return "one report every " + amount_text(every->first, every->second);
    if (timing == timing::within) return amount_text(unit, amount);
    return timing_text(timing);
}

// ------------------------------------------------------------------------------------ timelines

namespace {


constexpr std::size_t max_timeline_bytes = 16u << 20;

std::string kind_of(const json::value& v) { return std::string(detail::loader::kind(v)); }

struct timeline_reader {
    std::string source;
    const obligation_rules* rules = nullptr;  // for log_events aliases
    std::vector<diagnostic> diags;
    int line = 0;  // for JSON Lines input

    void fail(const std::string& ptr, std::string msg) { diags.push_back(diagnostic{source, line, 0, ptr, std::move(msg)}); }

    std::optional<std::string> str(const json::object& o, std::string_view key, const std::string& ptr, bool required) {
        const auto* v = o.if_contains(key);
        if (!v) {
            if (required) fail(ptr, "missing required field \"" + std::string(key) + "\" (a string)");
            return std::nullopt;
        }
        if (!v->is_string()) {
            fail(ptr + "/" + std::string(key), "expected a string, found " + kind_of(*v));
            return std::nullopt;
        }
        return std::string(v->as_string());
    }

    // The occurrence time a lifecycle event carries in a payload field (the alias's `occurred`):
    // an "occurred" event at that time, put among the events read so far in time order.
    void occurrence(const json::object& raw, const json::object& merged, const log_event_alias& alias, const std::string& ptr,
                    std::string_view zone, instant at, timeline& t) {
        const auto* v = merged.if_contains(alias.occurred);
        if (!v) return;
        const std::string fptr = ptr + (raw.contains(alias.occurred) ? "/" : "/payload/") + alias.occurred;
        if (!v->is_string()) {
            fail(fptr, "expected when the incident occurred (ISO 8601 with an offset), found " + kind_of(*v));
            return;
        }
        auto when = parse_instant(std::string_view(v->as_string()), zone);
        if (!when) {
            fail(fptr, when.error().message());
            return;
        }
        if (*when > at) {
            fail(fptr, "the incident occurred at " + format_local(*when) + ", after the event that records it (" + format_local(at) + ")");
            return;
        }
        timeline_event o;
        o.name = "occurred";
        o.at = *when;
        o.pointer = fptr;
        auto pos = std::find_if(t.events.begin(), t.events.end(), [&](const timeline_event& x) { return x.at > o.at; });
        t.events.insert(pos, std::move(o));
    }

    // One event; `zone` is the timeline's default zone for times without an offset.
    void event(const json::value& v, const std::string& ptr, std::string_view zone, timeline& t) {
        const auto* o = v.if_object();
        if (!o) {
            fail(ptr, "expected an event object, found " + kind_of(v));
            return;
        }
        // A record of the event log is accepted as is: its payload's fields count as the event's.
        json::object merged = *o;
        if (const auto* p = o->if_contains("payload")) {
            if (!p->is_object()) {
                fail(ptr + "/payload", "expected an object, found " + kind_of(*p));
                return;
            }
            for (const auto& kv : p->as_object()) {
                if (o->contains(kv.key())) fail(ptr + "/payload/" + std::string(kv.key()), "field given twice (in the event and in its payload)");
                merged[kv.key()] = kv.value();
            }
            merged.erase("payload");
        }
        timeline_event e;
        e.pointer = ptr;
        auto name = str(merged, "event", ptr, true);
        auto time = str(merged, "time", ptr, true);
        if (!name || !time) return;
        e.name = *name;
        bool good = !e.name.empty() && e.name.size() <= 64;
        for (char c : e.name) good = good && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
        if (!good) {
            fail(ptr + "/event", "expected an event name (a-z, 0-9, _); found \"" + e.name + "\"");
            return;
        }
        auto at = parse_instant(*time, zone);
        if (!at) {
            fail(ptr + "/time", at.error().message());
            return;
        }
        e.at = *at;
        // An event of another vocabulary (the lifecycle's log) read through the plan's aliases.
        const log_event_alias* alias = rules ? rules->find_alias(e.name) : nullptr;
        if (alias && !alias->occurred.empty()) occurrence(*o, merged, *alias, ptr, zone, e.at, t);
        if (alias) {
            if (alias->as == "ignore") return;
            e.name = alias->as;
            if (t.incident.empty())
                if (const auto* inc = merged.if_contains("incident"); inc && inc->is_string()) t.incident = std::string(inc->as_string());
            if (e.name == "report_sent") {
                if (!merged.contains("to") && !alias->to.empty()) {
                    json::array to;
                    for (const auto& x : alias->to) to.emplace_back(x);
                    merged["to"] = std::move(to);
                }
                if (!merged.contains("channel") && alias->channel) merged["channel"] = std::string(to_string(*alias->channel));
                if (!merged.contains("obligation") && !alias->obligation.empty()) merged["obligation"] = alias->obligation;
            }
        }
        std::vector<std::string_view> allowed{"event", "time", "actor", "note", "seq", "prev", "hash", "from"};
        auto need = [&](std::string_view key) { allowed.push_back(key); };
        if (e.name == "grade_reached") {
            need("grade");
            need("provisional");
            if (auto g = str(merged, "grade", ptr, true)) {
                e.grade = parse_grade(*g);
                if (!e.grade) fail(ptr + "/grade", "expected a grade: I, II, III, IV or none; found \"" + *g + "\"");
            }
            if (const auto* p = merged.if_contains("provisional")) {
                if (!p->is_bool()) fail(ptr + "/provisional", "expected true or false, found " + kind_of(*p));
                else e.provisional = p->as_bool();
            }
        } else if (e.name == "flag_set" || e.name == "flag_cleared") {
            need("flag");
            e.flag = str(merged, "flag", ptr, true).value_or("");
        } else if (e.name == "response_started" || e.name == "response_changed") {
            need("level");
            const auto* l = merged.if_contains("level");
            if (!l) fail(ptr, "missing required field \"level\" (1 to 4)");
            else if (!l->is_int64() || l->as_int64() < 1 || l->as_int64() > 4)
                fail(ptr + "/level", "expected a response level from 1 to 4");
            else e.level = static_cast<int>(l->as_int64());
        } else if (e.name == "report_sent") {
            need("to");
            need("channel");
            need("obligation");
            const auto* to = merged.if_contains("to");
            if (!to && alias) {
                // A lifecycle report that names no recipient: kept, but it can answer no obligation.
            } else if (!to) fail(ptr, "missing required field \"to\" (a recipient, or an array of them)");
            else if (to->is_string()) e.to.emplace_back(to->as_string());
            else if (to->is_array() && !to->as_array().empty()) {
                for (std::size_t i = 0; i < to->as_array().size(); ++i) {
                    const auto& x = to->as_array()[i];
                    if (!x.is_string()) fail(ptr + "/to/" + std::to_string(i), "expected a string, found " + kind_of(x));
                    else e.to.emplace_back(x.as_string());
                }
            } else fail(ptr + "/to", "expected a recipient or a non-empty array of recipients");
            if (auto c = str(merged, "channel", ptr, !alias)) {
                if (*c == "phone") e.channel = channel::phone;
                else if (*c == "written") e.channel = channel::written;
                else if (*c == "online") e.channel = channel::online;
                else fail(ptr + "/channel", "expected phone, written or online; found \"" + *c + "\"");
            }
            e.obligation = str(merged, "obligation", ptr, false).value_or("");
        }
        for (const auto& kv : merged) {
            if (alias) break;  // the other fields of a lifecycle event are the lifecycle's business
            if (std::find(allowed.begin(), allowed.end(), std::string_view(kv.key())) == allowed.end()) {
                std::string list;
                for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
                fail(ptr + "/" + std::string(kv.key()),
                     "unknown field \"" + std::string(kv.key()) + "\" for event \"" + e.name + "\"; expected: " + list);
            }
        }
        if (!alias || (merged.contains("from") && merged.at("from").is_string())) e.from = str(merged, "from", ptr, false).value_or("");
        if (!alias || (merged.contains("note") && merged.at("note").is_string())) e.note = str(merged, "note", ptr, false).value_or("");
        if (const auto* a = merged.if_contains("actor")) {
            if (a->is_string()) e.by = std::string(a->as_string());
            else if (a->is_object() && a->as_object().contains("unit") && a->as_object().at("unit").is_string())
                e.by = std::string(a->as_object().at("unit").as_string());
            else fail(ptr + "/actor", "expected a string or an object {\"unit\", \"role\"}");
        }
        t.events.push_back(std::move(e));
    }
};

result<json::value> parse_json(std::string_view text, const std::string& src, int line_offset = 0) {
    json::parse_options opts;
    opts.max_depth = 32;
    json::stream_parser parser({}, opts);
    boost::system::error_code ec;
    std::size_t used = parser.write_some(text.data(), text.size(), ec);
    if (!ec) parser.finish(ec);
    if (ec) {
        auto [l, c] = detail::line_column(text, used);
        return error{errc::parse_error, {diagnostic{src, l + line_offset, c, "", "malformed JSON: " + ec.message()}}};
    }
    return parser.release();
}

// Checks of the built-in events' order and meaning.
void check_sequence(timeline_reader& rd, const timeline& t) {
    bool occurred = false, active = false;
    for (std::size_t i = 0; i < t.events.size(); ++i) {
        const auto& e = t.events[i];
        if (i > 0 && e.at < t.events[i - 1].at)
            rd.diags.push_back(diagnostic{rd.source, 0, 0, e.pointer + "/time",
                                          format_local(e.at) + " is before the previous event's time " +
                                              format_local(t.events[i - 1].at) + ": events must be in time order"});
        if (e.name == "occurred") {
            if (occurred) rd.diags.push_back(diagnostic{rd.source, 0, 0, e.pointer + "/event", "a second \"occurred\": an incident occurs once"});
            occurred = true;
        } else if (e.name == "response_started") {
            if (active) rd.diags.push_back(diagnostic{rd.source, 0, 0, e.pointer + "/event", "a response is already active: use response_changed"});
            active = true;
        } else if (e.name == "response_changed" || e.name == "response_ended") {
            if (!active) rd.diags.push_back(diagnostic{rd.source, 0, 0, e.pointer + "/event", "\"" + e.name + "\" but no response is active"});
            if (e.name == "response_ended") active = false;
        }
    }
}

}  // namespace

namespace {
result<timeline> parse_timeline_impl(std::string_view text, std::string_view source, const obligation_rules* rules) {
    timeline t;
    t.source = std::string(source);
    timeline_reader rd;
    rd.source = t.source;
    rd.rules = rules;
    if (text.size() > max_timeline_bytes)
        return error{errc::too_large, {diagnostic{t.source, 0, 0, "", "timeline is " + std::to_string(text.size()) +
                                                                       " bytes; at most " + std::to_string(max_timeline_bytes) + " are accepted"}}};
    std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return error{errc::invalid_input, {diagnostic{t.source, 0, 0, "", "empty timeline"}}};
    // A timeline document is one JSON object with "events"; anything else is read as JSON Lines
    // (one event per line, e.g. an incident's event log).
    auto whole = parse_json(text, t.source);
    if (whole && whole->is_object() && whole->as_object().contains("events")) {
        const auto& o = whole->as_object();
        std::string zone;
        for (const auto& kv : o) {
            std::string_view k = kv.key();
            if (k != "vigil_timeline" && k != "incident" && k != "time_zone" && k != "events" && k != "note" && k != "$schema")
                rd.fail("/" + std::string(k), "unknown field \"" + std::string(k) +
                                                  "\"; expected: vigil_timeline, incident, time_zone, events, note");
        }
        if (const auto* v = o.if_contains("vigil_timeline"); v && !(v->is_int64() && v->as_int64() == 1))
            rd.fail("/vigil_timeline", "expected 1 (the timeline format's version)");
        t.incident = rd.str(o, "incident", "", false).value_or("");
        if (auto z = rd.str(o, "time_zone", "", false)) {
            if (*z != local_time_zone && *z != "UTC")
                rd.fail("/time_zone", "unknown time zone \"" + *z + "\"; expected \"Asia/Shanghai\" (the plans' local time) or \"UTC\"");
            else zone = *z;
        }
        const auto& ev = o.at("events");
        if (!ev.is_array()) rd.fail("/events", "expected an array of events, found " + kind_of(ev));
        else
            for (std::size_t i = 0; i < ev.as_array().size(); ++i)
                rd.event(ev.as_array()[i], "/events/" + std::to_string(i), zone, t);
    } else {
        if (whole && whole->is_object() && !whole->as_object().contains("event"))
            return error{errc::invalid_input, {diagnostic{t.source, 1, 1, "", "expected a timeline object with \"events\", or JSON Lines of events"}}};
        std::size_t pos = 0;
        int line = 0;
        while (pos < text.size()) {
            std::size_t end = text.find('\n', pos);
            if (end == std::string_view::npos) end = text.size();
            std::string_view l = text.substr(pos, end - pos);
            pos = end + 1;
            ++line;
            if (l.find_first_not_of(" \t\r") == std::string_view::npos) continue;
            auto v = parse_json(l, t.source, line - 1);
            if (!v) return v.error();
            rd.line = line;
            const std::string ptr = "/events/" + std::to_string(t.events.size());
            rd.event(*v, ptr, "", t);
            // The events this line gave (none when ignored; two with an occurrence) are named by line.
            for (auto& x : t.events)
                if (x.pointer.compare(0, ptr.size(), ptr) == 0 && (x.pointer.size() == ptr.size() || x.pointer[ptr.size()] == '/'))
                    x.pointer = "line " + std::to_string(line) + x.pointer.substr(ptr.size());
        }
        rd.line = 0;
    }
    if (rd.diags.empty() && t.events.empty()) rd.fail("/events", "expected at least one event");
    check_sequence(rd, t);  // also when some events were bad: report every problem at once
    if (!rd.diags.empty()) return error{errc::invalid_input, std::move(rd.diags)};
    return t;
}

}  // namespace

result<timeline> parse_timeline(std::string_view text, std::string_view source) {
    return parse_timeline_impl(text, source, nullptr);
}

result<timeline> parse_timeline(std::string_view text, const plan& p, std::string_view source) {
    return parse_timeline_impl(text, source, p.obligations.get());
}

namespace {
result<std::string> read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return error{errc::io_error, {diagnostic{path, 0, 0, "", "cannot open the file for reading"}}};
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

result<timeline> load_timeline_file(const std::string& path) {
    auto text = read_text(path);
    if (!text) return text.error();
    return parse_timeline(*text, path);
}

result<timeline> load_timeline_file(const std::string& path, const plan& p) {
    auto text = read_text(path);
    if (!text) return text.error();
    return parse_timeline(*text, p, path);
}

// ------------------------------------------------------------------------------------ deadlines

namespace {

struct state {
    instant at;
    grade raw = grade::none;
    grade effective = grade::none;
    const grade_floor* floor = nullptr;  // the floor that raised the grade, if any
    std::set<std::string> flags;
    bool response = false;
    int level = 0;
};

struct context {
    const plan& p;
    const obligation_rules& r;
    const timeline& t;
    const calendar& cal;
    instant as_of;
    std::vector<state> states;  // states[i]: after event i

    state initial;  // before the first event

    const state& at(instant x) const {
        const state* s = &initial;
        for (const auto& st : states) {
            if (st.at > x) break;
            s = &st;
        }
        return *s;
    }
};

bool holds(const obligation_condition& c, const state& s) {
    if (c.grade_bound && (s.effective < c.grade_min || s.effective > c.grade_max)) return false;
    for (const auto& f : c.flags)
        if (!s.flags.count(f)) return false;
    if (c.response_active && !s.response) return false;
    return true;
}

std::string grade_label(const plan& p, grade g) {
    if (g == grade::none) return "not yet graded";
    std::string s(to_string(g));
    const auto& zh = p.grade_names_zh[static_cast<int>(g)];
    if (!zh.empty()) s += " " + zh;
    return s;
}

std::string event_label(const obligation_rules& r, const std::string& name) {
    for (const auto& e : r.events)
        if (e.name == name) return name + " (" + e.zh + ")";
    return name;
}

std::string local_short(instant t) { return format_local(t); }

std::string date_run(date a, date b) {
    if (a == b) return format_date(a);
    std::string sb = format_date(b);
    if (a.year() == b.year() && a.month() == b.month()) sb = sb.substr(8);
    else if (a.year() == b.year()) sb = sb.substr(5);
    return format_date(a) + "…" + sb;
}

// anchor + n units; `why` receives the arithmetic.
result<instant> add_time(const calendar& cal, instant anchor, time_unit u, std::int64_t n, std::string& why) {
    const std::string amount = "+" + amount_text(u, n);
    switch (u) {
    case time_unit::minutes:
    case time_unit::hours:
    case time_unit::days: {
        pt::time_duration d = u == time_unit::minutes ? pt::time_duration(pt::minutes(n))
                             : pt::time_duration(pt::hours(u == time_unit::hours ? n : 24 * n));
        instant due = anchor + d;
        why = amount + " from " + local_short(anchor) + " = " + local_short(due);
        return due;
    }
    case time_unit::years: {
        instant local = to_local(anchor);
        date d = local.date();
        date nd;
        try {
            nd = d + gr::years(static_cast<int>(n));
        } catch (const std::exception&) {
            return error{errc::out_of_range, "date out of range adding " + amount_text(u, n)};
        }
        instant due = from_local(instant(nd, local.time_of_day()));
        why = amount + " from " + local_short(anchor) + " = " + local_short(due);
        return due;
    }
    case time_unit::working_days: {
        // The anchor's own day is not counted; the deadline is the end (24:00 local) of the n-th
        // working day after it.
        date d = local_date(anchor);
        std::vector<std::string> skipped, counted;
        date run_start, run_end;
        bool in_run = false;
        std::string run_name;
        auto close_run = [&] {
            if (!in_run) return;
            skipped.push_back(date_run(run_start, run_end) + (run_name.empty() ? " (weekend)" : " (" + run_name + ")"));
            in_run = false;
        };
        std::int64_t left = n;
        while (left > 0) {
            d += gr::days(1);
            auto c = cal.day(d);
            if (!c) return c.error();
            if (c->working) {
                close_run();
                --left;
                if (c->kind == day_kind::workday)
                    counted.push_back(std::string(d.day_of_week().as_long_string()) + " " + format_date(d) + " (" +
                                      c->name + " make-up working day)");
            } else {
                std::string name = c->kind == day_kind::holiday ? c->name + " holiday" : "";
                if (in_run && name != run_name) close_run();
                if (!in_run) {
                    in_run = true;
                    run_start = d;
                    run_name = name;
                }
                run_end = d;
            }
        }
        instant due = local_midnight(d + gr::days(1));
        why = amount + " after " + format_date(local_date(anchor)) + " (that day not counted)";
        for (const auto& s : skipped) why += ", skipped " + s;
        for (const auto& s : counted) why += ", counted " + s;
        why += "; the " + std::to_string(n) + (n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th") + " working day is " +
               std::string(d.day_of_week().as_long_string()) + " " + format_date(d) + ": due by its end, " + local_short(due) +
               " (calendar: " + cal.source() + ")";
        return due;
    }
    }
    return error{errc::invalid_input, "unknown time unit"};
}

std::string head(const plan& p, const obligation& ob) {
    (void)p;
    std::string s = ob.clause + " [" + ob.id + "]: " + ob.summary + " — " + std::string(to_string(ob.channel)) + ", " +
                    ob.deadline_text();
    return s;
}

// A party named by its id, its Chinese name, or the organisation unit it is.
std::string resolve_party(const obligation_rules& r, const std::string& name) {
    for (const auto& p : r.parties)
        if (p.id == name || p.zh == name) return p.id;
    if (const auto* p = r.party_of_unit(name)) return p->id;
    return {};
}

// Whether a report counts as made by one of the obligation's reporters. A report that names its
// reporter (`from`) is held to it; one made by an actor whose unit some party is, or belongs to
// (a group's units), is held to those parties; otherwise who made it is not known and not held.
bool made_by_reporter(const obligation_rules& r, const obligation& ob, const timeline_event& e) {
    if (ob.from.empty()) return true;
    if (!e.from.empty()) return std::find(ob.from.begin(), ob.from.end(), resolve_party(r, e.from)) != ob.from.end();
    const std::string_view unit = std::string_view(e.by).substr(0, e.by.find('/'));  // "unit/role"
    if (unit.empty()) return true;
    bool linked = false;
    for (const auto& p : r.parties) {
        if (!p.covers(unit)) continue;
        linked = true;
        if (std::find(ob.from.begin(), ob.from.end(), p.id) != ob.from.end()) return true;
    }
    return !linked;
}

result<void> validate(const context& cx) {
    std::vector<diagnostic> d;
    const auto& r = cx.r;
    auto fail = [&](const timeline_event& e, const std::string& field, std::string msg) {
        d.push_back(diagnostic{cx.t.source, 0, 0, e.pointer + field, std::move(msg)});
    };
    for (const auto& e : cx.t.events) {
        if (!r.knows_event(e.name)) {
            std::string list;
            for (auto b : builtin_event_names()) list += (list.empty() ? "" : ", ") + std::string(b);
            for (const auto& k : r.events) list += ", " + k.name;
            fail(e, "/event", "unknown event \"" + e.name + "\" for plan " + cx.p.info.id + "; expected one of: " + list);
            continue;
        }
        if (!e.flag.empty()) {
            bool ok = false;
            std::string list;
            for (const auto& f : r.flags) ok = ok || f.name == e.flag, list += (list.empty() ? "" : ", ") + f.name;
            if (!ok) fail(e, "/flag", "unknown flag \"" + e.flag + "\" for plan " + cx.p.info.id + "; expected one of: " + (list.empty() ? "(none)" : list));
        }
        for (std::size_t i = 0; i < e.to.size(); ++i)
            if (resolve_party(r, e.to[i]).empty()) {
                std::string list;
                for (const auto& p : r.parties) list += (list.empty() ? "" : ", ") + p.id;
                fail(e, "/to" + (e.to.size() > 1 ? "/" + std::to_string(i) : std::string()),
                     "unknown recipient \"" + e.to[i] + "\" for plan " + cx.p.info.id + "; expected a party id or its Chinese name: " + list);
            }
        if (!e.from.empty() && e.name == "report_sent" && resolve_party(r, e.from).empty())
            fail(e, "/from", "unknown reporter \"" + e.from + "\" for plan " + cx.p.info.id + "; expected a party id or its Chinese name");
        if (!e.obligation.empty() && !r.find(e.obligation))
            fail(e, "/obligation", "unknown obligation \"" + e.obligation + "\" for plan " + cx.p.info.id);
        if (e.at > cx.as_of)
            fail(e, "/time", format_local(e.at) + " is after the time asked about (" + format_local(cx.as_of) +
                                 "): the timeline must not run ahead of --now");
    }
    if (!d.empty()) return error{errc::invalid_input, std::move(d)};
    return {};
}

void build_states(context& cx) {
    state s;
    for (const auto& e : cx.t.events) {
        s.at = e.at;
        if (e.name == "grade_reached") s.raw = *e.grade;
        else if (e.name == "flag_set") s.flags.insert(e.flag);
        else if (e.name == "flag_cleared") s.flags.erase(e.flag);
        else if (e.name == "response_started" || e.name == "response_changed") s.response = true, s.level = *e.level;
        else if (e.name == "response_ended") s.response = false, s.level = 0;
        s.effective = s.raw;
        s.floor = nullptr;
        for (const auto& f : cx.r.floors)
            if (s.flags.count(f.flag) && f.grade > s.effective) s.effective = f.grade, s.floor = &f;
        cx.states.push_back(s);
    }
}

std::string state_grade_text(const context& cx, const state& s) {
    std::string g = s.effective == grade::none ? grade_label(cx.p, s.effective) : "grade " + grade_label(cx.p, s.effective);
    if (s.floor) g += " (reported as " + std::string(to_string(s.floor->grade)) + " because of flag " + s.floor->flag + ", " + s.floor->clause + ")";
    return g;
}

result<void> instances_of(const context& cx, const obligation& ob, std::vector<obligation_due>& out) {
    const auto& r = cx.r;
    if (ob.every) {
        // Windows: maximal spans of the timeline in which `when` holds.
        std::vector<std::pair<instant, std::optional<instant>>> windows;
        bool open = false;
        for (const auto& s : cx.states) {
            bool h = holds(ob.when, s);
            if (h && !open) windows.push_back({s.at, std::nullopt}), open = true;
            else if (!h && open) windows.back().second = s.at, open = false;
        }
        int k = 0;
        for (const auto& [start, end] : windows) {
            instant period_start = start;
            for (int guard = 0; guard < 100000; ++guard) {
                std::string why;
                auto due = add_time(cx.cal, period_start, ob.every->first, ob.every->second, why);
                if (!due) return due.error();
                if (end && *due > *end) break;              // only complete periods inside the window
                if (!end && period_start > cx.as_of) break;  // open window: up to the period holding as_of
                obligation_due d;
                d.rule = &ob;
                d.occurrence = ++k;
                d.id = ob.id + "#" + std::to_string(k);
                d.anchor = "window";
                d.anchor_at = start;
                d.period_start = period_start;
                d.due = *due;
                d.explanation = head(cx.p, ob) + ". Runs while " + ob.when.to_string() + ": since " + local_short(start) +
                                (end ? ", until " + local_short(*end) : ", still running at " + local_short(cx.as_of)) +
                                ". Period " + std::to_string(k) + ": " + why + ".";
                out.push_back(std::move(d));
                period_start = *due;
            }
        }
        return {};
    }

    // Anchor events: the first "occurred" / "report_received", every other anchor event.
    std::vector<const timeline_event*> anchors;
    for (const auto& e : cx.t.events)
        if (e.name == ob.anchor) {
            anchors.push_back(&e);
            if (ob.anchor == "occurred" || ob.anchor == "report_received") break;
        }
    // Ever, up to as_of: the first instant `when` holds, and the grade state before it.
    const state* first_hold = nullptr;
    const state* before = nullptr;
    if (ob.has_when && !ob.when.at_anchor) {
        for (const auto& s : cx.states) {
            if (holds(ob.when, s)) {
                first_hold = &s;
                break;
            }
            if (s.effective != grade::none) before = &s;
        }
        if (!first_hold) return {};
    }
    int k = 0;
    for (const auto* a : anchors) {
        std::string cond;
        if (ob.has_when && ob.when.at_anchor) {
            const auto& s = cx.at(a->at);
            if (!holds(ob.when, s)) continue;
            cond = " Applies: " + ob.when.to_string() + " held at the anchor (" + state_grade_text(cx, s) + ").";
        } else if (first_hold) {
            cond = " Applies: " + ob.when.to_string() + " since " + local_short(first_hold->at) + " (" +
                   state_grade_text(cx, *first_hold) + ").";
        }
        obligation_due d;
        d.rule = &ob;
        d.occurrence = ++k;
        d.id = anchors.size() > 1 ? ob.id + "#" + std::to_string(k) : ob.id;
        d.anchor = ob.anchor;
        d.anchor_at = a->at;
        std::string clock = " Clock: " + event_label(r, ob.anchor) + " at " + local_short(a->at) + " (" + a->pointer + ").";
        if (ob.restart_on_grade && first_hold && before && first_hold->at > a->at) {
            d.restarted = true;
            d.anchor = "grade_reached";
            d.anchor_at = first_hold->at;
            clock = " Clock: restarted when the incident reached " + state_grade_text(cx, *first_hold) + " at " +
                    local_short(first_hold->at) + " (it had been grade " + grade_label(cx.p, before->effective) +
                    "); the first-report clock runs from reaching that grade, not from " + event_label(r, ob.anchor) +
                    " at " + local_short(a->at) + ".";
        } else if (ob.restart_on_grade && first_hold && first_hold->at > a->at) {
            clock += " The grade was first determined at " + local_short(first_hold->at) + "; no lower grade came before it, so the clock runs from " + event_label(r, ob.anchor) + ".";
        }
        std::string arith;
        if (ob.timing == timing::within) {
            auto due = add_time(cx.cal, *d.anchor_at, ob.unit, ob.amount, arith);
            if (!due) {
                auto e = due.error();
                for (auto& dg : e.diagnostics) dg.message = ob.clause + " [" + ob.id + "]: " + dg.message;
                return e;
            }
            d.due = *due;
            arith = " Due: " + arith + " (" + format_utc(*due) + ").";
        } else {
            arith = " Due: " + timing_text(ob.timing) + ", from " + local_short(*d.anchor_at) + ".";
        }
        d.explanation = head(cx.p, ob) + "." + cond + clock + arith;
        out.push_back(std::move(d));
    }
    return {};
}

// The instances, and (in `holder`) the context they were computed in: the audit reads it too.
result<std::vector<obligation_due>> compute(const plan& p, const timeline& t, const calendar& cal,
                                            const deadline_options& opt, std::unique_ptr<context>& holder) {
    if (!p.obligations)
        return error{errc::invalid_input, "plan " + p.info.id + " has no \"obligations\" section: it states no reporting deadlines"};
    if (t.events.empty()) return error{errc::invalid_input, {diagnostic{t.source, 0, 0, "/events", "the timeline has no events"}}};
    holder = std::make_unique<context>(context{p, *p.obligations, t, cal, opt.as_of.value_or(t.events.back().at), {}, {}});
    auto& cx = *holder;
    if (auto v = validate(cx); !v) return v.error();
    build_states(cx);
    std::vector<obligation_due> out;
    for (const auto& ob : cx.r.items)
        if (auto r = instances_of(cx, ob, out); !r) return r.error();
    // Restarted clocks supersede the instances they replace (kept, marked).
    for (const auto& x : out) {
        if (!x.restarted) continue;
        for (auto& y : out) {
            if (y.superseded || y.restarted || !y.anchor_at || *y.anchor_at >= *x.anchor_at) continue;
            if (std::find(x.rule->supersedes.begin(), x.rule->supersedes.end(), y.rule->id) == x.rule->supersedes.end()) continue;
            y.superseded = true;
            y.superseded_by = x.id;
            y.superseded_at = x.anchor_at;
            y.explanation += " Superseded at " + local_short(*x.anchor_at) + " by " + x.id + " (" + x.rule->clause +
                             "): the incident reached a graver grade and that clock restarted.";
            if (y.due && *y.due < *x.anchor_at) y.explanation += " It had fallen due before then (" + local_short(*y.due) + ").";
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const obligation_due& a, const obligation_due& b) {
        if (a.due.has_value() != b.due.has_value()) return a.due.has_value();
        if (a.due && *a.due != *b.due) return *a.due < *b.due;
        return a.anchor_at && b.anchor_at && *a.anchor_at < *b.anchor_at;
    });
    return out;
}

}  // namespace

result<std::vector<obligation_due>> compute_deadlines(const plan& p, const timeline& t, const calendar& cal,
                                                      const deadline_options& opt) {
    std::unique_ptr<context> holder;
    return compute(p, t, cal, opt, holder);
}

// ------------------------------------------------------------------------------------ audit

result<std::vector<audit_entry>> audit(const plan& p, const timeline& t, const calendar& cal, instant as_of) {
    std::unique_ptr<context> holder;
    auto dues = compute(p, t, cal, deadline_options{as_of}, holder);
    if (!dues) return dues.error();
    const context* cx = holder.get();
    std::vector<audit_entry> out;
    for (auto& d : *dues) {
        audit_entry a;
        const obligation& ob = *d.rule;
        const instant from = d.period_start.value_or(*d.anchor_at);
        // When each recipient was first reported to (or when the fulfilling event happened).
        std::optional<instant> last;
        if (!ob.fulfilled_by.empty()) {
            for (const auto& e : t.events)
                // The anchor event itself does not fulfil its own obligation (a drill is due 3 years
                // after the last drill: the next drill fulfils it).
                if (e.name == ob.fulfilled_by && (e.at > from || (e.at == from && ob.fulfilled_by != ob.anchor)) &&
                    (!d.period_start || e.at <= *d.due)) {
                    last = e.at;
                    a.reports.push_back(e.pointer);
                    break;
                }
            if (!last) a.missing_to.push_back(event_label(cx->r, ob.fulfilled_by));
        } else {
            for (const auto& rcpt : ob.to) {
                std::optional<instant> got;
                for (const auto& e : t.events) {
                    if (e.name != "report_sent" || e.at < from) continue;
                    if (d.period_start && e.at > *d.due) break;
                    if (!e.obligation.empty() && e.obligation != ob.id) continue;
                    if (ob.channel != channel::any && e.channel != ob.channel) continue;
                    // A report that says who made it (`from`, or its actor's unit) counts only when
                    // made by one of the reporters.
                    if (!made_by_reporter(cx->r, ob, e)) continue;
                    bool to = false;
                    for (const auto& x : e.to) to = to || resolve_party(cx->r, x) == rcpt;
                    if (!to) continue;
                    got = e.at;
                    if (std::find(a.reports.begin(), a.reports.end(), e.pointer) == a.reports.end()) a.reports.push_back(e.pointer);
                    break;
                }
                if (got) last = !last || *got > *last ? got : last;
                else a.missing_to.push_back(rcpt);
            }
        }
        const bool complete = a.missing_to.empty();
        std::string who;
        for (const auto& m : a.missing_to) {
            const auto* pty = cx->r.find_party(m);
            who += (who.empty() ? "" : ", ") + (pty ? pty->zh + " (" + m + ")" : m);
        }
        if (d.superseded) {
            a.status = audit_status::superseded;
            a.explanation = "superseded by " + d.superseded_by + " at " + local_short(*d.superseded_at);
            if (complete && last && d.due && *last > *d.due)
                a.explanation += "; it had been reported at " + local_short(*last) + ", late by " + format_duration(*last - *d.due);
            else if (complete && last)
                a.explanation += "; it had been reported at " + local_short(*last) + (d.due ? ", on time" : "");
            else if (d.due && *d.due < *d.superseded_at)
                a.explanation += "; it had fallen due at " + local_short(*d.due) + " and was not reported";
            else
                a.explanation += ", before it fell due";
        } else if (ob.timing != timing::within) {
            if (complete && last) {
                a.status = audit_status::reported;
                a.reported_at = last;
                a.elapsed = *last - *d.anchor_at;
                a.explanation = "reported at " + local_short(*last) + ", " + format_duration(*a.elapsed) + " after " +
                                local_short(*d.anchor_at) + " (" + timing_text(ob.timing) + ")";
            } else {
                a.status = audit_status::outstanding;
                a.explanation = "owed " + timing_text(ob.timing) + " since " + local_short(*d.anchor_at) + "; not reported to: " + who;
            }
        } else if (complete && last) {
            a.reported_at = last;
            a.elapsed = *last - *d.anchor_at;
            if (*last <= *d.due) {
                a.status = audit_status::on_time;
                a.explanation = "reported at " + local_short(*last) + ", " + format_duration(*d.due - *last) + " before the deadline " +
                                local_short(*d.due);
            } else {
                a.status = audit_status::late;
                a.late_by = *last - *d.due;
                a.explanation = "reported at " + local_short(*last) + ", late by " + format_duration(*a.late_by) + " (due " +
                                local_short(*d.due) + ")";
            }
        } else if (*d.due <= as_of) {
            a.status = audit_status::missing;
            a.explanation = "due " + local_short(*d.due) + ", overdue by " + format_duration(as_of - *d.due) + " as of " +
                            local_short(as_of) + "; not reported to: " + who;
        } else {
            a.status = audit_status::not_yet_due;
            a.explanation = "due " + local_short(*d.due) + ", in " + format_duration(*d.due - as_of) + "; not yet reported to: " + who;
        }
        a.due = std::move(d);
        out.push_back(std::move(a));
    }
    return out;
}

// ------------------------------------------------------------------------------------ templates

result<rendered_report> render_report(const plan& p, std::string_view template_id,
                                      const std::map<std::string, std::string>& fields) {
    const report_template* t = p.obligations ? p.obligations->find_template(template_id) : nullptr;
    if (!t) {
        std::string list;
        if (p.obligations)
            for (const auto& x : p.obligations->templates) list += (list.empty() ? "" : ", ") + x.id;
        return error{errc::unknown_name, "plan " + p.info.id + " has no report template \"" + std::string(template_id) +
                                             "\"; its templates: " + (list.empty() ? "(none)" : list)};
    }
    std::vector<diagnostic> diags;
    std::map<std::string, std::string> text;
    for (const auto& [k, v] : fields) {
        auto it = std::find_if(t->fields.begin(), t->fields.end(), [&](const report_field& f) { return f.id == k; });
        if (it == t->fields.end()) {
            std::string list;
            for (const auto& f : t->fields) list += (list.empty() ? "" : ", ") + f.id;
            diags.push_back(diagnostic{"", 0, 0, "/fields/" + k, "unknown field \"" + k + "\"; expected one of: " + list});
            continue;
        }
        if (v.empty()) continue;
        if (it->type == "time") {
            auto at = parse_instant(v);
            if (!at) {
                diags.push_back(diagnostic{"", 0, 0, "/fields/" + k, at.error().message()});
                continue;
            }
            instant l = to_local(*at);
            char buf[64];
            std::snprintf(buf, sizeof buf, "%04d年%02d月%02d日%02d时%02d分", static_cast<int>(l.date().year()),
                          static_cast<int>(l.date().month()), static_cast<int>(l.date().day()),
                          static_cast<int>(l.time_of_day().hours()), static_cast<int>(l.time_of_day().minutes()));
            text[k] = buf;
        } else if (it->type == "count") {
            bool ok = v.size() <= 9;
            for (char c : v) ok = ok && c >= '0' && c <= '9';
            if (!ok) {
                diags.push_back(diagnostic{"", 0, 0, "/fields/" + k, "expected a count (a non-negative integer); found \"" + v + "\""});
                continue;
            }
            text[k] = std::to_string(std::stol(v));
        } else {
            text[k] = v;
        }
    }
    if (!diags.empty()) return error{errc::invalid_input, std::move(diags)};
    rendered_report out;
    out.clause = t->clause;
    const std::string& b = t->body;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (b[i] != '{') {
            out.text += b[i];
            continue;
        }
        auto j = b.find('}', i);
        std::string id = b.substr(i + 1, j - i - 1);
        i = j;
        auto it = text.find(id);
        if (it != text.end()) {
            out.text += it->second;
            continue;
        }
        const auto* f = &*std::find_if(t->fields.begin(), t->fields.end(), [&](const report_field& x) { return x.id == id; });
        out.text += f->type == "time" ? "____年__月__日__时__分" : "______";
        if (std::find(out.missing.begin(), out.missing.end(), id) == out.missing.end()) out.missing.push_back(id);
    }
    return out;
}

std::string to_json(const obligation_due& d) {
    const auto& ob = *d.rule;
    json::object o;
    auto strings = [](const std::vector<std::string>& v) {
        json::array a;
        for (const auto& s : v) a.emplace_back(s);
        return a;
    };
    auto when = [&o](const char* name, const instant& t) {
        const std::string n(name);
        o[n + "_utc"] = format_utc(t);
        o[n + "_local"] = format_local(t);
        o[n + "_time"] = unix_seconds(t);
    };
    o["id"] = d.id;
    o["obligation"] = ob.id;
    o["occurrence"] = d.occurrence;
    o["clause"] = ob.clause;
    o["summary"] = ob.summary;
    o["from"] = strings(ob.from);
    o["to"] = strings(ob.to);
    o["channel"] = to_string(ob.channel);
    o["timing"] = to_string(ob.timing);
    o["recurring"] = ob.every.has_value();
    o["deadline"] = ob.deadline_text();
    o["anchor"] = d.anchor;
    if (d.anchor_at) when("anchor", *d.anchor_at);
    if (d.period_start) when("period_start", *d.period_start);
    if (d.due) when("due", *d.due);
    o["restarted"] = d.restarted;
    o["superseded"] = d.superseded;
    if (d.superseded) o["superseded_by"] = d.superseded_by;
    o["explanation"] = d.explanation;
    return json::serialize(o);
}

}  // namespace v0
}  // namespace vigil
