// The facts and modifiers of vigil_plan 1 by C++ name (vigil/compat.hpp): every name here crosses
// to a plan by looking it up among the facts the plan declares.
#include <vigil/compat.hpp>
#include <vigil/classify.hpp>
#include <vigil/response.hpp>

#include "detail/embedded.hpp"
#include "detail/loader.hpp"
#include "detail/names.hpp"
#include "detail/program.hpp"

#include <stdexcept>

namespace vigil {
inline namespace v0 {

namespace {
constexpr std::string_view fact_names[] = {
    "rare_cases",        "severe_cases",     "deaths",          "similar_cases_nearby", "provinces_with_II",
    "prefectures_with_III", "counties_with_III", "counties_with_IV", "streets_with_IV",
};
static_assert(std::size(fact_names) == fact_count);
static_assert(std::size(modifier_names) == modifier_count);
static_assert(fact_count + modifier_count == detail::legacy_slot_count);
}  // namespace

std::string_view to_string(fact f) noexcept { return detail::enum_name(fact_names, f); }

std::optional<fact> parse_fact(std::string_view s) noexcept { return detail::enum_parse<fact>(fact_names, s); }

bool is_boolean(fact f) noexcept { return f == fact::similar_cases_nearby; }

std::uint32_t cluster_facts::value(fact f) const noexcept {
    switch (f) {
    case fact::rare_cases: return rare_cases;
    case fact::severe_cases: return severe_cases;
    case fact::deaths: return deaths;
    case fact::similar_cases_nearby: return similar_cases_nearby ? 1u : 0u;
    case fact::provinces_with_II: return provinces_with_II;
    case fact::prefectures_with_III: return prefectures_with_III;
    case fact::counties_with_III: return counties_with_III;
    case fact::counties_with_IV: return counties_with_IV;
    case fact::streets_with_IV: return streets_with_IV;
    }
    return 0;
}

void cluster_facts::set(fact f, std::uint32_t v) noexcept {
    switch (f) {
    case fact::rare_cases: rare_cases = v; break;
    case fact::severe_cases: severe_cases = v; break;
    case fact::deaths: deaths = v; break;
    case fact::similar_cases_nearby: similar_cases_nearby = v != 0; break;
    case fact::provinces_with_II: provinces_with_II = v; break;
    case fact::prefectures_with_III: prefectures_with_III = v; break;
    case fact::counties_with_III: counties_with_III = v; break;
    case fact::counties_with_IV: counties_with_IV = v; break;
    case fact::streets_with_IV: streets_with_IV = v; break;
    }
}

namespace detail {
std::array<std::int32_t, legacy_slot_count> legacy_slots(const plan& p) {
    std::array<std::int32_t, legacy_slot_count> s{};
    for (std::size_t k = 0; k < legacy_slot_count; ++k) {
        const std::string_view name = k < fact_count ? fact_names[k] : modifier_names[k - fact_count];
        s[k] = -1;
        for (const auto& f : p.facts)
            if (f.name == name && f.kind != fact_kind::sum) s[k] = static_cast<std::int32_t>(f.index);
    }
    return s;
}
}  // namespace detail

fact_values to_fact_values(const plan& p, const cluster_facts& f, const modifiers& m) {
    fact_values v(p);
    v.product = f.product;
    const auto& slots = p.program->legacy;
    for (std::size_t k = 0; k < fact_count; ++k)
        if (slots[k] >= 0) v.values[static_cast<std::size_t>(slots[k])] = f.value(static_cast<fact>(k));
    const std::uint32_t mods[modifier_count] = {static_cast<std::uint32_t>(m.possible_grade), m.sensitive, m.key_period,
                                                m.spreading, m.wide_or_complex, m.controlled};
    for (std::size_t k = 0; k < modifier_count; ++k)
        if (slots[fact_count + k] >= 0) v.values[static_cast<std::size_t>(slots[fact_count + k])] = mods[k];
    return v;
}

cluster_facts to_cluster_facts(const plan& p, const fact_values& v) {
    cluster_facts f;
    f.product = v.product;
    const auto& slots = p.program->legacy;
    for (std::size_t k = 0; k < fact_count; ++k)
        if (slots[k] >= 0) f.set(static_cast<fact>(k), fact_value(p, v, static_cast<std::uint32_t>(slots[k])));
    return f;
}

const plan& legacy_facts_plan() {
    static const plan legacy = [] {
        const std::string_view text = detail::embedded("facts/v1.json");
        boost::system::error_code ec;
        const auto root = boost::json::parse(text, ec);
        detail::loader ld("<builtin:facts/v1.json>");
        plan p;
        p.info.id = "vigil_plan_1";
        if (!ec && root.is_object()) {
            if (const auto* f = root.get_object().if_contains("facts")) detail::load_facts(*f, ld, p);
            if (const auto* pr = root.get_object().if_contains("products")) detail::load_products(*pr, ld, p);
        }
        // The file is part of the library; a defect in it is a build defect, found by every test.
        if (ec || !ld.ok() || p.facts.empty() || p.products.empty())
            throw std::logic_error("the embedded data/facts/v1.json does not load");
        for (std::size_t i = 0; i < p.products.size(); ++i) p.info.scope.push_back(static_cast<product>(i));
        p.program = detail::compile_grading(p);
        return p;
    }();
    return legacy;
}

// ------------------------------------------------------------------------------------ the calls by name

assessment classify(const plan& p, const cluster_facts& facts) { return classify(p, to_fact_values(p, facts)); }

decision decide(const plan& p, const cluster_facts& facts, const assessment& a, const modifiers& m) {
    return decide(p, to_fact_values(p, facts, m), a);
}

decision_levels decide_levels(const plan& p, const cluster_facts& facts, grade g, bool in_scope, const modifiers& m) {
    return decide_levels(p, to_fact_values(p, facts, m), g, in_scope);
}

}  // namespace v0
}  // namespace vigil
