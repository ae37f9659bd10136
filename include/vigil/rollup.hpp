// vigil/rollup.hpp — spread facts from graded local events, over the administrative tree.
//
// Areas are GB/T 2260 codes: 2-digit province (PP), 4-digit prefecture (PPCC), 6-digit county /
// district (PPCCDD), written as 6 digits with zeros for the upper levels (500000 Chongqing,
// 500100 its districts, 500103 渝中区), and the 9-digit street / township extension (500103001).
// The tree is implied by the code: a street is under its county, a county under its prefecture,
// a prefecture under its province.
#pragma once

#include <vigil/classify.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {


/// A parsed GB/T 2260 area code.
struct area_code {
    std::uint32_t province = 0;    ///< PP
    std::uint32_t prefecture = 0;  ///< CC (0: the code is a province)
    std::uint32_t county = 0;      ///< DD (0: the code is a province or prefecture)
    std::uint32_t street = 0;      ///< SSS (0: no street)
    area_level level = area_level::province;

    /// The code of the enclosing area at level `l` (l must not be finer than `level`).
    area_code at(area_level l) const noexcept;
    std::string to_string() const;  ///< 6 digits, or 9 for a street
    friend bool operator==(const area_code&, const area_code&) = default;
    friend auto operator<=>(const area_code&, const area_code&) = default;
};

/// Parse "500103" or "500103001". errc::invalid_input names what is wrong.
result<area_code> parse_area_code(std::string_view s);

/// A local event already graded where it happened.
struct local_event {
    vigil::product product = product::drug;
    std::string product_id;  ///< the product's identity (name / registration no.); events of the
                             ///< same product are those with the same product and product_id
    area_code area;
    vigil::grade grade = grade::none;
};

/// How a spread fact was counted: the areas that counted.
struct spread_count {
    std::uint32_t fact = 0;  ///< index into plan::facts
    std::string name;        ///< the fact's name
    std::uint32_t count = 0;
    std::vector<std::string> areas;  ///< the distinct areas counted, sorted
};

struct spread_result {
    fact_values values;                ///< the plan's facts: the spread facts set, all others 0
    cluster_facts facts;               ///< the same by the built-in names (vigil/compat.hpp)
    std::vector<spread_count> counts;  ///< one per spread fact, the finest first (by the level counted, then the enclosing area)
};

/// The spread facts of `target` for one product: for each fact the plan declares with a "spread"
/// definition (fact_def::spread), the number of distinct areas of its level, inside the enclosing
/// area of its scope, that had an event of at least its grade from the same product (the target's
/// own area counted). An event counts for an area level only when its code is at that level or
/// finer; a fact scoped to an area finer than the target is 0.
spread_result rollup(const plan& p, const std::vector<local_event>& events, vigil::product product,
                     std::string_view product_id, const area_code& target);

/// rollup() over the spread facts of vigil_plan 1 (legacy_facts_plan(), vigil/compat.hpp):
/// streets_with_IV, counties_with_IV, counties_with_III, prefectures_with_III, provinces_with_II.
spread_result rollup(const std::vector<local_event>& events, vigil::product product,
                     std::string_view product_id, const area_code& target);

}  // namespace v0
}  // namespace vigil
