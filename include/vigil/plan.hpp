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

/// What the incident's product is.
enum class product : std::uint8_t { drug = 0, device = 1 };
std::string_view to_string(product p) noexcept;
std::optional<product> parse_product(std::string_view s) noexcept;

/// The named facts of one cluster. Their names are part of the interface (CSV headers, JSON keys).
enum class fact : std::uint8_t {
    rare_cases,            ///< people with rare / unexpected similar reactions
    severe_cases,          ///< people with 特别严重 reactions
    deaths,                ///< deaths from the same batch in a short period
    similar_cases_nearby,  ///< boolean: other similar cases at the same time in the same area
    provinces_with_II,     ///< distinct provinces (this one counted) with a grade >= II event
    prefectures_with_III,  ///< distinct prefectures of the province with a grade >= III event
    counties_with_III,     ///< distinct counties / districts of the province with a grade >= III event
    counties_with_IV,      ///< distinct counties of the prefecture with a grade >= IV event
    streets_with_IV,       ///< distinct streets of the county with a grade >= IV event
};
inline constexpr std::size_t fact_count = 9;
std::string_view to_string(fact f) noexcept;
std::optional<fact> parse_fact(std::string_view s) noexcept;
bool is_boolean(fact f) noexcept;

/// One bound on one fact, as the plan writes it and as compiled.
/// The written form keeps inclusive / exclusive explicit; the compiled form is the closed
/// integer interval [lo, hi] it denotes.
struct condition {
    vigil::fact fact{};
    std::optional<std::int64_t> ge, gt, le, lt, eq;  ///< as written (at least one is set)
    std::optional<bool> is;                          ///< for boolean facts
    std::uint32_t lo = 0;                            ///< compiled: fact >= lo
    std::uint32_t hi = UINT32_MAX;                   ///< compiled: fact <= hi

    bool holds(std::uint32_t value) const noexcept { return value - lo <= hi - lo; }
    /// "30 <= rare_cases < 50", "similar_cases_nearby = true"
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
    std::string reading;                             ///< the reading decision, when one was made
    std::uint32_t index = 0;                         ///< position in plan::criteria (bit in a match set)
};

/// Plan metadata.
struct plan_info {
    std::string id;                  ///< "yuzhong"
    std::string name_zh, name_en;
    std::string issuer;              ///< issuing body
    std::string level;               ///< national | province | prefecture | county (district)
    std::vector<product> scope;      ///< products the plan covers
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

/// A loaded, validated, compiled plan. Immutable.
struct plan {
    plan_info info;
    std::vector<criterion> criteria;  ///< graver grades first, then in the plan's order
    std::array<std::string, grade_count> grade_names_zh;   ///< as the plan names its grades
    std::shared_ptr<const detail::program> program;        ///< the compiled grading program
    std::shared_ptr<const obligation_rules> obligations;   ///< reporting rules (vigil/obligations.hpp); null when the plan has none
    std::shared_ptr<const vigil::organisation> org;        ///< units and roles (vigil/organisation.hpp); null when none
    std::shared_ptr<const warning_rules> warnings;         ///< warning rules (vigil/response.hpp); null when none
    std::shared_ptr<const response_rules> responses;       ///< response rules (vigil/response.hpp); null when none
    std::shared_ptr<const lifecycle_table> lifecycle;      ///< the incident state machine (vigil/lifecycle.hpp); null when none

    bool covers(product p) const noexcept;
    const criterion* find_criterion(std::string_view clause) const noexcept;
};
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
