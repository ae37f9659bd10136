// The C ABI: plans.
#include "capi.hpp"

#include <vigil/detail/answer_json.hpp>

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
    std::string out;
    vigil::detail::answer_json::plan_info(out, p);  // docs/json.md
    return out;
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
