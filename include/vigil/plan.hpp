// vigil/plan.hpp — a jurisdiction's emergency plan, as data.
//
// A plan is loaded from JSON (data/plan.schema.json, docs/plan-format.md), validated, and compiled
// into an immutable object. Thread rule: a plan is never modified after loading; share a
// plan_ptr between any number of threads.
#pragma once

#include <vigil/error.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {

/// Severity grade of an incident. The order is the severity: a larger value is a graver grade.
enum class grade : std::uint8_t { none = 0, IV = 1, III = 2, II = 3, I = 4 };
inline constexpr int grade_count = 5;

std::string_view to_string(grade g) noexcept;  ///< "none", "IV", "III", "II", "I"
std::string_view grade_zh(grade g) noexcept;   ///< "", "一般", "较大", "重大", "特别重大"
std::optional<grade> parse_grade(std::string_view s) noexcept;  ///< accepts to_string()'s forms

/// What the incident's product is: an index into the plan's declared products (plan::products).
/// The plans whose products are drug and device (in that order) keep the two named values.
enum class product : std::uint8_t { drug = 0, device = 1 };
std::string_view to_string(product p) noexcept;                 ///< "drug", "device" for 0, 1 (compatibility)
std::optional<product> parse_product(std::string_view s) noexcept;  ///< "drug", "device" (compatibility)

/// What kind of value a declared fact holds.
enum class fact_kind : std::uint8_t {
    count,    ///< 0 … 2^32−1
    boolean,  ///< false / true (0 / 1; any non-zero value reads as true)
    grade,    ///< a grade (0 none … 4 I), e.g. the grade an assessment says the event may reach
    sum,      ///< derived: the sum of other count facts (saturating at 2^32−1); never an input
};
std::string_view to_string(fact_kind k) noexcept;  ///< "count", "boolean", "grade", "sum"

/// Administrative levels, coarsest first (vigil/rollup.hpp counts areas at one of them).
enum class area_level : std::uint8_t { province = 0, prefecture = 1, county = 2, street = 3 };
std::string_view to_string(area_level l) noexcept;  ///< "province", "prefecture", "county", "street"
std::optional<area_level> parse_area_level(std::string_view s) noexcept;

/// How a spread fact is rolled up from graded local events (vigil::rollup): the number of
/// distinct areas of level `counted`, inside the target's enclosing area of level `within`
/// (none: nationwide), with an event of at least grade `at_least` from the same product.
struct spread_def {
    area_level counted = area_level::county;
    std::optional<area_level> within;
    vigil::grade at_least = grade::IV;
};

/// One fact a plan declares (its "facts" section): what criteria, warning and response rules
/// read, what CSV columns and JSON keys name.
struct fact_def {
    std::string name;                ///< "deaths": the key in conditions, CSV headers, JSON
    fact_kind kind = fact_kind::count;
    std::string label_zh, label_en;  ///< "死亡人数" (a CSV header may use it), "deaths"
    std::string text;                ///< what it means, in the plan's words
    bool optional = false;           ///< an input may leave it out without a note (a modifier)
    std::vector<std::uint32_t> sum;  ///< kind sum: the indices of the facts added
    std::optional<spread_def> spread;  ///< a spread fact: how vigil::rollup counts it
    std::uint32_t index = 0;         ///< position in plan::facts
};

/// One product a plan declares (its "products" section).
struct product_def {
    std::string id;  ///< "drug", "cosmetic"
    std::string label_zh, label_en;
};

/// One bound on one fact, as the plan writes it and as compiled.
/// The written form keeps inclusive / exclusive explicit; the compiled form is the closed
/// integer interval [lo, hi] it denotes.
struct condition {
    std::uint32_t fact = 0;  ///< index into plan::facts
    std::string name;        ///< the fact's name
    std::optional<std::int64_t> ge, gt, le, lt, eq;  ///< as written (at least one is set)
    std::optional<bool> is;                          ///< for boolean facts
    std::uint32_t lo = 0;                            ///< compiled: fact >= lo
    std::uint32_t hi = UINT32_MAX;                   ///< compiled: fact <= hi

    bool holds(std::uint32_t value) const noexcept { return value - lo <= hi - lo; }
    /// "30 <= deaths < 50", "cluster = true"
    std::string to_string() const;
};

/// One clause of the grading table, e.g. "yuzhong 1.5.2(1)".
/// It matches when any of its alternatives holds; an alternative holds when all its conditions do.
/// An expert criterion ("其他…事件") has no conditions: it is never computed, only cited by an override.
struct criterion {
    std::string clause;                              ///< "yuzhong 1.5.2(1)"
    std::string text;                                ///< the clause's original Chinese text
    vigil::grade grade = grade::none;
    std::vector<std::vector<condition>> any;         ///< OR of ANDs
    bool expert = false;
    std::string reading;                             ///< the reading decision, when one was made (English)
    std::string reading_zh;                          ///< the same in Chinese; empty when the plan gives none
    std::uint32_t index = 0;                         ///< position in plan::criteria (bit in a match set)
};

/// Plan metadata.
struct plan_info {
    std::string id;                  ///< "yuzhong"
    std::string name_zh, name_en;
    std::string issuer;              ///< issuing body
    std::string level;               ///< national | province | prefecture | county (district)
    std::vector<product> scope;      ///< products the plan covers (indices into plan::products)
    std::string scope_clause;        ///< the clause that sets the scope
    std::string effective;           ///< ISO date
    std::string source;              ///< the source document
    std::string version;             ///< the rule data's own version
};

namespace detail { struct program; }
struct obligation_rules;  // vigil/obligations.hpp
struct organisation;      // vigil/organisation.hpp
struct warning_rules;     // vigil/response.hpp
struct response_rules;    // vigil/response.hpp
struct lifecycle_table;   // vigil/lifecycle.hpp
struct detection_rules;   // vigil/detect.hpp

/// A loaded, validated, compiled plan. Immutable.
struct plan {
    plan_info info;
    std::vector<fact_def> facts;        ///< the facts the plan declares, in its order
    std::vector<product_def> products;  ///< the products it declares, in its order
    std::vector<criterion> criteria;  ///< graver grades first, then in the plan's order; may be empty
    std::array<std::string, grade_count> grade_names_zh;   ///< as the plan names its grades
    std::shared_ptr<const detail::program> program;        ///< the compiled grading program
    std::shared_ptr<const obligation_rules> obligations;   ///< reporting rules (vigil/obligations.hpp); null when the plan has none
    std::shared_ptr<const vigil::organisation> org;        ///< units and roles (vigil/organisation.hpp); null when none
    std::shared_ptr<const warning_rules> warnings;         ///< warning rules (vigil/response.hpp); null when none
    std::shared_ptr<const response_rules> responses;       ///< response rules (vigil/response.hpp); null when none
    std::shared_ptr<const lifecycle_table> lifecycle;      ///< the incident state machine (vigil/lifecycle.hpp); null when none
    std::shared_ptr<const detection_rules> detection;      ///< how facts are counted from case reports (vigil/detect.hpp); null when none
    std::string sha256;    ///< hex SHA-256 of the JSON text the plan was loaded from (a log of a plan file records it)
    bool builtin = false;  ///< one of the plans built into the library (builtin_plan)

    bool covers(product p) const noexcept;
    const criterion* find_criterion(std::string_view clause) const noexcept;
    /// The fact named `name`, or whose Chinese label is `name`; nullptr when there is none.
    const fact_def* find_fact(std::string_view name) const noexcept;
    /// The product whose id is `id`.
    std::optional<product> find_product(std::string_view id) const noexcept;
    /// The product whose id, or whose Chinese label, is `name` ("drug" or "药品"): how input rows
    /// name a product (a spreadsheet's export writes the label).
    std::optional<product> find_product_named(std::string_view name) const noexcept;
    /// The product's id ("" when the plan has no such product).
    std::string_view product_id(product p) const noexcept;
    /// The facts' names, joined by ", " (for messages).
    std::string fact_names() const;
    /// The products' ids, joined by ", " (for messages).
    std::string product_ids() const;
    /// The same as a message's word argument ({known:t}, vigil/messages.hpp): the catalogue's
    /// list.none when the plan declares none, so that it reads "(none)" / "（无）" in the
    /// message's language (fact_names() and product_ids() say "(none)").
    std::string fact_names_arg() const;
    std::string product_ids_arg() const;
    /// Words in a criterion match set (vigil::classify_batch): the criteria and the out-of-scope
    /// bit, 64 to a word (1 for a plan of at most 63 criteria).
    std::size_t match_words() const noexcept { return (criteria.size() + 64) / 64; }
};

/// What is known about one cluster, by the plan's facts: values[i] is the value of
/// plan::facts[i] (absent: 0 / false / none). A sum fact's own slot is not read: its value is
/// derived (fact_value()).
struct fact_values {
    std::vector<std::uint32_t> values;
    vigil::product product = vigil::product{0};

    fact_values() = default;
    explicit fact_values(const plan& p) : values(p.facts.size(), 0) {}
    /// Set the fact named `name` (or whose Chinese label is `name`); errc::invalid_input names
    /// the plan's facts when there is no such fact, or says why the value does not fit its kind.
    result<void> set(const plan& p, std::string_view name, std::uint32_t value);
};

/// The value of fact `i` (a sum: its parts added, saturating); 0 for an index past `v`.
std::uint32_t fact_value(const plan& p, const fact_values& v, std::uint32_t i) noexcept;
using plan_ptr = std::shared_ptr<const plan>;

/// Bounds on what a plan file may be.
inline constexpr std::size_t max_plan_bytes = 4u << 20;
inline constexpr int max_plan_depth = 32;

/// Parse, validate and compile a plan from JSON text. `source` names it in diagnostics.
/// Every problem found is reported, not only the first.
result<plan_ptr> load_plan(std::string_view json, std::string_view source = "<buffer>");
/// Read a plan file (errc::io_error when it cannot be read) and load it.
result<plan_ptr> load_plan_file(const std::string& path);
/// A built-in plan by id ("yuzhong", "guiyang"); errc::unknown_name lists the ids there are.
result<plan_ptr> builtin_plan(std::string_view id);
/// The ids of the built-in plans.
std::vector<std::string> builtin_plan_names();
/// A built-in plan's id, or else a file path.
result<plan_ptr> find_plan(std::string_view id_or_path);

}  // namespace v0
}  // namespace vigil
