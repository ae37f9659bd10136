// Due times: an anchor instant plus an amount of time, with the arithmetic explained.
#include <vigil/obligations.hpp>

#include "detail/obligations.hpp"

#include <string>

namespace vigil {
inline namespace v0 {
namespace detail {

namespace pt = boost::posix_time;
namespace gr = boost::gregorian;

namespace {

std::string ordinal(std::int64_t n) {
    const char* suf = (n % 100 >= 11 && n % 100 <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    return std::to_string(n) + suf;
}

}  // namespace

// anchor + n units; `why` receives the arithmetic, `provisional` whether a day it rests on was
// answered provisionally. The calendar's walk (calendar::walk_working_days) and its periods
// (add_calendar_days, add_months) do the counting and say what they passed.
result<instant> add_time(const calendar& cal, instant anchor, time_unit u, std::int64_t n, std::string& why,
                         bool* provisional) {
    const std::string amount = "+" + amount_text(u, n);
    if (provisional) *provisional = false;
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
        if (n > 1000000) return error{errc::out_of_range, "date out of range adding " + amount_text(u, n)};
        auto w = cal.walk_working_days(local_date(anchor), static_cast<int>(n));
        if (!w) return w.error();
        instant due = local_midnight(w->end + gr::days(1));
        why = amount + " after " + format_date(local_date(anchor)) + " (that day not counted)";
        if (auto passed = w->explanation(); !passed.empty()) why += ", " + passed;
        why += "; the " + ordinal(n) + " working day is " + std::string(w->end.day_of_week().as_long_string()) + " " +
               format_date(w->end) + ": due by its end, " + local_short(due) + " (calendar: " + cal.source() + ")";
        if (provisional) *provisional = w->provisional;
        return due;
    }
    case time_unit::calendar_days:
    case time_unit::months: {
        if (n > 1000000) return error{errc::out_of_range, "date out of range adding " + amount_text(u, n)};
        auto p = u == time_unit::months ? cal.add_months(local_date(anchor), static_cast<int>(n))
                                        : cal.add_calendar_days(local_date(anchor), static_cast<int>(n));
        if (!p) return p.error();
        instant due = local_midnight(p->last + gr::days(1));
        why = p->explanation + "; due at 24:00 of " + format_date(p->last) + ", " + local_short(due) + " (calendar: " +
              cal.source() + ")";
        if (provisional) *provisional = p->provisional;
        return due;
    }
    }
    return error{errc::invalid_input, "unknown time unit"};
}

}  // namespace detail
}  // namespace v0
}  // namespace vigil
