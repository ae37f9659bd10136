// vigil/notation.hpp: the plans' conditions, guards and rows in English (as the plan data reads)
// and in Chinese (the plan's labels, Chinese words and symbols); readings in both languages.
#include "test_support.hpp"

#include <vigil/detail/answer_json.hpp>
#include <vigil/diff.hpp>
#include <vigil/lifecycle.hpp>
#include <vigil/notation.hpp>
#include <vigil/obligations.hpp>
#include <vigil/organisation.hpp>
#include <vigil/response.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>

using namespace vigil;

namespace {

bool has_cjk(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xE3; });
}

const criterion& crit(const plan& p, std::string_view clause) {
    const criterion* c = p.find_criterion(clause);
    REQUIRE(c != nullptr);
    return *c;
}

const decision_rule& rule(const std::vector<decision_rule>& rules, std::string_view clause) {
    for (const auto& r : rules)
        if (r.clause == clause) return r;
    FAIL("no rule " << clause);
    throw 0;
}

const obligation& duty(const plan& p, std::string_view id) {
    for (const auto& o : p.obligations->items)
        if (o.id == id) return o;
    FAIL("no obligation " << id);
    throw 0;
}

std::string minimal_with_reading(const std::string& reading_json) {
    auto v = boost::json::parse(vigil::test::read_file(vigil::test::data_path("plans/minimal.json")));
    v.as_object()["grading"].as_object()["criteria"].as_array()[0].as_object()["reading"] = boost::json::parse(reading_json);
    return boost::json::serialize(v);
}

}  // namespace

TEST_CASE("notation: a criterion's bounds in English as written, in Chinese with the facts' labels", "[notation]") {
    const auto y = builtin_plan("yuzhong").value();
    struct row {
        const char* clause;
        std::size_t alternative;
        const char* en;
        const char* zh;
    };
    const row rows[] = {
        // both sides of the deaths bound (gt 2, lt 5), a boolean beside it
        {"yuzhong 1.5.2(2)", 0, "2 < deaths < 5 and similar_cases_nearby = true", "2 < 死亡人数 < 5 且 同一区域同时出现其他类似病例：是"},
        {"yuzhong 1.5.3(2)", 0, "1 <= deaths <= 2 and similar_cases_nearby = true", "1 ≤ 死亡人数 ≤ 2 且 同一区域同时出现其他类似病例：是"},
        // a lower bound alone reads fact first in Chinese
        {"yuzhong 1.5.1(1)", 0, "50 <= rare_cases", "罕见或非预期的不良反应人数 ≥ 50"},
        {"yuzhong 1.5.2(1)", 1, "5 <= severe_cases < 10", "5 ≤ 特别严重不良反应人数 < 10"},
        {"yuzhong 1.5.4", 1, "severe_cases = 2", "特别严重不良反应人数 = 2"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.clause);
        const auto& alt = crit(*y, r.clause).any.at(r.alternative);
        CHECK(conditions_text(alt, language::en, y.get()) == r.en);
        CHECK(conditions_text(alt, language::zh, y.get()) == r.zh);
        // English is condition::to_string(), whatever the plan
        std::string joined;
        for (const auto& c : alt) joined += (joined.empty() ? "" : " and ") + c.to_string();
        CHECK(joined == r.en);
    }
    // without the plan a Chinese condition names the fact by its name
    CHECK(condition_text(crit(*y, "yuzhong 1.5.1(2)").any[0][0], language::zh) == "deaths ≥ 5");
}

TEST_CASE("notation: warning and response terms, obligation conditions, in both languages", "[notation]") {
    const auto y = builtin_plan("yuzhong").value();
    const auto g = builtin_plan("guiyang").value();
    struct term_row {
        const plan* p;
        const std::vector<decision_rule>* rules;
        const char* clause;
        std::size_t alternative, term;
        const char* en;
        const char* zh;
    };
    const term_row terms[] = {
        {g.get(), &g->warnings->rules, "guiyang A3 红色预警", 0, 0, "rare_cases in [6, 9]", "6 ≤ 罕见或非预期的不良反应人数 ≤ 9"},
        {g.get(), &g->warnings->rules, "guiyang A3 红色预警", 1, 0, "severe_cases = 2", "特别严重不良反应人数 = 2"},
        {y.get(), &y->warnings->rules, "yuzhong 3.2.1 一级", 0, 0, "possible_grade = I", "可能达到的事件级别为I级"},
        {y.get(), &y->warnings->rules, "yuzhong 3.2.1 一级", 1, 0, "grade >= II (as grave or graver)", "事件级别为II级或更高"},
        {y.get(), &y->responses->rules, "yuzhong 4.5 提升", 0, 0, "spreading", "危害蔓延、难以控制：是"},
    };
    for (const auto& t : terms) {
        CAPTURE(t.clause, t.alternative);
        const auto& term = rule(*t.rules, t.clause).when.at(t.alternative).at(t.term);
        CHECK(term.written == t.en);
        CHECK(term_text(term, language::en, t.p) == t.en);
        CHECK(term_text(term, language::zh, t.p) == t.zh);
    }
    struct duty_row {
        const char* id;
        const char* en;
        const char* zh;
    };
    const duty_row duties[] = {
        {"yz-4.1.1-2-major-phone", "grade II or graver", "II级或更高"},
        {"yz-5.2-summary", "grade III or IV", "III级或IV级"},
        {"yz-4.1.1-1-maker", "flag maker_involved", "标志“涉及药品生产、批发企业以及医疗器械生产企业”"},
    };
    for (const auto& d : duties) {
        CAPTURE(d.id);
        const auto& o = duty(*y, d.id);
        CHECK(o.when.to_string() == d.en);
        CHECK(obligation_condition_text(o.when, language::en, y.get()) == d.en);
        CHECK(obligation_condition_text(o.when, language::zh, y.get()) == d.zh);
    }
    CHECK(obligation_condition_text(obligation_condition{}, language::en) == "always");
    CHECK(obligation_condition_text(obligation_condition{}, language::zh) == "始终适用");
}

TEST_CASE("notation: lifecycle guards, rows and who may act", "[notation]") {
    struct row {
        guard g;
        const char* en;
        const char* zh;
    };
    const row rows[] = {
        {{"payload_has", {"grade", "ref"}}, "payload has {grade, ref}", "载荷含有 grade、ref"},
        {{"level_in", {"1", "2"}}, "level in {1, 2}", "响应级别为1或2级"},
        {{"colour_in", {"red", "orange"}}, "colour in {red, orange}", "预警颜色为红色或橙色"},
        {{"current_in", {"3"}}, "current level in {3}", "当前响应级别为3级"},
        {{"level_vs_current", {"higher"}}, "level higher than the current", "响应级别高于当前级别"},
        {{"level_vs_current", {"lower"}}, "level lower than the current", "响应级别低于当前级别"},
        {{"warning_active", {"true"}}, "a warning in force", "有预警正在生效"},
        {{"warning_active", {"false"}}, "no warning in force", "无预警正在生效"},
        {{"warning_in", {"yellow"}}, "warning in {yellow}", "生效预警为黄色"},
        {{"grade_in", {"II", "I"}}, "grade in {II, I}", "事件级别为II级或I级"},
        {{"checklist", {"termination"}}, "checklist termination complete", "清单 termination 各项均已满足"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.g.kind);
        CHECK(r.g.to_string() == r.en);
        CHECK(guard_text(r.g, language::en) == r.en);
        CHECK(guard_text(r.g, language::zh) == r.zh);
    }
    // a row: English as to_string(); Chinese with the states' names, its guards in Chinese
    const auto y = builtin_plan("yuzhong").value();
    std::size_t rows_with_guards = 0, same_state = 0;
    for (const auto& t : y->lifecycle->rows) {
        CHECK(transition_text(t, language::en, y.get()) == t.to_string());
        const std::string zh = transition_text(t, language::zh, y.get());
        CAPTURE(zh);
        CHECK(zh.find("payload has") == std::string::npos);
        CHECK(zh.find("(same)") == std::string::npos);
        if (!t.guards.empty()) {
            ++rows_with_guards;
            CHECK(zh.find(guard_text(t.guards[0], language::zh)) != std::string::npos);
        }
        if (t.to.empty()) {
            CHECK(zh.find("（不变）") != std::string::npos);
            ++same_state;
        } else if (const auto* s = y->lifecycle->find_state(t.to); s && !s->name_zh.empty()) CHECK(zh.find(s->name_zh) != std::string::npos);
    }
    CHECK(rows_with_guards > 5);
    CHECK(same_state > 0);
    const std::vector<actor_pattern> two{{"市指挥部", ""}, {"市人民政府", "办公室"}};
    CHECK(actors_text(two, language::en) == "市指挥部 or 市人民政府/办公室");
    CHECK(to_string(two) == "市指挥部 or 市人民政府/办公室");
    CHECK(actors_text(two, language::zh) == "市指挥部或市人民政府/办公室");
}

TEST_CASE("readings: a string is English as before, {en, zh} gives both, the built-in plans give both", "[notation][plan]") {
    // a user's plan with a plain string loads exactly as before
    auto s = load_plan(minimal_with_reading(R"("“（含）” makes N inclusive.")"), "string.json");
    REQUIRE(s);
    CHECK((*s)->criteria[0].reading == "“（含）” makes N inclusive.");
    CHECK((*s)->criteria[0].reading_zh.empty());
    CHECK(pick_language((*s)->criteria[0].reading, (*s)->criteria[0].reading_zh, language::zh) == "“（含）” makes N inclusive.");
    auto o = load_plan(minimal_with_reading(R"({"en": "“（含）” makes N inclusive.", "zh": "“（含）”表示包含N。"})"), "object.json");
    REQUIRE(o);
    CHECK((*o)->criteria[0].reading == "“（含）” makes N inclusive.");
    CHECK((*o)->criteria[0].reading_zh == "“（含）”表示包含N。");
    CHECK(pick_language((*o)->criteria[0].reading, (*o)->criteria[0].reading_zh, language::zh) == "“（含）”表示包含N。");
    CHECK(pick_language((*o)->criteria[0].reading, (*o)->criteria[0].reading_zh, language::en) == "“（含）” makes N inclusive.");
    // the JSON of the plan carries both
    std::string j;
    detail::answer_json::plan_info(j, **o);
    CHECK(j.find(R"("reading":"“（含）” makes N inclusive.","reading_zh":"“（含）”表示包含N。")") != std::string::npos);

    // every reading of the built-in plans has its Chinese reading
    std::size_t seen = 0;
    auto check = [&](const std::string& en, const std::string& zh, const std::string& where) {
        if (en.empty()) return;
        CAPTURE(where, en);
        CHECK(has_cjk(zh));
        CHECK(zh != en);
        ++seen;
    };
    for (const auto& id : builtin_plan_names()) {
        const auto p = builtin_plan(id).value();
        for (const auto& c : p->criteria) check(c.reading, c.reading_zh, c.clause);
        if (p->obligations) {
            for (const auto& x : p->obligations->items) {
                check(x.reading, x.reading_zh, x.id);
                if (x.standing) check(x.standing->reading, x.standing->reading_zh, x.id + " standing");
            }
            for (const auto& x : p->obligations->parties) check(x.reading, x.reading_zh, x.id);
            for (const auto& x : p->obligations->floors) check(x.reading, x.reading_zh, x.flag);
        }
        if (p->warnings)
            for (const auto& r : p->warnings->rules) check(r.reading, r.reading_zh, r.clause);
        if (p->responses)
            for (const auto& r : p->responses->rules) check(r.reading, r.reading_zh, r.clause);
        if (p->lifecycle)
            for (const auto& r : p->lifecycle->rows) check(r.reading, r.reading_zh, r.clause);
    }
    CHECK(seen > 100);
}

TEST_CASE("diff in Chinese: the same rows as in English, the engine's words in Chinese", "[notation][diff]") {
    const auto y = builtin_plan("yuzhong").value();
    const auto g = builtin_plan("guiyang").value();
    const auto en = diff(*y, *g);
    const auto zh = diff(*y, *g, language::zh);
    REQUIRE(en.size() == zh.size());
    bool condition = false, deadline = false, colour = false, level = false;
    for (std::size_t i = 0; i < en.size(); ++i) {
        CAPTURE(en[i].section, en[i].what, en[i].a, en[i].b, zh[i].a, zh[i].b);
        CHECK(en[i].section == zh[i].section);
        CHECK(en[i].change == zh[i].change);
        CHECK(en[i].what == zh[i].what);
        CHECK(en[i].clause_a == zh[i].clause_a);
        for (const std::string* v : {&zh[i].a, &zh[i].b}) {
            CHECK(v->find(" and ") == std::string::npos);
            CHECK(v->find(" <= ") == std::string::npos);
            CHECK(v->find("always") == std::string::npos);
            CHECK(v->find("expert determination") == std::string::npos);
        }
        condition = condition || (zh[i].what == "conditions" && zh[i].b.find("6 ≤ 罕见或非预期的不良反应人数 ≤ 9") != std::string::npos);
        deadline = deadline || zh[i].a.find("30分钟内：") != std::string::npos;
        colour = colour || (zh[i].section == "warnings" && zh[i].item_a == "红色");
        level = level || (zh[i].section == "plan" && zh[i].what == "level" && zh[i].a == "县级" && zh[i].b == "市级");
    }
    CHECK(condition);
    CHECK(deadline);
    CHECK(colour);
    CHECK(level);
}
