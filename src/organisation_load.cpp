// Loading the plan section "organisation" (docs/plan-format.md), and the actor patterns
// ("unit" or "unit/role") other sections name, checked against it.
#include "detail/actors.hpp"
#include "detail/loader.hpp"

#include <vigil/organisation.hpp>

#include <algorithm>
#include <set>

namespace vigil {
inline namespace v0 {
namespace detail {

/// "unit" or "unit/role", checked against the organisation (when the plan has one).
std::optional<actor_pattern> parse_actor_pattern(const json::value& v, const std::string& ptr, loader& ld,
                                                 const plan& p) {
    const auto* s = v.if_string();
    if (!s || s->empty()) {
        ld.fail(ptr, "org.expected_actor", {{"found", std::string(loader::kind_id(v))}});
        return std::nullopt;
    }
    std::string text(s->data(), s->size());
    actor_pattern a;
    auto slash = text.find('/');
    a.unit = text.substr(0, slash);
    if (slash != std::string::npos) a.role = text.substr(slash + 1);
    if (!p.org) {
        ld.fail(ptr, "org.actors_need_org", {});
        return std::nullopt;
    }
    const auto* u = p.org->find(a.unit);
    if (!u) {
        ld.fail(ptr, "org.unknown_unit_of", {{"unit", a.unit}});
        return std::nullopt;
    }
    if (!a.role.empty() && std::find(u->roles.begin(), u->roles.end(), a.role) == u->roles.end()) {
        std::string roles;
        for (const auto& r : u->roles) roles += (roles.empty() ? "" : ", ") + r;
        ld.fail(ptr, "org.no_role", {{"unit", a.unit}, {"role", a.role}, {"roles", roles.empty() ? "list.none" : roles}});
        return std::nullopt;
    }
    return a;
}

std::vector<actor_pattern> parse_actor_patterns(const json::object& o, std::string_view key, const std::string& ptr,
                                                loader& ld, const plan& p, bool required) {
    std::vector<actor_pattern> out;
    const auto* a = ld.array(o, key, ptr, required);
    if (!a) return out;
    const std::string aptr = loader::child(ptr, key);
    if (a->empty() && required) ld.fail(aptr, "org.no_actor", {});
    for (std::size_t i = 0; i < a->size(); ++i)
        if (auto x = parse_actor_pattern((*a)[i], loader::child(aptr, i), ld, p)) out.push_back(*x);
    return out;
}

namespace {

/// {"units": [unit ids], "as": "下设", "clause": "…", "reading": "…"} (an org_relation).
void load_relation(const json::value& v, const std::string& ptr, loader& ld, org_relation& r) {
    const auto* o = ld.object(v, ptr, {"units", "as", "clause", "reading"}, {"units", "clause"});
    if (!o) return;
    r.units = strings(*o, "units", ptr, ld);
    if (const auto* a = o->if_contains("units"); a && a->is_array() && a->get_array().empty())
        ld.fail(loader::child(ptr, "units"), "org.no_unit", {});
    std::set<std::string> seen;
    for (std::size_t k = 0; k < r.units.size(); ++k)
        if (!seen.insert(r.units[k]).second) ld.fail(loader::child(loader::child(ptr, "units"), k), "org.duplicate_unit", {{"unit", r.units[k]}});
    r.as = ld.string(*o, "as", ptr, false).value_or("");
    r.clause = ld.string(*o, "clause", ptr).value_or("");
    ld.reading(*o, ptr, r.reading, r.reading_zh);
}

}  // namespace

void load_organisation(const json::value& v, loader& ld, plan& p) {
    const std::string ptr = "/organisation";
    const auto* o = ld.object(v, ptr, {"clause", "units"}, {"clause", "units"});
    if (!o) return;
    auto org = std::make_shared<organisation>();
    org->clause = ld.string(*o, "clause", ptr).value_or("");
    const auto* units = ld.array(*o, "units", ptr);
    const std::string uptr = loader::child(ptr, "units");
    std::set<std::string> seen;
    if (units) {
        if (units->empty()) ld.fail(uptr, "org.no_unit", {});
        for (std::size_t i = 0; i < units->size(); ++i) {
            const std::string iptr = loader::child(uptr, i);
            const auto* uo = ld.object((*units)[i], iptr, {"id", "en", "kind", "roles", "lead", "duty", "clause", "under", "members"},
                                       {"id", "kind", "clause"});
            if (!uo) continue;
            org_unit u;
            u.id = ld.string(*uo, "id", iptr).value_or("");
            if (u.id.empty() || u.id.find('/') != std::string::npos)
                ld.fail(loader::child(iptr, "id"), "org.bad_unit_name", {});
            else if (!seen.insert(u.id).second)
                ld.fail(loader::child(iptr, "id"), "org.duplicate_unit", {{"unit", u.id}});
            u.name_en = ld.string(*uo, "en", iptr, false).value_or("");
            u.kind = ld.one_of(*uo, "kind", iptr, {"hq", "office", "department", "group", "government", "superior", "other"})
                         .value_or("");
            u.roles = strings(*uo, "roles", iptr, ld);
            std::set<std::string> rs;
            for (std::size_t r = 0; r < u.roles.size(); ++r)
                if (u.roles[r].empty() || !rs.insert(u.roles[r]).second)
                    ld.fail(loader::child(loader::child(iptr, "roles"), r), "org.bad_role", {});
            u.lead = ld.string(*uo, "lead", iptr, false).value_or("");
            u.duty = ld.string(*uo, "duty", iptr, false).value_or("");
            u.clause = ld.string(*uo, "clause", iptr).value_or("");
            for (auto [key, rel] : {std::pair{"under", &u.under}, std::pair{"members", &u.members}})
                if (uo->if_contains(key)) load_relation(uo->at(key), loader::child(iptr, key), ld, *rel);
            org->units.push_back(std::move(u));
        }
        for (std::size_t i = 0; i < org->units.size(); ++i) {
            const auto& u = org->units[i];
            if (!u.lead.empty() && !seen.count(u.lead))
                ld.fail(loader::child(loader::child(uptr, i), "lead"), "org.unknown_unit", {{"unit", u.lead}});
            for (auto [key, rel] : {std::pair{"under", &u.under}, std::pair{"members", &u.members}})
                for (std::size_t k = 0; k < rel->units.size(); ++k) {
                    const std::string kp = loader::child(loader::child(loader::child(loader::child(uptr, i), key), "units"), k);
                    if (!seen.count(rel->units[k])) ld.fail(kp, "org.unknown_unit_of", {{"unit", rel->units[k]}});
                    else if (rel->units[k] == u.id) ld.fail(kp, key == std::string_view("under") ? "org.own_superior" : "org.own_member", {});
                }
        }
    }
    p.org = std::move(org);
}

}  // namespace detail
}  // namespace v0
}  // namespace vigil
