// vigil plan lint: the findings of both built-in plans, asserted one by one, and a gap and an
// unreachable grade in a small plan.
#include "test_support.hpp"

#include <vigil/lint.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

using namespace vigil;

namespace {

std::vector<lint_finding> of_kind(const std::vector<lint_finding>& all, const std::string& kind) {
    std::vector<lint_finding> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const lint_finding& f) { return f.kind == kind; });
    return out;
}

std::vector<std::string> facts_of(const std::vector<lint_finding>& v) {
    std::vector<std::string> out;
    for (const auto& f : v) out.insert(out.end(), f.facts.begin(), f.facts.end());
    return out;
}

}  // namespace

TEST_CASE("lint yuzhong: four facts no rule reads, and nothing else", "[lint]") {
    const auto all = lint(*builtin_plan("yuzhong").value());
    CHECK(all.size() == 4);
    CHECK(facts_of(of_kind(all, "unread")) ==
          std::vector<std::string>{"prefectures_with_III", "counties_with_IV", "sensitive", "wide_or_complex"});
    CHECK(of_kind(all, "gap").empty());
    CHECK(of_kind(all, "overlap").empty());  // its bounds exclude the neighbouring grade's numbers
    CHECK(of_kind(all, "disagree").empty());  // its warnings read the grade, not the facts
}

TEST_CASE("lint guiyang: severe_cases claimed by four grades, warnings that disagree with the grading", "[lint]") {
    const auto all = lint(*builtin_plan("guiyang").value());
    const auto overlaps = of_kind(all, "overlap");
    REQUIRE(overlaps.size() == 6);  // ≥10 I, ≥5 II, ≥3 III, ≥2 IV: every pair of them
    for (const auto& o : overlaps) CHECK(o.facts == std::vector<std::string>{"severe_cases"});
    CHECK(overlaps[0].clauses == std::vector<std::string>{"guiyang A1 特别重大(1)", "guiyang A1 重大(1)"});
    CHECK(overlaps[0].message ==
          "severe_cases 10 and more: claimed by guiyang A1 特别重大(1) (grade I) and guiyang A1 重大(1) (grade II); the highest wins: I");
    const auto disagree = of_kind(all, "disagree");
    REQUIRE(disagree.size() == 3);
    CHECK(disagree[0].clauses == std::vector<std::string>{"guiyang A3 红色预警"});
    CHECK(disagree[0].message ==
          "rare_cases in [6, 9] (at 6): a red warning by guiyang A3 红色预警 (the colour of grade I), and no grade by the grading table");
    // the issue's example: 2 severe cases are a grade-IV event and a red warning
    CHECK(disagree[1].clauses == std::vector<std::string>{"guiyang A3 红色预警", "guiyang A1 一般(1)"});
    CHECK(disagree[1].message ==
          "severe_cases = 2 (at 2): a red warning by guiyang A3 红色预警 (the colour of grade I), and grade IV by the grading "
          "table (guiyang A1 一般(1))");
    CHECK(disagree[2].clauses == std::vector<std::string>{"guiyang A3 黄色预警"});
    CHECK(facts_of(of_kind(all, "unread")) ==
          std::vector<std::string>{"counties_with_III", "streets_with_IV", "spreading", "controlled"});
    CHECK(of_kind(all, "gap").empty());
    CHECK(of_kind(all, "unreachable").empty());
    CHECK(all.size() == 13);
}

TEST_CASE("lint: a gap between two grades, a grade no input reaches", "[lint]") {
    const std::string json = R"({"vigil_plan": 1, "id": "gappy", "name": {"zh": "测试"}, "issuer": "测试", "level": "county",
        "source": "tests", "scope": {"products": ["drug"], "clause": "gappy 1"},
        "grading": {"criteria": [
          {"clause": "gappy 2", "grade": "III", "text": "30人以上", "any": [{"rare_cases": {"ge": 30}}]},
          {"clause": "gappy 3", "grade": "IV", "text": "10人以上、20人以下", "any": [{"rare_cases": {"ge": 10, "lt": 20}}]},
          {"clause": "gappy 4", "grade": "II", "text": "其他", "expert": true}]}})";
    auto p = load_plan(json, "gappy").value();
    const auto all = lint(*p);
    const auto gaps = of_kind(all, "gap");
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0].clauses == std::vector<std::string>{"gappy 3", "gappy 2"});
    CHECK(gaps[0].message == "rare_cases 20 to 29: no grade, between gappy 3 (grade IV, up to 19) and gappy 2 (grade III, from 30)");
    const auto unreachable = of_kind(all, "unreachable");
    REQUIRE(unreachable.size() == 1);
    CHECK(unreachable[0].clauses == std::vector<std::string>{"gappy 4"});
    CHECK(unreachable[0].message == "grade II: every criterion is an expert determination; no input reaches it");
    CHECK(to_json(gaps).find(R"("kind":"gap","clauses":["gappy 3","gappy 2"],"facts":["rare_cases"])") != std::string::npos);
}
