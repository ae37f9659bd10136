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
    CHECK(c.listed().size() == 293);
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
            CHECK_THAT(r.error().message(), Catch::Contains("outside the calendar's years (2019–2026"));
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
    };
    for (const auto& b : cases) {
        INFO(b.csv);
        auto c = calendar::parse(b.csv, "bad.csv");
        REQUIRE(!c);
        CHECK(c.error().code == errc::parse_error);
        CHECK_THAT(c.error().message(), Catch::Contains("bad.csv" + b.line_col) && Catch::Contains(b.says));
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
