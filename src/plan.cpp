#include <vigil/plan.hpp>
#include <vigil/notation.hpp>

#include "detail/names.hpp"

#include <algorithm>

namespace vigil {
inline namespace v0 {

namespace {
constexpr std::string_view grade_names[] = {"none", "IV", "III", "II", "I"};
constexpr std::string_view grade_names_zh[] = {"", "一般", "较大", "重大", "特别重大"};
constexpr std::string_view product_names[] = {"drug", "device"};
constexpr std::string_view kind_names[] = {"count", "boolean", "grade", "sum"};
constexpr std::string_view level_names[] = {"province", "prefecture", "county", "street"};
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

std::string_view to_string(fact_kind k) noexcept { return detail::enum_name(kind_names, k); }

std::string_view to_string(area_level l) noexcept { return detail::enum_name(level_names, l); }

std::optional<area_level> parse_area_level(std::string_view s) noexcept {
    return detail::enum_parse<area_level>(level_names, s);
}

std::string condition::to_string() const { return condition_text(*this, language::en); }

bool plan::covers(product p) const noexcept {
    return std::find(info.scope.begin(), info.scope.end(), p) != info.scope.end();
}

const fact_def* plan::find_fact(std::string_view name) const noexcept {
    for (const auto& f : facts)
        if (f.name == name) return &f;
    for (const auto& f : facts)
        if (!f.label_zh.empty() && f.label_zh == name) return &f;
    return nullptr;
}

std::optional<product> plan::find_product(std::string_view id) const noexcept {
    for (std::size_t i = 0; i < products.size(); ++i)
        if (products[i].id == id) return static_cast<product>(i);
    return std::nullopt;
}

std::optional<product> plan::find_product_named(std::string_view name) const noexcept {
    if (auto p = find_product(name)) return p;
    for (std::size_t i = 0; i < products.size(); ++i)
        if (!products[i].label_zh.empty() && products[i].label_zh == name) return static_cast<product>(i);
    return std::nullopt;
}

std::string_view plan::product_id(product p) const noexcept {
    const auto i = static_cast<std::size_t>(p);
    return i < products.size() ? std::string_view(products[i].id) : std::string_view{};
}

std::string plan::fact_names() const {
    std::string s;
    for (const auto& f : facts) s += (s.empty() ? "" : ", ") + f.name;
    return s.empty() ? "(none)" : s;
}

std::string plan::product_ids() const {
    std::string s;
    for (const auto& x : products) s += (s.empty() ? "" : ", ") + x.id;
    return s.empty() ? "(none)" : s;
}

std::string plan::fact_names_arg() const { return facts.empty() ? std::string("list.none") : fact_names(); }
std::string plan::product_ids_arg() const { return products.empty() ? std::string("list.none") : product_ids(); }

result<void> fact_values::set(const plan& p, std::string_view name, std::uint32_t value) {
    const fact_def* f = p.find_fact(name);
    if (!f) return error{errc::invalid_input, "fact.unknown", {{"fact", std::string(name)}, {"plan", p.info.id}, {"known", p.fact_names_arg()}}};
    if (f->kind == fact_kind::sum) return error{errc::invalid_input, "fact.sum", {{"fact", f->name}}};
    if (f->kind == fact_kind::grade && value >= static_cast<std::uint32_t>(grade_count))
        return error{errc::invalid_input, "fact.grade_range", {{"fact", f->name}, {"found", std::to_string(value)}}};
    if (values.size() < p.facts.size()) values.resize(p.facts.size(), 0);
    values[f->index] = f->kind == fact_kind::boolean ? (value != 0) : value;
    return {};
}

std::uint32_t fact_value(const plan& p, const fact_values& v, std::uint32_t i) noexcept {
    if (i < p.facts.size() && p.facts[i].kind == fact_kind::sum) {
        std::uint32_t s = 0;
        for (auto part : p.facts[i].sum) {
            const std::uint32_t x = part < v.values.size() ? v.values[part] : 0;
            s = s + x < s ? UINT32_MAX : s + x;
        }
        return s;
    }
    return i < v.values.size() ? v.values[i] : 0;
}

const criterion* plan::find_criterion(std::string_view clause) const noexcept {
    for (const auto& c : criteria)
        if (c.clause == clause) return &c;
    return nullptr;
}

}  // namespace v0
}  // namespace vigil
