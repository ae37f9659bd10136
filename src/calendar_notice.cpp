// The State Council's holiday notices, read from their text into calendar rows, and merged into a
// calendar. Pure: text in, rows out; the command line reads and writes the files.
#include <vigil/calendar.hpp>
#include <vigil/detail/csv.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace vigil {
inline namespace v0 {

namespace gr = boost::gregorian;

namespace {

// One line of the notice, its punctuation made half-width and its spaces dropped.
struct text_line {
    int number = 0;
    std::string text;
};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(s.size() - p.size()) == p; }
bool has(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

std::string normalise(std::string_view line) {
    static const std::pair<std::string_view, std::string_view> map[] = {
        {"（", "("}, {"）", ")"}, {"：", ":"}, {"，", ","}, {"　", ""}, {"；", ";"},
        {"０", "0"}, {"１", "1"}, {"２", "2"}, {"３", "3"}, {"４", "4"},
        {"５", "5"}, {"６", "6"}, {"７", "7"}, {"８", "8"}, {"９", "9"},
    };
    std::string out;
    std::size_t i = 0;
    while (i < line.size()) {
        const char c = line[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            ++i;
            continue;
        }
        bool done = false;
        for (const auto& [from, to] : map)
            if (line.substr(i, from.size()) == from) {
                out += to;
                i += from.size();
                done = true;
                break;
            }
        if (!done) out += line[i++];
    }
    return out;
}

constexpr std::string_view numerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

// "七、" -> 7 (one to ten, and 十一 … 十九); 0 when the line does not start an item.
int item_number(std::string_view s, std::size_t& len) {
    int n = 0;
    std::size_t i = 0;
    for (int k = 0; k < 2; ++k) {
        bool found = false;
        for (int j = 0; j < 10; ++j)
            if (s.substr(i, numerals[j].size()) == numerals[j]) {
                n = n == 10 ? 10 + j + 1 : j + 1;
                i += numerals[j].size();
                found = true;
                break;
            }
        if (!found) break;
    }
    if (n == 0 || s.substr(i, 3) != "、") return 0;
    len = i + 3;
    return n;
}

std::string chinese_number(int n) {
    if (n <= 10) return std::string(numerals[n - 1]);
    return std::string(numerals[9]) + std::string(numerals[n - 11]);
}

struct found_date {
    date d;
    std::size_t pos = 0, end = 0;  // byte offsets in the sentence
    int written_weekday = -1;      // 0 = Sunday … 6, as written beside the date; -1 when none
};

int weekday_of(std::string_view w) {
    static const std::pair<std::string_view, int> days[] = {{"一", 1}, {"二", 2}, {"三", 3}, {"四", 4}, {"五", 5},
                                                             {"六", 6}, {"日", 0}, {"天", 0}};
    for (const auto& [s, n] : days)
        if (starts_with(w, s)) return n;
    return -1;
}

std::string weekday_zh(int w) {
    static const char* names[] = {"日", "一", "二", "三", "四", "五", "六"};
    return std::string("星期") + names[w];
}

// Every date written in a sentence ("2018年12月30日", "2月4日", "10日" after a month), with the
// weekday written in the brackets after it.
result<std::vector<found_date>> scan_dates(std::string_view s, int default_year) {
    std::vector<found_date> out;
    int year = default_year, month = 0;
    std::size_t i = 0;
    std::size_t start = std::string_view::npos, last_end = std::string_view::npos;
    while (i < s.size()) {
        if (s[i] < '0' || s[i] > '9') {
            ++i;
            continue;
        }
        std::size_t j = i;
        long num = 0;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9' && num < 100000) num = num * 10 + (s[j++] - '0');
        if (start == std::string_view::npos || i != last_end) start = i;  // a date's parts follow each other
        last_end = j + 3;
        std::string_view unit = s.substr(j, 3);
        if (unit == "年") {
            year = static_cast<int>(num);
            i = j + 3;
        } else if (unit == "月") {
            month = static_cast<int>(num);
            i = j + 3;
        } else if (unit == "日") {
            if (month == 0)
                return error{errc::invalid_input, "notice.day_without_month", {{"text", std::string(s.substr(i, j + 3 - i))}}};
            found_date f;
            try {
                f.d = date(static_cast<unsigned short>(year), static_cast<unsigned short>(month), static_cast<unsigned short>(num));
            } catch (const std::exception&) {
                return error{errc::invalid_input, "notice.no_such_date",
                             {{"text", std::string(s.substr(start, j + 3 - start))}, {"year", std::to_string(year)}}};
            }
            f.pos = start;
            i = j + 3;
            if (i < s.size() && s[i] == '(') {
                std::size_t close = s.find(')', i);
                if (close != std::string_view::npos) {
                    std::string_view inside = s.substr(i + 1, close - i - 1);
                    for (std::string_view key : {"星期", "周"}) {
                        auto k = inside.find(key);
                        if (k != std::string_view::npos) {
                            f.written_weekday = weekday_of(inside.substr(k + key.size()));
                            break;
                        }
                    }
                    i = close + 1;
                }
            }
            f.end = i;
            out.push_back(f);
            start = std::string_view::npos;
        } else {
            i = j;
            start = std::string_view::npos;
        }
    }
    return out;
}

std::vector<std::string> split_names(std::string_view s) {
    std::vector<std::string> names;
    std::string cur;
    std::size_t i = 0;
    while (i <= s.size()) {
        if (i == s.size() || s.substr(i, 3) == "、" || s.substr(i, 3) == "和") {
            if (!cur.empty()) names.push_back(cur);
            cur.clear();
            i += 3;
            continue;
        }
        cur += s[i++];
    }
    return names;
}

bool is_weekend(date d) {
    auto w = d.day_of_week().as_number();
    return w == 0 || w == 6;
}

// Catalogue words (vigil/messages.hpp): a weekday, a weekday with its Chinese name beside it in
// English, a kind of day.
std::string weekday_id(int w) {
    static constexpr std::string_view ids[] = {"weekday.0", "weekday.1", "weekday.2", "weekday.3", "weekday.4", "weekday.5", "weekday.6"};
    return std::string(ids[w]);
}
std::string weekday_pair_id(int w) {
    static constexpr std::string_view ids[] = {"notice.weekday_0", "notice.weekday_1", "notice.weekday_2", "notice.weekday_3",
                                               "notice.weekday_4", "notice.weekday_5", "notice.weekday_6"};
    return std::string(ids[w]);
}
std::string day_kind_id(day_kind k) {
    switch (k) {
    case day_kind::holiday: return "notice.kind_holiday";
    case day_kind::workday: return "notice.kind_workday";
    case day_kind::weekend: return "notice.kind_weekend";
    case day_kind::weekday: break;
    }
    return "notice.kind_weekday";
}

}  // namespace

std::string holiday_notice::reference() const {
    std::vector<std::string> parts;
    if (!number.empty()) parts.push_back(number);
    if (issued) parts.push_back(format_date(*issued));
    if (!source.empty()) parts.push_back(source);
    if (parts.empty()) return title;
    std::string s = title + " (";
    for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? "; " : "") + parts[i];
    return s + ")";
}

result<holiday_notice> parse_holiday_notice(std::string_view text, std::string_view name, std::string_view source) {
    const std::string src(name);
    std::vector<diagnostic> diags;
    auto fail = [&](int line, std::string_view id, message_args args) {
        diags.push_back(diagnostic::of(src, line, 0, "", id, std::move(args)));
    };
    if (text.size() > (1u << 20)) {
        fail(0, "notice.too_large", {{"size", std::to_string(text.size())}});
        return error{errc::too_large, std::move(diags)};
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<text_line> lines;
    {
        std::size_t pos = 0;
        int n = 0;
        while (pos <= text.size()) {
            std::size_t end = text.find('\n', pos);
            if (end == std::string_view::npos) end = text.size();
            ++n;
            auto l = normalise(text.substr(pos, end - pos));
            if (!l.empty()) lines.push_back({n, std::move(l)});
            pos = end + 1;
        }
    }
    holiday_notice nt;
    nt.source = std::string(source);
    // The title: 国务院办公厅关于…的通知, possibly broken over two lines.
    std::size_t t = 0;
    while (t < lines.size() && !starts_with(lines[t].text, "国务院办公厅关于")) ++t;
    if (t == lines.size()) {
        fail(0, "notice.no_title", {});
        return error{errc::invalid_input, std::move(diags)};
    }
    nt.title = lines[t].text;
    const int title_line = lines[t].number;
    std::size_t body = t + 1;
    if (!ends_with(nt.title, "通知") && body < lines.size() && ends_with(lines[body].text, "通知")) nt.title += lines[body++].text;
    if (!ends_with(nt.title, "通知") || has(nt.title, ",")) {
        fail(title_line, "notice.title_end", {{"title", nt.title}});
        return error{errc::invalid_input, std::move(diags)};
    }
    {
        auto y = nt.title.find("年");
        std::size_t k = y == std::string::npos ? 0 : y;  // no 年: no year to look back from
        while (k > 0 && nt.title[k - 1] >= '0' && nt.title[k - 1] <= '9') --k;
        if (y == std::string::npos || y - k != 4) {
            fail(title_line, "notice.title_year", {{"title", nt.title}});
            return error{errc::invalid_input, std::move(diags)};
        }
        nt.year = std::stoi(nt.title.substr(k, 4));
        if (has(nt.title, "部分节假日安排")) {
            nt.type = holiday_notice::kind::annual;
        } else if (has(nt.title, "调整") || has(nt.title, "延长")) {
            nt.type = has(nt.title, "延长") ? holiday_notice::kind::extension : holiday_notice::kind::adjustment;
            auto a = y + 3, b = nt.title.find("假期", a);
            if (b == std::string::npos || b == a) {
                fail(title_line, "notice.title_break", {});
                return error{errc::invalid_input, std::move(diags)};
            }
            nt.break_name = nt.title.substr(a, b - a);
        } else {
            fail(title_line, "notice.not_holiday", {{"title", nt.title}});
            return error{errc::invalid_input, std::move(diags)};
        }
    }
    // The number (国办发明电〔2025〕7号) right under the title, the date under the signature.
    if (body < lines.size() && has(lines[body].text, "〔") && ends_with(lines[body].text, "号") && lines[body].text.size() < 60)
        nt.number = lines[body++].text;
    for (std::size_t k = lines.size(); k-- > body;) {
        std::string_view l = lines[k].text;
        if (starts_with(l, "国务院办公厅")) l.remove_prefix(std::string_view("国务院办公厅").size());
        auto ds = scan_dates(l, 0);
        if (ds && ds->size() == 1 && (*ds)[0].pos == 0 && (*ds)[0].end == l.size() && has(l, "年")) {
            nt.issued = (*ds)[0].d;
            break;
        }
        if (starts_with(lines[k].text, "国务院办公厅")) break;
    }
    // The preamble's list of holidays (annual notices).
    std::set<std::string> named;
    int preamble_line = 0;
    for (std::size_t k = body; k < lines.size(); ++k) {
        const auto& l = lines[k].text;
        auto a = l.find("现将"), b = l.find("放假调休日期");
        if (a == std::string::npos || b == std::string::npos || b < a) continue;
        auto y = l.find("年", a);
        if (y == std::string::npos || y > b) continue;
        for (auto& n : split_names(std::string_view(l).substr(y + 3, b - y - 3))) named.insert(n);
        preamble_line = lines[k].number;
        break;
    }
    if (nt.type == holiday_notice::kind::annual && named.empty())
        fail(0, "notice.no_preamble", {});

    std::set<std::string> itemised;
    std::map<date, int> set_at;  // date -> line
    int expected_item = 1;
    auto add_row = [&](int line, date d, day_kind k, const std::string& nm) {
        const int dy = static_cast<int>(d.year());
        if (!(dy == nt.year || (dy == nt.year - 1 && d.month() == 12) || (dy == nt.year + 1 && d.month() == 1))) {
            fail(line, "calendar.year_cannot_set", {{"year", std::to_string(nt.year)}, {"date", format_date(d)}});
            return;
        }
        if (k == day_kind::workday && !is_weekend(d)) {
            fail(line, "notice.workday_not_weekend", {{"date", format_date(d)}, {"weekday", weekday_id(d.day_of_week().as_number())}});
            return;
        }
        if (auto it = set_at.find(d); it != set_at.end()) {
            fail(line, "notice.set_twice", {{"date", format_date(d)}, {"other", std::to_string(it->second)}});
            return;
        }
        set_at[d] = line;
        calendar_day c;
        c.date = d;
        c.kind = k;
        c.working = k == day_kind::workday;
        c.name = nm;
        c.year = nt.year;
        nt.rows.push_back(std::move(c));
    };
    for (std::size_t k = body; k < lines.size(); ++k) {
        std::size_t len = 0;
        const int num = item_number(lines[k].text, len);
        if (num == 0) continue;
        const int line = lines[k].number;
        if (num != expected_item)
            fail(line, "notice.item_order", {{"item", chinese_number(num)}, {"expected", chinese_number(expected_item)}});
        expected_item = num + 1;
        std::string_view rest = std::string_view(lines[k].text).substr(len);
        std::string holiday = nt.break_name;
        auto colon = rest.find(':');
        if (nt.type == holiday_notice::kind::annual) {
            if (colon == std::string_view::npos) {
                fail(line, "notice.item_colon", {{"item", chinese_number(num)}});
                continue;
            }
            holiday = std::string(rest.substr(0, colon));
            for (auto& n : split_names(holiday)) {
                itemised.insert(n);
                if (!named.empty() && !named.count(n))
                    fail(line, "notice.item_not_in_preamble",
                         {{"item", chinese_number(num)}, {"holiday", n}, {"preamble", std::to_string(preamble_line)}});
            }
            rest.remove_prefix(colon + 1);
        }
        // Sentences end with 。
        std::size_t sp = 0;
        while (sp < rest.size()) {
            std::size_t se = rest.find("。", sp);
            if (se == std::string_view::npos) se = rest.size();
            std::string_view sentence = rest.substr(sp, se - sp);
            sp = se + 3;
            if (sentence.empty()) continue;
            auto dates = scan_dates(sentence, nt.year);
            if (!dates) {
                for (auto d : dates.error().diagnostics) {
                    d.source = src;
                    d.line = line;
                    diags.push_back(std::move(d));
                }
                continue;
            }
            if (dates->empty()) continue;
            bool weekdays_ok = true;
            for (const auto& f : *dates)
                if (f.written_weekday >= 0 && f.written_weekday != f.d.day_of_week().as_number()) {
                    fail(line, "notice.wrong_weekday",
                         {{"text", std::string(sentence.substr(f.pos, f.end - f.pos))},
                          {"date", format_date(f.d)},
                          {"weekday", weekday_pair_id(f.d.day_of_week().as_number())},
                          {"written", weekday_zh(f.written_weekday)}});
                    weekdays_ok = false;
                }
            if (!weekdays_ok) continue;
            if (nt.type == holiday_notice::kind::extension && has(sentence, "延长")) {
                auto to = sentence.find("至");
                const found_date* end = nullptr;
                for (const auto& f : *dates)
                    if (to != std::string_view::npos && f.pos > to) {
                        end = &f;
                        break;
                    }
                if (!end) {
                    fail(line, "notice.no_new_last_day", {});
                    continue;
                }
                nt.extended_to = end->d;
                itemised.insert(holiday);
                continue;
            }
            if (has(sentence, "放假")) {
                const auto hol = sentence.find("放假");
                std::vector<found_date> before;
                for (const auto& f : *dates)
                    if (f.pos < hol) before.push_back(f);
                if (before.empty() || before.size() > 2) {
                    fail(line, "notice.dates_before_break", {{"sentence", std::string(sentence)}});
                    continue;
                }
                date a = before.front().d, b = before.back().d;
                if (before.size() == 2 && !has(sentence.substr(before[0].end, before[1].pos - before[0].end), "至")) {
                    fail(line, "notice.range_without_zhi", {{"sentence", std::string(sentence)}});
                    continue;
                }
                if (b < a) {
                    fail(line, "notice.backwards", {{"from", format_date(a)}, {"to", format_date(b)}});
                    continue;
                }
                const long days = (b - a).days() + 1;
                for (std::string_view key : {"共", "放假"}) {
                    auto c = sentence.find(key, key == "放假" ? hol : 0);
                    if (c == std::string_view::npos) continue;
                    std::size_t q = c + key.size();
                    long count = 0;
                    bool digits = false;
                    while (q < sentence.size() && sentence[q] >= '0' && sentence[q] <= '9') count = count * 10 + (sentence[q++] - '0'), digits = true;
                    if (!digits || sentence.substr(q, 3) != "天") continue;
                    if (count != days)
                        fail(line, "notice.day_count",
                             {{"text", std::string(sentence.substr(c, q + 3 - c))},
                              {"from", format_date(a)},
                              {"to", format_date(b)},
                              {"days", std::to_string(days)},
                              {"unit", days == 1 ? "notice.day" : "notice.days"}});
                    break;
                }
                std::vector<date> weekend;
                if (has(sentence, "与周末连休")) {
                    const int w = a.day_of_week().as_number();
                    if (before.size() != 1 || (w != 1 && w != 5)) {
                        fail(line, "notice.weekend_join", {{"date", format_date(a)}, {"weekday", weekday_id(a.day_of_week().as_number())}});
                        continue;
                    }
                    if (w == 1) weekend = {a - gr::days(2), a - gr::days(1)};
                    else weekend = {a + gr::days(1), a + gr::days(2)};
                }
                for (date d : weekend)
                    if (d < a) add_row(line, d, day_kind::holiday, holiday);
                for (date d = a; d <= b; d += gr::days(1)) add_row(line, d, day_kind::holiday, holiday);
                for (date d : weekend)
                    if (d > b) add_row(line, d, day_kind::holiday, holiday);
                itemised.insert(holiday);
                for (const auto& f : *dates)
                    if (f.pos > hol)
                        fail(line, "notice.date_after_break", {{"text", std::string(sentence.substr(f.pos, f.end - f.pos))}});
                continue;
            }
            if (has(sentence, "上班") && !has(sentence, "正常上班")) {
                for (const auto& f : *dates) add_row(line, f.d, day_kind::workday, holiday);
                continue;
            }
            if (has(sentence, "正常上班")) continue;  // 2月3日（星期一）起正常上班: the end of a break, weekday checked
            if (has(sentence, "鼓励")) {
                nt.note_messages.push_back(
                    diagnostic::of(src, line, 0, "", "notice.encourages", {{"line", std::to_string(line)}, {"sentence", std::string(sentence)}}));
                nt.notes.push_back(nt.note_messages.back().message);
                continue;
            }
            fail(line, "notice.sets_nothing", {{"sentence", std::string(sentence)}});
        }
    }
    if (nt.type == holiday_notice::kind::annual)
        for (const auto& n : named)
            if (!itemised.count(n))
                fail(preamble_line, "notice.preamble_unset", {{"holiday", n}});
    if (nt.type == holiday_notice::kind::extension && !nt.extended_to)
        fail(0, "notice.no_extension_item", {});
    if (nt.type != holiday_notice::kind::extension && nt.rows.empty() && diags.empty())
        fail(0, "notice.no_items", {});
    if (!diags.empty()) return error{errc::invalid_input, std::move(diags)};
    std::sort(nt.rows.begin(), nt.rows.end(), [](const calendar_day& x, const calendar_day& y) { return x.date < y.date; });
    const std::string ref = nt.reference();
    for (auto& r : nt.rows) r.notice = ref;
    return nt;
}

namespace {
bool from_title(const calendar_day& r, const std::string& title) {
    return r.notice == title || starts_with(r.notice, title + " (");
}
}  // namespace

result<std::vector<calendar_day>> apply_holiday_notice(std::vector<calendar_day> rows, const holiday_notice& nt) {
    // An earlier reading of the same notice is replaced.
    rows.erase(std::remove_if(rows.begin(), rows.end(), [&](const calendar_day& r) { return from_title(r, nt.title); }),
               rows.end());
    std::vector<calendar_day> add = nt.rows;
    const std::string ref = nt.reference();
    if (nt.type == holiday_notice::kind::adjustment)
        rows.erase(std::remove_if(rows.begin(), rows.end(),
                                  [&](const calendar_day& r) { return r.year == nt.year && r.name == nt.break_name; }),
                   rows.end());
    if (nt.type == holiday_notice::kind::extension) {
        std::optional<date> last;
        for (const auto& r : rows)
            if (r.year == nt.year && r.name == nt.break_name && r.kind == day_kind::holiday) last = r.date;
        if (!last)
            return error{errc::invalid_input, "notice.nothing_to_extend",
                         {{"title", nt.title}, {"holiday", nt.break_name}, {"year", std::to_string(nt.year)}}};
        if (*nt.extended_to <= *last)
            return error{errc::invalid_input, "notice.extension_shorter",
                         {{"title", nt.title}, {"holiday", nt.break_name}, {"to", format_date(*nt.extended_to)}, {"last", format_date(*last)}}};
        for (date d = *last + gr::days(1); d <= *nt.extended_to; d += gr::days(1)) {
            auto it = std::find_if(rows.begin(), rows.end(), [&](const calendar_day& r) { return r.date == d; });
            if (it != rows.end() && it->kind == day_kind::workday && it->name == nt.break_name && it->year == nt.year)
                rows.erase(it);  // a make-up working day the extension cancels
            calendar_day c;
            c.date = d;
            c.kind = day_kind::holiday;
            c.working = false;
            c.name = nt.break_name;
            c.year = nt.year;
            add.push_back(std::move(c));
        }
    }
    for (auto& a : add) {
        a.notice = ref;
        auto it = std::find_if(rows.begin(), rows.end(), [&](const calendar_day& r) { return r.date == a.date; });
        if (it != rows.end())
            return error{errc::invalid_input, "notice.already_set",
                         {{"title", nt.title},
                          {"date", format_date(a.date)},
                          {"kind", day_kind_id(a.kind)},
                          {"holiday", a.name},
                          {"other", it->notice},
                          {"other_kind", day_kind_id(it->kind)},
                          {"other_holiday", it->name}}};
        rows.push_back(a);
    }
    std::sort(rows.begin(), rows.end(), [](const calendar_day& x, const calendar_day& y) { return x.date < y.date; });
    return rows;
}

std::string calendar_csv(const std::vector<calendar_day>& rows) {
    std::string s = "date,kind,name,year,notice\n";
    for (const auto& r : rows)
        s += format_date(r.date) + "," + std::string(to_string(r.kind)) + "," + detail::csv::quote(r.name) + "," +
             std::to_string(r.year) + "," + detail::csv::quote(r.notice) + "\n";
    return s;
}

}  // namespace v0
}  // namespace vigil
