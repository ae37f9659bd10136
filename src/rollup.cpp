#include <vigil/rollup.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>

namespace vigil {
inline namespace v0 {

std::string_view to_string(area_level l) noexcept {
    switch (l) {
    case area_level::province: return "province";
    case area_level::prefecture: return "prefecture";
    case area_level::county: return "county";
    case area_level::street: return "street";
    }
    return "?";
}

area_code area_code::at(area_level l) const noexcept {
    area_code a = *this;
    if (l < area_level::street) a.street = 0;
    if (l < area_level::county) a.county = 0;
    if (l < area_level::prefecture) a.prefecture = 0;
    a.level = std::min(l, level);
    return a;
}

std::string area_code::to_string() const {
    char buf[16];
    if (level == area_level::street)
        std::snprintf(buf, sizeof buf, "%02u%02u%02u%03u", province, prefecture, county, street);
    else
        std::snprintf(buf, sizeof buf, "%02u%02u%02u", province, prefecture, county);
    return buf;
}

result<area_code> parse_area_code(std::string_view s) {
    const std::string shown = "\"" + std::string(s.substr(0, 32)) + "\"";
    if (s.size() != 6 && s.size() != 9)
        return error{errc::invalid_input, "area code " + shown +
                                              ": expected 6 digits (GB/T 2260 PPCCDD) or 9 digits (with a street)"};
    for (char c : s)
        if (c < '0' || c > '9') return error{errc::invalid_input, "area code " + shown + ": expected only digits"};
    auto num = [&](std::size_t pos, std::size_t len) {
        std::uint32_t v = 0;
        for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + static_cast<std::uint32_t>(s[i] - '0');
        return v;
    };
    area_code a;
    a.province = num(0, 2);
    a.prefecture = num(2, 2);
    a.county = num(4, 2);
    a.street = s.size() == 9 ? num(6, 3) : 0;
    if (a.province < 11) return error{errc::invalid_input, "area code " + shown + ": province code PP must be 11 or above"};
    if (a.prefecture == 0 && a.county != 0)
        return error{errc::invalid_input, "area code " + shown + ": a county code needs a prefecture (PPCC00 is not 00)"};
    if (s.size() == 9) {
        if (a.county == 0) return error{errc::invalid_input, "area code " + shown + ": a street must be under a county (DD is not 00)"};
        if (a.street == 0) return error{errc::invalid_input, "area code " + shown + ": street number 000 is not a street"};
        a.level = area_level::street;
    } else {
        a.level = a.county ? area_level::county : a.prefecture ? area_level::prefecture : area_level::province;
    }
    return a;
}

namespace {
struct spread_rule {
    fact f;
    area_level counted;                // the level of the areas counted
    std::optional<area_level> within;  // the enclosing area of the target they must be in (none: nationwide)
    grade at_least;
};
// What each spread fact means (rollup.hpp documents the same table).
constexpr spread_rule spread_rules[] = {
    {fact::streets_with_IV, area_level::street, area_level::county, grade::IV},
    {fact::counties_with_IV, area_level::county, area_level::prefecture, grade::IV},
    {fact::counties_with_III, area_level::county, area_level::province, grade::III},
    {fact::prefectures_with_III, area_level::prefecture, area_level::province, grade::III},
    {fact::provinces_with_II, area_level::province, std::nullopt, grade::II},
};
}  // namespace

spread_result rollup(const std::vector<local_event>& events, product prod, std::string_view product_id,
                     const area_code& target) {
    spread_result r;
    r.facts.product = prod;
    for (const auto& rule : spread_rules) {
        spread_count c;
        c.fact = rule.f;
        // a fact scoped to an area finer than the target does not apply to it
        if (!rule.within || *rule.within <= target.level) {
            std::set<area_code> areas;
            for (const auto& e : events) {
                if (e.product != prod || e.product_id != product_id || e.grade < rule.at_least) continue;
                if (e.area.level < rule.counted) continue;  // too coarse to say which area of that level
                if (rule.within && e.area.at(*rule.within) != target.at(*rule.within)) continue;
                areas.insert(e.area.at(rule.counted));
            }
            for (const auto& a : areas) c.areas.push_back(a.to_string());
            c.count = static_cast<std::uint32_t>(areas.size());
        }
        r.facts.set(rule.f, c.count);
        r.counts.push_back(std::move(c));
    }
    return r;
}

}  // namespace v0
}  // namespace vigil
