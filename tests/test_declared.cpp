// Plans that declare their facts and products (tests/data/plans/declared.json): counts, a sum, a
// boolean, a grade fact, a spread fact, two products of which one is in scope; a plan of more
// criteria than a 64-bit set holds; a plan without grades; a plan file without "facts".
#include "test_support.hpp"

#include <vigil/classify.hpp>
#include <vigil/rollup.hpp>

#include <catch2/catch.hpp>

#include <random>

using namespace vigil;
using vigil::test::data_path;

namespace {

plan_ptr declared() { return load_plan_file(data_path("plans/declared.json")).value(); }

fact_values values(const plan& p, std::initializer_list<std::pair<const char*, std::uint32_t>> kv) {
    fact_values v(p);
    v.product = p.find_product("cosmetic").value();
    for (const auto& [k, x] : kv) REQUIRE(v.set(p, k, x));
    return v;
}

}  // namespace

TEST_CASE("a plan declares its facts, with kinds, labels, sums and spread rules", "[declared]") {
    auto p = declared();
    REQUIRE(p->facts.size() == 7);
    CHECK(p->facts[3].name == "deaths_and_critical");
    CHECK(p->facts[3].kind == fact_kind::sum);
    CHECK(p->facts[3].sum == std::vector<std::uint32_t>{1, 2});
    CHECK(p->facts[4].kind == fact_kind::boolean);
    CHECK(p->facts[5].kind == fact_kind::grade);
    REQUIRE(p->facts[6].spread);
    CHECK(p->facts[6].spread->counted == area_level::prefecture);
    CHECK(p->facts[6].spread->within == area_level::province);
    CHECK(p->facts[6].spread->at_least == grade::III);
    // by name or by Chinese label
    CHECK(p->find_fact("死亡和危重病例合计") == &p->facts[3]);
    CHECK(p->find_fact("critical_cases") == &p->facts[2]);
    CHECK(p->find_fact("rare_cases") == nullptr);
    REQUIRE(p->products.size() == 2);
    CHECK(p->product_id(product{1}) == "cosmetic");
    CHECK_FALSE(p->covers(product{0}));
    CHECK(p->covers(product{1}));
}

TEST_CASE("declared facts: grades on both sides of every bound, a sum read as the clause writes it", "[declared]") {
    auto p = declared();
    struct row {
        std::uint32_t casualties, deaths, critical, cluster, cities;
        grade expected;
        const char* clause;  // the winner ("" for none)
    };
    const row table[] = {
        {9, 0, 0, 0, 0, grade::none, ""},
        {10, 0, 0, 0, 0, grade::IV, "declared 4"},
        {29, 0, 0, 0, 0, grade::IV, "declared 4"},
        {30, 0, 0, 0, 0, grade::III, "declared 3(1)"},
        {99, 0, 0, 0, 0, grade::III, "declared 3(1)"},
        {100, 0, 0, 0, 0, grade::none, ""},  // 100人以下: the text gives no grade from 100 on (a gap)
        {0, 1, 1, 1, 0, grade::none, ""},    // sum 2
        {0, 2, 1, 1, 0, grade::III, "declared 3(2)"},  // sum 3, a cluster
        {0, 2, 1, 0, 0, grade::none, ""},              // sum 3, no cluster
        {0, 1, 4, 1, 0, grade::III, "declared 3(2)"},  // sum 5
        {0, 2, 4, 0, 0, grade::II, "declared 2(1)"},   // sum 6
        {0, 6, 0, 0, 0, grade::II, "declared 2(1)"},
        {0, 0, 0, 0, 1, grade::none, ""},
        {0, 0, 0, 0, 2, grade::II, "declared 2(2)"},
        {0, 0xFFFFFFFFu, 5, 0, 0, grade::II, "declared 2(1)"},  // the sum saturates, never wraps
    };
    for (const auto& r : table) {
        auto v = values(*p, {{"casualties", r.casualties}, {"deaths", r.deaths}, {"critical_cases", r.critical},
                             {"cluster", r.cluster}, {"cities_with_III", r.cities}});
        INFO("casualties " << r.casualties << " deaths " << r.deaths << " critical " << r.critical << " cluster "
                           << r.cluster << " cities " << r.cities);
        auto a = classify(*p, v);
        CHECK(a.grade == r.expected);
        CHECK((a.winner() ? a.winner()->what->clause : std::string()) == r.clause);
        // the batch, columns in the plan's order, agrees
        std::vector<std::vector<std::uint32_t>> cols(p->facts.size());
        std::vector<gsl::span<const std::uint32_t>> spans(p->facts.size());
        for (std::size_t i = 0; i < p->facts.size(); ++i) {
            cols[i] = {v.values[i]};
            spans[i] = cols[i];
        }
        std::vector<std::uint8_t> prod{1};
        fact_columns in;
        in.size = 1;
        in.columns = spans;
        in.product = prod;
        grade g[1];
        std::uint64_t bits[1];
        REQUIRE(classify_batch(*p, in, {g, bits}));
        CHECK(g[0] == a.grade);
        CHECK(bits[0] == a.matched_bits);
    }
    auto a = classify(*p, values(*p, {{"deaths", 2}, {"critical_cases", 4}}));
    REQUIRE(a.winner());
    REQUIRE(a.winner()->decided.size() == 1);
    CHECK(a.winner()->decided[0].name == "deaths_and_critical");
    CHECK(a.winner()->decided[0].value == 6);
    CHECK(a.winner()->decided[0].bound == "6 <= deaths_and_critical");
    CHECK(a.winner()->decided[0].sum == "死亡和危重病例合计 = 6: deaths 2 + critical_cases 4");
    CHECK_THAT(to_json(a), Catch::Contains(R"("sum":"死亡和危重病例合计 = 6: deaths 2 + critical_cases 4")"));
}

TEST_CASE("declared products: out of scope by the plan's own products", "[declared]") {
    auto p = declared();
    fact_values v(*p);
    REQUIRE(v.set(*p, "casualties", 50));
    v.product = p->find_product("vaccine").value();
    auto a = classify(*p, v);
    CHECK_FALSE(a.in_scope);
    CHECK(a.grade == grade::none);
    CHECK(a.scope_note == "a vaccine incident is outside the scope of plan declared (declared 1): not graded");
    CHECK(a.matched_bits == out_of_scope_bit);
    // a batch without a product column is all the plan's first product (vaccine): out of scope
    std::vector<std::uint32_t> cas{50};
    std::vector<gsl::span<const std::uint32_t>> spans{cas};
    fact_columns in;
    in.size = 1;
    in.columns = spans;
    grade g[1];
    std::uint64_t bits[1];
    REQUIRE(classify_batch(*p, in, {g, bits}));
    CHECK(g[0] == grade::none);
    CHECK(bits[0] == out_of_scope_bit);
    std::vector<std::uint8_t> bad{2};
    in.product = bad;
    auto r = classify_batch(*p, in, {g, bits});
    REQUIRE_FALSE(r);
    CHECK(r.error().message() == "product[0] = 2; expected 0 (vaccine) or 1 (cosmetic)");
}

TEST_CASE("fact_values::set refuses what the plan does not declare or the kind does not hold", "[declared]") {
    auto p = declared();
    fact_values v(*p);
    auto unknown = v.set(*p, "rare_cases", 1);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message() ==
          "unknown fact \"rare_cases\"; plan declared declares: casualties, deaths, critical_cases, deaths_and_critical, "
          "cluster, may_reach, cities_with_III");
    auto sum = v.set(*p, "deaths_and_critical", 1);
    REQUIRE_FALSE(sum);
    CHECK(sum.error().message() == "\"deaths_and_critical\" is a sum of other facts: set its parts");
    auto g = v.set(*p, "may_reach", 5);
    REQUIRE_FALSE(g);
    CHECK(g.error().message() == "\"may_reach\" is a grade: expected 0 (none) to 4 (I), found 5");
    REQUIRE(v.set(*p, "伤亡人数", 12));  // by the Chinese label
    CHECK(v.values[0] == 12);
}

TEST_CASE("rollup counts a plan's declared spread facts", "[declared][rollup]") {
    auto p = declared();
    const auto cosmetic = p->find_product("cosmetic").value();
    std::vector<local_event> events;
    auto ev = [&](const char* area, grade g) {
        events.push_back({cosmetic, "C1", parse_area_code(area).value(), g});
    };
    ev("520100", grade::III);  // 贵阳市
    ev("520200", grade::IV);   // 六盘水市: below the grade that counts
    ev("520300", grade::II);   // 遵义市
    ev("510100", grade::I);    // another province
    auto r = rollup(*p, events, cosmetic, "C1", parse_area_code("520000").value());
    REQUIRE(r.counts.size() == 1);
    CHECK(r.counts[0].name == "cities_with_III");
    CHECK(r.counts[0].count == 2);
    CHECK(r.counts[0].areas == std::vector<std::string>{"520100", "520300"});
    CHECK(r.values.values[6] == 2);
    CHECK(classify(*p, r.values).grade == grade::II);
}

TEST_CASE("a plan without grades is valid: nothing is graded, obligations and organisation still load", "[declared]") {
    auto p = load_plan_file(data_path("plans/reporting_only.json"));
    REQUIRE(p);
    CHECK((*p)->criteria.empty());
    CHECK((*p)->match_words() == 1);
    auto a = classify(**p, fact_values(**p));
    CHECK(a.grade == grade::none);
    CHECK(a.matches.empty());
    std::vector<std::uint32_t> col{5, 50};
    fact_columns in;
    in.size = 2;
    in.set(fact::rare_cases, col);
    grade g[2];
    std::uint64_t bits[2];
    REQUIRE(classify_batch(**p, in, {g, bits}));
    CHECK(g[0] == grade::none);
    CHECK(g[1] == grade::none);
    CHECK(bits[1] == 0);
}

TEST_CASE("a plan file without facts and products declares those of vigil_plan 1", "[declared]") {
    auto p = load_plan_file(data_path("plans/minimal.json")).value();
    REQUIRE(p->facts.size() == 15);
    CHECK(p->facts[0].name == "rare_cases");
    CHECK(p->facts[3].kind == fact_kind::boolean);
    CHECK(p->facts[9].name == "possible_grade");
    CHECK(p->facts[9].kind == fact_kind::grade);
    REQUIRE(p->products.size() == 2);
    CHECK(p->products[0].id == "drug");
    CHECK(p->products[1].id == "device");
    // the built-in plans declare the same facts and products in their files
    for (const auto& id : builtin_plan_names()) {
        auto b = builtin_plan(id).value();
        REQUIRE(b->facts.size() == p->facts.size());
        for (std::size_t i = 0; i < p->facts.size(); ++i) {
            CHECK(b->facts[i].name == p->facts[i].name);
            CHECK(b->facts[i].kind == p->facts[i].kind);
            CHECK(b->facts[i].spread.has_value() == p->facts[i].spread.has_value());
        }
    }
}

TEST_CASE("a plan of more criteria than 63: the match set grows by words, batch and single agree", "[declared][batch]") {
    // criterion k (0 … 129): count = k, of grade I … IV by k % 4; and one for the sum
    std::string crit;
    const char* grades[] = {"I", "II", "III", "IV"};
    for (int k = 0; k < 130; ++k)
        crit += std::string(k ? "," : "") + R"({"clause": "w )" + std::to_string(k) + R"(", "grade": ")" + grades[k % 4] +
                R"(", "text": "测试", "any": [{"n": {"eq": )" + std::to_string(k) + "}}]}";
    crit += R"(,{"clause": "w sum", "grade": "IV", "text": "测试", "any": [{"both": {"ge": 200}, "flag": {"is": true}}]})";
    const std::string json = R"({"vigil_plan": 1, "id": "many", "name": {"zh": "多条"}, "issuer": "测试", "level": "county",
        "source": "tests", "scope": {"products": ["drug"], "clause": "many 1"},
        "facts": [{"name": "n", "kind": "count", "label": {"zh": "数", "en": "n"}},
                  {"name": "m", "kind": "count", "label": {"zh": "另一数", "en": "m"}},
                  {"name": "both", "sum": ["n", "m"], "label": {"zh": "合计", "en": "n + m"}},
                  {"name": "flag", "kind": "boolean", "label": {"zh": "标志", "en": "flag"}}],
        "products": [{"id": "drug", "label": {"zh": "药品", "en": "drug"}}, {"id": "device", "label": {"zh": "医疗器械", "en": "device"}}],
        "grading": {"criteria": [)" + crit + "]}}";
    auto pr = load_plan(json, "many");
    REQUIRE(pr);
    const auto& p = **pr;
    REQUIRE(p.criteria.size() == 131);
    REQUIRE(p.match_words() == 3);
    const std::size_t n = 3000;
    std::mt19937 rng(7);
    std::vector<std::uint32_t> cn(n), cm(n), cf(n);
    std::vector<std::uint8_t> prod(n);
    for (std::size_t i = 0; i < n; ++i) {
        cn[i] = rng() % 140;
        cm[i] = rng() % 3 == 0 ? 150 + rng() % 10 : rng() % 5;
        cf[i] = rng() % 2 ? 7 : 0;  // any non-zero value is true
        prod[i] = rng() % 10 == 0 ? 1 : 0;
    }
    std::vector<gsl::span<const std::uint32_t>> spans{cn, cm, {}, cf};
    fact_columns in;
    in.size = n;
    in.columns = spans;
    in.product = prod;
    std::vector<grade> g(n);
    std::vector<std::uint64_t> bits(n * 3);
    REQUIRE(classify_batch(p, in, {g, bits}));
    std::size_t sums = 0, outs = 0;
    for (std::size_t i = 0; i < n; ++i) {
        fact_values v(p);
        v.values = {cn[i], cm[i], 0, cf[i] != 0};
        v.product = product{prod[i]};
        auto a = classify(p, v);
        INFO("row " << i);
        REQUIRE(g[i] == a.grade);
        REQUIRE(a.matched_set.size() == 3);
        for (std::size_t w = 0; w < 3; ++w) REQUIRE(bits[i * 3 + w] == a.matched_set[w]);
        sums += a.reasons().find("w sum") != std::string::npos;
        outs += !a.in_scope;
    }
    CHECK(sums > 0);
    CHECK(outs > 0);
    // a criterion past 63 (grade IV criteria come last) is reported by its clause and its bit
    fact_values v(p);
    v.values[0] = 103;
    auto a = classify(p, v);
    CHECK(a.reasons() == "w 103");
    CHECK(a.grade == grade::IV);
    const auto index = p.find_criterion("w 103")->index;
    REQUIRE(index > 63);
    CHECK((a.matched_set[index / 64] >> (index % 64) & 1) == 1);
    // a matched output too small for three words a row
    std::vector<std::uint64_t> small(n);
    auto r = classify_batch(p, in, {g, small});
    REQUIRE_FALSE(r);
    CHECK(r.error().message() == "matched output holds 3000 values; expected 9000 (3 words a row) or none");
}

TEST_CASE("a third plan by a data file alone: tianjin (vaccine), every criterion on both sides of every bound",
          "[declared][tianjin]") {
    // examples/plans/tianjin-vaccine.json, written from a public text
    // (examples/plans/tianjin-vaccine.source.txt); the table is tests/data/grading/tianjin.txt.
    auto p = load_plan_file(std::string(VIGIL_SOURCE_DIR) + "/examples/plans/tianjin-vaccine.json").value();
    REQUIRE(p->products.size() == 1);
    CHECK(p->product_id(product{0}) == "vaccine");
    CHECK(p->covers(product{0}));
    // facts neither built-in plan declares
    for (const char* name : {"suspected_quality", "quality_confirmed", "provinces_involved"})
        for (const auto& id : builtin_plan_names()) CHECK(builtin_plan(id).value()->find_fact(name) == nullptr);
    CHECK(p->find_fact("疑似与质量相关") == p->find_fact("suspected_quality"));

    auto rows = vigil::test::read_table(data_path("grading/tianjin.txt"));
    REQUIRE(rows.size() > 20);
    std::set<std::string> covered;
    for (const auto& r : rows) {
        REQUIRE(r.cells.size() == 4);
        INFO("tianjin.txt line " << r.line << ": " << r.cells[0]);
        fact_values v(*p);
        for (const auto& kv : vigil::test::split(r.cells[0], ' ')) {
            if (kv.empty()) continue;
            auto eq = kv.find('=');
            REQUIRE(eq != std::string::npos);
            const auto k = kv.substr(0, eq), x = kv.substr(eq + 1);
            REQUIRE(v.set(*p, k, x == "true" ? 1u : x == "false" ? 0u : static_cast<std::uint32_t>(std::stoul(x))));
        }
        auto a = classify(*p, v);
        CHECK(a.in_scope);
        auto g = parse_grade(r.cells[1]);
        REQUIRE(g);
        CHECK(to_string(a.grade) == to_string(*g));
        CHECK(a.reasons() == r.cells[2]);
        for (const auto& m : a.matches) {
            covered.insert(m.what->clause);
            CHECK_FALSE(m.decided.empty());
            for (const auto& d : m.decided) {
                const fact_def* f = p->find_fact(d.name);
                REQUIRE(f);
                CHECK(d.value == v.values[static_cast<std::size_t>(f - p->facts.data())]);
            }
        }
        // the batch, columns in the plan's order, agrees
        std::vector<std::vector<std::uint32_t>> cols(p->facts.size());
        std::vector<gsl::span<const std::uint32_t>> spans(p->facts.size());
        for (std::size_t i = 0; i < p->facts.size(); ++i) {
            cols[i] = {v.values[i]};
            spans[i] = cols[i];
        }
        fact_columns in;
        in.size = 1;
        in.columns = spans;
        grade bg[1];
        std::uint64_t bits[1];
        REQUIRE(classify_batch(*p, in, {bg, bits}));
        CHECK(bg[0] == a.grade);
        CHECK(bits[0] == a.matched_bits);
    }
    for (const auto& c : p->criteria) {
        INFO(c.clause);
        if (!c.expert) CHECK(covered.count(c.clause) == 1);
    }
}
