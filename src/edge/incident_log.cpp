// The edge: an incident kept in an event log (vigil/lifecycle.hpp's incident_log): the state machine
// (src/lifecycle.cpp, pure) bound to the log's file.
#include <vigil/detail/json_check.hpp>
#include <vigil/event_log.hpp>
#include <vigil/lifecycle.hpp>
#include <vigil/obligations.hpp>

#include <boost/json.hpp>

#include <algorithm>

namespace vigil {
inline namespace v0 {

namespace json = boost::json;

namespace {
diagnostic diag(std::string ptr, std::string_view id, message_args args) {
    return diagnostic::of("<event>", 0, 0, std::move(ptr), id, std::move(args));
}

std::optional<std::string> payload_string(const json::object& o, std::string_view k) {
    const auto* v = o.if_contains(k);
    if (v && v->is_string() && !v->get_string().empty()) return std::string(v->get_string());
    return std::nullopt;
}
}  // namespace

// ------------------------------------------------------------------------------------ log + machine

result<incident_log> incident_log::create(const std::string& path, plan_ptr p, const std::string& incident_id,
                                          const std::string& time, const actor& by, const std::string& occurred_at,
                                          unsigned mode) {
    std::vector<std::pair<std::string, std::string>> before;
    if (!occurred_at.empty()) before.emplace_back("occurred", occurred_at);
    return create(path, std::move(p), incident_id, time, by, before, mode);
}

result<incident_log> incident_log::create(const std::string& path, plan_ptr p, const std::string& incident_id,
                                          const std::string& time, const actor& by,
                                          const std::vector<std::pair<std::string, std::string>>& known_before, unsigned mode) {
    json::object payload{{"plan", p->info.id}, {"plan_version", p->info.version}, {"incident", incident_id}};
    // A built-in plan is named; a plan file is identified by its content, never by its path.
    if (!p->builtin) payload["plan_sha256"] = p->sha256;
    for (const auto& [event, at] : known_before) {
        bool good = !event.empty() && event.size() <= 64;
        for (char c : event) good = good && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
        if (!good || event == open_event)
            return error{errc::invalid_input, {diag("/payload", "incident.bad_known_event", {{"found", event}})}};
        if (!at.empty()) payload[event + "_at"] = at;
    }
    log_entry opening{time, by, std::string(open_event), json::serialize(payload)};
    auto s = start(*p, opening);
    if (!s) return s.error();
    if (!p->org || !p->org->knows(by))
        return error{errc::invalid_input, {diag("/actor", "incident.not_a_unit", {{"actor", to_string(by)}})}};
    auto log = event_log::create(path, opening, mode);
    if (!log) return log.error();
    auto st = replay(*p, log->records());
    if (!st) return st.error();
    return incident_log(std::move(*log), std::move(p), std::move(*st));
}

result<incident_log> incident_log::open(const std::string& path, plan_ptr p) {
    auto log = event_log::open(path);
    if (!log) return log.error();
    auto st = replay(*p, log->records());
    if (!st) return st.error();
    return incident_log(std::move(*log), std::move(p), std::move(*st));
}

namespace {

// The opening record's payload of the log at `path`, with the plan id it names.
struct opening_record {
    json::object payload;
    std::string plan;
};

result<opening_record> read_opening(const std::string& path) {
    auto c = event_log::read(path);
    if (!c) return c.error();
    boost::system::error_code ec;
    json::value v = json::parse(c->records.front().entry.payload, ec);
    const auto* o = ec ? nullptr : v.if_object();
    auto id = o ? payload_string(*o, "plan") : std::nullopt;
    if (c->records.front().entry.event != open_event || !id)
        return error{errc::invalid_input, {diagnostic::of(path, 1, 0, "/payload/plan", "incident.not_opening")}};
    return opening_record{*o, *id};
}

}  // namespace

result<std::string> incident_log::plan_of(const std::string& path) {
    auto op = read_opening(path);
    if (!op) return op.error();
    return op->plan;
}

result<plan_ptr> incident_log::builtin_plan_of(const std::string& path) {
    auto op = read_opening(path);
    if (!op) return op.error();
    const std::string* id = &op->plan;
    const json::object* o = &op->payload;
    const auto names = builtin_plan_names();
    const bool named_builtin = std::find(names.begin(), names.end(), *id) != names.end();
    if (auto h = payload_string(*o, "plan_sha256"))
        return error{errc::invalid_input,
                     {diagnostic::of(path, 1, 0, "/payload/plan_sha256", "incident.log_plan_file", {{"id", *id}, {"sha256", *h}})}};
    if (!named_builtin)
        return error{errc::invalid_input,
                     {diagnostic::of(path, 1, 0, "/payload/plan", "incident.log_plan_not_builtin", {{"id", *id}})}};
    return builtin_plan(*id);
}

namespace {
// Whether the text's first record is a record of an event log (it carries the chain's fields).
bool is_event_log(std::string_view text) {
    boost::system::error_code ec;
    const json::value v = json::parse(detail::first_json_line(text), ec);
    const auto* o = ec ? nullptr : v.if_object();
    return o && o->contains("seq") && o->contains("prev") && o->contains("hash");
}
}  // namespace

result<timeline> read_history(const plan& p, std::string_view text, std::string_view source, std::vector<diagnostic>* warnings) {
    if (!is_event_log(text)) return parse_timeline(text, p, source);
    if (text.size() > max_timeline_bytes)
        return error{errc::too_large, {diagnostic::of(std::string(source), 0, 0, "", "timeline.too_large",
                                                      {{"size", std::to_string(text.size())}, {"max", std::to_string(max_timeline_bytes)}})}};
    auto c = parse_log(text, source);
    if (!c) return c.error();
    if (c->records.empty()) return error{errc::invalid_input, {diagnostic::of(std::string(source), 0, 0, "", "timeline.no_events")}};
    auto s = replay(p, c->records);
    if (!s) {
        auto e = s.error();
        for (auto& d : e.diagnostics)
            if (d.source.empty() || d.source == "<event>") d.source = std::string(source);
        return e;
    }
    if (warnings) warnings->insert(warnings->end(), c->warnings.begin(), c->warnings.end());
    auto t = history(*s);
    t.source = std::string(source);
    return t;
}

result<incident> incident_log::apply(const log_entry& e) {
    incident next;
    auto check = [&](const std::vector<log_record>& records, const log_entry& entry) -> result<void> {
        if (records.size() != state_.history.size()) {
            auto st = replay(*plan_, records);  // another writer appended: start from the log
            if (!st) return st.error();
            state_ = std::move(*st);
        }
        auto n = vigil::apply(*plan_, state_, entry, records.size() + 1);
        if (!n) return n.error();
        next = std::move(*n);
        return {};
    };
    auto rec = log_.append(e, check);
    if (!rec) return rec.error();
    state_ = std::move(next);
    return state_;
}

}  // namespace v0
}  // namespace vigil
