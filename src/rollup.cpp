#include <vigil/rollup.hpp>

#include "detail/digits.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace vigil {
inline namespace v0 {

area_code area_code::at(area_level l) const noexcept {
    area_code a = *this;
    if (l < area_level::street) a.street = 0;
    if (l < area_level::county) a.county = 0;
    if (l < area_level::prefecture) a.prefecture = 0;
    a.level = std::min(l, level);
    return a;
}

std::string area_code::to_string() const {
    std::string s = detail::digits(province, 2) + detail::digits(prefecture, 2) + detail::digits(county, 2);
    if (level == area_level::street) s += detail::digits(street, 3);
    return s;
}

result<area_code> parse_area_code(std::string_view s) {
    const message_args shown{{"code", std::string(s.substr(0, 32))}};
    if (s.size() != 6 && s.size() != 9)
        return error{errc::invalid_input, "area.length", shown};
    for (char c : s)
        if (c < '0' || c > '9') return error{errc::invalid_input, "area.digits", shown};
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
    if (a.province < 11) return error{errc::invalid_input, "area.province", shown};
    if (a.prefecture == 0 && a.county != 0)
        return error{errc::invalid_input, "area.county_needs_prefecture", shown};
    if (s.size() == 9) {
        if (a.county == 0) return error{errc::invalid_input, "area.street_needs_county", shown};
        if (a.street == 0) return error{errc::invalid_input, "area.street_zero", shown};
        a.level = area_level::street;
    } else {
        a.level = a.county ? area_level::county : a.prefecture ? area_level::prefecture : area_level::province;
    }
    return a;
}

spread_result rollup(const plan& p, const std::vector<local_event>& events, product prod, std::string_view product_id,
                     const area_code& target) {
    spread_result r;
    r.values = fact_values(p);
    r.values.product = prod;
    for (const auto& f : p.facts) {
        if (!f.spread) continue;
        const auto& rule = *f.spread;
        spread_count c;
        c.fact = f.index;
        c.name = f.name;
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
        r.values.values[f.index] = c.count;
        r.counts.push_back(std::move(c));
    }
    // finest first: by the level counted, then by the enclosing area (nationwide last)
    std::stable_sort(r.counts.begin(), r.counts.end(), [&](const spread_count& a, const spread_count& b) {
        const auto& x = *p.facts[a.fact].spread;
        const auto& y = *p.facts[b.fact].spread;
        if (x.counted != y.counted) return x.counted > y.counted;
        const int wx = x.within ? static_cast<int>(*x.within) : -1, wy = y.within ? static_cast<int>(*y.within) : -1;
        return wx > wy;
    });
    r.facts = to_cluster_facts(p, r.values);
    return r;
}

spread_result rollup(const std::vector<local_event>& events, product prod, std::string_view product_id,
                     const area_code& target) {
    return rollup(legacy_facts_plan(), events, prod, product_id, target);
}

}  // namespace v0
}  // namespace vigil
