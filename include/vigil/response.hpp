// vigil/response.hpp — which warning to issue and which response level to start, and who does it.
//
// Both are rules of the plan (sections "warnings" and "responses"): each rule has a clause and
// conditions over the grade that occurred, the grade that may occur (an assessment input), the
// cluster's facts and the modifier facts below. decide() applies every rule and answers with the
// colour / level, every rule that applied with its clause, and the authority chain (who proposes,
// approves and issues). Pure: no I/O, no state.
#pragma once

#include <vigil/classify.hpp>
#include <vigil/organisation.hpp>
#include <vigil/plan.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {

/// Warning colours, in order of gravity.
enum class warning_colour : std::uint8_t { none = 0, blue = 1, yellow = 2, orange = 3, red = 4 };
std::string_view to_string(warning_colour c) noexcept;  ///< "none", "blue", "yellow", "orange", "red"
std::optional<warning_colour> parse_warning_colour(std::string_view s) noexcept;

/// One term of a rule's condition: a subject (the assessment's grade, or a fact the plan declares,
/// modifiers such as possible_grade or sensitive included) within [lo, hi]. Grades count 0 (none)
/// .. 4 (I); booleans 0 / 1.
struct rule_term {
    std::string subject;
    std::uint32_t slot = 0;  ///< compiled subject: 0 the grade, 1 + i plan::facts[i]
    std::uint32_t lo = 0, hi = UINT32_MAX;
    std::string written;  ///< as the plan data writes it: "grade = II", "rare_cases in [6, 9]", "sensitive"
};

/// A rule of the warnings or responses section.
struct decision_rule {
    std::string clause;   ///< "yuzhong 3.2.1 一级"
    std::string text;     ///< the clause's words
    std::string reading;  ///< the reading decision, when one was made
    std::string reading_zh;  ///< the same in Chinese; empty when the plan gives none
    std::vector<std::vector<rule_term>> when;  ///< OR of ANDs
    // warnings: the colour; responses: the effect
    warning_colour colour = warning_colour::none;
    enum class effect : std::uint8_t { set, raise, lower } action = effect::set;
    int level = 0;  ///< set: the level; raise / lower: by how many levels
};

/// Who proposes, approves, issues (and is told of) a warning or a response, per the plan.
struct authority {
    std::string clause;
    std::string text;
    std::vector<actor_pattern> proposer, approver, issuer;  ///< each: any of
    std::vector<std::string> notify;                         ///< units told / reported to
};

struct warning_level {
    warning_colour colour = warning_colour::none;
    int number = 0;        ///< 一级 = 1 … 四级 = 4; 0 when the plan does not number its warnings
    std::string name_zh;   ///< "一级预警（红色）", "红色预警"
    authority issue;
};

struct warning_rules {
    std::string clause;
    std::vector<warning_level> levels;
    std::vector<decision_rule> rules;
    std::string content_clause;
    std::vector<std::string> content_fields;  ///< what a warning must carry
    std::vector<std::string> forms;           ///< how it is published
    std::string lift_clause, lift_text;       ///< adjusting and lifting

    const warning_level* find(warning_colour c) const noexcept {
        for (const auto& l : levels)
            if (l.colour == c) return &l;
        return nullptr;
    }
};

struct response_level {
    int level = 0;        ///< 1 (the highest) … 4
    std::string name_zh;  ///< "一级应急响应"
    authority start;      ///< who starts it
};

struct response_rules {
    std::string clause;
    std::vector<response_level> levels;  ///< level 1 first
    std::vector<decision_rule> rules;

    const response_level* find(int level) const noexcept {
        for (const auto& l : levels)
            if (l.level == level) return &l;
        return nullptr;
    }
};

/// A rule that applied, with the terms that decided.
struct rule_hit {
    std::string clause;
    std::string effect;   ///< "red", "set 2", "raise 1", "lower 1"
    std::string because;  ///< the terms of the alternative that held: "grade = II; sensitive"
    std::string reading;
    bool used = true;     ///< false: it matched but another rule decided (listed for the record)
    std::string note;     ///< why it was not used, or what it did ("already the highest level")
    std::string reading_zh;  ///< the reading in Chinese; empty when the plan gives none
};

struct warning_decision {
    warning_colour colour = warning_colour::none;
    int number = 0;
    std::string name_zh;
    authority issue;                    ///< empty when there is no warning
    std::vector<rule_hit> rules;        ///< every rule that matched, the deciding one first
    std::string content_clause;
    std::vector<std::string> content_fields;
};

struct response_decision {
    int level = 0;       ///< 0: none; 1 … 4
    int base = 0;        ///< before raising / lowering
    std::string name_zh;
    authority start;
    std::vector<rule_hit> rules;  ///< every rule that matched, in the order applied
};

struct decision {
    warning_decision warning;
    response_decision response;
};

/// Decide the warning and the response for an assessed cluster. A plan without a warnings or
/// responses section answers none for it.
decision decide(const plan& p, const fact_values& facts, const assessment& a);
/// decide() with the facts and modifiers by the built-in names (vigil/compat.hpp).
decision decide(const plan& p, const cluster_facts& facts, const assessment& a, const modifiers& m);

/// The colour and level alone, as decide() gives them, without explanations or allocations: the
/// fast path for batches. `g` is the assessment's grade; out of scope answers none.
struct decision_levels {
    warning_colour warning = warning_colour::none;
    int response = 0;  ///< 0: none
};
decision_levels decide_levels(const plan& p, const fact_values& facts, vigil::grade g, bool in_scope) noexcept;
/// decide_levels() with the facts and modifiers by the built-in names (vigil/compat.hpp).
decision_levels decide_levels(const plan& p, const cluster_facts& facts, vigil::grade g, bool in_scope,
                              const modifiers& m);

/// The decision as JSON: {"warning": {colour, number, name_zh, rules, issue, content_clause,
/// content_fields}, "response": {level, base, name_zh, rules, start}}; authorities as {clause,
/// proposer, approver, issuer (each [{unit, role}]), notify, text}, rules as {clause, effect,
/// because, used, note, reading} — as a classification gives them (docs/json.md).
std::string to_json(const decision& d);

/// "red 一级预警 (yuzhong 3.2.1 一级)" style one-liners, for people.
std::string to_string(const authority& a);

}  // namespace v0
}  // namespace vigil
