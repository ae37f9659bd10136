// The classifier: conformance tables for both plans (tests/data/grading/), batch == single,
// monotonicity, expert overrides.
#include "test_support.hpp"

#include <vigil/classify.hpp>

#include <catch2/catch.hpp>

#include <random>

using namespace vigil;
using vigil::test::data_path;

namespace {

cluster_facts parse_facts(const std::string& text) {
    cluster_facts f;
    for (const auto& kv : vigil::test::split(text, ' ')) {
        if (kv.empty()) continue;
        auto eq = kv.find('=');
        REQUIRE(eq != std::string::npos);
        std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
        if (k == "product") {
            auto p = parse_product(v);
            REQUIRE(p);
            f.product = *p;
        } else {
            auto fa = parse_fact(k);
            INFO("fact " << k);
            REQUIRE(fa);
            f.set(*fa, v == "true" ? 1u : v == "false" ? 0u : static_cast<std::uint32_t>(std::stoul(v)));
        }
    }
    return f;
}

plan_ptr builtin(const char* id) {
    auto p = builtin_plan(id);
    REQUIRE(p);
    return *p;
}

void run_conformance(const char* id) {
    auto p = builtin(id);
    auto rows = vigil::test::read_table(data_path(std::string("grading/") + id + ".txt"));
    REQUIRE(rows.size() > 20);
    std::set<std::string> covered;
    for (const auto& r : rows) {
        REQUIRE(r.cells.size() == 4);
        INFO(id << ".txt line " << r.line << ": " << r.cells[0]);
        auto f = parse_facts(r.cells[0]);
        auto a = classify(*p, f);
        if (r.cells[1] == "out_of_scope") {
            CHECK_FALSE(a.in_scope);
            CHECK(a.grade == grade::none);
            CHECK(a.matches.empty());
            CHECK(a.scope_note.find(p->info.scope_clause) != std::string::npos);
            continue;
        }
        CHECK(a.in_scope);
        auto g = parse_grade(r.cells[1]);
        REQUIRE(g);
        CHECK(to_string(a.grade) == to_string(*g));
        CHECK(a.computed == a.grade);
        CHECK(a.reasons() == r.cells[2]);
        for (const auto& m : a.matches) {
            covered.insert(m.what->clause);
            CHECK_FALSE(m.decided.empty());
            for (const auto& d : m.decided) CHECK(d.value == f.value(*parse_fact(d.name)));
        }
    }
    // every computable criterion of the plan is exercised by some case
    for (const auto& c : p->criteria) {
        INFO(c.clause);
        if (!c.expert) CHECK(covered.count(c.clause) == 1);
    }
}

}  // namespace

TEST_CASE("yuzhong 1.5: every criterion on both sides of every bound", "[classify][yuzhong]") { run_conformance("yuzhong"); }
TEST_CASE("guiyang A1: every criterion on both sides of every bound", "[classify][guiyang]") { run_conformance("guiyang"); }

TEST_CASE("a match explains the facts and bounds that decided it", "[classify]") {
    auto p = builtin("yuzhong");
    cluster_facts f;
    f.deaths = 3;
    f.similar_cases_nearby = true;
    auto a = classify(*p, f);
    REQUIRE(a.winner());
    CHECK(a.winner()->what->clause == "yuzhong 1.5.2(2)");
    CHECK(a.winner()->what->text.find("同一批号药械短期内引起2人以上、5人以下患者死亡") != std::string::npos);
    REQUIRE(a.winner()->decided.size() == 2);
    CHECK(a.winner()->decided[0].bound == "2 < deaths < 5");
    CHECK(a.winner()->decided[1].bound == "similar_cases_nearby = true");
    auto j = to_json(a);
    CHECK(j.find("\"clause\":\"yuzhong 1.5.2(2)\"") != std::string::npos);
    CHECK(j.find("\"bound\":\"2 < deaths < 5\"") != std::string::npos);
}

TEST_CASE("expert override: shown beside the computed grade", "[classify][override]") {
    auto p = builtin("guiyang");
    cluster_facts f;
    f.rare_cases = 12;
    auto a = classify(*p, f);
    REQUIRE(a.grade == grade::IV);
    grade_override o{grade::II, "张三 (市指挥部专家组组长)", "涉及儿童用药，社会影响大", "2026-11-20T10:00+08:00",
                     "guiyang A1 重大(4)"};
    auto b = apply_override(*p, a, o);
    REQUIRE(b);
    CHECK(b->grade == grade::II);
    CHECK(b->computed == grade::IV);
    REQUIRE(b->override_);
    CHECK(b->override_->by == o.by);
    CHECK(b->reasons() == "guiyang A1 一般(1)");
    CHECK(to_json(*b).find("\"override\"") != std::string::npos);

    SECTION("refused without a person, a reason, or with a clause of another grade or plan") {
        auto no_by = o;
        no_by.by.clear();
        CHECK(apply_override(*p, a, no_by).error().code == errc::invalid_input);
        auto no_reason = o;
        no_reason.reason.clear();
        CHECK(apply_override(*p, a, no_reason).error().code == errc::invalid_input);
        auto wrong_grade = o;
        wrong_grade.clause = "guiyang A1 较大(4)";
        auto r = apply_override(*p, a, wrong_grade);
        REQUIRE_FALSE(r);
        CHECK(r.error().message().find("is of grade III, not II") != std::string::npos);
        auto other_plan = o;
        other_plan.clause = "yuzhong 1.5.2(1)";
        CHECK(apply_override(*p, a, other_plan).error().message().find("not a criterion of plan guiyang") != std::string::npos);
    }
    SECTION("an out-of-scope incident cannot be graded by override") {
        cluster_facts d;
        d.product = product::device;
        CHECK_FALSE(apply_override(*p, classify(*p, d), o));
    }
}

namespace {
cluster_facts random_facts(std::mt19937_64& rng) {
    // values around the bounds, so every grade occurs
    std::uniform_int_distribution<int> small(0, 12), big(0, 60), coin(0, 1), spread(0, 3), prod(0, 4);
    cluster_facts f;
    f.rare_cases = static_cast<std::uint32_t>(big(rng));
    f.severe_cases = static_cast<std::uint32_t>(small(rng));
    f.deaths = static_cast<std::uint32_t>(small(rng) / 2);
    f.similar_cases_nearby = coin(rng);
    f.provinces_with_II = static_cast<std::uint32_t>(spread(rng) / 2);
    f.prefectures_with_III = static_cast<std::uint32_t>(spread(rng) / 2);
    f.counties_with_III = static_cast<std::uint32_t>(spread(rng) / 2);
    f.counties_with_IV = static_cast<std::uint32_t>(spread(rng));
    f.streets_with_IV = static_cast<std::uint32_t>(spread(rng));
    f.product = prod(rng) == 0 ? product::device : product::drug;
    return f;
}
}  // namespace

TEST_CASE("batch == single, over random clusters of both plans", "[classify][batch]") {
    for (const char* id : {"yuzhong", "guiyang"}) {
        auto p = builtin(id);
        std::mt19937_64 rng(20261123);
        const std::size_t n = 5000;  // crosses several chunks, and a partial one
        std::vector<cluster_facts> rows(n);
        std::array<std::vector<std::uint32_t>, fact_count> cols;
        std::vector<std::uint8_t> prod(n);
        for (auto& c : cols) c.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            rows[i] = random_facts(rng);
            for (std::size_t k = 0; k < fact_count; ++k) cols[k][i] = rows[i].value(static_cast<fact>(k));
            prod[i] = static_cast<std::uint8_t>(rows[i].product);
        }
        fact_columns in;
        in.size = n;
        for (std::size_t k = 0; k < fact_count; ++k) in.facts[k] = cols[k];
        in.product = prod;
        std::vector<grade> grades(n);
        std::vector<std::uint64_t> bits(n);
        REQUIRE(classify_batch(*p, in, {grades, bits}));
        std::array<int, grade_count> seen{};
        for (std::size_t i = 0; i < n; ++i) {
            auto a = classify(*p, rows[i]);
            INFO(id << " row " << i);
            REQUIRE(grades[i] == a.grade);
            REQUIRE(bits[i] == a.matched_bits);
            ++seen[static_cast<int>(a.grade)];
        }
        for (int g = 0; g < grade_count; ++g) CHECK(seen[g] > 0);  // the data hit every grade
    }
}

TEST_CASE("batch: absent columns count as 0, lengths are checked", "[classify][batch]") {
    auto p = builtin("yuzhong");
    std::vector<std::uint32_t> deaths{0, 1, 3, 5}, similar{1, 1, 1, 0};
    fact_columns in;
    in.size = 4;
    in.set(fact::deaths, deaths).set(fact::similar_cases_nearby, similar);
    std::vector<grade> g(4);
    REQUIRE(classify_batch(*p, in, {g, {}}));
    CHECK(g == std::vector<grade>{grade::none, grade::III, grade::II, grade::I});

    std::vector<std::uint32_t> short_col{1, 2};
    in.set(fact::rare_cases, short_col);
    auto r = classify_batch(*p, in, {g, {}});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_input);
    CHECK(r.error().message() == "column rare_cases has 2 values; expected 4");

    fact_columns ok;
    ok.size = 4;
    std::vector<grade> small(2);
    CHECK(classify_batch(*p, ok, {small, {}}).error().message() == "grades output holds 2 values; expected 4");
    std::vector<std::uint8_t> bad_product{0, 1, 2, 0};
    ok.product = bad_product;
    CHECK(classify_batch(*p, ok, {g, {}}).error().message() == "product[2] = 2; expected 0 (drug) or 1 (device)");
}

TEST_CASE("grading is monotone: more cases never lower the grade", "[classify][property]") {
    for (const char* id : {"yuzhong", "guiyang"}) {
        auto p = builtin(id);
        std::mt19937_64 rng(7);
        for (int i = 0; i < 20000; ++i) {
            auto f = random_facts(rng);
            f.product = product::drug;
            auto before = classify(*p, f).grade;
            for (std::size_t k = 0; k < fact_count; ++k) {
                auto g = f;
                g.set(static_cast<fact>(k), f.value(static_cast<fact>(k)) + 1);
                if (is_boolean(static_cast<fact>(k))) g.similar_cases_nearby = true;
                auto after = classify(*p, g).grade;
                INFO(id << ": " << to_string(static_cast<fact>(k)) << " + 1 from " << f.value(static_cast<fact>(k)));
                REQUIRE(after >= before);
            }
        }
    }
}
