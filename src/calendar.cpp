// The official working-day calendar, from data (data/calendar/cn.csv or a file given at run time).
#include <vigil/calendar.hpp>

#include "detail/embedded.hpp"

#include <algorithm>
#include <fstream>
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

struct calendar::data {
    std::string source;
    std::vector<int> years;
    std::vector<calendar_day> listed;  // ascending by date
};

namespace {

constexpr std::size_t max_calendar_bytes = 1u << 20;

bool is_weekend(date d) {
    auto w = d.day_of_week().as_number();
    return w == 0 || w == 6;
}

std::vector<std::string_view> split(std::string_view line) {
    std::vector<std::string_view> f;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i) {
        if (i == line.size() || line[i] == ',') {
            f.push_back(line.substr(start, i - start));
            start = i + 1;
        }
    }
    return f;
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
    auto fail = [&](int line, int col, std::string msg) { diags.push_back(diagnostic{src, line, col, "", std::move(msg)}); };
    if (text.size() > max_calendar_bytes) {
        fail(0, 0, "calendar is " + std::to_string(text.size()) + " bytes; at most " + std::to_string(max_calendar_bytes) +
                       " are accepted");
        return error{errc::too_large, std::move(diags)};
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    auto d = std::make_shared<data>();
    d->source = src;
    std::map<date, calendar_day> rows;
    int line_no = 0;
    bool header = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line[0] == '#') continue;
        auto f = split(line);
        if (!header) {
            if (f.size() != 5 || f[0] != "date" || f[1] != "kind" || f[2] != "name" || f[3] != "year" || f[4] != "notice") {
                fail(line_no, 1, "expected the header \"date,kind,name,year,notice\"");
                return error{errc::parse_error, std::move(diags)};
            }
            header = true;
            continue;
        }
        if (f.size() != 5) {
            fail(line_no, 1, "expected 5 fields (date,kind,name,year,notice), found " + std::to_string(f.size()));
            continue;
        }
        auto dt = parse_date(f[0]);
        if (!dt) {
            fail(line_no, 1, dt.error().message());
            continue;
        }
        calendar_day day;
        day.date = *dt;
        const int col_kind = static_cast<int>(f[0].size()) + 2;
        if (f[1] == "holiday") {
            day.kind = day_kind::holiday;
            day.working = false;
        } else if (f[1] == "workday") {
            day.kind = day_kind::workday;
            day.working = true;
            if (!is_weekend(*dt))
                fail(line_no, col_kind, format_date(*dt) + " is a " + std::string(dt->day_of_week().as_long_string()) +
                                           ": a `workday` row makes a Saturday or Sunday a working day");
        } else {
            fail(line_no, col_kind, "expected kind \"holiday\" or \"workday\"; found \"" + std::string(f[1]) + "\"");
            continue;
        }
        day.name = std::string(f[2]);
        const int col_year = col_kind + static_cast<int>(f[1].size() + f[2].size()) + 2;
        int year = 0;
        bool ok = !f[3].empty() && f[3].size() == 4;
        for (char c : f[3]) ok = ok && c >= '0' && c <= '9', year = year * 10 + (c - '0');
        if (!ok) {
            fail(line_no, col_year, "expected the notice's year (4 digits); found \"" + std::string(f[3]) + "\"");
            continue;
        }
        if (year != dt->year() && !(year == dt->year() + 1 && dt->month() == 12) && !(year == dt->year() - 1 && dt->month() == 1)) {
            fail(line_no, col_year, "a notice for " + std::to_string(year) + " cannot set " + format_date(*dt));
            continue;
        }
        day.notice = std::string(f[4]);
        if (day.notice.empty()) fail(line_no, col_year + static_cast<int>(f[3].size()) + 1, "expected the notice the date comes from");
        if (!rows.emplace(*dt, day).second) fail(line_no, 1, "duplicate date " + format_date(*dt));
        if (std::find(d->years.begin(), d->years.end(), year) == d->years.end()) d->years.push_back(year);
    }
    if (!header) fail(line_no, 0, "empty calendar: expected the header \"date,kind,name,year,notice\" and rows");
    else if (rows.empty() && diags.empty()) fail(line_no, 0, "the calendar lists no dates");
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

result<calendar_day> calendar::day(date d) const {
    if (!covers(d))
        return error{errc::out_of_range,
                     (d.is_special() ? std::string("an invalid date") : format_date(d)) +
                         " is outside the calendar's years (" + range_text(d_->years) + ", from " + d_->source +
                         "): the working days of that year are unknown; load a calendar that covers it"};
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
    if (!covers(d)) return day(d).error();
    const int step = n < 0 ? -1 : 1;
    int left = n < 0 ? -n : n;
    while (left > 0) {
        d += gr::days(step);
        auto c = day(d);
        if (!c) return c.error();
        if (c->working) --left;
    }
    return d;
}

result<int> calendar::working_days(date from, date to) const {
    if (from > to)
        return error{errc::invalid_input, "the range " + format_date(from) + " to " + format_date(to) +
                                              " runs backwards: expected FROM on or before TO"};
    int n = 0;
    for (date d = from; d <= to; d += gr::days(1)) {
        auto c = day(d);
        if (!c) return c.error();
        n += c->working ? 1 : 0;
    }
    return n;
}

result<calendar> builtin_calendar() {
    return calendar::parse(detail::embedded("calendar/cn.csv"), "<builtin:calendar/cn.csv>");
}

result<calendar> load_calendar_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return error{errc::io_error, {diagnostic{path, 0, 0, "", "cannot open the file for reading"}}};
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) return error{errc::io_error, {diagnostic{path, 0, 0, "", "read failed"}}};
    return calendar::parse(ss.str(), path);
}

}  // namespace v0
}  // namespace vigil
