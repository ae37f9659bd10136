// The batch path against the single path: classify_batch and classify_batch_parallel give, for
// every row, the grade and the matched set that classify() gives, over random clusters of the
// built-in plans and of tests/data/plans/wide.json (40 criteria: the 64-bit matched-set path, a
// device-only scope, three-condition alternatives), with columns absent at random, boolean columns
// holding any non-zero value for true, and sizes on both sides of the chunk and thread splits.
#include "test_support.hpp"

#include <vigil/classify.hpp>

#include <catch2/catch.hpp>

#include <random>

using namespace vigil;
using vigil::test::data_path;

namespace {

plan_ptr load(const std::string& id) {
    auto p = id.find('.') == std::string::npos ? builtin_plan(id) : load_plan_file(data_path(id));
    INFO(id);
    REQUIRE(p);
    return *p;
}

struct random_batch {
    std::size_t n;
    std::array<std::vector<std::uint32_t>, fact_count> cols;
    std::vector<std::uint8_t> product;
    fact_columns in;
    std::vector<cluster_facts> rows;  // what classify() sees
};

// Values around every plan's bounds; each column absent with probability 1/5 (then 0 for all).
random_batch make_batch(std::size_t n, std::mt19937_64& rng) {
    random_batch b;
    b.n = n;
    b.rows.resize(n);
    b.in.size = n;
    std::uniform_int_distribution<std::uint32_t> value(0, 60), small(0, 12), coin(0, 4);
    for (std::size_t k = 0; k < fact_count; ++k) {
        if (coin(rng) == 0) continue;  // absent
        auto& c = b.cols[k];
        c.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            const auto f = static_cast<fact>(k);
            std::uint32_t v = k == 0 ? value(rng) : small(rng);
            if (is_boolean(f)) v = v % 3 == 0 ? 0 : v;  // any non-zero value is true
            c[i] = v;
            b.rows[i].set(f, v);
        }
        b.in.facts[k] = c;
    }
    if (coin(rng) != 0) {
        b.product.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            b.product[i] = coin(rng) == 0 ? 1 : 0;
            b.rows[i].product = static_cast<product>(b.product[i]);
        }
        b.in.product = b.product;
    }
    return b;
}

void check_against_single(const plan& p, const random_batch& b, const std::vector<grade>& g,
                          const std::vector<std::uint64_t>& bits) {
    for (std::size_t i = 0; i < b.n; ++i) {
        const auto a = classify(p, b.rows[i]);
        if (g[i] != a.grade || (!bits.empty() && bits[i] != a.matched_bits)) {
            INFO(p.info.id << " row " << i << " of " << b.n);
            CHECK(to_string(g[i]) == to_string(a.grade));
            if (!bits.empty()) CHECK(bits[i] == a.matched_bits);
            return;  // one report a batch is enough
        }
    }
    SUCCEED();
}

}  // namespace

TEST_CASE("batch == single over random clusters, with absent columns", "[classify][batch][property]") {
    std::mt19937_64 rng(20261123);
    for (const std::string id : {"yuzhong", "guiyang", "plans/wide.json"}) {
        const auto p = load(id);
        std::array<int, grade_count> seen{};
        for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{511}, std::size_t{512},
                                    std::size_t{513}, std::size_t{4097}, std::size_t{70001}}) {
            for (int round = 0; round < (n < 5000 ? 8 : 2); ++round) {
                INFO(id << ": n = " << n << ", round " << round);
                const auto b = make_batch(n, rng);
                std::vector<grade> g(n, grade::I);
                std::vector<std::uint64_t> bits(n, ~std::uint64_t{0});
                REQUIRE(classify_batch(*p, b.in, {g, bits}));
                check_against_single(*p, b, g, bits);
                for (auto x : g) ++seen[static_cast<int>(x)];

                std::vector<grade> only(n, grade::I);
                REQUIRE(classify_batch(*p, b.in, {only, {}}));
                CHECK(only == g);

                for (unsigned threads : {0u, 1u, 2u, 3u, 8u}) {
                    INFO("threads " << threads);
                    std::vector<grade> pg(n, grade::I);
                    std::vector<std::uint64_t> pbits(n, ~std::uint64_t{0});
                    REQUIRE(classify_batch_parallel(*p, b.in, {pg, pbits}, threads));
                    CHECK(pg == g);
                    CHECK(pbits == bits);
                }
            }
        }
        INFO(id);
        for (int x = 0; x < grade_count; ++x) CHECK(seen[x] > 0);  // the data hit every grade
    }
}

TEST_CASE("batch: a boolean column reads any non-zero value as true", "[classify][batch]") {
    const auto p = load("yuzhong");
    std::vector<std::uint32_t> deaths{3, 3, 3, 1, 1}, similar{0, 1, 255, 2, 0};
    fact_columns in;
    in.size = 5;
    in.set(fact::deaths, deaths).set(fact::similar_cases_nearby, similar);
    std::vector<grade> g(5);
    REQUIRE(classify_batch(*p, in, {g, {}}));
    CHECK(g == std::vector<grade>{grade::none, grade::II, grade::II, grade::III, grade::none});
}

TEST_CASE("batch: out of scope rows carry only the out-of-scope bit", "[classify][batch]") {
    const auto p = load("plans/wide.json");  // device only
    std::vector<std::uint32_t> rare{30, 30, 0};
    std::vector<std::uint8_t> prod{0, 1, 0};
    fact_columns in;
    in.size = 3;
    in.set(fact::rare_cases, rare);
    in.product = prod;
    std::vector<grade> g(3);
    std::vector<std::uint64_t> bits(3);
    REQUIRE(classify_batch(*p, in, {g, bits}));
    CHECK(g[0] == grade::none);
    CHECK(bits[0] == out_of_scope_bit);
    CHECK(g[1] == classify(*p, [] { cluster_facts f; f.rare_cases = 30; f.product = product::device; return f; }()).grade);
    CHECK(bits[2] == out_of_scope_bit);
    in.product = {};  // absent: every row is a drug incident, which this plan does not cover
    REQUIRE(classify_batch(*p, in, {g, bits}));
    CHECK(bits == std::vector<std::uint64_t>(3, out_of_scope_bit));
    CHECK(g == std::vector<grade>(3, grade::none));
}

TEST_CASE("batch_parallel checks its input as classify_batch does", "[classify][batch]") {
    const auto p = load("yuzhong");
    std::vector<std::uint32_t> short_col{1, 2};
    fact_columns in;
    in.size = 4;
    in.set(fact::rare_cases, short_col);
    std::vector<grade> g(4);
    auto r = classify_batch_parallel(*p, in, {g, {}}, 2);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_input);
    CHECK(r.error().message() == "column rare_cases has 2 values; expected 4");
}
