// The C ABI: classify one cluster, a batch of columns, the spread roll-up.
#include "capi.hpp"

#include <vigil/classify.hpp>
#include <vigil/response.hpp>
#include <vigil/rollup.hpp>

#include <boost/json.hpp>

#include <array>
#include <cstring>
#include <string>
#include <vector>

using namespace vigil::capi;

namespace {

bool valid_grade(int32_t g) { return g >= 0 && g < vigil::grade_count; }
bool valid_product(int32_t p) { return p == VIGIL_PRODUCT_DRUG || p == VIGIL_PRODUCT_DEVICE; }

vigil::cluster_facts to_facts(const vigil_facts& f) {
    vigil::cluster_facts c;
    c.rare_cases = f.rare_cases;
    c.severe_cases = f.severe_cases;
    c.deaths = f.deaths;
    c.similar_cases_nearby = f.similar_cases_nearby != 0;
    c.provinces_with_II = f.provinces_with_II;
    c.prefectures_with_III = f.prefectures_with_III;
    c.counties_with_III = f.counties_with_III;
    c.counties_with_IV = f.counties_with_IV;
    c.streets_with_IV = f.streets_with_IV;
    c.product = static_cast<vigil::product>(f.product);
    return c;
}

vigil_facts from_facts(const vigil::cluster_facts& c) {
    vigil_facts f;
    std::memset(&f, 0, sizeof f);
    f.rare_cases = c.rare_cases;
    f.severe_cases = c.severe_cases;
    f.deaths = c.deaths;
    f.similar_cases_nearby = c.similar_cases_nearby ? 1 : 0;
    f.provinces_with_II = c.provinces_with_II;
    f.prefectures_with_III = c.prefectures_with_III;
    f.counties_with_III = c.counties_with_III;
    f.counties_with_IV = c.counties_with_IV;
    f.streets_with_IV = c.streets_with_IV;
    f.product = static_cast<int32_t>(c.product);
    return f;
}

vigil_assessment to_c(const vigil::assessment& a, const vigil::decision& d) {
    vigil_assessment o;
    std::memset(&o, 0, sizeof o);
    o.grade = static_cast<int32_t>(a.grade);
    o.computed_grade = static_cast<int32_t>(a.computed);
    o.in_scope = a.in_scope ? 1 : 0;
    o.winner = a.winner() ? static_cast<int32_t>(a.winner()->what->index) : -1;
    o.match_count = static_cast<int32_t>(a.matches.size());
    o.overridden = a.override_ ? 1 : 0;
    o.warning = static_cast<int32_t>(d.warning.colour);
    o.warning_number = d.warning.number;
    o.response = d.response.level;
    o.response_base = d.response.base;
    o.matched = a.matched_bits;
    return o;
}

boost::json::array hits_json(const std::vector<vigil::rule_hit>& hits) {
    boost::json::array out;
    for (const auto& h : hits)
        out.emplace_back(boost::json::object{{"clause", h.clause}, {"effect", h.effect}, {"because", h.because},
                                             {"used", h.used}, {"note", h.note}, {"reading", h.reading}});
    return out;
}

boost::json::object authority_json(const vigil::authority& a) {
    namespace json = boost::json;
    auto patterns = [](const std::vector<vigil::actor_pattern>& v) {
        json::array out;
        for (const auto& p : v) out.emplace_back(json::object{{"unit", p.unit}, {"role", p.role}});
        return out;
    };
    json::array notify;
    for (const auto& n : a.notify) notify.emplace_back(n);
    return json::object{{"clause", a.clause},        {"proposer", patterns(a.proposer)},
                        {"approver", patterns(a.approver)}, {"issuer", patterns(a.issuer)},
                        {"notify", std::move(notify)}, {"text", vigil::to_string(a)}};
}

// The assessment's JSON (vigil::to_json) with the warning and the response added.
std::string explanation_json(const vigil::assessment& a, const vigil::decision& d) {
    namespace json = boost::json;
    json::object o = json::parse(vigil::to_json(a)).as_object();
    const auto& w = d.warning;
    json::array fields;
    for (const auto& f : w.content_fields) fields.emplace_back(f);
    o["warning"] = json::object{{"colour", vigil::to_string(w.colour)}, {"number", w.number},
                                {"name_zh", w.name_zh},                 {"rules", hits_json(w.rules)},
                                {"issue", authority_json(w.issue)},     {"content_clause", w.content_clause},
                                {"content_fields", std::move(fields)}};
    const auto& r = d.response;
    o["response"] = json::object{{"level", r.level}, {"base", r.base},     {"name_zh", r.name_zh},
                                 {"rules", hits_json(r.rules)}, {"start", authority_json(r.start)}};
    return json::serialize(o);
}

int check_facts(const char* fn, const vigil_facts& f) {
    if (!valid_product(f.product))
        return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": product = " + std::to_string(f.product) +
                                              "; expected 0 (drug) or 1 (device)");
    return VIGIL_OK;
}

int classify_impl(const char* fn, vigil_assessment* out, char** out_json, const vigil_plan* plan,
                  const vigil_facts* facts, const vigil_modifiers* mods, const vigil_override* ov) {
    if (!out) return null_argument(fn, "out");
    std::memset(out, 0, sizeof *out);
    out->winner = -1;
    if (out_json) *out_json = nullptr;
    if (!plan) return null_argument(fn, "plan");
    if (!facts) return null_argument(fn, "facts");
    if (int rc = check_facts(fn, *facts)) return rc;
    vigil::modifiers m;
    if (mods) {
        if (!valid_grade(mods->possible_grade))
            return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": modifiers->possible_grade = " +
                                                  std::to_string(mods->possible_grade) + "; expected 0 (none) to 4 (I)");
        m.possible_grade = static_cast<vigil::grade>(mods->possible_grade);
        m.sensitive = mods->sensitive != 0;
        m.key_period = mods->key_period != 0;
        m.spreading = mods->spreading != 0;
        m.wide_or_complex = mods->wide_or_complex != 0;
        m.controlled = mods->controlled != 0;
    }
    const auto cf = to_facts(*facts);
    auto a = vigil::classify(*plan->plan, cf);
    if (ov) {
        if (!valid_grade(ov->grade))
            return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": override grade = " + std::to_string(ov->grade) +
                                                  "; expected 0 (none) to 4 (I)");
        vigil::grade_override o;
        o.grade = static_cast<vigil::grade>(ov->grade);
        o.by = ov->by ? ov->by : "";
        o.reason = ov->reason ? ov->reason : "";
        o.at = ov->at ? ov->at : "";
        o.clause = ov->clause ? ov->clause : "";
        auto r = vigil::apply_override(*plan->plan, std::move(a), std::move(o));
        if (!r) return fail(r.error());
        a = std::move(*r);
    }
    const auto d = vigil::decide(*plan->plan, cf, a, m);
    if (out_json) *out_json = dup_string(explanation_json(a, d));
    *out = to_c(a, d);
    return VIGIL_OK;
}

int batch_impl(const char* fn, uint8_t* grades_out, uint64_t* matched_out, uint8_t* warnings_out,
               uint8_t* responses_out, const vigil_plan* plan, size_t count, const uint32_t* const* fact_columns,
               size_t fact_column_count, const uint8_t* products, const uint8_t* const* modifier_columns,
               size_t modifier_column_count) {
    if (!plan) return null_argument(fn, "plan");
    if (count == 0) return VIGIL_OK;
    if (!grades_out) return null_argument(fn, "grades_out");
    if (!fact_columns && fact_column_count != 0) return null_argument(fn, "fact_columns");
    if (!modifier_columns && modifier_column_count != 0) return null_argument(fn, "modifier_columns");
    vigil::fact_columns in;
    in.size = count;
    for (std::size_t f = 0; f < fact_column_count; ++f) {
        if (!fact_columns[f]) continue;
        if (f >= vigil::fact_count)
            return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": fact column " + std::to_string(f) +
                                                  " is not a fact this library knows (it knows " +
                                                  std::to_string(vigil::fact_count) + ")");
        in.facts[f] = gsl::span<const std::uint32_t>(fact_columns[f], count);
    }
    if (products) in.product = gsl::span<const std::uint8_t>(products, count);
    std::array<const std::uint8_t*, VIGIL_MODIFIER_COUNT> mods{};
    for (std::size_t m = 0; m < modifier_column_count; ++m) {
        if (!modifier_columns[m]) continue;
        if (m >= VIGIL_MODIFIER_COUNT)
            return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": modifier column " + std::to_string(m) +
                                                  " is not a modifier this library knows (it knows " +
                                                  std::to_string(VIGIL_MODIFIER_COUNT) + ")");
        mods[m] = modifier_columns[m];
    }
    const bool decide = warnings_out || responses_out;
    if (decide && mods[VIGIL_MODIFIER_POSSIBLE_GRADE])
        for (std::size_t i = 0; i < count; ++i)
            if (mods[VIGIL_MODIFIER_POSSIBLE_GRADE][i] >= vigil::grade_count)
                return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": possible_grade[" + std::to_string(i) + "] = " +
                                                      std::to_string(mods[VIGIL_MODIFIER_POSSIBLE_GRADE][i]) +
                                                      "; expected 0 (none) to 4 (I)");
    vigil::batch_output out;
    // vigil::grade is an enum with std::uint8_t as its underlying type: the bytes are the grades.
    out.grades = gsl::span<vigil::grade>(reinterpret_cast<vigil::grade*>(grades_out), count);
    if (matched_out) out.matched = gsl::span<std::uint64_t>(matched_out, count);
    auto r = vigil::classify_batch(*plan->plan, in, out);
    if (!r) return fail(r.error());
    if (!decide) return VIGIL_OK;
    const auto& p = *plan->plan;
    for (std::size_t i = 0; i < count; ++i) {
        vigil::cluster_facts f;
        for (std::size_t k = 0; k < vigil::fact_count; ++k)
            if (!in.facts[k].empty()) f.set(static_cast<vigil::fact>(k), in.facts[k][i]);
        f.product = products ? static_cast<vigil::product>(products[i]) : vigil::product::drug;
        vigil::modifiers m;
        auto flag = [&](int k) { return mods[k] && mods[k][i] != 0; };
        if (mods[VIGIL_MODIFIER_POSSIBLE_GRADE]) m.possible_grade = static_cast<vigil::grade>(mods[VIGIL_MODIFIER_POSSIBLE_GRADE][i]);
        m.sensitive = flag(VIGIL_MODIFIER_SENSITIVE);
        m.key_period = flag(VIGIL_MODIFIER_KEY_PERIOD);
        m.spreading = flag(VIGIL_MODIFIER_SPREADING);
        m.wide_or_complex = flag(VIGIL_MODIFIER_WIDE_OR_COMPLEX);
        m.controlled = flag(VIGIL_MODIFIER_CONTROLLED);
        const auto d = vigil::decide_levels(p, f, static_cast<vigil::grade>(grades_out[i]), p.covers(f.product), m);
        if (warnings_out) warnings_out[i] = static_cast<std::uint8_t>(d.warning);
        if (responses_out) responses_out[i] = static_cast<std::uint8_t>(d.response);
    }
    return VIGIL_OK;
}

}  // namespace

extern "C" {

int vigil_classify(vigil_assessment* out, char** out_json, const vigil_plan* plan, const vigil_facts* facts) {
    return guard("vigil_classify", [&]() -> int {
        return classify_impl("vigil_classify", out, out_json, plan, facts, nullptr, nullptr);
    });
}

int vigil_classify_ex(vigil_assessment* out, char** out_json, const vigil_plan* plan, const vigil_facts* facts,
                      const vigil_modifiers* modifiers, const vigil_override* override_) {
    return guard("vigil_classify_ex", [&]() -> int {
        return classify_impl("vigil_classify_ex", out, out_json, plan, facts, modifiers, override_);
    });
}

int vigil_classify_batch(uint8_t* grades_out, uint64_t* matched_out, const vigil_plan* plan, size_t count,
                         const uint32_t* const* fact_columns, size_t fact_column_count, const uint8_t* products) {
    return guard("vigil_classify_batch", [&]() -> int {
        return batch_impl("vigil_classify_batch", grades_out, matched_out, nullptr, nullptr, plan, count, fact_columns,
                          fact_column_count, products, nullptr, 0);
    });
}

int vigil_classify_batch_ex(uint8_t* grades_out, uint64_t* matched_out, uint8_t* warnings_out, uint8_t* responses_out,
                            const vigil_plan* plan, size_t count, const uint32_t* const* fact_columns,
                            size_t fact_column_count, const uint8_t* products, const uint8_t* const* modifier_columns,
                            size_t modifier_column_count) {
    return guard("vigil_classify_batch_ex", [&]() -> int {
        return batch_impl("vigil_classify_batch_ex", grades_out, matched_out, warnings_out, responses_out, plan, count,
                          fact_columns, fact_column_count, products, modifier_columns, modifier_column_count);
    });
}

int vigil_rollup(vigil_facts* facts_out, char** out_json, const vigil_local_event* events, size_t count,
                 int32_t product, const char* product_id, const char* target_area) {
    return guard("vigil_rollup", [&]() -> int {
        constexpr const char* fn = "vigil_rollup";
        if (!facts_out) return null_argument(fn, "facts_out");
        std::memset(facts_out, 0, sizeof *facts_out);
        if (out_json) *out_json = nullptr;
        if (!events && count != 0) return null_argument(fn, "events");
        if (!product_id) return null_argument(fn, "product_id");
        if (!target_area) return null_argument(fn, "target_area");
        if (!valid_product(product))
            return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": product = " + std::to_string(product) +
                                                  "; expected 0 (drug) or 1 (device)");
        auto target = vigil::parse_area_code(target_area);
        if (!target) return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": target_area: " + target.error().message());
        std::vector<vigil::local_event> evs;
        evs.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            const auto& e = events[i];
            const std::string where = std::string(fn) + ": events[" + std::to_string(i) + "]";
            if (!valid_product(e.product))
                return fail(VIGIL_EINVALID_INPUT, where + ".product = " + std::to_string(e.product) +
                                                      "; expected 0 (drug) or 1 (device)");
            if (!valid_grade(e.grade))
                return fail(VIGIL_EINVALID_INPUT, where + ".grade = " + std::to_string(e.grade) +
                                                      "; expected 0 (none) to 4 (I)");
            if (!e.product_id) return fail(VIGIL_EINVALID_INPUT, where + ".product_id is NULL");
            if (!e.area) return fail(VIGIL_EINVALID_INPUT, where + ".area is NULL");
            auto area = vigil::parse_area_code(e.area);
            if (!area) return fail(VIGIL_EINVALID_INPUT, where + ".area: " + area.error().message());
            vigil::local_event le;
            le.product = static_cast<vigil::product>(e.product);
            le.product_id = e.product_id;
            le.area = *area;
            le.grade = static_cast<vigil::grade>(e.grade);
            evs.push_back(std::move(le));
        }
        auto r = vigil::rollup(evs, static_cast<vigil::product>(product), product_id, *target);
        if (out_json) {
            namespace json = boost::json;
            json::object facts;
            for (std::size_t f = 0; f < vigil::fact_count; ++f) {
                auto fact = static_cast<vigil::fact>(f);
                if (vigil::is_boolean(fact))
                    facts[vigil::to_string(fact)] = r.facts.value(fact) != 0;
                else
                    facts[vigil::to_string(fact)] = r.facts.value(fact);
            }
            facts["product"] = vigil::to_string(r.facts.product);
            json::array counts;
            for (const auto& c : r.counts) {
                json::array areas;
                for (const auto& a : c.areas) areas.emplace_back(a);
                counts.emplace_back(json::object{
                    {"fact", vigil::to_string(c.fact)}, {"count", c.count}, {"areas", std::move(areas)}});
            }
            *out_json = dup_string(json::serialize(json::object{{"facts", std::move(facts)}, {"counts", std::move(counts)}}));
        }
        *facts_out = from_facts(r.facts);
        facts_out->product = product;
        return VIGIL_OK;
    });
}

}  // extern "C"
