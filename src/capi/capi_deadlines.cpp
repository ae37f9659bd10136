// The C ABI: the working-day calendar, reporting deadlines and their audit.
#include "capi.hpp"

#include <vigil/detail/answer_json.hpp>
#include <vigil/lifecycle.hpp>
#include <vigil/obligations.hpp>

#include <memory>
#include <string>

using namespace vigil::capi;
namespace aj = vigil::detail::answer_json;  // the one JSON of each answer (docs/json.md)

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
    auto t = vigil::read_history(*plan->plan, text ? std::string_view(text, size) : std::string_view{}, "<timeline>");
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
        std::string text;
        aj::deadlines(text, *plan->plan, in->calendar, in->timeline.incident, *d);
        *out_json = dup_string(text);
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
        std::string text;
        aj::audit(text, *plan->plan, in->calendar, in->timeline.incident, *t, *a);
        *out_json = dup_string(text);
        return VIGIL_OK;
    });
}

}  // extern "C"
