// vigil::diff: what differs between two plans. A plan against itself, against an edited copy of
// itself (each edit one row, on the item and clause it concerns), and the two built-in plans.
#include "test_support.hpp"

#include <vigil/diff.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace vigil;

namespace {

std::string guiyang_text() { return vigil::test::read_file(std::string(VIGIL_SOURCE_DIR) + "/data/plans/guiyang.json"); }

boost::json::object& find_by(boost::json::array& a, const char* key, const char* value) {
    for (auto& v : a)
        if (v.as_object().at(key).as_string() == value) return v.as_object();
    FAIL("no item with " << key << " = " << value);
    throw 0;
}

std::string row(const plan_difference& d) {
    return d.section + " | " + d.change + " | " + d.what + " | " + d.item_a + " | " + d.a + " | " + d.item_b + " | " + d.b;
}

}  // namespace

TEST_CASE("diff: a plan against itself has no differences", "[diff]") {
    for (const auto& id : builtin_plan_names()) {
        auto p = builtin_plan(id).value();
        CHECK(diff(*p, *p).empty());
        // the same text loaded twice
        auto q = load_plan(guiyang_text(), "guiyang.json").value();
        auto r = load_plan(guiyang_text(), "guiyang.json").value();
        CHECK(diff(*q, *r).empty());
    }
}

TEST_CASE("diff: each edit of a plan is one row, naming its item and clause", "[diff]") {
    auto doc = boost::json::parse(guiyang_text()).as_object();
    auto& criteria = doc["grading"].as_object()["criteria"].as_array();
    // 重大(1): 超过30人(含) read as more than 30
    auto& c = find_by(criteria, "clause", "guiyang A1 重大(1)");
    c["any"].as_array()[0].as_object()["rare_cases"] = boost::json::object{{"gt", 30}, {"lt", 50}};
    // a new criterion, and one removed
    criteria.emplace_back(boost::json::object{{"clause", "guiyang A1 一般(3)"}, {"grade", "IV"}, {"text", "测试"},
                                              {"any", boost::json::array{boost::json::object{{"casualties", boost::json::object{{"ge", 3}}}}}}});
    for (std::size_t i = 0; i < criteria.size(); ++i)
        if (criteria[i].as_object()["clause"].as_string() == "guiyang A1 较大(3)") criteria.erase(criteria.begin() + static_cast<std::ptrdiff_t>(i));
    // a fact added, a product added
    doc["facts"].as_array().emplace_back(
        boost::json::object{{"name", "casualties"}, {"kind", "count"}, {"label", boost::json::object{{"zh", "伤亡人数"}, {"en", "casualties"}}}});
    doc["products"].as_array().emplace_back(
        boost::json::object{{"id", "vaccine"}, {"label", boost::json::object{{"zh", "疫苗"}, {"en", "vaccine"}}}});
    // an obligation's deadline and its recipients
    auto& items = doc["obligations"].as_object()["items"].as_array();
    find_by(items, "id", "gy-A5-III-phone")["deadline"] = boost::json::object{{"minutes", 30}};
    find_by(items, "id", "gy-A5-IV-phone")["to"] = boost::json::array{"city_gov", "city_hq_office"};
    // a warning rule removed
    auto& wrules = doc["warnings"].as_object()["rules"].as_array();
    for (std::size_t i = 0; i < wrules.size(); ++i)
        if (wrules[i].as_object()["clause"].as_string() == "guiyang A3 黄色预警") wrules.erase(wrules.begin() + static_cast<std::ptrdiff_t>(i));

    auto a = builtin_plan("guiyang").value();
    auto b = load_plan(boost::json::serialize(doc), "edited.json");
    REQUIRE(b);
    const auto rows = diff(*a, **b);
    std::vector<std::string> got;
    for (const auto& d : rows) got.push_back(row(d));
    const std::vector<std::string> expected = {
        "facts | added | fact |  |  | casualties | count 伤亡人数",
        "products | added | product |  |  | vaccine | 疫苗",
        "grading | changed | bounds | guiyang A1 重大(1) | 30 <= rare_cases < 50; or 5 <= severe_cases | guiyang A1 重大(1) | "
        "30 < rare_cases < 50; or 5 <= severe_cases",
        "grading | removed | criterion | guiyang A1 较大(3) | III: 2 <= counties_with_IV |  | ",
        "grading | added | criterion |  |  | guiyang A1 一般(3) | IV: 3 <= casualties",
        "warnings | removed | rule | guiyang A3 黄色预警 | yellow when rare_cases in [3, 5]; or possible_grade >= IV (as grave or "
        "graver) and grade = none |  | ",
        "obligations | changed | deadline | gy-A5-III-phone | 20 minutes | gy-A5-III-phone | 30 minutes",
        "obligations | changed | to | gy-A5-IV-phone | 市人民政府、市人民政府有关部门、有关单位、市指挥部办公室 | gy-A5-IV-phone | "
        "市人民政府、市指挥部办公室",
    };
    CHECK(got == expected);
    for (const auto& d : rows)
        if (d.section == "obligations") CHECK(d.clause_a == d.clause_b);
    // JSON: absent sides are null
    CHECK(to_json(rows[0]) ==
          R"({"section":"facts","change":"added","what":"fact","a":{"item":null,"clause":null,"value":null},)"
          R"("b":{"item":"casualties","clause":null,"value":"count 伤亡人数"}})");
}

TEST_CASE("diff: yuzhong against guiyang, clause by clause", "[diff]") {
    auto rows = diff(*builtin_plan("yuzhong").value(), *builtin_plan("guiyang").value());
    auto has = [&](const std::string& r) {
        for (const auto& d : rows)
            if (row(d) == r) return true;
        return false;
    };
    // the spread rules: criteria paired by grade and order, compared by their bounds
    CHECK(has("grading | changed | bounds | yuzhong 1.5.2(3) | 2 <= counties_with_III | guiyang A1 重大(3) | 2 <= prefectures_with_III"));
    CHECK(has("grading | changed | bounds | yuzhong 1.5.3(3) | 2 <= streets_with_IV | guiyang A1 较大(3) | 2 <= counties_with_IV"));
    // the same bounds in both: no row for the paired 特别重大 criteria
    for (const auto& d : rows) CHECK(d.item_a.rfind("yuzhong 1.5.1", 0) != 0);
    // guiyang's expert clauses have no yuzhong counterpart
    CHECK(has("grading | added | criterion |  |  | guiyang A1 一般(2) | IV: expert determination"));
    // the facts are the same fifteen: no facts rows
    for (const auto& d : rows) CHECK(d.section != "facts");
}
