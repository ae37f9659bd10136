// vigil/compat.hpp — the facts and modifiers of the two built-in plans by C++ name.
//
// A plan declares its facts (plan::facts) and the engine reads them by index (vigil::fact_values).
// Code written before plans declared their facts names nine cluster facts and six modifiers in
// C++: this header keeps that code working. Each value crosses to a plan by its name: a plan that
// does not declare a fact of that name does not read it (to_fact_values()). A plan file without a
// "facts" section declares these fifteen facts and the products drug and device
// (data/facts/v1.json, legacy_facts_plan()).
#pragma once

#include <vigil/plan.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil {
inline namespace v0 {

/// The facts of vigil_plan 1 by C++ name; their names are CSV headers and JSON keys of the plans
/// that declare them (both built-in plans do).
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

/// What is known about one cluster, by the built-in facts' names. Absent facts are 0 / false.
struct cluster_facts {
    std::uint32_t rare_cases = 0;
    std::uint32_t severe_cases = 0;
    std::uint32_t deaths = 0;
    bool similar_cases_nearby = false;
    std::uint32_t provinces_with_II = 0;
    std::uint32_t prefectures_with_III = 0;
    std::uint32_t counties_with_III = 0;
    std::uint32_t counties_with_IV = 0;
    std::uint32_t streets_with_IV = 0;
    vigil::product product = product::drug;

    std::uint32_t value(fact f) const noexcept;
    void set(fact f, std::uint32_t v) noexcept;
};

/// The assessment's inputs beyond the cluster facts (domain.md §3), by the built-in names.
/// Absent: none / false.
struct modifiers {
    vigil::grade possible_grade = grade::none;  ///< the grade the assessment says the event may grow into
    bool sensitive = false;        ///< sensitive people, time or place, or a sensitive event
    bool key_period = false;       ///< important area, major holiday, major activity or meeting
    bool spreading = false;        ///< harm spreading, hard to control
    bool wide_or_complex = false;  ///< wide in scope, or complex
    bool controlled = false;       ///< harm controlled below the level's standard
};
/// The modifier names, as in CSV headers and JSON keys.
inline constexpr std::string_view modifier_names[] = {"possible_grade", "sensitive", "key_period",
                                                      "spreading", "wide_or_complex", "controlled"};
inline constexpr std::size_t modifier_count = 6;

/// The cluster's facts and modifiers as the plan's fact values, matched by name; a fact or
/// modifier the plan does not declare is not read.
fact_values to_fact_values(const plan& p, const cluster_facts& f, const modifiers& m = {});
/// The plan's fact values named as the built-in facts (the others are not kept).
cluster_facts to_cluster_facts(const plan& p, const fact_values& v);

/// The facts and products a plan file without a "facts" / "products" section declares (vigil_plan 1
/// files written before plans declared them): a plan with no grading, loaded from the embedded
/// data/facts/v1.json.
const plan& legacy_facts_plan();

}  // namespace v0
}  // namespace vigil
