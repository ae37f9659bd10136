// Timelines: an incident's history read from a timeline document or JSON Lines of events.
#include <vigil/lifecycle.hpp>
#include <vigil/obligations.hpp>
#include <vigil/response.hpp>

#include "detail/limits.hpp"
#include "detail/loader.hpp"
#include "detail/obligations.hpp"

#include <vigil/detail/json_check.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <sstream>

namespace vigil {
inline namespace v0 {

namespace json = boost::json;

// ------------------------------------------------------------------------------------ timelines

namespace {



// The JSON kind of a value as a catalogue word ("kind.bool"), for {found:t}.
std::string kind_of(const json::value& v) { return std::string(detail::loader::kind_id(v)); }

struct timeline_reader {
    std::string source;
    // What a lifecycle event means as a timeline event, by its name: from the lifecycle rows'
    // actions, or the plan's explicit log_events (see meanings()).
    std::map<std::string, log_event_alias> aliases;
    bool active = false;  // a response is running, as read so far (set_response starts or changes it)
    std::function<bool(const std::string&)> known;  // an event the plan's obligations know (with a plan)
    std::vector<diagnostic> diags;
    int line = 0;  // for JSON Lines input

    void fail(const std::string& ptr, std::string_view id, message_args args = {}) {
        diags.push_back(diagnostic::of(source, line, 0, ptr, id, std::move(args)));
    }
    // A field's own error (a time, a date), placed at the field.
    void fail(const std::string& ptr, const error& e) {
        for (auto d : e.diagnostics) {
            d.source = source, d.line = line, d.column = 0, d.pointer = ptr;
            diags.push_back(std::move(d));
        }
    }

    std::optional<std::string> str(const json::object& o, std::string_view key, const std::string& ptr, bool required) {
        const auto* v = o.if_contains(key);
        if (!v) {
            if (required) fail(ptr, "timeline.missing_string", {{"field", std::string(key)}});
            return std::nullopt;
        }
        if (!v->is_string()) {
            fail(ptr + "/" + std::string(key), "timeline.expected_string", {{"found", kind_of(*v)}});
            return std::nullopt;
        }
        return std::string(v->as_string());
    }

    // The occurrence time a lifecycle event carries in a payload field (the alias's `occurred`):
    // an "occurred" event at that time, put among the events read so far in time order.
    void occurrence(const json::object& raw, const json::object& merged, const std::string& field, const std::string& event,
                    const std::string& ptr, std::string_view zone, instant at, timeline& t) {
        const auto* v = merged.if_contains(field);
        if (!v) return;
        const std::string fptr = ptr + (raw.contains(field) ? "/" : "/payload/") + field;
        if (!v->is_string()) {
            if (event == "occurred") fail(fptr, "timeline.expected_occurred_time", {{"found", kind_of(*v)}});
            else fail(fptr, "timeline.expected_event_time", {{"event", event}, {"found", kind_of(*v)}});
            return;
        }
        auto when = parse_instant(std::string_view(v->as_string()), zone);
        if (!when) {
            fail(fptr, when.error());
            return;
        }
        if (*when > at) {
            if (event == "occurred")
                fail(fptr, "timeline.occurred_after_record", {{"time", format_local(*when)}, {"record", format_local(at)}});
            else fail(fptr, "timeline.event_after_record", {{"event", event}, {"time", format_local(*when)}, {"record", format_local(at)}});
            return;
        }
        timeline_event o;
        o.name = event;
        o.at = *when;
        o.pointer = fptr;
        auto pos = std::find_if(t.events.begin(), t.events.end(), [&](const timeline_event& x) { return x.at > o.at; });
        t.events.insert(pos, std::move(o));
    }

    // One event; `zone` is the timeline's default zone for times without an offset.
    void event(const json::value& v, const std::string& ptr, std::string_view zone, timeline& t) {
        const auto* o = v.if_object();
        if (!o) {
            fail(ptr, "timeline.expected_event", {{"found", kind_of(v)}});
            return;
        }
        // A record of the event log is accepted as is: its payload's fields count as the event's.
        json::object merged = *o;
        if (const auto* p = o->if_contains("payload")) {
            if (!p->is_object()) {
                fail(ptr + "/payload", "timeline.expected_object", {{"found", kind_of(*p)}});
                return;
            }
            for (const auto& kv : p->as_object()) {
                if (o->contains(kv.key())) fail(ptr + "/payload/" + std::string(kv.key()), "timeline.field_twice");
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
            fail(ptr + "/event", "timeline.bad_event_name", {{"found", e.name}});
            return;
        }
        auto at = parse_instant(*time, zone);
        if (!at) {
            fail(ptr + "/time", at.error());
            return;
        }
        e.at = *at;
        // An event of another vocabulary (the lifecycle's log) read through the plan's aliases.
        const log_event_alias* alias = nullptr;
        if (auto it = aliases.find(e.name); it != aliases.end()) alias = &it->second;
        if (alias && !alias->occurred.empty()) occurrence(*o, merged, alias->occurred, "occurred", ptr, zone, e.at, t);
        // The opening of a lifecycle log records, as "<event>_at", events of the obligations that
        // happened before it was opened (discovered_at: when a holder discovered the incident).
        if (alias && *name == open_event && known)
            for (const auto& kv : merged) {
                std::string_view k = kv.key();
                if (k.size() <= 3 || k.substr(k.size() - 3) != "_at" || k == alias->occurred) continue;
                const std::string ev(k.substr(0, k.size() - 3));
                if (ev != "occurred" && known(ev)) occurrence(*o, merged, std::string(k), ev, ptr, zone, e.at, t);
            }
        if (alias) {
            if (alias->as == "ignore") return;
            e.name = alias->as == "set_response" ? (active ? "response_changed" : "response_started") : alias->as;
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
                if (!e.grade) fail(ptr + "/grade", "timeline.bad_grade", {{"found", *g}});
            }
            if (const auto* p = merged.if_contains("provisional")) {
                if (!p->is_bool()) fail(ptr + "/provisional", "timeline.expected_bool", {{"found", kind_of(*p)}});
                else e.provisional = p->as_bool();
            }
        } else if (e.name == "flag_set" || e.name == "flag_cleared") {
            need("flag");
            e.flag = str(merged, "flag", ptr, true).value_or("");
        } else if (e.name == "response_started" || e.name == "response_changed") {
            need("level");
            const auto* l = merged.if_contains("level");
            if (!l) fail(ptr, "timeline.missing_level");
            else if (!l->is_int64() || l->as_int64() < 1 || l->as_int64() > 4)
                fail(ptr + "/level", "timeline.bad_level");
            else e.level = static_cast<int>(l->as_int64());
        } else if (e.name == "report_sent") {
            need("to");
            need("channel");
            need("obligation");
            const auto* to = merged.if_contains("to");
            if (!to && alias) {
                // A lifecycle report that names no recipient: kept, but it can answer no obligation.
            } else if (!to) fail(ptr, "timeline.missing_to");
            else if (to->is_string()) e.to.emplace_back(to->as_string());
            else if (to->is_array() && !to->as_array().empty()) {
                for (std::size_t i = 0; i < to->as_array().size(); ++i) {
                    const auto& x = to->as_array()[i];
                    if (!x.is_string()) fail(ptr + "/to/" + std::to_string(i), "timeline.expected_string", {{"found", kind_of(x)}});
                    else e.to.emplace_back(x.as_string());
                }
            } else fail(ptr + "/to", "timeline.bad_to");
            if (auto c = str(merged, "channel", ptr, !alias)) {
                if (*c == "phone") e.channel = channel::phone;
                else if (*c == "written") e.channel = channel::written;
                else if (*c == "online") e.channel = channel::online;
                else fail(ptr + "/channel", "timeline.bad_channel", {{"found", *c}});
            }
            e.obligation = str(merged, "obligation", ptr, false).value_or("");
        } else if (e.name == "warning_issued") {
            // The warning's level as its colour (the lifecycle's issue_warning payload names it
            // so); optional: a timeline that does not say it still reads (docs/deadlines.md).
            need("colour");
            if (auto c = str(merged, "colour", ptr, false)) {
                auto col = parse_warning_colour(*c);
                if (!col || *col == warning_colour::none)
                    fail(ptr + "/colour", "expected a warning colour: blue, yellow, orange or red; found \"" + *c + "\"");
                else e.warning = *col;
            }
        }
        for (const auto& kv : merged) {
            if (alias) break;  // the other fields of a lifecycle event are the lifecycle's business
            if (std::find(allowed.begin(), allowed.end(), std::string_view(kv.key())) == allowed.end()) {
                std::string list;
                for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
                fail(ptr + "/" + std::string(kv.key()), "timeline.unknown_event_field",
                     {{"field", std::string(kv.key())}, {"event", e.name}, {"known", list}});
            }
        }
        if (!alias || (merged.contains("from") && merged.at("from").is_string())) e.from = str(merged, "from", ptr, false).value_or("");
        if (!alias || (merged.contains("note") && merged.at("note").is_string())) e.note = str(merged, "note", ptr, false).value_or("");
        if (const auto* a = merged.if_contains("actor")) {
            if (a->is_string()) e.by = std::string(a->as_string());
            else if (a->is_object() && a->as_object().contains("unit") && a->as_object().at("unit").is_string())
                e.by = std::string(a->as_object().at("unit").as_string());
            else fail(ptr + "/actor", "timeline.bad_actor");
        }
        if (e.name == "response_started" || e.name == "response_changed") active = true;
        else if (e.name == "response_ended") active = false;
        t.events.push_back(std::move(e));
    }
};

// What each event of a plan's lifecycle means as a timeline event (docs/deadlines.md, "The
// lifecycle's log as a timeline"), from the actions of the rows that fire it: set_grade is
// grade_reached, set_response response_started or response_changed, clear_response
// response_ended, record_report report_sent (with the row's `report`), set_warning (issuing or
// adjusting a warning) warning_issued where the plan's obligations declare that event; an event the
// obligations know by name (a built-in or declared event) is that event; any other is the
// lifecycle's own business. The log's opening is the receipt (report_received), and its occurred_at the
// occurrence. A plan's explicit log_events, where it has them, say it instead.
std::map<std::string, log_event_alias> meanings(const plan& p) {
    std::map<std::string, log_event_alias> out;
    if (p.lifecycle) {
        log_event_alias open;
        open.event = "open";
        open.as = "report_received";
        open.occurred = "occurred_at";
        out["open"] = open;
        // The duties that run from a warning (anchor warning_issued) are owed from a log too.
        const bool warning_event = p.obligations && p.obligations->knows_event("warning_issued");
        for (const auto& r : p.lifecycle->rows) {
            auto& a = out[r.event];
            a.event = r.event;
            auto has = [&](std::string_view x) { return std::find(r.actions.begin(), r.actions.end(), x) != r.actions.end(); };
            std::string as = has("set_grade") ? "grade_reached"
                           : has("set_response") ? "set_response"
                           : has("clear_response") ? "response_ended"
                           : has("record_report") ? "report_sent"
                           : has("set_warning") && warning_event ? "warning_issued"
                           : "";
            if (as.empty() && p.obligations && p.obligations->knows_event(r.event)) as = r.event;
            if (!as.empty() && a.as.empty()) a.as = as;
            if (r.report && a.to.empty() && a.obligation.empty()) {
                a.to = r.report->to;
                if (r.report->channel == "phone") a.channel = channel::phone;
                else if (r.report->channel == "written") a.channel = channel::written;
                else if (r.report->channel == "online") a.channel = channel::online;
                a.obligation = r.report->obligation;
            }
        }
        for (auto& [name, a] : out)
            if (a.as.empty()) a.as = "ignore";
    }
    if (p.obligations)
        for (const auto& a : p.obligations->log_events) out[a.event] = a;
    return out;
}

result<json::value> parse_json(std::string_view text, const std::string& src, int line_offset = 0) {
    json::parse_options opts;
    opts.max_depth = 32;
    json::stream_parser parser({}, opts);
    boost::system::error_code ec;
    std::size_t used = parser.write_some(text.data(), text.size(), ec);
    if (!ec) parser.finish(ec);
    if (ec) {
        auto [l, c] = detail::line_column(text, used);
        return error{errc::parse_error, {diagnostic::of(src, l + line_offset, c, "", "json.malformed", detail::json_error_args(ec))}};
    }
    if (auto issue = detail::check_json(text)) {
        auto [l, c] = detail::line_column(text, issue->offset);
        return error{errc::invalid_input, {diagnostic::of(src, l + line_offset, c, "", issue->id, issue->args)}};  // well-formed, refused
    }
    return parser.release();
}

// Checks of the built-in events' order and meaning.
void check_sequence(timeline_reader& rd, const timeline& t) {
    bool occurred = false, active = false;
    for (std::size_t i = 0; i < t.events.size(); ++i) {
        const auto& e = t.events[i];
        if (i > 0 && e.at < t.events[i - 1].at)
            rd.diags.push_back(diagnostic::of(rd.source, 0, 0, e.pointer + "/time", "timeline.out_of_order",
                                              {{"time", format_local(e.at)}, {"previous", format_local(t.events[i - 1].at)}}));
        if (e.name == "occurred") {
            if (occurred) rd.diags.push_back(diagnostic::of(rd.source, 0, 0, e.pointer + "/event", "timeline.second_occurred"));
            occurred = true;
        } else if (e.name == "response_started") {
            if (active) rd.diags.push_back(diagnostic::of(rd.source, 0, 0, e.pointer + "/event", "timeline.response_active"));
            active = true;
        } else if (e.name == "response_changed" || e.name == "response_ended") {
            if (!active) rd.diags.push_back(diagnostic::of(rd.source, 0, 0, e.pointer + "/event", "timeline.no_response", {{"event", e.name}}));
            if (e.name == "response_ended") active = false;
        }
    }
}

}  // namespace

namespace {
result<timeline> parse_timeline_impl(std::string_view text, std::string_view source, const plan* p) {
    text = detail::skip_bom(text);
    timeline t;
    t.source = std::string(source);
    timeline_reader rd;
    rd.source = t.source;
    if (p) {
        rd.aliases = meanings(*p);
        if (p->obligations) rd.known = [p](const std::string& ev) { return p->obligations->knows_event(ev); };
    }
    if (text.size() > max_timeline_bytes)
        return error{errc::too_large, {diagnostic::of(t.source, 0, 0, "", "timeline.too_large",
                                                      {{"size", std::to_string(text.size())}, {"max", std::to_string(max_timeline_bytes)}})}};
    std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return error{errc::invalid_input, {diagnostic::of(t.source, 0, 0, "", "timeline.empty")}};
    // A timeline document is one JSON object with "events"; anything else is read as JSON Lines
    // (one event per line, e.g. an incident's event log).
    auto whole = parse_json(text, t.source);
    if (!whole && whole.error().code == errc::invalid_input) return whole.error();  // well-formed JSON, refused
    if (whole && whole->is_object() && whole->as_object().contains("events")) {
        const auto& o = whole->as_object();
        std::string zone;
        for (const auto& kv : o) {
            std::string_view k = kv.key();
            if (k != "vigil_timeline" && k != "incident" && k != "time_zone" && k != "events" && k != "note" && k != "$schema")
                rd.fail("/" + std::string(k), "timeline.unknown_field", {{"field", std::string(k)}});
        }
        if (const auto* v = o.if_contains("vigil_timeline"); v && !(v->is_int64() && v->as_int64() == 1))
            rd.fail("/vigil_timeline", "timeline.bad_version");
        t.incident = rd.str(o, "incident", "", false).value_or("");
        if (auto z = rd.str(o, "time_zone", "", false)) {
            if (*z != local_time_zone && *z != "UTC")
                rd.fail("/time_zone", "timeline.unknown_zone", {{"zone", *z}});
            else zone = *z;
        }
        const auto& ev = o.at("events");
        if (!ev.is_array()) rd.fail("/events", "timeline.expected_events", {{"found", kind_of(ev)}});
        else
            for (std::size_t i = 0; i < ev.as_array().size(); ++i)
                rd.event(ev.as_array()[i], "/events/" + std::to_string(i), zone, t);
    } else {
        if (whole && whole->is_object() && !whole->as_object().contains("event"))
            return error{errc::invalid_input, {diagnostic::of(t.source, 1, 1, "", "timeline.not_a_timeline")}};
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
    if (rd.diags.empty() && t.events.empty()) rd.fail("/events", "timeline.no_events");
    check_sequence(rd, t);  // also when some events were bad: report every problem at once
    if (!rd.diags.empty()) return error{errc::invalid_input, std::move(rd.diags)};
    return t;
}

}  // namespace

result<std::vector<timeline_event>> detail::event_meaning(const plan& p, const json::value& record, bool response_active,
                                                          const std::string& pointer) {
    timeline_reader rd;
    rd.source = "<event>";
    rd.aliases = meanings(p);
    if (p.obligations) rd.known = [&p](const std::string& ev) { return p.obligations->knows_event(ev); };
    rd.active = response_active;
    timeline t;
    rd.event(record, pointer, "", t);
    if (!rd.diags.empty()) return error{errc::invalid_input, std::move(rd.diags)};
    return std::move(t.events);
}

result<timeline> parse_timeline(std::string_view text, std::string_view source) {
    return parse_timeline_impl(text, source, nullptr);
}

result<timeline> parse_timeline(std::string_view text, const plan& p, std::string_view source) {
    return parse_timeline_impl(text, source, &p);
}

}  // namespace v0
}  // namespace vigil
