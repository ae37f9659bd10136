#include <vigil/plan.hpp>

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

std::string_view to_string(grade g) noexcept {
    auto i = static_cast<std::size_t>(g);
    return i < std::size(grade_names) ? grade_names[i] : std::string_view{"?"};
}

std::string_view grade_zh(grade g) noexcept {
    auto i = static_cast<std::size_t>(g);
    return i < std::size(grade_names_zh) ? grade_names_zh[i] : std::string_view{};
}

std::optional<grade> parse_grade(std::string_view s) noexcept {
    for (std::size_t i = 0; i < std::size(grade_names); ++i)
        if (grade_names[i] == s) return static_cast<grade>(i);
    return std::nullopt;
}

std::string_view to_string(product p) noexcept {
    auto i = static_cast<std::size_t>(p);
    return i < std::size(product_names) ? product_names[i] : std::string_view{"?"};
}

std::optional<product> parse_product(std::string_view s) noexcept {
    for (std::size_t i = 0; i < std::size(product_names); ++i)
        if (product_names[i] == s) return static_cast<product>(i);
    return std::nullopt;
}

std::string_view to_string(fact f) noexcept {
    auto i = static_cast<std::size_t>(f);
    return i < fact_count ? fact_names[i] : std::string_view{"?"};
}

std::optional<fact> parse_fact(std::string_view s) noexcept {
    for (std::size_t i = 0; i < fact_count; ++i)
        if (fact_names[i] == s) return static_cast<fact>(i);
    return std::nullopt;
}

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
