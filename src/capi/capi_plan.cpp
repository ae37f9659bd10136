// The C ABI: plans.
#include "capi.hpp"

#include <boost/json.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace vigil::capi;

namespace {

int give_plan(vigil_plan** out, vigil::result<vigil::plan_ptr> r) {
    if (!r) return fail(r.error());
    auto h = std::make_unique<vigil_plan>();
    h->plan = std::move(*r);
    *out = h.release();
    return VIGIL_OK;
}

const std::vector<std::string>& builtin_names() {
    static const std::vector<std::string> names = vigil::builtin_plan_names();  // immutable once made
    return names;
}

std::string plan_json(const vigil::plan& p) {
    namespace json = boost::json;
    const auto& i = p.info;
    json::array scope;
    for (auto prod : i.scope) scope.emplace_back(p.product_id(prod));
    json::object info{{"id", i.id},           {"name_zh", i.name_zh},
                      {"name_en", i.name_en}, {"issuer", i.issuer},
                      {"level", i.level},     {"scope", std::move(scope)},
                      {"scope_clause", i.scope_clause}, {"effective", i.effective},
                      {"source", i.source},   {"version", i.version}};
    json::array names;
    for (const auto& n : p.grade_names_zh) names.emplace_back(n);
    json::array facts;
    for (const auto& f : p.facts) {
        json::object o{{"index", f.index}, {"name", f.name}, {"kind", vigil::to_string(f.kind)},
                       {"label_zh", f.label_zh}, {"label_en", f.label_en}, {"optional", f.optional}};
        if (f.kind == vigil::fact_kind::sum) {
            json::array parts;
            for (auto k : f.sum) parts.emplace_back(p.facts[k].name);
            o["sum"] = std::move(parts);
        }
        if (f.spread)
            o["spread"] = json::object{{"counted", vigil::to_string(f.spread->counted)},
                                       {"within", f.spread->within ? vigil::to_string(*f.spread->within) : std::string_view("nationwide")},
                                       {"at_least", vigil::to_string(f.spread->at_least)}};
        facts.emplace_back(std::move(o));
    }
    json::array products;
    for (const auto& x : p.products)
        products.emplace_back(json::object{{"id", x.id}, {"label_zh", x.label_zh}, {"label_en", x.label_en}});
    json::array criteria;
    for (const auto& c : p.criteria) {
        json::array any;
        for (const auto& alt : c.any) {
            json::array all;
            for (const auto& cond : alt) all.emplace_back(cond.to_string());
            any.emplace_back(std::move(all));
        }
        criteria.emplace_back(json::object{{"index", c.index},
                                           {"clause", c.clause},
                                           {"grade", vigil::to_string(c.grade)},
                                           {"expert", c.expert},
                                           {"text", c.text},
                                           {"reading", c.reading},
                                           {"any", std::move(any)}});
    }
    json::object o{{"info", std::move(info)}, {"grade_names_zh", std::move(names)}, {"facts", std::move(facts)},
                   {"products", std::move(products)}, {"match_words", p.match_words()}, {"criteria", std::move(criteria)}};
    return json::serialize(o);
}

}  // namespace

extern "C" {

int vigil_plan_builtin(vigil_plan** out, const char* name) {
    return guard("vigil_plan_builtin", [&]() -> int {
        if (!out) return null_argument("vigil_plan_builtin", "out");
        *out = nullptr;
        if (!name) return null_argument("vigil_plan_builtin", "name");
        return give_plan(out, vigil::builtin_plan(name));
    });
}

int vigil_plan_load_file(vigil_plan** out, const char* path) {
    return guard("vigil_plan_load_file", [&]() -> int {
        if (!out) return null_argument("vigil_plan_load_file", "out");
        *out = nullptr;
        if (!path) return null_argument("vigil_plan_load_file", "path");
        return give_plan(out, vigil::load_plan_file(path));
    });
}

int vigil_plan_load_buffer(vigil_plan** out, const char* data, size_t size, const char* source) {
    return guard("vigil_plan_load_buffer", [&]() -> int {
        if (!out) return null_argument("vigil_plan_load_buffer", "out");
        *out = nullptr;
        if (!data && size != 0) return null_argument("vigil_plan_load_buffer", "data");
        std::string_view text = data ? std::string_view(data, size) : std::string_view{};
        return give_plan(out, vigil::load_plan(text, source ? source : "<buffer>"));
    });
}

void vigil_plan_free(vigil_plan* plan) { delete plan; }

int32_t vigil_builtin_plan_count(void) {
    try {
        return static_cast<int32_t>(builtin_names().size());
    } catch (...) {
        return 0;
    }
}

const char* vigil_builtin_plan_name(int32_t i) {
    try {
        const auto& names = builtin_names();
        if (i < 0 || static_cast<std::size_t>(i) >= names.size()) return nullptr;
        return names[static_cast<std::size_t>(i)].c_str();
    } catch (...) {
        return nullptr;
    }
}

const char* vigil_plan_id(const vigil_plan* plan) {
    return plan && plan->plan ? plan->plan->info.id.c_str() : nullptr;
}

int32_t vigil_plan_criterion_count(const vigil_plan* plan) {
    return plan && plan->plan ? static_cast<int32_t>(plan->plan->criteria.size()) : 0;
}

const char* vigil_plan_criterion_clause(const vigil_plan* plan, int32_t i) {
    if (!plan || !plan->plan || i < 0 || static_cast<std::size_t>(i) >= plan->plan->criteria.size()) return nullptr;
    return plan->plan->criteria[static_cast<std::size_t>(i)].clause.c_str();
}

int vigil_plan_info_json(char** out_json, const vigil_plan* plan) {
    return guard("vigil_plan_info_json", [&]() -> int {
        if (!out_json) return null_argument("vigil_plan_info_json", "out_json");
        *out_json = nullptr;
        if (!plan) return null_argument("vigil_plan_info_json", "plan");
        *out_json = dup_string(plan_json(*plan->plan));
        return VIGIL_OK;
    });
}

}  // extern "C"
