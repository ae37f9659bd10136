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
#include <optional>
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
    int year = 0;        ///< the year of that notice (listed dates), else 0
    /// Not from a notice: a provisional calendar's weekends and fixed-date statutory holidays, for a
    /// date whose year's notice is not loaded (see calendar::provisional()).
    bool provisional = false;
};

/// A count of working days walked on the calendar, with what it passed: the one walk behind every
/// working-day deadline, `vigil calendar add` and add_working_days, so that each explains itself
/// the same way.
struct working_day_walk {
    vigil::date start;                 ///< the day counted from (not itself counted)
    int n = 0;                         ///< working days walked (negative: backwards)
    vigil::date end;                   ///< the n-th working day
    std::vector<calendar_day> passed;  ///< every day passed that is not an ordinary weekday, in walking order
    bool provisional = false;          ///< some day passed (or the end) was answered provisionally
    /// "skipped 2026-10-01…07 (国庆节 holiday), skipped 2026-10-11 (weekend), counted Saturday
    /// 2026-10-10 (国庆节 make-up working day)" — empty when nothing but ordinary days were passed.
    std::string explanation() const;
};

/// A period of the 民法典 (第二百零一条–第二百零四条) counted in calendar days or months: the day
/// of the anchor is not counted, the period ends at 24:00 of its last day, and a last day that is a
/// statutory holiday or rest day moves to the next working day (第二百零三条).
struct legal_period {
    vigil::date anchor;          ///< the anchor's date (not counted)
    vigil::date nominal_last;    ///< anchor + N days, or the same day number N months later (or that month's last day)
    vigil::date last;            ///< the last day after 第二百零三条: the first working day on or after nominal_last
    std::vector<calendar_day> moved_over;  ///< the non-working days from nominal_last on that moved the end
    bool provisional = false;    ///< a day it depends on was answered provisionally
    std::string explanation;     ///< the arithmetic, for a person checking it
};

/// One notice of the State Council's General Office on the public holidays (国务院办公厅关于YYYY年
/// 部分节假日安排的通知), or a notice changing one (关于调整…/延长…假期的通知), read from its text.
struct holiday_notice {
    enum class kind : std::uint8_t { annual, adjustment, extension };
    std::string title;     ///< 国务院办公厅关于2026年部分节假日安排的通知
    std::string number;    ///< 国办发明电〔2025〕7号, when the text carries it
    std::optional<vigil::date> issued;  ///< the date under the signature
    std::string source;    ///< where the text comes from ("gov.cn content_7047091"), as given
    int year = 0;          ///< the year the notice arranges
    kind type = kind::annual;
    std::string break_name;          ///< adjustment/extension: the break it changes (劳动节, 春节)
    std::optional<vigil::date> extended_to;  ///< extension: the break's new last day
    std::vector<calendar_day> rows;  ///< the dates it sets (an extension's are filled in by apply)
    std::vector<std::string> notes;  ///< sentences that name dates but set none (鼓励…), said, not used
    /// The same notes as catalogue messages (vigil/messages.hpp), with their line, in the same order:
    /// to say them in Chinese.
    std::vector<diagnostic> note_messages;
    /// The calendar's `notice` field: "title (number; issued; source)", the parts known.
    std::string reference() const;
};

/// Read a notice's text as published (full- or half-width punctuation). Checks: the title and its
/// year, numbered items in order, every holiday the preamble names has its item and no other,
/// 共N天 / 放假N天 equal to the days listed, 与周末连休 only next to a weekend, every weekday
/// written beside a date true of that date, make-up working days on Saturdays or Sundays, no date
/// set twice. `name` names the text in diagnostics; `source` is recorded in the rows' notice.
result<holiday_notice> parse_holiday_notice(std::string_view text, std::string_view name = "<buffer>",
                                            std::string_view source = "");

/// Merge a notice's dates into calendar rows (ascending by date). An annual notice replaces the rows
/// an earlier reading of the same notice left; an adjustment replaces the rows of the break it
/// adjusts in its year; an extension adds the days after the break's last holiday up to its new
/// last day, replacing the make-up working days among them. Refused (naming the date and both
/// notices) when the notice would overwrite a date another notice set for another reason.
result<std::vector<calendar_day>> apply_holiday_notice(std::vector<calendar_day> rows, const holiday_notice& notice);

/// Calendar rows as the calendar CSV (header included), the format calendar::parse reads.
std::string calendar_csv(const std::vector<calendar_day>& rows);

class calendar {
public:
    /// Parse a calendar CSV (see above). `source` names it in diagnostics; every bad row is reported.
    static result<calendar> parse(std::string_view csv, std::string_view source = "<buffer>");

    /// The notice years covered, ascending.
    const std::vector<int>& years() const noexcept;
    /// "2019–2026" (runs of years joined by en dashes, gaps by commas).
    std::string years_text() const;
    bool covers(vigil::date d) const noexcept;
    /// Whether the day's answer is final: its year is covered and, in the last week of December
    /// (12-25..31), so is the next year, whose notice may move those days (the 2019 notice made
    /// 2018-12-29 a working day and 2018-12-30/31 holidays).
    bool settled(vigil::date d) const noexcept;
    /// The year whose notice is missing for `d` (its own, or the next one in late December); 0 when settled.
    int missing_year(vigil::date d) const noexcept;

    /// This calendar, answering dates it has not settled provisionally instead of refusing them:
    /// weekends and the fixed-date statutory holidays of 全国年节及纪念日放假办法 第二条 (元旦 1月1日,
    /// 劳动节 5月1日–2日, 国庆节 10月1日–3日), every such day marked `provisional`. The lunar- and
    /// solar-term holidays (春节, 清明节, 端午节, 中秋节) and the make-up working days are not known
    /// without the year's notice; provisional_note() says so.
    calendar provisional() const;
    bool is_provisional() const noexcept;
    /// What a provisional answer rests on and what it cannot know (one sentence, for explanations).
    static std::string provisional_note();
    /// Where the calendar came from ("<builtin:calendar/cn.csv>", a file name).
    const std::string& source() const noexcept;
    /// Every listed date, ascending.
    const std::vector<calendar_day>& listed() const noexcept;

    /// The day `d` is; errc::out_of_range when its year is not covered.
    result<calendar_day> day(vigil::date d) const;
    result<bool> is_working_day(vigil::date d) const;
    /// The n-th working day after `d` (n > 0), before it (n < 0), or `d` itself (n == 0).
    result<vigil::date> add_working_days(vigil::date d, int n) const;
    /// The same walk, with every holiday, weekend and make-up day it passed.
    result<working_day_walk> walk_working_days(vigil::date d, int n) const;
    /// N calendar days (N日内, N天内) from `anchor` as the 民法典 counts them (n >= 0).
    result<legal_period> add_calendar_days(vigil::date anchor, int n) const;
    /// N months (N个月; 每半年 = 6) from `anchor`: the same day number N months later, or that
    /// month's last day when it has none; then moved past holidays and rest days like calendar days.
    result<legal_period> add_months(vigil::date anchor, int n) const;
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
