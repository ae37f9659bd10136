// Plans as data: the built-in plans, loading files, and every kind of bad plan refused with a
// message naming where (JSON pointer or line:column) and what was expected.
#include "test_support.hpp"

#include <vigil/plan.hpp>

#include <catch2/catch.hpp>

#include <random>

using namespace vigil;
using vigil::test::data_path;

TEST_CASE("the built-in plans load and carry their metadata", "[plan]") {
    auto names = builtin_plan_names();
    CHECK(names == std::vector<std::string>{"yuzhong", "guiyang"});

    auto y = builtin_plan("yuzhong");
    REQUIRE(y);
    const auto& yi = (*y)->info;
    CHECK(yi.name_zh == "重庆市渝中区药品和医疗器械安全突发事件应急预案");
    CHECK(yi.issuer == "重庆市渝中区人民政府办公室");
    CHECK(yi.level == "county");
    CHECK(yi.effective == "2023-08-29");
    CHECK((*y)->covers(product::drug));
    CHECK((*y)->covers(product::device));
    CHECK((*y)->criteria.size() == 10);
    CHECK((*y)->grade_names_zh[static_cast<int>(grade::I)] == "特别重大");

    auto g = builtin_plan("guiyang");
    REQUIRE(g);
    CHECK((*g)->covers(product::drug));
    CHECK_FALSE((*g)->covers(product::device));
    CHECK((*g)->criteria.size() == 14);
    int expert = 0;
    for (const auto& c : (*g)->criteria) expert += c.expert;
    CHECK(expert == 4);  // "其他…事件" in each grade

    // criteria are ordered graver first, and index is the position
    for (std::size_t i = 0; i < (*g)->criteria.size(); ++i) {
        CHECK((*g)->criteria[i].index == i);
        if (i) CHECK((*g)->criteria[i - 1].grade >= (*g)->criteria[i].grade);
    }
    // the same object is shared
    CHECK(builtin_plan("yuzhong").value().get() == y->get());
}

TEST_CASE("every criterion cites its clause with the original text", "[plan]") {
    for (const auto& id : builtin_plan_names()) {
        auto p = builtin_plan(id).value();
        for (const auto& c : p->criteria) {
            INFO(c.clause);
            CHECK(c.clause.rfind(id + " ", 0) == 0);
            CHECK(c.text.size() > 10);
            CHECK(p->find_criterion(c.clause) == &c);
        }
    }
}

TEST_CASE("the files under data/plans are the built-in plans", "[plan]") {
    for (const auto& id : builtin_plan_names()) {
        auto f = load_plan_file(std::string(VIGIL_SOURCE_DIR) + "/data/plans/" + id + ".json");
        REQUIRE(f);
        auto b = builtin_plan(id).value();
        CHECK((*f)->info.id == id);
        REQUIRE((*f)->criteria.size() == b->criteria.size());
        for (std::size_t i = 0; i < b->criteria.size(); ++i) CHECK((*f)->criteria[i].clause == b->criteria[i].clause);
    }
}

TEST_CASE("find_plan: a built-in id or a file, unknown names listed", "[plan]") {
    CHECK(find_plan("guiyang"));
    auto m = find_plan(data_path("plans/minimal.json"));
    REQUIRE(m);
    CHECK((*m)->info.id == "minimal");
    auto u = builtin_plan("shanghai");
    REQUIRE_FALSE(u);
    CHECK(u.error().code == errc::unknown_name);
    CHECK(u.error().message() == "no built-in plan \"shanghai\"; built-in plans: yuzhong, guiyang");
    auto missing = find_plan("no/such/plan.json");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == errc::io_error);
    CHECK(missing.error().message() == "no/such/plan.json: cannot open the file for reading");
    CHECK_THROWS_AS(find_plan("no/such/plan.json").value(), vigil::exception);
}

TEST_CASE("bad plans: one defect per file, each refused with its message", "[plan][errors]") {
    auto rows = vigil::test::read_table(data_path("plans/bad/expected.txt"));
    REQUIRE(rows.size() >= 25);
    for (const auto& r : rows) {
        REQUIRE(r.cells.size() >= 3);
        std::string expected = r.cells[2];  // the message may itself hold a '|'
        for (std::size_t i = 3; i < r.cells.size(); ++i) expected += "|" + r.cells[i];
        const std::string file = data_path("plans/bad/" + r.cells[0] + ".json");
        INFO(r.cells[0]);
        auto p = load_plan_file(file);
        REQUIRE_FALSE(p);
        CHECK(p.error().code == errc::invalid_plan);
        REQUIRE(p.error().diagnostics.size() == 1);  // one defect, one problem reported
        const auto err = p.error();  // result::error() returns a copy
        const auto& d = err.diagnostics.front();
        CHECK(d.source == file);
        CHECK(d.pointer == r.cells[1]);
        CHECK_THAT(d.message, Catch::Contains(expected));
    }
}

TEST_CASE("bad plans: malformed JSON names line and column", "[plan][errors]") {
    auto p = load_plan_file(data_path("plans/bad/syntax.json"));
    REQUIRE_FALSE(p);
    CHECK(p.error().code == errc::parse_error);
    const auto err = p.error();  // result::error() returns a copy
    const auto& d = err.diagnostics.at(0);
    CHECK(d.line == 4);
    CHECK(d.column == 28);
    CHECK_THAT(d.message, Catch::StartsWith("malformed JSON"));
    CHECK_THAT(d.to_string(), Catch::EndsWith("syntax.json:4:28: malformed JSON: " + d.message.substr(16)));

    auto deep = load_plan_file(data_path("plans/bad/too_deep.json"));
    REQUIRE_FALSE(deep);
    CHECK(deep.error().code == errc::too_large);
    CHECK_THAT(deep.error().message(), Catch::Contains("nesting deeper than 32 levels"));

    auto not_obj = load_plan_file(data_path("plans/bad/not_object.json"));
    REQUIRE_FALSE(not_obj);
    CHECK_THAT(not_obj.error().message(), Catch::Contains("expected the plan to be a JSON object, found a string"));

    std::string huge(max_plan_bytes + 1, ' ');
    auto big = load_plan(huge, "big.json");
    REQUIRE_FALSE(big);
    CHECK(big.error().code == errc::too_large);
}

TEST_CASE("bad plans: every problem is listed, not only the first", "[plan][errors]") {
    auto text = vigil::test::read_file(data_path("plans/minimal.json"));
    auto replace = [&](const std::string& from, const std::string& to) {
        auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
    };
    replace("\"county\"", "\"city\"");
    replace("{\"ge\": 10}", "{\"ge\": 10, \"gt\": 3, \"max\": 4}");
    replace("\"IV\"", "\"V\"");
    auto p = load_plan(text, "three.json");
    REQUIRE_FALSE(p);
    REQUIRE(p.error().diagnostics.size() == 4);
    CHECK(p.error().diagnostics[0].pointer == "/level");
    CHECK(p.error().diagnostics[1].pointer == "/grading/criteria/0/grade");
    CHECK(p.error().diagnostics[2].pointer == "/grading/criteria/0/any/0/rare_cases/max");
    CHECK(p.error().diagnostics[3].pointer == "/grading/criteria/0/any/0/rare_cases");
}

TEST_CASE("condition bounds compile to closed integer intervals", "[plan]") {
    auto p = builtin_plan("yuzhong").value();
    const auto* c = p->find_criterion("yuzhong 1.5.2(2)");
    REQUIRE(c);
    REQUIRE(c->any.size() == 1);
    const auto& deaths = c->any[0][0];
    CHECK(deaths.name == "deaths");
    CHECK(deaths.lo == 3);
    CHECK(deaths.hi == 4);
    CHECK_FALSE(deaths.holds(2));
    CHECK(deaths.holds(3));
    CHECK(deaths.holds(4));
    CHECK_FALSE(deaths.holds(5));
    CHECK_FALSE(c->reading.empty());
}

TEST_CASE("mutated plans never crash the loader: each is loaded or refused with diagnostics", "[plan][errors][fuzz]") {
    std::mt19937 rng(2026);
    for (const auto& id : builtin_plan_names()) {
        const auto original = vigil::test::read_file(std::string(VIGIL_SOURCE_DIR) + "/data/plans/" + id + ".json");
        REQUIRE(original.size() > 1000);
        int loaded = 0, refused = 0;
        for (int i = 0; i < 300; ++i) {
            std::string text = original;
            std::uniform_int_distribution<std::size_t> pos(0, text.size() - 1);
            switch (i % 4) {
            case 0: text[pos(rng)] = static_cast<char>(rng() & 0xFF); break;       // flip a byte
            case 1: text.resize(pos(rng)); break;                                   // truncate
            case 2: text.erase(pos(rng), 1 + rng() % 40); break;                    // cut a piece
            default: text.insert(pos(rng), std::string(1 + rng() % 3, "{[\",:0-}]"[rng() % 9])); break;
            }
            auto p = load_plan(text, "mutated.json");
            if (p) {
                ++loaded;
                CHECK(!(*p)->criteria.empty());
            } else {
                ++refused;
                auto err = p.error();
                REQUIRE_FALSE(err.diagnostics.empty());
                for (const auto& d : err.diagnostics) CHECK_FALSE(d.message.empty());
            }
        }
        CHECK(refused > 100);
        INFO(loaded << " of the mutations were still valid plans");
    }
}
