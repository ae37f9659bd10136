// vigil/calendar.hpp — the official working-day calendar (Asia/Shanghai).
//
// A working day is Monday–Friday unless the State Council's yearly notice (国务院办公厅关于 XXXX 年
// 部分节假日安排的通知) makes it a holiday, or a Saturday/Sunday that notice makes a working day
// (调休). The calendar is data: a CSV file with one row per listed date,
//
//     date,kind,name,year,notice
//     2026-10-10,workday,国庆节,2026,国务院办公厅关于2026年部分节假日安排的通知 (gov.cn content_7047091)
//
// kind is `holiday` or `workday`; `year` is the year of the notice the row comes from (the notice of
// 2019 also sets 2018-12-29..31). The calendar covers exactly the notice years it lists: a question
// about a date in any other year is errc::out_of_range, never a guess from weekends alone.
// Thread rule: a calendar is immutable; copies share their data; use it from any thread.
#pragma once

#include <vigil/error.hpp>
#include <vigil/time.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {

/// What kind of day a date is on the official calendar.
enum class day_kind : std::uint8_t {
    weekday,   ///< an ordinary Monday–Friday: working
    weekend,   ///< an ordinary Saturday/Sunday: not working
    holiday,   ///< a day of an official break (listed `holiday`): not working
    workday,   ///< a Saturday/Sunday made a working day (listed `workday`, 调休): working
};
std::string_view to_string(day_kind k) noexcept;  ///< "weekday", "weekend", "holiday", "workday"

/// One date on the calendar.
struct calendar_day {
    vigil::date date;
    day_kind kind = day_kind::weekday;
    bool working = true;
    std::string name;    ///< the break's name for listed dates ("国庆节"), else empty
    std::string notice;  ///< the notice a listed date comes from, else empty
};

class calendar {
public:
    /// Parse a calendar CSV (see above). `source` names it in diagnostics; every bad row is reported.
    static result<calendar> parse(std::string_view csv, std::string_view source = "<buffer>");

    /// The notice years covered, ascending.
    const std::vector<int>& years() const noexcept;
    bool covers(vigil::date d) const noexcept;
    /// Where the calendar came from ("<builtin:calendar/cn.csv>", a file name).
    const std::string& source() const noexcept;
    /// Every listed date, ascending.
    const std::vector<calendar_day>& listed() const noexcept;

    /// The day `d` is; errc::out_of_range when its year is not covered.
    result<calendar_day> day(vigil::date d) const;
    result<bool> is_working_day(vigil::date d) const;
    /// The n-th working day after `d` (n > 0), before it (n < 0), or `d` itself (n == 0).
    result<vigil::date> add_working_days(vigil::date d, int n) const;
    /// The number of working days from `from` to `to`, both included (errc::invalid_input if from > to).
    result<int> working_days(vigil::date from, vigil::date to) const;

private:
    calendar() = default;
    struct data;
    std::shared_ptr<const data> d_;
};

/// The calendar built into the library (data/calendar/cn.csv at build time).
result<calendar> builtin_calendar();
/// Read a calendar CSV file (errc::io_error when it cannot be read).
result<calendar> load_calendar_file(const std::string& path);

}  // namespace v0
}  // namespace vigil
