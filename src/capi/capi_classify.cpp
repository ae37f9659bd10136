// The C ABI: classify one cluster, a batch of columns, the spread roll-up.
#include "capi.hpp"

#include <vigil/classify.hpp>
#include <vigil/response.hpp>
#include <vigil/rollup.hpp>

#include <vigil/detail/answer_json.hpp>

#include <algorithm>
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

// The events and target of a roll-up call, checked (fn names the call in errors): 0, or the
// status of the error set. `product_ok` says which product values the call takes (`products`
// says so in the error).
template <class ProductOk>
int rollup_input(const char* fn, const vigil_local_event* events, std::size_t count, int32_t product,
                 const char* product_id, const char* target_area, ProductOk product_ok, const std::string& products,
                 std::vector<vigil::local_event>& evs, vigil::area_code& target) {
    if (!events && count != 0) return null_argument(fn, "events");
    if (!product_id) return null_argument(fn, "product_id");
    if (!target_area) return null_argument(fn, "target_area");
    if (!product_ok(product))
        return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": product = " + std::to_string(product) + "; expected " + products);
    auto t = vigil::parse_area_code(target_area);
    if (!t) return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": target_area: " + t.error().message());
    target = *t;
    evs.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const auto& e = events[i];
        const std::string where = std::string(fn) + ": events[" + std::to_string(i) + "]";
        if (!product_ok(e.product))
            return fail(VIGIL_EINVALID_INPUT, where + ".product = " + std::to_string(e.product) + "; expected " + products);
        if (!valid_grade(e.grade))
            return fail(VIGIL_EINVALID_INPUT, where + ".grade = " + std::to_string(e.grade) + "; expected 0 (none) to 4 (I)");
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
    return 0;
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

// The classification's JSON: the one shape of vigil/detail/answer_json.hpp (docs/json.md).
std::string explanation_json(const vigil::plan& p, const vigil::assessment& a, const vigil::decision& d) {
    std::string out;
    vigil::detail::answer_json::classification(out, p, a, d);
    return out;
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
    if (out_json) *out_json = dup_string(explanation_json(*plan->plan, a, d));
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
    const auto& p = *plan->plan;
    if (matched_out && p.match_words() > 1)
        return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": plan " + p.info.id + " has " + std::to_string(p.criteria.size()) +
                                              " criteria, more than a 64-bit matched set holds");
    if (matched_out) out.matched = gsl::span<std::uint64_t>(matched_out, count);
    if (!decide) {
        auto r = vigil::classify_batch(p, in, out);
        if (!r) return fail(r.error());
        return VIGIL_OK;
    }
    if (products) {  // a bad product: the core names it (the blocks below would number rows from their start)
        std::uint8_t top = 0;
        for (std::size_t i = 0; i < count; ++i) top = std::max(top, products[i]);
        if (top >= p.products.size()) {
            auto r = vigil::classify_batch(p, in, out);
            return r ? fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": product out of range") : fail(r.error());
        }
    }
    // Deciding: the columns as the plan's facts (a built-in name the plan does not declare is not
    // read), the modifiers' bytes widened block by block; one pass of the core batch per block
    // grades and decides (vigil::classify_batch with warnings and responses).
    std::vector<std::pair<std::size_t, const std::uint32_t*>> fcols;
    std::vector<std::pair<std::size_t, const std::uint8_t*>> mcols;
    for (std::size_t k = 0; k < vigil::fact_count; ++k)
        if (const auto* f = p.find_fact(vigil::to_string(static_cast<vigil::fact>(k))); f && !in.facts[k].empty())
            fcols.emplace_back(f->index, in.facts[k].data());
    for (std::size_t k = 0; k < VIGIL_MODIFIER_COUNT; ++k)
        if (const auto* f = p.find_fact(vigil::modifier_names[k]); f && mods[k]) mcols.emplace_back(f->index, mods[k]);
    const std::size_t block = std::min(count, std::size_t{1} << 14);  // rows: the widened modifiers stay in L2
    std::vector<std::uint32_t> wide(mcols.size() * block);
    std::vector<gsl::span<const std::uint32_t>> spans(p.facts.size());
    for (std::size_t b = 0; b < count; b += block) {
        const std::size_t len = std::min(block, count - b);
        for (const auto& fc : fcols) spans[fc.first] = gsl::span<const std::uint32_t>(fc.second + b, len);
        for (std::size_t m = 0; m < mcols.size(); ++m) {
            std::uint32_t* w = wide.data() + m * block;
            const std::uint8_t* x = mcols[m].second + b;
            for (std::size_t i = 0; i < len; ++i) w[i] = x[i];
            spans[mcols[m].first] = gsl::span<const std::uint32_t>(w, len);
        }
        vigil::fact_columns part;
        part.size = len;
        part.columns = gsl::span<const gsl::span<const std::uint32_t>>(spans.data(), spans.size());
        if (products) part.product = gsl::span<const std::uint8_t>(products + b, len);
        vigil::batch_output o;
        o.grades = out.grades.subspan(b, len);
        if (matched_out) o.matched = out.matched.subspan(b, len);
        if (warnings_out) o.warnings = gsl::span<vigil::warning_colour>(reinterpret_cast<vigil::warning_colour*>(warnings_out + b), len);
        if (responses_out) o.responses = gsl::span<std::uint8_t>(responses_out + b, len);
        auto r = vigil::classify_batch(p, part, o);
        if (!r) return fail(r.error());
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
        const auto product_ok = [](int32_t p) { return valid_product(p); };
        const std::string products = "0 (drug) or 1 (device)";
        std::vector<vigil::local_event> evs;
        vigil::area_code target;
        if (int rc = rollup_input(fn, events, count, product, product_id, target_area, product_ok, products, evs, target))
            return rc;
        auto r = vigil::rollup(evs, static_cast<vigil::product>(product), product_id, target);
        if (out_json) {
            std::string text;
            vigil::detail::answer_json::rollup(text, r);  // docs/json.md
            *out_json = dup_string(text);
        }
        *facts_out = from_facts(r.facts);
        facts_out->product = product;
        return VIGIL_OK;
    });
}

int vigil_rollup_values(uint32_t* values_out, size_t value_count, char** out_json, const vigil_plan* plan,
                        const vigil_local_event* events, size_t count, int32_t product, const char* product_id,
                        const char* target_area) {
    return guard("vigil_rollup_values", [&]() -> int {
        constexpr const char* fn = "vigil_rollup_values";
        if (out_json) *out_json = nullptr;
        if (!values_out && value_count != 0) return null_argument(fn, "values_out");
        if (!plan) return null_argument(fn, "plan");
        const auto& p = *plan->plan;
        // a count past the plan's facts is refused before anything is written
        if (value_count > p.facts.size())
            return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": value_count = " + std::to_string(value_count) + "; plan " +
                                                  p.info.id + " declares " + std::to_string(p.facts.size()) + " facts");
        if (values_out) std::fill(values_out, values_out + value_count, 0u);
        const auto product_ok = [&p](int32_t x) { return x >= 0 && static_cast<std::size_t>(x) < p.products.size(); };
        const std::string products = "0 to " + std::to_string(p.products.size() - 1) + " (" + p.product_ids() + ")";
        std::vector<vigil::local_event> evs;
        vigil::area_code target;
        if (int rc = rollup_input(fn, events, count, product, product_id, target_area, product_ok, products, evs, target))
            return rc;
        auto r = vigil::rollup(p, evs, static_cast<vigil::product>(product), product_id, target);
        if (out_json) {
            std::string text;
            vigil::detail::answer_json::rollup(text, p, r);  // docs/json.md
            *out_json = dup_string(text);
        }
        for (std::size_t f = 0; f < value_count; ++f) values_out[f] = r.values.values[f];
        return VIGIL_OK;
    });
}

}  // extern "C"

// ------------------------------------------------------------------------------------ declared facts

namespace {

const vigil::fact_def* fact_at(const vigil_plan* plan, size_t index) {
    return plan && plan->plan && index < plan->plan->facts.size() ? &plan->plan->facts[index] : nullptr;
}

}  // namespace

extern "C" {

size_t vigil_plan_fact_count(const vigil_plan* plan) { return plan && plan->plan ? plan->plan->facts.size() : 0; }

const char* vigil_plan_fact_name(const vigil_plan* plan, size_t index) {
    const auto* f = fact_at(plan, index);
    return f ? f->name.c_str() : nullptr;
}

const char* vigil_plan_fact_label(const vigil_plan* plan, size_t index, const char* lang) {
    const auto* f = fact_at(plan, index);
    if (!f || !lang) return nullptr;
    if (std::strcmp(lang, "zh") == 0) return f->label_zh.c_str();
    if (std::strcmp(lang, "en") == 0) return f->label_en.c_str();
    return nullptr;
}

int32_t vigil_plan_fact_kind(const vigil_plan* plan, size_t index) {
    const auto* f = fact_at(plan, index);
    return f ? static_cast<int32_t>(f->kind) : -1;
}

int vigil_plan_fact_index(size_t* out, const vigil_plan* plan, const char* name) {
    return guard("vigil_plan_fact_index", [&]() -> int {
        constexpr const char* fn = "vigil_plan_fact_index";
        if (!out) return null_argument(fn, "out");
        *out = 0;
        if (!plan) return null_argument(fn, "plan");
        if (!name) return null_argument(fn, "name");
        const auto* f = plan->plan->find_fact(name);
        if (!f)
            return fail(VIGIL_EUNKNOWN_NAME, std::string(fn) + ": plan " + plan->plan->info.id + " declares no fact \"" + name +
                                                 "\"; its facts: " + plan->plan->fact_names());
        *out = f->index;
        return VIGIL_OK;
    });
}

size_t vigil_plan_product_count(const vigil_plan* plan) { return plan && plan->plan ? plan->plan->products.size() : 0; }

const char* vigil_plan_product_id(const vigil_plan* plan, size_t index) {
    if (!plan || !plan->plan || index >= plan->plan->products.size()) return nullptr;
    return plan->plan->products[index].id.c_str();
}

int vigil_plan_covers(const vigil_plan* plan, size_t index) {
    if (!plan || !plan->plan || index >= plan->plan->products.size()) return 0;
    return plan->plan->covers(static_cast<vigil::product>(index)) ? 1 : 0;
}

size_t vigil_plan_match_words(const vigil_plan* plan) { return plan && plan->plan ? plan->plan->match_words() : 0; }

int vigil_classify_columns(uint8_t* grades_out, uint64_t* matched_out, uint8_t* warnings_out, uint8_t* responses_out,
                           const vigil_plan* plan, size_t count, const uint32_t* const* columns, size_t column_count,
                           const uint8_t* products) {
    return guard("vigil_classify_columns", [&]() -> int {
        constexpr const char* fn = "vigil_classify_columns";
        if (!plan) return null_argument(fn, "plan");
        if (count == 0) return VIGIL_OK;
        if (!grades_out) return null_argument(fn, "grades_out");
        if (!columns && column_count != 0) return null_argument(fn, "columns");
        const auto& p = *plan->plan;
        if (column_count > p.facts.size())
            return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": " + std::to_string(column_count) + " columns; plan " +
                                                  p.info.id + " declares " + std::to_string(p.facts.size()) + " facts");
        std::vector<gsl::span<const std::uint32_t>> spans(column_count);
        for (std::size_t f = 0; f < column_count; ++f)
            if (columns[f] && p.facts[f].kind != vigil::fact_kind::sum) spans[f] = gsl::span<const std::uint32_t>(columns[f], count);
        vigil::fact_columns in;
        in.size = count;
        in.columns = gsl::span<const gsl::span<const std::uint32_t>>(spans.data(), spans.size());
        if (products) in.product = gsl::span<const std::uint8_t>(products, count);
        // no columns: the compatibility columns, all empty: every fact 0 as well
        vigil::batch_output out;
        out.grades = gsl::span<vigil::grade>(reinterpret_cast<vigil::grade*>(grades_out), count);
        if (matched_out) out.matched = gsl::span<std::uint64_t>(matched_out, count * p.match_words());
        // warnings and responses in the same pass (a grade fact above 4 is refused, naming the row)
        if (warnings_out) out.warnings = gsl::span<vigil::warning_colour>(reinterpret_cast<vigil::warning_colour*>(warnings_out), count);
        if (responses_out) out.responses = gsl::span<std::uint8_t>(responses_out, count);
        auto r = vigil::classify_batch(p, in, out);
        if (!r) return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": " + r.error().message());
        return VIGIL_OK;
    });
}

int vigil_classify_values(vigil_assessment* out, char** out_json, const vigil_plan* plan, const uint32_t* values,
                          size_t value_count, int32_t product) {
    return guard("vigil_classify_values", [&]() -> int {
        constexpr const char* fn = "vigil_classify_values";
        if (!out) return null_argument(fn, "out");
        std::memset(out, 0, sizeof *out);
        out->winner = -1;
        if (out_json) *out_json = nullptr;
        if (!plan) return null_argument(fn, "plan");
        if (!values && value_count != 0) return null_argument(fn, "values");
        const auto& p = *plan->plan;
        if (value_count > p.facts.size())
            return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": " + std::to_string(value_count) + " values; plan " + p.info.id +
                                                  " declares " + std::to_string(p.facts.size()) + " facts");
        if (product < 0 || static_cast<std::size_t>(product) >= p.products.size())
            return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": product = " + std::to_string(product) + "; expected 0 to " +
                                                  std::to_string(p.products.size() - 1) + " (" + p.product_ids() + ")");
        vigil::fact_values v(p);
        v.product = static_cast<vigil::product>(product);
        for (std::size_t f = 0; f < value_count; ++f) {
            if (p.facts[f].kind == vigil::fact_kind::grade && values[f] >= static_cast<std::uint32_t>(vigil::grade_count))
                return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": " + p.facts[f].name + " = " + std::to_string(values[f]) +
                                                      "; expected 0 (none) to 4 (I)");
            if (p.facts[f].kind != vigil::fact_kind::sum)
                v.values[f] = p.facts[f].kind == vigil::fact_kind::boolean ? values[f] != 0 : values[f];
        }
        auto a = vigil::classify(p, v);
        const auto d = vigil::decide(p, v, a);
        if (out_json) *out_json = dup_string(explanation_json(p, a, d));
        *out = to_c(a, d);
        return VIGIL_OK;
    });
}

}  // extern "C"
