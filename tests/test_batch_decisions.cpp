// Warnings and responses on the batch path: classify_batch (and classify_batch_parallel) with
// warnings and responses columns give, row by row, the colour and level that decide() gives after
// classify() — for every row of the hand-written decision table (tests/data/response_decisions.csv,
// which states the expected colour and level) and for random rows of the built-in plans, of
// tests/data/plans/decisions.json (rules over a sum fact, `false` terms, several terms an
// alternative, raising and lowering by two) and of a plan without warning or response rules.
#include "test_support.hpp"

#include <vigil/classify.hpp>
#include <vigil/response.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <random>

using namespace vigil;
using vigil::test::data_path;

namespace {

plan_ptr load(const std::string& id) {
    INFO(id);
    auto p = id.find('.') == std::string::npos ? builtin_plan(id) : load_plan_file(data_path(id));
    REQUIRE(p);
    return *p;
}

// Plan-ordered columns of many rows, and the same rows as fact_values for the general path.
struct rows {
    std::size_t n = 0;
    std::vector<std::vector<std::uint32_t>> cols;  // by plan fact; empty: absent
    std::vector<std::uint8_t> product;
    std::vector<fact_values> values;

    std::vector<gsl::span<const std::uint32_t>> spans() const {
        std::vector<gsl::span<const std::uint32_t>> s;
        for (const auto& c : cols) s.emplace_back(c.data(), c.size());
        return s;
    }
};

struct answers {
    std::vector<grade> grades;
    std::vector<warning_colour> warnings;
    std::vector<std::uint8_t> responses;
};

answers batch(const plan& p, const rows& r, unsigned threads) {
    answers a;
    a.grades.assign(r.n, grade::none);
    a.warnings.assign(r.n, warning_colour::red);  // every value is written
    a.responses.assign(r.n, 9);
    const auto spans = r.spans();
    fact_columns in;
    in.size = r.n;
    in.columns = spans;
    if (!r.product.empty()) in.product = r.product;
    batch_output out{a.grades, {}, a.warnings, a.responses};
    auto ok = threads == 0 ? classify_batch(p, in, out) : classify_batch_parallel(p, in, out, threads);
    REQUIRE(ok);
    return a;
}

// Every row against classify() + decide(); the first difference is reported with its facts.
void check_rows(const plan& p, const rows& r, const answers& a) {
    std::size_t bad = 0;
    for (std::size_t i = 0; i < r.n; ++i) {
        const auto as = classify(p, r.values[i]);
        const auto d = decide(p, r.values[i], as);
        if (a.grades[i] == as.grade && a.warnings[i] == d.warning.colour && a.responses[i] == d.response.level) continue;
        if (bad++ == 0) {
            std::string facts;
            for (std::size_t f = 0; f < p.facts.size(); ++f)
                facts += p.facts[f].name + "=" + std::to_string(fact_value(p, r.values[i], static_cast<std::uint32_t>(f))) + " ";
            INFO(p.info.id << " row " << i << " of " << r.n << ": " << facts << "product " << static_cast<int>(r.values[i].product));
            CHECK(to_string(a.grades[i]) == to_string(as.grade));
            CHECK(to_string(a.warnings[i]) == to_string(d.warning.colour));
            CHECK(int(a.responses[i]) == d.response.level);
        }
    }
    CHECK(bad == 0);
}

// Random rows: counts near the plans' bounds, booleans any value (non-zero is true), grades 0 … 4
// (none for about half the rows), counts other than the first 0 for 3 rows in 5,
// each column absent with probability 1/5 (unless all_columns), the product column absent with
// probability 1/4.
rows random_rows(const plan& p, std::size_t n, std::mt19937_64& rng, bool all_columns = false) {
    rows r;
    r.n = n;
    r.cols.resize(p.facts.size());
    r.values.assign(n, fact_values(p));
    std::uniform_int_distribution<std::uint32_t> wide(0, 60), small(0, 12), grade5(0, 4), coin(0, 4), boolean(0, 5);
    for (const auto& f : p.facts) {
        if (f.kind == fact_kind::sum || (!all_columns && coin(rng) == 0)) continue;
        auto& c = r.cols[f.index];
        c.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            std::uint32_t v = f.kind == fact_kind::grade     ? (coin(rng) < 2 ? 0 : grade5(rng))
                              : f.kind == fact_kind::boolean ? (boolean(rng) < 3 ? 0 : boolean(rng) + 1)
                              : f.index == 0                 ? wide(rng)
                                                             : small(rng);
            if (f.kind == fact_kind::count && coin(rng) == 0) v = wide(rng);
            if (f.kind == fact_kind::count && f.index != 0 && coin(rng) < 3) v = 0;  // most clusters are local
            c[i] = v;
            r.values[i].values[f.index] = f.kind == fact_kind::boolean ? (v != 0) : v;
        }
    }
    if (coin(rng) != 0) {
        std::uniform_int_distribution<std::uint32_t> prod(0, static_cast<std::uint32_t>(p.products.size() - 1));
        r.product.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            r.product[i] = static_cast<std::uint8_t>(prod(rng));
            r.values[i].product = static_cast<product>(r.product[i]);
        }
    }
    return r;
}

std::vector<std::string> cells(const std::string& line, char sep) {
    std::vector<std::string> out(1);
    for (char c : line)
        if (c == sep) out.emplace_back();
        else out.back() += c;
    return out;
}

}  // namespace

TEST_CASE("batch decisions == the decision table, row for row", "[response][batch]") {
    std::ifstream in(data_path("response_decisions.csv"));
    REQUIRE(in.good());
    std::map<std::string, rows> by_plan;
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> expected;  // warning, response
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (header) {
            header = false;
            continue;
        }
        const auto c = cells(line, ',');
        REQUIRE(c.size() == 10);
        const auto p = load(c[0]);
        fact_values v(*p);
        for (const auto& part : {c[1], c[2]}) {
            if (part.empty()) continue;
            for (const auto& kv : cells(part, ';')) {
                const auto eq = kv.find('=');
                REQUIRE(eq != std::string::npos);
                const auto name = kv.substr(0, eq), value = kv.substr(eq + 1);
                const auto g = parse_grade(value);
                const std::uint32_t x = value == "true" ? 1 : value == "false" ? 0 : g ? static_cast<std::uint32_t>(*g) : std::stoul(value);
                INFO(line);
                REQUIRE(v.set(*p, name, x));
            }
        }
        by_plan[c[0]].values.push_back(v);
        expected[c[0]].emplace_back(c[4], c[7]);
    }
    REQUIRE(by_plan.size() == 2);
    for (auto& [id, r] : by_plan) {
        const auto p = load(id);
        r.n = r.values.size();
        r.cols.assign(p->facts.size(), std::vector<std::uint32_t>(r.n));
        for (std::size_t i = 0; i < r.n; ++i)
            for (std::size_t f = 0; f < p->facts.size(); ++f) r.cols[f][i] = r.values[i].values[f];
        const auto a = batch(*p, r, 0);
        for (std::size_t i = 0; i < r.n; ++i) {
            INFO(id << " table row " << i);
            CHECK(std::string(to_string(a.warnings[i])) == expected[id][i].first);
            CHECK((a.responses[i] == 0 ? std::string("none") : std::to_string(a.responses[i])) == expected[id][i].second);
        }
        check_rows(*p, r, a);
    }
}

TEST_CASE("batch decisions == decide() over random rows", "[response][batch][property]") {
    std::mt19937_64 rng(20261129);
    for (const std::string id : {"yuzhong", "guiyang", "plans/decisions.json", "plans/declared.json"}) {
        const auto p = load(id);
        for (std::size_t n : {1, 127, 128, 129, 1000, 4099}) {
            INFO(id << " n = " << n);
            const auto r = random_rows(*p, n, rng);
            check_rows(*p, r, batch(*p, r, 0));
        }
    }
    SECTION("in parallel, on both sides of the thread split") {
        const auto p = load("plans/decisions.json");
        const auto r = random_rows(*p, (std::size_t{1} << 16) + 77, rng);
        check_rows(*p, r, batch(*p, r, 3));
    }
}

TEST_CASE("batch decisions: the test plan's rules all decide some row", "[response][batch]") {
    // The random rows above reach every rule of plans/decisions.json: a check that can fail when
    // the generator stops reaching one (then the comparison would prove little for it).
    const auto p = load("plans/decisions.json");
    std::mt19937_64 rng(7);
    const auto r = random_rows(*p, 20000, rng, true);
    std::map<std::string, int> used;
    for (std::size_t i = 0; i < r.n; ++i) {
        const auto d = decide(*p, r.values[i], classify(*p, r.values[i]));
        for (const auto& h : d.warning.rules) used[h.clause] += h.used;
        for (const auto& h : d.response.rules) used[h.clause] += h.used;
    }
    for (const auto* c : {"decisions W1", "decisions W2", "decisions R1", "decisions R2", "decisions R3", "decisions R4"}) {
        INFO(c);
        CHECK(used[c] > 0);
    }
}

TEST_CASE("batch decisions: bad input is refused, naming the row", "[response][batch]") {
    const auto p = load("yuzhong");
    const auto pg = p->find_fact("possible_grade");
    REQUIRE(pg);
    std::vector<std::uint32_t> grades_in(300, 2);
    grades_in[257] = 5;
    std::vector<std::vector<std::uint32_t>> cols(p->facts.size());
    cols[pg->index] = grades_in;
    std::vector<gsl::span<const std::uint32_t>> spans;
    for (const auto& c : cols) spans.emplace_back(c.data(), c.size());
    fact_columns in;
    in.size = 300;
    in.columns = spans;
    std::vector<grade> g(300);
    std::vector<warning_colour> w(300);
    std::vector<std::uint8_t> resp(300);
    auto r = classify_batch(*p, in, batch_output{g, {}, w, {}});
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find("possible_grade[257] = 5; expected 0 (none) to 4 (I)") != std::string::npos);
    // grading alone does not read the modifier
    CHECK(classify_batch(*p, in, batch_output{g, {}}));
    std::vector<std::uint8_t> short_resp(299);
    grades_in[257] = 4;
    cols[pg->index] = grades_in;
    spans[pg->index] = cols[pg->index];
    r = classify_batch(*p, in, batch_output{g, {}, {}, short_resp});
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find("responses output holds 299 values; expected 300") != std::string::npos);
}
