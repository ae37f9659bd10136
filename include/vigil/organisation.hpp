// vigil/organisation.hpp — the units and roles of a plan's organisation, and the actors of events.
//
// A plan's "organisation" section lists every unit the plan names (HQs, offices, bureaus,
// working groups, superior bodies) with the roles in it. Lifecycle events are fired by an actor
// (a unit and a role); authorities are actor patterns. Immutable once loaded, like the plan.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {

/// Who fires an event: a unit of the plan's organisation and, optionally, a role in it.
struct actor {
    std::string unit;  ///< e.g. "区市场监管局"
    std::string role;  ///< e.g. "局长"; may be empty

    friend bool operator==(const actor&, const actor&) = default;
};

/// "区市场监管局" or "市指挥部/指挥长".
std::string to_string(const actor& a);

/// An authority: a unit, and a role in it when the plan names one (empty: anyone of the unit).
struct actor_pattern {
    std::string unit;
    std::string role;

    bool matches(const actor& a) const noexcept { return a.unit == unit && (role.empty() || a.role == role); }
    friend bool operator==(const actor_pattern&, const actor_pattern&) = default;
};
std::string to_string(const actor_pattern& p);
/// "市指挥部 or 市人民政府"
std::string to_string(const std::vector<actor_pattern>& any);

/// A structural relation of a unit to other units, as the plan states it: the bodies it sits
/// under (`under`) or the units taking part in it (`members`), with the plan's words for the
/// relation ("下设", "参加") and the clause that says so. Drawn by vigil/charts.hpp.
struct org_relation {
    std::vector<std::string> units;  ///< unit ids of the organisation
    std::string as;                  ///< the plan's word for the relation; may be empty
    std::string clause;
    std::string reading;             ///< a reading decision, when one was made
    std::string reading_zh;          ///< the same in Chinese; empty when the plan gives none
};

/// One unit of the organisation.
struct org_unit {
    std::string id;                  ///< its name in the plan, the actor's `unit`: "区市场监管局"
    std::string name_en;
    std::string kind;                ///< hq | office | department | group | government | superior | other
    std::vector<std::string> roles;  ///< named roles ("指挥长", "主任" …); may be empty
    std::string lead;                ///< for a working group: the lead unit
    std::string duty;                ///< its duties, as the plan words them
    std::string clause;              ///< where the plan names it
    org_relation under;              ///< the bodies it sits under (units empty: the plan says none)
    org_relation members;            ///< for an HQ or a working group: its member units (empty: none named)
};

struct organisation {
    std::string clause;
    std::vector<org_unit> units;

    const org_unit* find(std::string_view id) const noexcept {
        for (const auto& u : units)
            if (u.id == id) return &u;
        return nullptr;
    }
    /// Every actor the organisation has: each unit with each of its roles, or with no role.
    std::vector<actor> actors() const {
        std::vector<actor> out;
        for (const auto& u : units) {
            if (u.roles.empty()) out.push_back(actor{u.id, ""});
            for (const auto& r : u.roles) out.push_back(actor{u.id, r});
        }
        return out;
    }
    /// True when the unit exists and the role is empty or one of the unit's roles.
    bool knows(const actor& a) const noexcept {
        const auto* u = find(a.unit);
        if (!u) return false;
        if (a.role.empty()) return true;
        for (const auto& r : u->roles)
            if (r == a.role) return true;
        return false;
    }
};

}  // namespace v0
}  // namespace vigil
