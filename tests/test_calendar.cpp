// The official working-day calendar and the time helpers (tests/data/calendar/).
#include "test_support.hpp"

#include <vigil/calendar.hpp>
#include <vigil/time.hpp>

#include <sstream>

using namespace vigil;

namespace {

std::vector<std::pair<int, std::vector<std::string>>> words(const std::string& file) {
    std::ifstream in(test::data_path(file));
    std::vector<std::pair<int, std::vector<std::string>>> rows;
    std::string l;
    int n = 0;
    while (std::getline(in, l)) {
        ++n;
        if (test::trim(l).empty() || test::trim(l)[0] == '#') continue;
        std::istringstream s(l);
        std::vector<std::string> w;
        for (std::string x; s >> x;) w.push_back(x);
        rows.push_back({n, w});
    }
    return rows;
}

calendar cn() {
    auto c = builtin_calendar();
    REQUIRE(c);
    return *c;
}

}  // namespace

TEST_CASE("calendar: the built-in calendar covers the notices of 2019-2026") {
    auto c = cn();
    CHECK(c.years() == std::vector<int>{2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026});
    CHECK(c.listed().size() == 295);
    for (const auto& d : c.listed()) {
        CHECK(!d.notice.empty());
        CHECK(!d.name.empty());
        if (d.kind == day_kind::workday) {
            auto w = d.date.day_of_week().as_number();
            CHECK((w == 0 || w == 6));
        }
    }
}

TEST_CASE("calendar: add working days (tests/data/calendar/add.txt)") {
    auto c = cn();
    auto rows = words("calendar/add.txt");
    REQUIRE(rows.size() >= 30);
    for (const auto& [line, w] : rows) {
        INFO("add.txt line " << line << ": " << w[0] << " + " << w[1]);
        REQUIRE(w.size() == 3);
        auto d = parse_date(w[0]);
        REQUIRE(d);
        auto r = c.add_working_days(*d, std::stoi(w[1]));
        if (w[2] == "out_of_range") {
            REQUIRE(!r);
            CHECK(r.error().code == errc::out_of_range);
            // outside the years, or in the last week of 2026, which the 2027 notice may move
            CHECK_THAT(r.error().message(), Catch::Contains("(2019–2026"));
        } else {
            REQUIRE(r);
            CHECK(format_date(*r) == w[2]);
        }
    }
}

TEST_CASE("calendar: count working days, both ends included (tests/data/calendar/workdays.txt)") {
    auto c = cn();
    auto rows = words("calendar/workdays.txt");
    REQUIRE(rows.size() >= 15);
    for (const auto& [line, w] : rows) {
        INFO("workdays.txt line " << line << ": " << w[0] << " .. " << w[1]);
        REQUIRE(w.size() == 3);
        auto r = c.working_days(*parse_date(w[0]), *parse_date(w[1]));
        if (w[2] == "out_of_range" || w[2] == "invalid_input") {
            REQUIRE(!r);
            CHECK(r.error().code == (w[2] == "out_of_range" ? errc::out_of_range : errc::invalid_input));
        } else {
            REQUIRE(r);
            CHECK(*r == std::stoi(w[2]));
        }
    }
}

TEST_CASE("calendar: day kinds name the notice they come from") {
    auto c = cn();
    auto d = c.day(*parse_date("2026-10-10"));
    REQUIRE(d);
    CHECK(d->kind == day_kind::workday);
    CHECK(d->working);
    CHECK(d->name == "国庆节");
    CHECK_THAT(d->notice, Catch::Contains("2026年部分节假日安排"));
    auto e = c.day(*parse_date("2020-02-01"));  // a make-up Saturday cancelled by the 2020 extension
    REQUIRE(e);
    CHECK(e->kind == day_kind::holiday);
    CHECK_THAT(e->notice, Catch::Contains("延长2020年春节假期"));
    auto f = c.day(*parse_date("2026-03-14"));
    REQUIRE(f);
    CHECK(f->kind == day_kind::weekend);
    CHECK(!f->working);
    CHECK(f->notice.empty());
}

TEST_CASE("calendar: a newer calendar file is loaded at run time") {
    const std::string csv =
        "date,kind,name,year,notice\n"
        "2027-01-01,holiday,元旦,2027,a test notice for 2027\n"
        "2027-02-06,workday,春节,2027,a test notice for 2027\n";
    auto c = calendar::parse(csv, "test-2027.csv");
    REQUIRE(c);
    CHECK(c->years() == std::vector<int>{2027});
    auto r = c->add_working_days(*parse_date("2026-12-31"), 1);  // 2026 is not in this file
    REQUIRE(!r);
    CHECK(r.error().code == errc::out_of_range);
    auto s = c->add_working_days(*parse_date("2027-01-01"), 1);  // Friday 01-01 off; Monday 01-04
    REQUIRE(s);
    CHECK(format_date(*s) == "2027-01-04");
    auto t = c->is_working_day(*parse_date("2027-02-06"));
    REQUIRE(t);
    CHECK(*t);
}

TEST_CASE("calendar: the calendar CSV is read by the one CSV reader (quotes, CRLF, BOM, spaces, comments)") {
    const std::string csv =
        "\xEF\xBB\xBF# a note\r\n"
        "date, kind ,name,year,notice\r\n"
        "2027-01-01,holiday,\"元旦, New Year\",2027,\"a \"\"test\"\" notice\nfor 2027\"\r\n"
        "\r\n"
        " 2027-02-06 ,workday,春节,2027,a test notice for 2027\r\n";
    auto c = calendar::parse(csv, "quoted.csv");
    REQUIRE(c);
    REQUIRE(c->listed().size() == 2);
    CHECK(c->listed()[0].name == "元旦, New Year");
    CHECK(c->listed()[0].notice == "a \"test\" notice\nfor 2027");
    CHECK(c->listed()[1].kind == day_kind::workday);
    // the writer quotes what needs it, and what it writes reads back the same
    auto again = calendar::parse(calendar_csv(c->listed()), "again.csv");
    REQUIRE(again);
    CHECK(again->listed()[0].name == c->listed()[0].name);
    CHECK(again->listed()[0].notice == c->listed()[0].notice);
}

TEST_CASE("calendar: malformed calendar files are refused with the line") {
    struct bad {
        std::string csv, line_col, says;
    };
    const bad cases[] = {
        {"date,kind\n", ":1:1", "expected the header"},
        {"date,kind,name,year,notice\n2026-10-10,weekday,x,2026,n\n", ":2:12", "expected kind \"holiday\" or \"workday\""},
        {"date,kind,name,year,notice\n2026-10-12,workday,x,2026,n\n", ":2:12", "a `workday` row makes a Saturday or Sunday"},
        {"date,kind,name,year,notice\n2026-02-30,holiday,x,2026,n\n", ":2:1", "is not a calendar date"},
        {"date,kind,name,year,notice\n2026-10-01,holiday,x,2025,n\n", ":2:", "a notice for 2025 cannot set 2026-10-01"},
        {"date,kind,name,year,notice\n2026-10-01,holiday,x,2026,n\n2026-10-01,holiday,x,2026,n\n", ":3:1", "duplicate date"},
        {"date,kind,name,year,notice\n2026-10-01,holiday,x,2026\n", ":2:1", "expected 5 fields"},
        {"", "", "empty calendar"},
        // a year field of 10+ digits (a signed overflow once): refused before a digit is taken
        {"date,kind,name,year,notice\n2026-10-01,holiday,x,99999999999,n\n", ":2:", "expected the notice's year (4 digits); found \"99999999999\""},
        {"date,kind,name,year,notice\n2026-10-01,holiday,x,202,n\n", ":2:", "expected the notice's year (4 digits)"},
        {"date,kind,name,year,notice\n2026-10-01,holiday,x,20x6,n\n", ":2:", "expected the notice's year (4 digits)"},
        // the one CSV reader's rules (vigil/detail/csv.hpp): quotes opened where they may, closed
        {"date,kind,name,year,notice\n2026-10-01,holiday,x\"y,2026,n\n", ":2:21", "a quote inside an unquoted field"},
        {"date,kind,name,year,notice\n2026-10-01,holiday,x,2026,\"n\n", ":2:27", "unterminated quoted field"},
        // every bad row is reported: the one after a malformed record too
        {"date,kind,name,year,notice\n2026-10-01,holiday,\"x\"y,2026,n\n2026-10-10,weekday,x,2026,n\n", ":3:12",
         "expected kind \"holiday\" or \"workday\""},
    };
    for (const auto& b : cases) {
        INFO(b.csv);
        auto c = calendar::parse(b.csv, "bad.csv");
        REQUIRE(!c);
        CHECK(c.error().code == errc::parse_error);
        CHECK_THAT(c.error().message(), Catch::Contains("bad.csv" + b.line_col) && Catch::Contains(b.says));
    }
}

namespace {

// The notices of 2019-2026 as published, in the order they were issued, with where they are found.
struct notice_file {
    const char* file;
    const char* source;
};
const notice_file notices_2019_2026[] = {
    {"2019.txt", "gov.cn content_5346276"},
    {"2019-labour-day-change.txt", "gov.cn content_5375877"},
    {"2020.txt", "gov.cn content_5454164"},
    {"2020-spring-festival-extension.txt", "gov.cn content_5472352"},
    {"2021.txt", "gov.cn content_5564127"},
    {"2022.txt", "gov.cn content_5644835"},
    {"2023.txt", "gov.cn content_5730844"},
    {"2024.txt", "gov.cn content_6911528"},
    {"2025.txt", "gov.cn content_6986383"},
    {"2026.txt", "gov.cn content_7047091"},
};

holiday_notice notice(const std::string& file, const std::string& source = "") {
    auto n = parse_holiday_notice(test::read_file(test::data_path("calendar/notices/" + file)), file, source);
    INFO(file);
    REQUIRE(n);
    return *n;
}

}  // namespace

TEST_CASE("calendar import: the notices of 2019-2026 reproduce the built-in calendar exactly") {
    std::vector<calendar_day> rows;
    for (const auto& f : notices_2019_2026) {
        auto n = notice(f.file, f.source);
        auto r = apply_holiday_notice(std::move(rows), n);
        INFO(f.file);
        REQUIRE(r);
        rows = std::move(*r);
    }
    const std::string built_in = test::read_file(std::string(VIGIL_SOURCE_DIR) + "/data/calendar/cn.csv");
    const std::string imported = calendar_csv(rows);
    // Line by line first, so that a difference names its date.
    std::istringstream a(built_in), b(imported);
    std::string la, lb;
    int line = 0;
    while (std::getline(a, la)) {
        ++line;
        REQUIRE(std::getline(b, lb));
        INFO("cn.csv line " << line);
        CHECK(lb == la);
    }
    CHECK(!std::getline(b, lb));
    CHECK(imported == built_in);
}

TEST_CASE("calendar import: what each notice says, read from its text") {
    auto n = notice("2026.txt", "gov.cn content_7047091");
    CHECK(n.title == "国务院办公厅关于2026年部分节假日安排的通知");
    CHECK(n.number == "国办发明电〔2025〕7号");
    REQUIRE(n.issued);
    CHECK(format_date(*n.issued) == "2025-11-04");
    CHECK(n.year == 2026);
    CHECK(n.type == holiday_notice::kind::annual);
    CHECK(n.reference() == "国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号; 2025-11-04; gov.cn content_7047091)");
    CHECK(n.rows.size() == 39);
    CHECK(n.notes.empty());
    // 2019: 元旦 runs from 2018-12-30, and 2018-12-29 is a working Saturday; 与周末连休 adds the weekend
    auto y19 = notice("2019.txt");
    CHECK(format_date(y19.rows.front().date) == "2018-12-29");
    CHECK(y19.rows.front().kind == day_kind::workday);
    CHECK(y19.rows.front().year == 2019);
    int qingming = 0;
    for (const auto& r : y19.rows) qingming += r.name == "清明节" ? 1 : 0;
    CHECK(qingming == 3);  // 4月5日放假，与周末连休: Friday 04-05 and the weekend 04-06/07
    // 2024: 除夕 is encouraged, not set: said in the notes, not a row
    auto y24 = notice("2024.txt");
    REQUIRE(y24.notes.size() == 1);
    CHECK_THAT(y24.notes[0], Catch::Contains("除夕(2月9日)"));
    for (const auto& r : y24.rows) CHECK(format_date(r.date) != "2024-02-09");
    // The notices changing a year: their kind and the break they change
    auto adj = notice("2019-labour-day-change.txt");
    CHECK(adj.type == holiday_notice::kind::adjustment);
    CHECK(adj.break_name == "劳动节");
    CHECK(adj.rows.size() == 6);
    auto ext = notice("2020-spring-festival-extension.txt");
    CHECK(ext.type == holiday_notice::kind::extension);
    CHECK(ext.break_name == "春节");
    REQUIRE(ext.extended_to);
    CHECK(format_date(*ext.extended_to) == "2020-02-02");
    // An extension needs the break it extends
    auto alone = apply_holiday_notice({}, ext);
    REQUIRE(!alone);
    CHECK_THAT(alone.error().message(), Catch::Contains("the 春节 break of 2020 is not in the calendar to extend"));
}

TEST_CASE("calendar import: a 2027 notice in the same form becomes a loadable calendar") {
    // tests/data/calendar/notices/test-2027-fixture.txt is a test fixture, not the real notice.
    auto n = notice("test-2027-fixture.txt", "test fixture");
    CHECK(n.year == 2027);
    auto rows = apply_holiday_notice({}, n);
    REQUIRE(rows);
    auto c = calendar::parse(calendar_csv(*rows), "2027.csv");
    REQUIRE(c);
    CHECK(c->years() == std::vector<int>{2027});
    // 春节 2027 (fixture): 02-05..12 off, Saturday 02-20 worked
    CHECK(!*c->is_working_day(*parse_date("2027-02-08")));
    CHECK(*c->is_working_day(*parse_date("2027-02-20")));
    CHECK(format_date(*c->add_working_days(*parse_date("2027-02-04"), 1)) == "2027-02-15");
    // Merged after the built-in calendar: 2019-2027, and late December 2026 is settled by it
    std::vector<calendar_day> all = cn().listed();
    auto merged = apply_holiday_notice(all, n);
    REQUIRE(merged);
    auto m = calendar::parse(calendar_csv(*merged), "merged.csv");
    REQUIRE(m);
    CHECK(m->years_text() == "2019–2027");
    CHECK(m->settled(*parse_date("2026-12-30")));
    CHECK(!cn().settled(*parse_date("2026-12-30")));
    // Imported twice, the notice replaces its own rows
    auto again = apply_holiday_notice(*merged, n);
    REQUIRE(again);
    CHECK(again->size() == merged->size());
}

TEST_CASE("calendar import: a notice that does not add up is refused, naming the line") {
    const std::string good = test::read_file(test::data_path("calendar/notices/2026.txt"));
    struct bad {
        std::string from, to, says;
    };
    const bad cases[] = {
        {"共9天", "共8天", ":10: \"共8天\" but 2026-02-15 to 2026-02-23 is 9 days"},
        {"2月14日（周六）", "2月14日（周日）", ":10: \"2月14日(周日)\": 2026-02-14 is a Saturday (星期六), not 星期日"},
        {"5月9日（周六）上班", "5月8日上班", ":14: 2026-05-08 is a Friday: a make-up working day (上班) is a Saturday or Sunday"},
        {"六、中秋节：9月25日（周五）至27日（周日）放假，共3天。", "六、中秋节：9月16日放假，与周末连休。",
         ":18: 与周末连休 joins a Monday or a Friday to its weekend; 2026-09-16 is a Wednesday"},
        {"\n五、端午节：6月19日（周五）至21日（周日）放假，共3天。\n", "\n", "the preamble names 端午节 but no item sets its days"},
        {"七、国庆节", "七、重阳节", ":20: item 七 sets 重阳节, which the preamble (line 6) does not name"},
        {"10月10日（周六）上班", "10月3日（周六）上班", ":20: 2026-10-03 is set twice"},
        {"三、清明节", "四、清明节", ":12: item 四、 where 三、 was expected"},
        {"国务院办公厅关于2026年部分节假日安排的通知", "国务院办公厅关于印发2026年某某办法的通知", "not a holiday notice"},
        {"4月4日（周六）至6日（周一）放假", "4月6日（周一）至4日（周六）放假", "the break runs backwards"},
        {"1月4日（周日）上班。", "1月4日（周日）上班。1月5日另行安排。", "\"1月5日另行安排\" names a date but neither sets a break (放假) nor a working day (上班)"},
    };
    for (const auto& b : cases) {
        std::string text = good;
        auto at = text.find(b.from);
        REQUIRE(at != std::string::npos);
        text.replace(at, b.from.size(), b.to);
        INFO(b.from << " -> " << b.to);
        auto n = parse_holiday_notice(text, "notice.txt");
        REQUIRE(!n);
        CHECK(n.error().code == errc::invalid_input);
        CHECK_THAT(n.error().message(), Catch::Contains(b.says));
    }
    // and the untouched text passes (the same checks, on the other side of each bound)
    CHECK(parse_holiday_notice(good, "notice.txt"));
    CHECK(!parse_holiday_notice("some other text", "x.txt"));
}

TEST_CASE("calendar: the last week of December waits for the next year's notice") {
    auto c = cn();
    CHECK(c.settled(*parse_date("2026-12-24")));
    CHECK(!c.settled(*parse_date("2026-12-25")));
    CHECK(c.missing_year(*parse_date("2026-12-25")) == 2027);
    CHECK(c.missing_year(*parse_date("2027-03-01")) == 2027);
    CHECK(c.settled(*parse_date("2025-12-31")));  // the 2026 notice is loaded
    auto r = c.day(*parse_date("2026-12-31"));
    REQUIRE(!r);
    CHECK(r.error().code == errc::out_of_range);
    CHECK_THAT(r.error().message(), Catch::Contains("may be moved by the notice for 2027"));
}

TEST_CASE("calendar: provisional days are weekends and the fixed-date statutory holidays, marked") {
    auto strict = cn();
    auto c = strict.provisional();
    CHECK(c.is_provisional());
    CHECK(!strict.is_provisional());
    struct row {
        const char* date;
        day_kind kind;
        const char* name;
        bool provisional;
    };
    const row rows[] = {
        {"2027-01-01", day_kind::holiday, "元旦", true},     // 第二条（一）
        {"2027-01-04", day_kind::weekday, "", true},
        {"2027-02-06", day_kind::weekend, "", true},        // 春节 2027 is lunar: not known, a plain Saturday
        {"2027-02-08", day_kind::weekday, "", true},        // …and a plain Monday
        {"2027-05-02", day_kind::holiday, "劳动节", true},   // 第二条（四）
        {"2027-05-03", day_kind::weekday, "", true},
        {"2027-10-03", day_kind::holiday, "国庆节", true},   // 第二条（七）
        {"2027-10-04", day_kind::weekday, "", true},        // not fixed: the notice's break unknown
        {"2026-12-31", day_kind::weekday, "", true},        // the 2027 notice may move it
        {"2026-10-10", day_kind::workday, "国庆节", false},  // known days stay as the notice says
        {"2026-10-01", day_kind::holiday, "国庆节", false},
    };
    for (const auto& r : rows) {
        INFO(r.date);
        auto d = c.day(*parse_date(r.date));
        REQUIRE(d);
        CHECK(d->kind == r.kind);
        CHECK(d->name == r.name);
        CHECK(d->provisional == r.provisional);
    }
    auto w = c.walk_working_days(*parse_date("2026-12-24"), 7);
    REQUIRE(w);
    CHECK(w->provisional);
    CHECK(format_date(w->end) == "2027-01-05");  // 25, 28, 29, 30, 31, (01-01 元旦, weekend) 04, 05
    CHECK_THAT(w->explanation(), Catch::Contains("skipped 2027-01-01 (元旦 holiday, provisional)"));
    auto s = strict.walk_working_days(*parse_date("2026-12-24"), 7);
    REQUIRE(!s);
    CHECK_THAT(calendar::provisional_note(), Catch::Contains("春节, 清明节, 端午节, 中秋节"));
}

TEST_CASE("calendar: days and months as the law counts them (tests/data/calendar/periods.txt)") {
    auto strict = cn();
    auto prov = strict.provisional();
    auto rows = words("calendar/periods.txt");
    REQUIRE(rows.size() >= 30);
    int days = 0, months = 0;
    for (const auto& [line, w] : rows) {
        INFO("periods.txt line " << line);
        REQUIRE(w.size() >= 6);
        const calendar& c = w[1] == "provisional" ? prov : strict;
        auto anchor = parse_date(w[2]);
        REQUIRE(anchor);
        const int n = std::stoi(w[3]);
        auto p = w[0] == "months" ? c.add_months(*anchor, n) : c.add_calendar_days(*anchor, n);
        (w[0] == "months" ? months : days) += 1;
        if (w[4] == "refused") {
            REQUIRE(!p);
            CHECK(p.error().code == errc::out_of_range);
            CHECK_THAT(p.error().message(), Catch::Contains("2027"));
            continue;
        }
        REQUIRE(p);
        CHECK(format_date(p->last) == w[4]);
        CHECK(p->provisional == (w[5] == "provisional"));
        CHECK_THAT(p->explanation, Catch::Contains(format_date(*anchor)));
        if (p->last != p->nominal_last) {
            CHECK(!p->moved_over.empty());
            CHECK_THAT(p->explanation, Catch::Contains("第二百零三条"));
        } else {
            CHECK(p->moved_over.empty());
        }
    }
    CHECK(days >= 20);
    CHECK(months >= 8);
    CHECK(!strict.add_calendar_days(*parse_date("2026-01-01"), -1));
}

TEST_CASE("calendar: add working days at the ends of int (INT_MIN cannot be negated)") {
    auto cal = builtin_calendar();
    REQUIRE(cal);
    struct row {
        int n;
        bool ok;
    };
    const row rows[] = {{std::numeric_limits<int>::min(), false}, {std::numeric_limits<int>::min() + 1, false},
                        {std::numeric_limits<int>::max(), false}, {-1, true}, {1, true}};
    for (const auto& r : rows) {
        INFO(r.n);
        auto d = cal->add_working_days(*parse_date("2026-09-30"), r.n);
        CHECK(d.has_value() == r.ok);
        if (!r.ok) CHECK(d.error().code == errc::out_of_range);
    }
}

TEST_CASE("time: instants, offsets and local time") {
    auto t = parse_instant("2026-10-01T00:30:00+08:00");
    REQUIRE(t);
    CHECK(format_utc(*t) == "2026-09-30T16:30:00Z");
    CHECK(format_local(*t) == "2026-10-01T00:30:00+08:00");
    CHECK(format_date(local_date(*t)) == "2026-10-01");
    CHECK(format_utc(*parse_instant("2026-09-30T16:30:00Z")) == "2026-09-30T16:30:00Z");
    CHECK(format_utc(*parse_instant("2026-09-30T12:30-04:00")) == "2026-09-30T16:30:00Z");
    CHECK(format_utc(*parse_instant("2026-10-01 00:30:00", "Asia/Shanghai")) == "2026-09-30T16:30:00Z");
    CHECK(format_utc(local_midnight(*parse_date("2026-10-16"))) == "2026-10-15T16:00:00Z");
    // Local midnight is 16:00Z of the previous UTC day.
    CHECK(format_date(local_date(*parse_instant("2026-12-31T15:59:59Z"))) == "2026-12-31");
    CHECK(format_date(local_date(*parse_instant("2026-12-31T16:00:00Z"))) == "2027-01-01");
    struct bad {
        std::string text, zone, says;
    };
    const bad cases[] = {
        {"2026-10-01T09:30:00", "", "has no UTC offset"},
        {"2026-10-01T09:30:00", "Europe/Paris", "unknown time zone"},
        {"2026-10-01T09:30:00+25:00", "", "offsets lie between -14:00 and +14:00"},
        {"2026-10-01T09:30:00 CST", "", "bad time zone offset"},
        {"2026-10-01T09:30:00+0800", "", "bad time zone offset"},
        {"2026-10-01T24:00:00Z", "", "not a time of day"},
        {"2026-13-01T09:30:00Z", "", "expected an ISO 8601 time"},
        {"yesterday", "", "expected an ISO 8601 time"},
        // instants are bounded (docs/reliability.md): years 1970-2199
        {"9990-01-01T00:00:00+08:00", "", "year out of range: vigil accepts years 1970 to 2199"},
        {"2200-01-01T00:00:00Z", "", "year out of range"},
        {"1969-12-31T23:59:59Z", "", "year out of range"},
    };
    for (const auto& b : cases) {
        INFO(b.text);
        auto r = parse_instant(b.text, b.zone);
        REQUIRE(!r);
        CHECK(r.error().code == errc::invalid_input);
        CHECK_THAT(r.error().message(), Catch::Contains(b.says));
    }
    CHECK(format_duration(boost::posix_time::minutes(125)) == "2h 5min");
    CHECK(format_duration(boost::posix_time::hours(50)) == "2d 2h");
    CHECK(format_duration(boost::posix_time::seconds(1)) == "1s");
}

TEST_CASE("calendar: a provisional calendar answers every date, but no walk or period leaves vigil's years") {
    // A provisional calendar never refuses a date it has not settled, so its walks and periods are
    // bounded by vigil::min_year..max_year (1970..2199): past them, a clear error, at once.
    auto prov = cn().provisional();
    constexpr int imax = std::numeric_limits<int>::max(), imin = std::numeric_limits<int>::min();
    struct row {
        const char* what;
        const char* from;
        int n;
        const char* last;  // "" = refused
    };
    const row rows[] = {
        {"working", "2199-12-27", 2, "2199-12-31"},  // Mon 30, Tue 31
        {"working", "2199-12-27", 3, ""},            // 2200-01-01 is past 2199
        {"working", "1970-01-05", -1, "1970-01-02"},
        {"working", "1970-01-02", -1, ""},           // 1970-01-01 元旦 (fixed date), then 1969
        {"working", "2026-12-24", imax, ""},
        {"working", "2026-12-24", imin, ""},
        {"working", "2026-12-24", 1000, "2030-11-19"},  // weekends and the fixed dates only
        {"days", "2199-12-01", 30, "2199-12-31"},
        {"days", "2199-12-01", 31, ""},
        {"days", "2026-12-24", imax, ""},
        {"months", "2199-06-30", 6, "2199-12-30"},
        {"months", "2199-06-30", 7, ""},
        {"months", "2026-12-24", imax, ""},
    };
    for (const auto& r : rows) {
        INFO(r.what << " " << r.from << " " << r.n);
        const auto from = *parse_date(r.from);
        std::string last;
        std::string message;
        if (std::string(r.what) == "working") {
            auto w = prov.walk_working_days(from, r.n);
            if (w) last = format_date(w->end);
            else message = w.error().message();
        } else {
            auto p = std::string(r.what) == "days" ? prov.add_calendar_days(from, r.n) : prov.add_months(from, r.n);
            if (p) last = format_date(p->last);
            else message = p.error().message();
        }
        CHECK(last == r.last);
        if (!*r.last) CHECK_THAT(message, Catch::Contains("passes the years vigil accepts (1970 to 2199)"));
    }
}
