// Spread facts rolled up over the administrative tree (GB/T 2260 codes), tables in tests/data/rollup.txt.
#include "test_support.hpp"

#include <vigil/rollup.hpp>

#include <catch2/catch.hpp>

using namespace vigil;
using vigil::test::data_path;

namespace {
std::vector<local_event> parse_events(const std::string& text) {
    // "product:id:code:grade, ..."
    std::vector<local_event> out;
    for (const auto& e : vigil::test::split(text, ',')) {
        if (e.empty()) continue;
        auto parts = vigil::test::split(e, ':');
        REQUIRE(parts.size() == 4);
        local_event ev;
        ev.product = parse_product(parts[0]).value();
        ev.product_id = parts[1];
        ev.area = parse_area_code(parts[2]).value();
        ev.grade = parse_grade(parts[3]).value();
        out.push_back(ev);
    }
    return out;
}
}  // namespace

TEST_CASE("area codes: parse and enclose", "[rollup]") {
    auto s = parse_area_code("500103001");
    REQUIRE(s);
    CHECK(s->level == area_level::street);
    CHECK(s->to_string() == "500103001");
    CHECK(s->at(area_level::county).to_string() == "500103");
    CHECK(s->at(area_level::prefecture).to_string() == "500100");
    CHECK(s->at(area_level::province).to_string() == "500000");
    CHECK(parse_area_code("520100")->level == area_level::prefecture);
    CHECK(parse_area_code("520000")->level == area_level::province);

    for (auto [bad, msg] : std::vector<std::pair<std::string, std::string>>{
             {"5001", "expected 6 digits (GB/T 2260 PPCCDD) or 9 digits"},
             {"50010a", "expected only digits"},
             {"090000", "province code PP must be 11 or above"},
             {"500003", "a county code needs a prefecture"},
             {"500100001", "a street must be under a county"},
             {"500103000", "street number 000 is not a street"}}) {
        auto r = parse_area_code(bad);
        INFO(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::invalid_input);
        CHECK_THAT(r.error().message(), Catch::Contains(msg));
    }
}

TEST_CASE("spread roll-up: table of cases", "[rollup]") {
    auto rows = vigil::test::read_table(data_path("rollup.txt"));
    REQUIRE(rows.size() >= 8);
    for (const auto& r : rows) {
        REQUIRE(r.cells.size() == 4);
        INFO("rollup.txt line " << r.line);
        auto events = parse_events(r.cells[0]);
        auto target = parse_area_code(r.cells[1]).value();
        auto res = rollup(events, product::drug, "P1", target);
        for (const auto& kv : vigil::test::split(r.cells[2], ' ')) {
            auto eq = kv.find('=');
            REQUIRE(eq != std::string::npos);
            auto f = parse_fact(kv.substr(0, eq)).value();
            INFO(kv);
            CHECK(res.facts.value(f) == std::stoul(kv.substr(eq + 1)));
        }
    }
}

TEST_CASE("two streets of 渝中区 with grade-IV events make a grade-III event of the district", "[rollup][yuzhong]") {
    auto events = parse_events("drug:P1:500103001:IV, drug:P1:500103002:IV, drug:P2:500103003:IV");
    auto res = rollup(events, product::drug, "P1", parse_area_code("500103").value());
    CHECK(res.facts.streets_with_IV == 2);
    const auto& sc = res.counts.front();
    CHECK(sc.name == "streets_with_IV");
    CHECK(sc.areas == std::vector<std::string>{"500103001", "500103002"});
    auto a = classify(*builtin_plan("yuzhong").value(), res.facts);
    CHECK(a.grade == grade::III);
    CHECK(a.reasons() == "yuzhong 1.5.3(3)");
}

TEST_CASE("two counties of 贵阳市 with grade-IV events make a grade-III event of the city", "[rollup][guiyang]") {
    auto events = parse_events("drug:P1:520102:IV, drug:P1:520103001:IV");
    auto res = rollup(events, product::drug, "P1", parse_area_code("520100").value());
    CHECK(res.facts.counties_with_IV == 2);
    auto a = classify(*builtin_plan("guiyang").value(), res.facts);
    CHECK(a.grade == grade::III);
    CHECK(a.reasons() == "guiyang A1 较大(3)");
}
