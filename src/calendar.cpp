// The official working-day calendar, from data (data/calendar/cn.csv or a file given at run time).
#include <vigil/calendar.hpp>

#include "detail/embedded.hpp"
#include "detail/limits.hpp"

#include <vigil/detail/csv.hpp>

#include <algorithm>
#include <map>
#include <sstream>

namespace vigil {
inline namespace v0 {

namespace gr = boost::gregorian;

std::string_view to_string(day_kind k) noexcept {
    switch (k) {
    case day_kind::weekday: return "weekday";
    case day_kind::weekend: return "weekend";
    case day_kind::holiday: return "holiday";
    case day_kind::workday: return "workday";
    }
    return "?";
}

struct statutory_day {
    int month = 0, day = 0;
    std::string name, clause;
};

struct calendar::data {
    std::string source;
    std::vector<int> years;
    std::vector<calendar_day> listed;  // ascending by date
    bool provisional = false;
    std::vector<statutory_day> fixed;  // provisional only: the fixed-date statutory holidays
};

namespace {

using detail::max_calendar_bytes;

bool is_weekend(date d) {
    auto w = d.day_of_week().as_number();
    return w == 0 || w == 6;
}

std::string range_text(const std::vector<int>& years) {
    if (years.empty()) return "none";
    std::string s;
    std::size_t i = 0;
    while (i < years.size()) {
        std::size_t j = i;
        while (j + 1 < years.size() && years[j + 1] == years[j] + 1) ++j;
        if (!s.empty()) s += ", ";
        s += std::to_string(years[i]);
        if (j > i) s += "–" + std::to_string(years[j]);
        i = j + 1;
    }
    return s;
}

}  // namespace

result<calendar> calendar::parse(std::string_view text, std::string_view source) {
    const std::string src(source);
    std::vector<diagnostic> diags;
    auto fail = [&](int line, int col, std::string_view id, message_args args = {}) {
        diags.push_back(diagnostic::of(src, line, col, "", id, std::move(args)));
    };
    if (text.size() > max_calendar_bytes) {
        fail(0, 0, "calendar.too_large", {{"size", std::to_string(text.size())}, {"max", std::to_string(max_calendar_bytes)}});
        return error{errc::too_large, std::move(diags)};
    }
    auto d = std::make_shared<data>();
    d->source = src;
    std::map<date, calendar_day> rows;
    int line_no = 0;
    bool header = false;
    detail::csv::options copt;
    copt.comments = true;  // '#' lines: notes in the file
    detail::csv::reader csv(text, copt);
    std::vector<detail::csv::field> f;
    for (;;) {
        const auto got = csv.next(f);
        line_no = static_cast<int>(csv.lines());
        if (got == detail::csv::reader::got::end) break;
        if (got == detail::csv::reader::got::error) {
            const auto& p = csv.error();
            fail(static_cast<int>(p.line), static_cast<int>(p.column), p.id, p.args);
            continue;  // the reader goes on at the next line: every bad row is reported
        }
        const int at = static_cast<int>(f.front().line);
        auto col = [&](std::size_t k) { return static_cast<int>(f[k].column); };
        if (!header) {
            if (f.size() != 5 || f[0].text != "date" || f[1].text != "kind" || f[2].text != "name" || f[3].text != "year" ||
                f[4].text != "notice") {
                fail(at, 1, "calendar.expected_header");
                return error{errc::parse_error, std::move(diags)};
            }
            header = true;
            continue;
        }
        if (f.size() != 5) {
            fail(at, 1, "calendar.field_count", {{"found", std::to_string(f.size())}});
            continue;
        }
        auto dt = parse_date(f[0].text);
        if (!dt) {
            const error e = dt.error();  // error() gives a copy: keep it alive over the loop
            for (const auto& d : e.diagnostics) fail(at, col(0), d.id, d.args);
            continue;
        }
        calendar_day day;
        day.date = *dt;
        const std::string& kind = f[1].text;
        if (kind == "holiday") {
            day.kind = day_kind::holiday;
            day.working = false;
        } else if (kind == "workday") {
            day.kind = day_kind::workday;
            day.working = true;
            if (!is_weekend(*dt))
                fail(at, col(1), "calendar.workday_not_weekend",
                     {{"date", format_date(*dt)}, {"weekday", "weekday." + std::to_string(dt->day_of_week().as_number())}});
        } else {
            fail(at, col(1), "calendar.bad_kind", {{"found", kind}});
            continue;
        }
        day.name = f[2].text;
        const std::string& y = f[3].text;
        int year = 0;
        bool ok = y.size() == 4;  // checked before a digit is taken: no overflow on a long field
        for (std::size_t k = 0; ok && k < y.size(); ++k) {
            ok = y[k] >= '0' && y[k] <= '9';
            year = year * 10 + (y[k] - '0');
        }
        if (!ok) {
            fail(static_cast<int>(f[3].line), col(3), "calendar.bad_year", {{"found", y}});
            continue;
        }
        if (year != dt->year() && !(year == dt->year() + 1 && dt->month() == 12) && !(year == dt->year() - 1 && dt->month() == 1)) {
            fail(static_cast<int>(f[3].line), col(3), "calendar.year_cannot_set", {{"year", std::to_string(year)}, {"date", format_date(*dt)}});
            continue;
        }
        day.notice = f[4].text;
        day.year = year;
        if (day.notice.empty()) fail(static_cast<int>(f[4].line), col(4), "calendar.missing_notice");
        if (!rows.emplace(*dt, day).second) fail(at, 1, "calendar.duplicate_date", {{"date", format_date(*dt)}});
        if (std::find(d->years.begin(), d->years.end(), year) == d->years.end()) d->years.push_back(year);
    }
    if (!header) fail(line_no, 0, "calendar.empty");
    else if (rows.empty() && diags.empty()) fail(line_no, 0, "calendar.no_dates");
    if (!diags.empty()) return error{errc::parse_error, std::move(diags)};
    std::sort(d->years.begin(), d->years.end());
    for (auto& [k, v] : rows) d->listed.push_back(std::move(v));
    calendar c;
    c.d_ = std::move(d);
    return c;
}

const std::vector<int>& calendar::years() const noexcept { return d_->years; }
const std::string& calendar::source() const noexcept { return d_->source; }
const std::vector<calendar_day>& calendar::listed() const noexcept { return d_->listed; }

bool calendar::covers(date d) const noexcept {
    return !d.is_special() && std::binary_search(d_->years.begin(), d_->years.end(), static_cast<int>(d.year()));
}

std::string calendar::years_text() const { return range_text(d_->years); }

int calendar::missing_year(date d) const noexcept {
    if (d.is_special()) return 0;
    const int y = static_cast<int>(d.year());
    if (!std::binary_search(d_->years.begin(), d_->years.end(), y)) return y;
    if (d.month() == 12 && d.day() >= 25 && !std::binary_search(d_->years.begin(), d_->years.end(), y + 1)) return y + 1;
    return 0;
}

bool calendar::settled(date d) const noexcept { return !d.is_special() && missing_year(d) == 0; }

bool calendar::is_provisional() const noexcept { return d_->provisional; }

std::string calendar::provisional_note() {
    return render_message("calendar.provisional_note", {});
}

calendar calendar::provisional() const {
    auto d = std::make_shared<data>(*d_);
    d->provisional = true;
    d->fixed.clear();
    // data/calendar/cn_statutory.csv: month_day,name,clause; rows whose date is not MM-DD (lunar,
    // solar_term) are the holidays only a notice can date.
    detail::csv::options copt;
    copt.comments = true;
    const auto t = detail::csv::read_all(detail::embedded("calendar/cn_statutory.csv"), copt);
    for (const auto& f : t.records) {
        if (f.size() != 3) continue;
        const std::string& md = f[0].text;
        if (md.size() != 5 || md[2] != '-' || md[0] < '0' || md[0] > '1') continue;
        statutory_day s;
        s.month = (md[0] - '0') * 10 + (md[1] - '0');
        s.day = (md[3] - '0') * 10 + (md[4] - '0');
        s.name = f[1].text;
        s.clause = f[2].text;
        d->fixed.push_back(std::move(s));
    }
    calendar c;
    c.d_ = std::move(d);
    return c;
}

result<calendar_day> calendar::day(date d) const {
    if (!d.is_special() && !settled(d) && d_->provisional) {
        calendar_day c;
        c.date = d;
        c.provisional = true;
        c.kind = is_weekend(d) ? day_kind::weekend : day_kind::weekday;
        for (const auto& s : d_->fixed)
            if (s.month == d.month() && s.day == d.day()) {
                c.kind = day_kind::holiday;
                c.name = s.name;
                c.notice = s.clause;
            }
        c.working = c.kind == day_kind::weekday;
        return c;
    }
    if (!settled(d)) {
        if (!d.is_special() && covers(d))
            return error{errc::out_of_range, "calendar.may_be_moved",
                         {{"date", format_date(d)}, {"year", std::to_string(missing_year(d))}, {"years", range_text(d_->years)},
                          {"source", d_->source}}};
        if (d.is_special())
            return error{errc::out_of_range, "calendar.invalid_date_outside", {{"years", range_text(d_->years)}, {"source", d_->source}}};
        return error{errc::out_of_range, "calendar.outside",
                     {{"date", format_date(d)}, {"years", range_text(d_->years)}, {"source", d_->source}}};
    }
    auto it = std::lower_bound(d_->listed.begin(), d_->listed.end(), d,
                               [](const calendar_day& c, date x) { return c.date < x; });
    if (it != d_->listed.end() && it->date == d) return *it;
    calendar_day c;
    c.date = d;
    c.kind = is_weekend(d) ? day_kind::weekend : day_kind::weekday;
    c.working = c.kind == day_kind::weekday;
    return c;
}

result<bool> calendar::is_working_day(date d) const {
    auto c = day(d);
    if (!c) return c.error();
    return c->working;
}

result<date> calendar::add_working_days(date d, int n) const {
    auto w = walk_working_days(d, n);
    if (!w) return w.error();
    return w->end;
}

namespace {
// A provisional calendar answers every date, so the walk and the periods bound themselves by the
// years vigil accepts (vigil::min_year..max_year), not by the calendar's years.
bool in_vigil_years(date d) { return !d.is_special() && d.year() >= min_year && d.year() <= max_year; }
error beyond_vigil_years(std::string_view id, int n, date from) {
    return error{errc::out_of_range, id,
                 {{"n", std::to_string(n)}, {"date", format_date(from)}, {"min", std::to_string(min_year)}, {"max", std::to_string(max_year)}}};
}
}  // namespace

result<working_day_walk> calendar::walk_working_days(date d, int n) const {
    if (!covers(d) && !d_->provisional) return day(d).error();
    if (!in_vigil_years(d)) return beyond_vigil_years("calendar.walk_beyond_years", n, d);
    working_day_walk w;
    w.start = d;
    w.n = n;
    const int step = n < 0 ? -1 : 1;
    std::int64_t left = n < 0 ? -static_cast<std::int64_t>(n) : n;  // -INT_MIN does not fit an int
    while (left > 0) {
        d += gr::days(step);
        if (!in_vigil_years(d)) return beyond_vigil_years("calendar.walk_beyond_years", n, w.start);
        auto c = day(d);
        if (!c) return c.error();
        w.provisional = w.provisional || c->provisional;
        if (c->working) --left;
        if (c->kind != day_kind::weekday) w.passed.push_back(std::move(*c));
    }
    w.end = d;
    return w;
}

namespace {
std::string date_run(date a, date b) {
    if (a == b) return format_date(a);
    if (b < a) std::swap(a, b);
    std::string sb = format_date(b);
    if (a.year() == b.year() && a.month() == b.month()) sb = sb.substr(8);
    else if (a.year() == b.year()) sb = sb.substr(5);
    return format_date(a) + "…" + sb;
}

std::string day_label(const calendar_day& c) {
    if (c.kind == day_kind::holiday) return c.name + " holiday" + (c.provisional ? ", provisional" : "");
    if (c.kind == day_kind::weekend) return std::string("weekend") + (c.provisional ? ", provisional" : "");
    return c.name + " make-up working day";
}

// "skipped A…B (label), …" over runs of consecutive non-working days with one label, then the
// make-up working days counted.
std::string passed_text(const std::vector<calendar_day>& passed) {
    std::vector<std::string> skipped, counted;
    std::size_t i = 0;
    while (i < passed.size()) {
        const auto& c = passed[i];
        if (c.working) {
            counted.push_back(std::string(c.date.day_of_week().as_long_string()) + " " + format_date(c.date) + " (" +
                              day_label(c) + ")");
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j + 1 < passed.size() && !passed[j + 1].working && day_label(passed[j + 1]) == day_label(c) &&
               (passed[j + 1].date - passed[j].date).days() * (passed[j + 1].date - passed[j].date).days() == 1)
            ++j;
        skipped.push_back(date_run(c.date, passed[j].date) + " (" + day_label(c) + ")");
        i = j + 1;
    }
    std::string s;
    for (const auto& x : skipped) s += (s.empty() ? "skipped " : ", skipped ") + x;
    for (const auto& x : counted) s += (s.empty() ? "counted " : ", counted ") + x;
    return s;
}
}  // namespace

std::string working_day_walk::explanation() const { return passed_text(passed); }

namespace {
date month_end(int y, int m) { return date(static_cast<unsigned short>(y), static_cast<unsigned short>(m), 1).end_of_month(); }
}  // namespace

result<legal_period> calendar::add_calendar_days(date anchor, int n) const {
    if (n < 0) return error{errc::invalid_input, "calendar.negative_days", {{"n", std::to_string(n)}}};
    legal_period p;
    p.anchor = anchor;
    // Bounded before adding: a date far past 9999 makes boost throw from year(), not from +.
    if (!in_vigil_years(anchor) || n > (date(max_year, 12, 31) - anchor).days())
        return beyond_vigil_years("calendar.days_beyond_years", n, anchor);
    p.nominal_last = anchor + gr::days(n);
    date d = p.nominal_last;
    for (;;) {
        auto c = day(d);
        if (!c) return c.error();
        p.provisional = p.provisional || c->provisional;
        if (c->working) break;
        p.moved_over.push_back(std::move(*c));
        d += gr::days(1);
        if (!in_vigil_years(d)) return beyond_vigil_years("calendar.days_beyond_years", n, anchor);
    }
    p.last = d;
    p.explanation = "+" + std::to_string(n) + (n == 1 ? " day" : " days") + " after " + format_date(anchor) +
                    " (that day not counted, 民法典 第二百零一条) = " + format_date(p.nominal_last);
    if (!p.moved_over.empty())
        p.explanation += ", a " + std::string(p.moved_over.front().kind == day_kind::holiday ? "holiday" : "rest day") +
                         "; " + passed_text(p.moved_over) + ": the last day is the next working day, " +
                         std::string(p.last.day_of_week().as_long_string()) + " " + format_date(p.last) +
                         " (第二百零三条)";
    return p;
}

result<legal_period> calendar::add_months(date anchor, int n) const {
    if (n < 0) return error{errc::invalid_input, "calendar.negative_months", {{"n", std::to_string(n)}}};
    if (anchor.is_special()) return error{errc::invalid_input, "an invalid date"};
    // In 64 bits: year * 12 + INT_MAX overflows an int.
    const std::int64_t total = std::int64_t{anchor.year()} * 12 + (anchor.month() - 1) + n;
    if (total / 12 > max_year) return beyond_vigil_years("calendar.months_beyond_years", n, anchor);
    const int y = static_cast<int>(total / 12), m = static_cast<int>(total % 12) + 1;
    const date end = month_end(y, m);
    const bool has_day = anchor.day() <= end.day();
    const date nominal = has_day ? date(static_cast<unsigned short>(y), static_cast<unsigned short>(m), anchor.day()) : end;
    auto p = add_calendar_days(nominal, 0);
    if (!p) return p.error();
    p->anchor = anchor;
    std::string why = "+" + std::to_string(n) + (n == 1 ? " month" : " months") + " after " + format_date(anchor) +
                      " = " + format_date(nominal) +
                      (has_day ? " (the same day of the month, 民法典 第二百零二条)"
                               : " (that month has no day " + std::to_string(anchor.day()) +
                                     ": its last day, 民法典 第二百零二条)");
    auto cut = p->explanation.find(", a ");
    p->explanation = why + (cut == std::string::npos ? "" : p->explanation.substr(cut));
    return p;
}

result<int> calendar::working_days(date from, date to) const {
    if (from > to)
        return error{errc::invalid_input, "calendar.backwards", {{"from", format_date(from)}, {"to", format_date(to)}}};
    int n = 0;
    for (date d = from; d <= to; d += gr::days(1)) {
        auto c = day(d);
        if (!c) return c.error();
        n += c->working ? 1 : 0;
    }
    return n;
}

}  // namespace v0
}  // namespace vigil
