// The C ABI: the working-day calendar, reporting deadlines and their audit.
#include "capi.hpp"

#include <vigil/detail/calendar_json.hpp>
#include <vigil/obligations.hpp>

#include <boost/json.hpp>

#include <map>
#include <memory>
#include <string>

using namespace vigil::capi;
namespace json = boost::json;

namespace vigil::capi {

result<instant> to_instant(std::int64_t seconds, const char* function, const char* name) {
    constexpr std::int64_t max_seconds = 7258118399;  // 2199-12-31T23:59:59Z (vigil::max_year)
    static_assert(vigil::max_year == 2199 && vigil::min_year == 1970);
    if (seconds < 0 || seconds > max_seconds)
        return vigil::error{errc::out_of_range, std::string(function) + ": `" + name + "` = " + std::to_string(seconds) +
                                                    ": expected seconds since 1970-01-01T00:00:00Z up to the end of year 2199"};
    const instant epoch(date(1970, 1, 1));
    return epoch + boost::posix_time::seconds(static_cast<long>(seconds));
}

std::int64_t to_seconds(instant t) { return vigil::unix_seconds(t); }

}  // namespace vigil::capi

namespace {

int give_calendar(vigil_calendar** out, vigil::result<vigil::calendar> r) {
    if (!r) return fail(r.error());
    *out = new vigil_calendar{std::move(*r)};
    return VIGIL_OK;
}

json::array strings(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

using vigil::detail::calendar_json;  // which calendar answered

int not_final(const vigil::obligation_due& d) { return !d.superseded && (d.provisional || d.calendar_unknown) ? 1 : 0; }

// One dated obligation, in the library's one JSON shape (vigil::to_json).
json::object due_json(const vigil::obligation_due& d) { return json::parse(vigil::to_json(d)).as_object(); }

struct prepared {
    vigil::calendar calendar;
    vigil::timeline timeline;
};

// The common arguments of deadlines and audit: checked, the timeline parsed, the calendar chosen.
int prepare(const char* fn, char** out_json, const vigil_plan* plan, const vigil_calendar* cal, const char* text,
            size_t size, std::unique_ptr<prepared>& out) {
    if (!out_json) return null_argument(fn, "out_json");
    *out_json = nullptr;
    if (!plan) return null_argument(fn, "plan");
    if (!text && size != 0) return null_argument(fn, "timeline");
    if (!plan->plan->obligations)
        return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": plan " + plan->plan->info.id +
                                              " has no \"obligations\" section");
    auto t = vigil::parse_timeline(text ? std::string_view(text, size) : std::string_view{}, *plan->plan, "<timeline>");
    if (!t) return fail(t.error());
    if (cal) {
        out = std::make_unique<prepared>(prepared{cal->calendar, std::move(*t)});
    } else {
        auto c = vigil::builtin_calendar();
        if (!c) return fail(c.error());
        out = std::make_unique<prepared>(prepared{std::move(*c), std::move(*t)});
    }
    return VIGIL_OK;
}

}  // namespace

extern "C" {

int vigil_calendar_builtin(vigil_calendar** out) {
    return guard("vigil_calendar_builtin", [&]() -> int {
        if (!out) return null_argument("vigil_calendar_builtin", "out");
        *out = nullptr;
        return give_calendar(out, vigil::builtin_calendar());
    });
}

int vigil_calendar_load_file(vigil_calendar** out, const char* path) {
    return guard("vigil_calendar_load_file", [&]() -> int {
        if (!out) return null_argument("vigil_calendar_load_file", "out");
        *out = nullptr;
        if (!path) return null_argument("vigil_calendar_load_file", "path");
        return give_calendar(out, vigil::load_calendar_file(path));
    });
}

int vigil_calendar_load_buffer(vigil_calendar** out, const char* data, size_t size, const char* source) {
    return guard("vigil_calendar_load_buffer", [&]() -> int {
        if (!out) return null_argument("vigil_calendar_load_buffer", "out");
        *out = nullptr;
        if (!data && size != 0) return null_argument("vigil_calendar_load_buffer", "data");
        return give_calendar(out, vigil::calendar::parse(data ? std::string_view(data, size) : std::string_view{},
                                                         source ? source : "<buffer>"));
    });
}

void vigil_calendar_free(vigil_calendar* calendar) { delete calendar; }

int vigil_calendar_provisional(vigil_calendar** out, const vigil_calendar* calendar) {
    return guard("vigil_calendar_provisional", [&]() -> int {
        if (!out) return null_argument("vigil_calendar_provisional", "out");
        *out = nullptr;
        if (!calendar) return null_argument("vigil_calendar_provisional", "calendar");
        *out = new vigil_calendar{calendar->calendar.provisional()};
        return VIGIL_OK;
    });
}

int vigil_calendar_is_working_day(int* out, const vigil_calendar* calendar, int64_t time) {
    return guard("vigil_calendar_is_working_day", [&]() -> int {
        constexpr const char* fn = "vigil_calendar_is_working_day";
        if (!out) return null_argument(fn, "out");
        *out = 0;
        if (!calendar) return null_argument(fn, "calendar");
        auto t = to_instant(time, fn, "time");
        if (!t) return fail(t.error());
        auto w = calendar->calendar.is_working_day(vigil::local_date(*t));
        if (!w) return fail(w.error());
        *out = *w ? 1 : 0;
        return VIGIL_OK;
    });
}

int vigil_calendar_add_working_days(int64_t* out, const vigil_calendar* calendar, int64_t time, int32_t n) {
    return guard("vigil_calendar_add_working_days", [&]() -> int {
        constexpr const char* fn = "vigil_calendar_add_working_days";
        if (!out) return null_argument(fn, "out");
        *out = 0;
        if (!calendar) return null_argument(fn, "calendar");
        auto t = to_instant(time, fn, "time");
        if (!t) return fail(t.error());
        auto d = calendar->calendar.add_working_days(vigil::local_date(*t), n);
        if (!d) return fail(d.error());
        *out = to_seconds(vigil::local_midnight(*d));
        return VIGIL_OK;
    });
}

int vigil_deadlines_json(char** out_json, const vigil_plan* plan, const vigil_calendar* calendar, const char* timeline,
                         size_t size, int64_t as_of) {
    return guard("vigil_deadlines_json", [&]() -> int {
        constexpr const char* fn = "vigil_deadlines_json";
        std::unique_ptr<prepared> in;
        if (int rc = prepare(fn, out_json, plan, calendar, timeline, size, in)) return rc;
        vigil::deadline_options opt;
        if (as_of != VIGIL_TIME_NONE) {
            auto t = to_instant(as_of, fn, "as_of");
            if (!t) return fail(t.error());
            opt.as_of = *t;
        }
        auto d = vigil::compute_deadlines(*plan->plan, in->timeline, in->calendar, opt);
        if (!d) return fail(d.error());
        json::array items;
        int nf = 0;
        for (const auto& x : *d) items.emplace_back(due_json(x)), nf += not_final(x);
        json::object o{{"plan", plan->plan->info.id}, {"incident", in->timeline.incident},
                       {"calendar", calendar_json(in->calendar)}, {"not_final", nf}, {"deadlines", std::move(items)}};
        *out_json = dup_string(json::serialize(o));
        return VIGIL_OK;
    });
}

int vigil_audit_json(char** out_json, const vigil_plan* plan, const vigil_calendar* calendar, const char* timeline,
                     size_t size, int64_t as_of) {
    return guard("vigil_audit_json", [&]() -> int {
        constexpr const char* fn = "vigil_audit_json";
        std::unique_ptr<prepared> in;
        if (int rc = prepare(fn, out_json, plan, calendar, timeline, size, in)) return rc;
        if (as_of == VIGIL_TIME_NONE)
            return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": `as_of` is required (the library has no clock)");
        auto t = to_instant(as_of, fn, "as_of");
        if (!t) return fail(t.error());
        auto a = vigil::audit(*plan->plan, in->timeline, in->calendar, *t);
        if (!a) return fail(a.error());
        json::array items;
        std::map<std::string, int> counts;
        int nf = 0;
        for (const auto& e : *a) {
            nf += not_final(e.due);
            json::object o = due_json(e.due);
            o["status"] = vigil::to_string(e.status);
            if (e.reported_at) {
                o["reported_time"] = to_seconds(*e.reported_at);
                o["reported_local"] = vigil::format_local(*e.reported_at);
            }
            if (e.late_by) o["late_by_seconds"] = e.late_by->total_seconds();
            if (e.elapsed) o["elapsed_seconds"] = e.elapsed->total_seconds();
            o["reports"] = strings(e.reports);
            o["missing_to"] = strings(e.missing_to);
            o["finding"] = e.explanation;
            ++counts[std::string(vigil::to_string(e.status))];
            items.emplace_back(std::move(o));
        }
        json::object c;
        for (const auto& [k, n] : counts) c[k] = n;
        json::object o{{"plan", plan->plan->info.id}, {"incident", in->timeline.incident}, {"as_of", as_of},
                       {"as_of_local", vigil::format_local(*t)}, {"calendar", calendar_json(in->calendar)},
                       {"not_final", nf}, {"counts", std::move(c)}, {"entries", std::move(items)}};
        *out_json = dup_string(json::serialize(o));
        return VIGIL_OK;
    });
}

}  // extern "C"
