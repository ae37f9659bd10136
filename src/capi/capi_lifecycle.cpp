// The C ABI: an incident's lifecycle kept in its event log.
#include "capi.hpp"

#include <string>

using namespace vigil::capi;

namespace {

int give_incident(vigil_incident** out, vigil::plan_ptr plan, vigil::result<vigil::incident_log> r) {
    if (!r) return fail(r.error());
    *out = new vigil_incident{std::move(plan), std::move(*r)};
    return VIGIL_OK;
}

// vigil_incident_create(_v2): the arguments checked, the occurrence (VIGIL_TIME_NONE: not known)
// given to the opening as local time; incident_log::create refuses one after the opening.
int create(vigil_incident** out, const char* fn, const vigil_plan* plan, const char* path, const char* incident_id,
           int64_t time, int64_t occurred_at, const char* actor_unit, const char* actor_role) {
    if (!out) return null_argument(fn, "out");
    *out = nullptr;
    if (!plan) return null_argument(fn, "plan");
    if (!path) return null_argument(fn, "path");
    if (!incident_id) return null_argument(fn, "incident_id");
    if (!actor_unit) return null_argument(fn, "actor_unit");
    auto t = to_instant(time, fn, "time");
    if (!t) return fail(t.error());
    std::string occurred;
    if (occurred_at != VIGIL_TIME_NONE) {
        auto o = to_instant(occurred_at, fn, "occurred_at");
        if (!o) return fail(o.error());
        occurred = vigil::format_local(*o);
    }
    vigil::actor by{actor_unit, actor_role ? actor_role : ""};
    return give_incident(out, plan->plan,
                         vigil::incident_log::create(path, plan->plan, incident_id, vigil::format_local(*t), by, occurred));
}

}  // namespace

extern "C" {

int vigil_incident_create(vigil_incident** out, const vigil_plan* plan, const char* path, const char* incident_id,
                          int64_t time, const char* actor_unit, const char* actor_role) {
    return guard("vigil_incident_create", [&]() -> int {
        return create(out, "vigil_incident_create", plan, path, incident_id, time, VIGIL_TIME_NONE, actor_unit,
                      actor_role);
    });
}

int vigil_incident_create_v2(vigil_incident** out, const vigil_plan* plan, const char* path, const char* incident_id,
                             int64_t time, int64_t occurred_at, const char* actor_unit, const char* actor_role) {
    return guard("vigil_incident_create_v2", [&]() -> int {
        return create(out, "vigil_incident_create_v2", plan, path, incident_id, time, occurred_at, actor_unit,
                      actor_role);
    });
}

int vigil_incident_open(vigil_incident** out, const vigil_plan* plan, const char* path) {
    return guard("vigil_incident_open", [&]() -> int {
        constexpr const char* fn = "vigil_incident_open";
        if (!out) return null_argument(fn, "out");
        *out = nullptr;
        if (!plan) return null_argument(fn, "plan");
        if (!path) return null_argument(fn, "path");
        return give_incident(out, plan->plan, vigil::incident_log::open(path, plan->plan));
    });
}

int vigil_incident_plan_id(char** out_plan_id, const char* path) {
    return guard("vigil_incident_plan_id", [&]() -> int {
        constexpr const char* fn = "vigil_incident_plan_id";
        if (!out_plan_id) return null_argument(fn, "out_plan_id");
        *out_plan_id = nullptr;
        if (!path) return null_argument(fn, "path");
        auto id = vigil::incident_log::plan_of(path);
        if (!id) return fail(id.error());
        *out_plan_id = dup_string(*id);
        return VIGIL_OK;
    });
}

void vigil_incident_free(vigil_incident* incident) { delete incident; }

int vigil_incident_apply(char** out_state_json, vigil_incident* incident, const char* event, size_t size) {
    return guard("vigil_incident_apply", [&]() -> int {
        constexpr const char* fn = "vigil_incident_apply";
        if (out_state_json) *out_state_json = nullptr;
        if (!incident) return null_argument(fn, "incident");
        if (!event && size != 0) return null_argument(fn, "event");
        auto e = vigil::parse_event(event ? std::string_view(event, size) : std::string_view{}, "<event>");
        if (!e) return fail(e.error());
        auto s = incident->log.apply(*e);
        if (!s) return fail(s.error());
        if (out_state_json) *out_state_json = dup_string(vigil::to_json(*incident->plan, *s));
        return VIGIL_OK;
    });
}

int vigil_incident_state_json(char** out_json, const vigil_incident* incident) {
    return guard("vigil_incident_state_json", [&]() -> int {
        if (!out_json) return null_argument("vigil_incident_state_json", "out_json");
        *out_json = nullptr;
        if (!incident) return null_argument("vigil_incident_state_json", "incident");
        *out_json = dup_string(vigil::to_json(*incident->plan, incident->log.state()));
        return VIGIL_OK;
    });
}

int vigil_incident_replay_json(char** out_json, const vigil_plan* plan, const char* log_text, size_t size) {
    return guard("vigil_incident_replay_json", [&]() -> int {
        constexpr const char* fn = "vigil_incident_replay_json";
        if (!out_json) return null_argument(fn, "out_json");
        *out_json = nullptr;
        if (!plan) return null_argument(fn, "plan");
        if (!log_text && size != 0) return null_argument(fn, "log_text");
        auto contents = vigil::parse_log(log_text ? std::string_view(log_text, size) : std::string_view{}, "<log>");
        if (!contents) return fail(contents.error());
        auto s = vigil::replay(*plan->plan, contents->records);
        if (!s) return fail(s.error());
        *out_json = dup_string(vigil::to_json(*plan->plan, *s));
        return VIGIL_OK;
    });
}

}  // extern "C"
