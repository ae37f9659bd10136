#include <vigil/plan.hpp>

#include "detail/names.hpp"

#include <algorithm>

namespace vigil {
inline namespace v0 {

namespace {
constexpr std::string_view grade_names[] = {"none", "IV", "III", "II", "I"};
constexpr std::string_view grade_names_zh[] = {"", "一般", "较大", "重大", "特别重大"};
constexpr std::string_view product_names[] = {"drug", "device"};
constexpr std::string_view fact_names[] = {
    "rare_cases",        "severe_cases",     "deaths",          "similar_cases_nearby", "provinces_with_II",
    "prefectures_with_III", "counties_with_III", "counties_with_IV", "streets_with_IV",
};
static_assert(std::size(fact_names) == fact_count);
}  // namespace

std::string_view to_string(grade g) noexcept { return detail::enum_name(grade_names, g); }

std::string_view grade_zh(grade g) noexcept {
    auto i = static_cast<std::size_t>(g);
    return i < std::size(grade_names_zh) ? grade_names_zh[i] : std::string_view{};
}

std::optional<grade> parse_grade(std::string_view s) noexcept { return detail::enum_parse<grade>(grade_names, s); }

std::string_view to_string(product p) noexcept { return detail::enum_name(product_names, p); }

std::optional<product> parse_product(std::string_view s) noexcept {
    return detail::enum_parse<product>(product_names, s);
}

std::string_view to_string(fact f) noexcept { return detail::enum_name(fact_names, f); }

std::optional<fact> parse_fact(std::string_view s) noexcept { return detail::enum_parse<fact>(fact_names, s); }

bool is_boolean(fact f) noexcept { return f == fact::similar_cases_nearby; }

std::string condition::to_string() const {
    const std::string name{vigil::to_string(fact)};
    if (is) return name + " = " + (*is ? "true" : "false");
    if (eq) return name + " = " + std::to_string(*eq);
    std::string s;
    if (ge) s += std::to_string(*ge) + " <= ";
    if (gt) s += std::to_string(*gt) + " < ";
    s += name;
    if (le) s += " <= " + std::to_string(*le);
    if (lt) s += " < " + std::to_string(*lt);
    return s;
}

bool plan::covers(product p) const noexcept {
    return std::find(info.scope.begin(), info.scope.end(), p) != info.scope.end();
}

const criterion* plan::find_criterion(std::string_view clause) const noexcept {
    for (const auto& c : criteria)
        if (c.clause == clause) return &c;
    return nullptr;
}

}  // namespace v0
}  // namespace vigil
