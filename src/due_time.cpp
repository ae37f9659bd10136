// Due times: an anchor instant plus an amount of time, with the arithmetic explained.
#include <vigil/obligations.hpp>

#include "detail/obligations.hpp"

#include <string>
#include <vector>

namespace vigil {
inline namespace v0 {
namespace detail {

namespace pt = boost::posix_time;
namespace gr = boost::gregorian;

namespace {

std::string date_run(date a, date b) {
    if (a == b) return format_date(a);
    std::string sb = format_date(b);
    if (a.year() == b.year() && a.month() == b.month()) sb = sb.substr(8);
    else if (a.year() == b.year()) sb = sb.substr(5);
    return format_date(a) + "…" + sb;
}

}  // namespace

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

}  // namespace detail
}  // namespace v0
}  // namespace vigil
