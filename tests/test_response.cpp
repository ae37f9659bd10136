// Warnings and responses: every rule of both plans, from tests/data/response_decisions.csv.
#include <vigil/classify.hpp>
#include <vigil/response.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace vigil;

namespace {

std::vector<std::string> cells_of(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cell;
    for (char c : line) {
        if (c == sep) {
            out.push_back(cell);
            cell.clear();
        } else {
            cell += c;
        }
    }
    out.push_back(cell);
    return out;
}

std::map<std::string, std::string> pairs(const std::string& s) {
    std::map<std::string, std::string> m;
    if (s.empty()) return m;
    for (const auto& kv : cells_of(s, ';')) {
        auto eq = kv.find('=');
        REQUIRE(eq != std::string::npos);
        m[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    return m;
}

modifiers modifiers_of(const std::map<std::string, std::string>& m) {
    modifiers x;
    for (const auto& [k, v] : m) {
        if (k == "possible_grade") {
            auto g = parse_grade(v);
            REQUIRE(g.has_value());
            x.possible_grade = *g;
            continue;
        }
        REQUIRE((v == "true" || v == "false"));
        bool b = v == "true";
        if (k == "sensitive") x.sensitive = b;
        else if (k == "key_period") x.key_period = b;
        else if (k == "spreading") x.spreading = b;
        else if (k == "wide_or_complex") x.wide_or_complex = b;
        else if (k == "controlled") x.controlled = b;
        else FAIL("unknown modifier " << k);
    }
    return x;
}

}  // namespace

TEST_CASE("warning and response decisions, every rule of both plans", "[response]") {
    std::ifstream in(std::string(VIGIL_TEST_DATA) + "/response_decisions.csv");
    REQUIRE(in.good());
    std::string line;
    bool header = true;
    std::map<std::string, std::set<std::string>> seen;  // plan -> rule clauses that decided something
    int rows = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (header) {
            header = false;
            continue;
        }
        INFO(line);
        auto c = cells_of(line, ',');
        REQUIRE(c.size() == 10);
        auto p = builtin_plan(c[0]);
        REQUIRE(p.has_value());
        const plan& pl = **p;
        cluster_facts f;
        for (const auto& [k, v] : pairs(c[1])) {
            auto fact = parse_fact(k);
            REQUIRE(fact.has_value());
            f.set(*fact, static_cast<std::uint32_t>(std::stoul(v)));
        }
        auto m = modifiers_of(pairs(c[2]));
        auto a = classify(pl, f);
        CHECK(std::string(to_string(a.grade)) == c[3]);
        auto d = decide(pl, f, a, m);
        CHECK(std::string(to_string(d.warning.colour)) == c[4]);
        std::string wclause = d.warning.rules.empty() ? "" : d.warning.rules.front().clause;
        CHECK(wclause == c[5]);
        CHECK(to_string(d.warning.issue.issuer) == c[6]);
        if (d.warning.colour != warning_colour::none) {
            CHECK(d.warning.rules.front().used);
            CHECK_FALSE(d.warning.content_fields.empty());
            CHECK_FALSE(d.warning.name_zh.empty());
            seen[c[0]].insert(wclause);
        }
        CHECK((d.response.level == 0 ? std::string("none") : std::to_string(d.response.level)) == c[7]);
        std::string used;
        for (const auto& h : d.response.rules)
            if (h.used) {
                used += (used.empty() ? "" : "|") + h.clause;
                seen[c[0]].insert(h.clause);
                CHECK_FALSE(h.because.empty());
            }
        CHECK(used == c[8]);
        CHECK(to_string(d.response.start.issuer) == c[9]);
        // The fast path gives the same colour and level.
        auto fast = decide_levels(pl, f, a.grade, a.in_scope, m);
        CHECK(fast.warning == d.warning.colour);
        CHECK(fast.response == d.response.level);
        ++rows;
    }
    CHECK(rows >= 50);
    // Every rule clause of each plan decided at least one row of the table.
    for (const std::string id : {"yuzhong", "guiyang"}) {
        auto p = builtin_plan(id);
        REQUIRE(p.has_value());
        REQUIRE((*p)->warnings);
        REQUIRE((*p)->responses);
        for (const auto& r : (*p)->warnings->rules) {
            INFO(id << " warning rule " << r.clause);
            CHECK(seen[id].count(r.clause) == 1);
        }
        for (const auto& r : (*p)->responses->rules) {
            INFO(id << " response rule " << r.clause);
            CHECK(seen[id].count(r.clause) == 1);
        }
    }
}

TEST_CASE("2 severe cases under guiyang: a red warning and a grade-IV event, both reported", "[response]") {
    auto p = builtin_plan("guiyang");
    REQUIRE(p.has_value());
    cluster_facts f;
    f.severe_cases = 2;
    auto a = classify(**p, f);
    auto d = decide(**p, f, a, modifiers{});
    CHECK(a.grade == grade::IV);
    CHECK(d.warning.colour == warning_colour::red);
    CHECK(d.response.level == 4);
    REQUIRE_FALSE(d.warning.rules.empty());
    CHECK(d.warning.rules.front().because == "severe_cases = 2");
    CHECK(d.warning.issue.approver.at(0).unit == "市指挥部办公室");
    CHECK(d.warning.issue.approver.at(0).role == "主任");
    CHECK(d.warning.issue.proposer.at(0).unit == "药品安全工作组");
}

TEST_CASE("a decision as JSON carries its rules and authorities", "[response]") {
    auto p = builtin_plan("guiyang");
    REQUIRE(p.has_value());
    cluster_facts f;
    f.rare_cases = 20;  // grade III
    modifiers m;
    m.sensitive = true;
    auto d = decide(**p, f, classify(**p, f), m);
    const std::string j = to_json(d);
    CHECK(j.find("\"colour\":\"none\"") != std::string::npos);
    CHECK(j.find("\"level\":2") != std::string::npos);
    CHECK(j.find("\"clause\":\"guiyang A2 二级\",\"effect\":\"set 2\",\"because\":\"grade = III; sensitive\",\"used\":true") !=
          std::string::npos);
    // actors as {unit, role} (docs/json.md: the one shape the C ABI and the command give)
    CHECK(j.find("\"approver\":[{\"unit\":\"市人民政府\",\"role\":\"\"},{\"unit\":\"市总指挥部\",\"role\":\"\"}]") !=
          std::string::npos);
}

TEST_CASE("raising and lowering: steps do not add up, the ends hold, every rule is listed", "[response]") {
    auto p = builtin_plan("yuzhong");
    REQUIRE(p.has_value());
    cluster_facts f;
    f.rare_cases = 50;  // grade I: response 1
    modifiers m;
    m.spreading = m.key_period = true;
    auto d = decide(**p, f, classify(**p, f), m);
    CHECK(d.response.base == 1);
    CHECK(d.response.level == 1);
    int raises = 0, used = 0;
    for (const auto& h : d.response.rules)
        if (h.effect.rfind("raise", 0) == 0) {
            ++raises;
            used += h.used;
            if (h.used) CHECK(h.note == "already the highest level");
        }
    CHECK(raises == 2);
    CHECK(used == 1);
    // Out of scope: nothing is decided.
    auto g = builtin_plan("guiyang");
    REQUIRE(g.has_value());
    cluster_facts dev;
    dev.rare_cases = 60;
    dev.product = product::device;
    auto a = classify(**g, dev);
    CHECK_FALSE(a.in_scope);
    auto none = decide(**g, dev, a, modifiers{});
    CHECK(none.warning.colour == warning_colour::none);
    CHECK(none.response.level == 0);
}

TEST_CASE("bad warning and response rules are refused with their JSON pointer", "[response][plan]") {
    auto base = [](const std::string& sections) {
        return std::string(R"({"vigil_plan": 1, "id": "t", "name": {"zh": "t"}, "issuer": "t", "level": "county",
          "effective": "2026-01-01", "source": "t", "scope": {"products": ["drug"], "clause": "t 1"},
          "grading": {"criteria": [{"clause": "t 1", "grade": "IV", "text": "t", "any": [{"rare_cases": {"ge": 10}}]}]},
          "organisation": {"clause": "t 2", "units": [{"id": "局", "kind": "department", "clause": "t 2", "roles": ["局长"]}]})") +
               sections + "}";
    };
    struct bad_case {
        std::string sections, pointer, words;
    };
    const std::vector<bad_case> cases = {
        {R"(, "warnings": {"clause": "w", "levels": [{"colour": "red", "name_zh": "红", "issue": {"clause": "w", "issuer": ["处"]}}], "rules": [], "content": {"clause": "w", "fields": []}})",
         "/warnings/levels/0/issue/issuer/0", "unknown unit"},
        {R"(, "warnings": {"clause": "w", "levels": [{"colour": "red", "name_zh": "红", "issue": {"clause": "w", "issuer": ["局/科长"]}}], "rules": [], "content": {"clause": "w", "fields": []}})",
         "/warnings/levels/0/issue/issuer/0", "no role"},
        {R"(, "warnings": {"clause": "w", "levels": [{"colour": "red", "name_zh": "红", "issue": {"clause": "w", "issuer": ["局"], "proposer": ["科"]}}], "rules": [], "content": {"clause": "w", "fields": []}})",
         "/warnings/levels/0/issue/proposer/0", "unknown unit \"科\""},
        {R"(, "warnings": {"clause": "w", "levels": [{"colour": "red", "name_zh": "红", "issue": {"clause": "w", "issuer": ["局"], "notify": ["值班室"]}}], "rules": [], "content": {"clause": "w", "fields": []}})",
         "/warnings/levels/0/issue/notify/0", "unknown unit \"值班室\""},
        {R"(, "responses": {"clause": "r", "levels": [{"level": 1, "name_zh": "一级", "start": {"clause": "r", "issuer": ["局"], "approver": ["政府"]}}], "rules": []})",
         "/responses/levels/0/start/approver/0", "unknown unit \"政府\""},
        {R"(, "responses": {"clause": "r", "levels": [{"level": 1, "name_zh": "一级", "start": {"clause": "r", "issuer": ["局/处长"]}}], "rules": []})",
         "/responses/levels/0/start/issuer/0", "no role"},
        {R"(, "warnings": {"clause": "w", "levels": [{"colour": "red", "name_zh": "红", "issue": {"clause": "w", "issuer": ["局"]}}], "rules": [{"clause": "w", "text": "t", "colour": "blue", "when": [{"grade": "IV"}]}], "content": {"clause": "w", "fields": []}})",
         "/warnings/rules/0/colour", "not one of /warnings/levels"},
        {R"(, "warnings": {"clause": "w", "levels": [{"colour": "red", "name_zh": "红", "issue": {"clause": "w", "issuer": ["局"]}}], "rules": [{"clause": "w", "text": "t", "colour": "red", "when": [{"colour": "IV"}]}], "content": {"clause": "w", "fields": []}})",
         "/warnings/rules/0/when/0/colour", "unknown subject"},
        {R"(, "responses": {"clause": "r", "levels": [{"level": 1, "name_zh": "一级", "start": {"clause": "r", "issuer": ["局"]}}], "rules": [{"clause": "r", "text": "t", "set": 1, "raise": 1, "when": [{"grade": "I"}]}]})",
         "/responses/rules/0", "exactly one effect"},
        {R"(, "responses": {"clause": "r", "levels": [{"level": 2, "name_zh": "二级", "start": {"clause": "r", "issuer": ["局"]}}], "rules": []})",
         "/responses/levels/0/level", "expected level 1"},
        {R"(, "responses": {"clause": "r", "levels": [{"level": 1, "name_zh": "一级", "start": {"clause": "r", "issuer": ["局"]}}], "rules": [{"clause": "r", "text": "t", "set": 1, "when": [{"grade": {"in": ["I", "III"]}}]}]})",
         "/responses/rules/0/when/0/grade", "neighbouring grades"},
        {R"(, "responses": {"clause": "r", "levels": [{"level": 1, "name_zh": "一级", "start": {"clause": "r", "issuer": ["局"]}}], "rules": [{"clause": "r", "text": "t", "set": 1, "when": [{"sensitive": "yes"}]}]})",
         "/responses/rules/0/when/0/sensitive", "true or false"},
    };
    // The well-formed base loads.
    REQUIRE(load_plan(base("")).has_value());
    for (const auto& bc : cases) {
        INFO(bc.sections);
        auto r = load_plan(base(bc.sections), "t.json");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == errc::invalid_plan);
        bool found = false;
        const error r_error = r.error();  // error() gives a copy: keep it alive over the loop
        for (const auto& d : r_error.diagnostics) found = found || (d.pointer == bc.pointer && d.message.find(bc.words) != std::string::npos);
        INFO(r.error().message());
        CHECK(found);
    }
}
