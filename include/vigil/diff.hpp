// vigil/diff.hpp — what differs between two plans, clause by clause.
//
// diff() compares two loaded plans section by section and lists every difference, each with the
// items (fact names, product ids, clause ids, obligation ids) it concerns in either plan:
//   plan         id, name, issuer, level, date of effect, version
//   facts        by name: added, removed; kind, labels, sum parts, spread rule, optional changed
//   products     by id: added, removed; labels changed; the products in scope
//   grading      the grade names; criteria: added, removed; bounds, grade, text changed
//   warnings     levels by colour (name, who issues); rules: added, removed; conditions, colour changed
//   responses    levels by number (name, who starts); rules: added, removed; conditions, effect changed
//   obligations  added, removed; deadline, reporters, recipients, channel, recurrence changed
// How items are paired: by their id when both plans have it (a fact's name, a product's id, a
// clause or obligation id); the rest of the criteria by grade and order within the grade (the
// n-th remaining criterion of grade II of A with the n-th of B), the rest of the warning and
// response rules by their colour or effect and order, the rest of the obligations by the duty's
// situation (anchor, channel and condition) and order. Items paired across different ids are
// compared by what they compute (bounds, deadlines, parties), not by their wording.
// Pure: no I/O.
#pragma once

#include <vigil/messages.hpp>
#include <vigil/plan.hpp>

#include <string>
#include <vector>

namespace vigil {
inline namespace v0 {

struct plan_difference {
    std::string section;           ///< plan, facts, products, grading, warnings, responses, obligations
    std::string change;            ///< added (in B only), removed (in A only), changed
    std::string what;              ///< the field that differs: "bounds", "deadline", "to", "kind" …
    std::string item_a, item_b;    ///< the item in A and in B (empty where it is absent)
    std::string clause_a, clause_b;  ///< the clauses the items cite (empty where none)
    std::string a, b;              ///< the value in A and in B (empty where absent)
};

/// The differences between plans `a` and `b`, in the order of the sections above, then of `a`
/// (removed and changed items) and of `b` (added items). Empty when they say the same.
std::vector<plan_difference> diff(const plan& a, const plan& b);
/// The same, the values in `lang`: the engine's words (conditions, deadlines, channels, colours,
/// true/false, levels) in Chinese under language::zh; the plans' own words as they are. The rows
/// are those of the English diff (the comparison reads the English texts).
std::vector<plan_difference> diff(const plan& a, const plan& b, language lang);

/// One difference as a JSON object: {"section", "change", "what", "a": {"item", "clause",
/// "value"}, "b": {…}} ("item", "clause", "value" null where absent).
std::string to_json(const plan_difference& d);

}  // namespace v0
}  // namespace vigil
