// decide(): warnings and responses from the plan's rules. Pure.
#include <vigil/response.hpp>

#include "detail/names.hpp"

#include <vigil/detail/answer_json.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <array>

namespace vigil {
inline namespace v0 {

namespace {
constexpr std::string_view colour_names[] = {"none", "blue", "yellow", "orange", "red"};

// The value of a rule term's subject for this cluster (slots: see rule_term::slot).
std::uint32_t subject_value(const rule_term& t, const plan& p, const fact_values& f, grade g) noexcept {
    return t.slot == 0 ? static_cast<std::uint32_t>(g) : fact_value(p, f, t.slot - 1);
}

// Index of the first alternative of `r` that holds, or -1 when none does.
int first_holding(const decision_rule& r, const plan& p, const fact_values& f, grade g) noexcept {
    for (std::size_t i = 0; i < r.when.size(); ++i) {
        bool ok = true;
        for (const auto& t : r.when[i]) {
            auto v = subject_value(t, p, f, g);
            if (v < t.lo || v > t.hi) {
                ok = false;
                break;
            }
        }
        if (ok) return static_cast<int>(i);
    }
    return -1;
}

// The first alternative that holds, as text ("" and false when none does).
bool holds(const decision_rule& r, const plan& p, const fact_values& f, grade g, std::string& because) {
    const int i = first_holding(r, p, f, g);
    if (i < 0) return false;
    because.clear();
    for (const auto& t : r.when[static_cast<std::size_t>(i)]) because += (because.empty() ? "" : "; ") + t.written;
    return true;
}

std::string list(const std::vector<actor_pattern>& v) { return to_string(v); }

bool holds_fast(const decision_rule& r, const plan& p, const fact_values& f, grade g) noexcept {
    return first_holding(r, p, f, g) >= 0;
}

}  // namespace

std::string_view to_string(warning_colour c) noexcept { return detail::enum_name(colour_names, c); }

std::optional<warning_colour> parse_warning_colour(std::string_view s) noexcept {
    return detail::enum_parse<warning_colour>(colour_names, s);
}

decision_levels decide_levels(const plan& p, const fact_values& f, vigil::grade g, bool in_scope) noexcept {
    decision_levels d;
    if (!in_scope) return d;
    if (p.warnings)
        for (const auto& r : p.warnings->rules)
            if (r.colour > d.warning && holds_fast(r, p, f, g)) d.warning = r.colour;
    if (p.responses && !p.responses->levels.empty()) {
        int base = 0, up = 0, down = 0;
        for (const auto& r : p.responses->rules) {
            // A rule that cannot change the answer is not evaluated.
            if (r.action == decision_rule::effect::set ? (base != 0 && r.level >= base)
                                                       : r.level <= (r.action == decision_rule::effect::raise ? up : down))
                continue;
            if (!holds_fast(r, p, f, g)) continue;
            if (r.action == decision_rule::effect::set) base = base == 0 ? r.level : std::min(base, r.level);
            else if (r.action == decision_rule::effect::raise) up = std::max(up, r.level);
            else down = std::max(down, r.level);
        }
        if (base != 0)
            base = std::min(p.responses->levels.back().level, std::max(p.responses->levels.front().level, base - up) + down);
        d.response = base;
    }
    return d;
}


std::string to_json(const decision& d) {
    std::string out;
    detail::answer_json::decision_only(out, d);  // the one JSON of a decision (docs/json.md)
    return out;
}

std::string to_string(const authority& a) {
    std::string s;
    if (!a.proposer.empty()) s += "proposed by " + list(a.proposer) + "; ";
    if (!a.approver.empty()) s += "approved by " + list(a.approver) + "; ";
    s += "issued by " + list(a.issuer);
    if (!a.notify.empty()) {
        s += "; reported to ";
        for (std::size_t i = 0; i < a.notify.size(); ++i) s += (i ? ", " : "") + a.notify[i];
    }
    if (!a.clause.empty()) s += " (" + a.clause + ")";
    return s;
}

decision decide(const plan& p, const fact_values& f, const assessment& a) {
    decision d;
    if (!a.in_scope) return d;
    // ---- warning: the gravest colour of every rule that matches
    if (p.warnings) {
        const auto& w = *p.warnings;
        std::vector<std::pair<const decision_rule*, std::string>> hits;
        for (const auto& r : w.rules) {
            std::string because;
            if (holds(r, p, f, a.grade, because)) hits.emplace_back(&r, because);
        }
        std::stable_sort(hits.begin(), hits.end(), [](const auto& x, const auto& y) { return x.first->colour > y.first->colour; });
        for (std::size_t i = 0; i < hits.size(); ++i) {
            rule_hit h{hits[i].first->clause, std::string(to_string(hits[i].first->colour)), hits[i].second,
                       hits[i].first->reading, hits[i].first->colour == hits.front().first->colour, "",
                       hits[i].first->reading_zh};
            if (!h.used) h.note = "a graver warning applies";
            d.warning.rules.push_back(std::move(h));
        }
        if (!hits.empty()) {
            d.warning.colour = hits.front().first->colour;
            if (const auto* l = w.find(d.warning.colour)) {
                d.warning.number = l->number;
                d.warning.name_zh = l->name_zh;
                d.warning.issue = l->issue;
            }
            d.warning.content_clause = w.content_clause;
            d.warning.content_fields = w.content_fields;
        }
    }
    // ---- response: the highest level set by a rule, then raised, then lowered
    if (p.responses && !p.responses->levels.empty()) {
        const auto& rs = *p.responses;
        const int highest = rs.levels.front().level;  // 1
        const int lowest = rs.levels.back().level;    // 4
        int base = 0;
        const decision_rule* base_rule = nullptr;
        std::vector<std::pair<const decision_rule*, std::string>> sets, raises, lowers;
        for (const auto& r : rs.rules) {
            std::string because;
            if (!holds(r, p, f, a.grade, because)) continue;
            switch (r.action) {
            case decision_rule::effect::set:
                sets.emplace_back(&r, because);
                if (base == 0 || r.level < base) {
                    base = r.level;
                    base_rule = &r;
                }
                break;
            case decision_rule::effect::raise: raises.emplace_back(&r, because); break;
            case decision_rule::effect::lower: lowers.emplace_back(&r, because); break;
            }
        }
        int level = base;
        // The rule that decided the base first, then the other set rules.
        std::stable_sort(sets.begin(), sets.end(), [](const auto& x, const auto& y) { return x.first->level < y.first->level; });
        for (const auto& [r, because] : sets) {
            rule_hit h{r->clause, "set " + std::to_string(r->level), because, r->reading, r == base_rule, "", r->reading_zh};
            if (!h.used) h.note = r->level == base ? "the same level is set by an earlier rule" : "a higher level applies";
            d.response.rules.push_back(std::move(h));
        }
        // Raising and lowering act on a level that is set; several reasons to raise raise once,
        // by the largest step any of them names (domain.md §3; the reading is the plan's data).
        int up = 0, down = 0;
        for (const auto& [r, because] : raises) up = std::max(up, r->level);
        for (const auto& [r, because] : lowers) down = std::max(down, r->level);
        auto note_moves = [&](const auto& hitsv, const char* verb, int step, bool applies) {
            bool first = true;
            for (const auto& [r, because] : hitsv) {
                rule_hit h{r->clause, std::string(verb) + " " + std::to_string(r->level), because, r->reading, false, "", r->reading_zh};
                if (!applies) h.note = "no response level is set: nothing to " + std::string(verb);
                else if (r->level == step && first) {
                    h.used = true;
                    first = false;
                } else {
                    h.note = "another rule gives the same or a larger step; steps do not add up";
                }
                d.response.rules.push_back(std::move(h));
            }
        };
        note_moves(raises, "raise", up, base != 0);
        note_moves(lowers, "lower", down, base != 0);
        if (base != 0) {
            int raised = std::max(highest, level - up);
            if (up > 0 && raised == level)
                for (auto& h : d.response.rules)
                    if (h.used && h.effect.rfind("raise", 0) == 0) h.note = "already the highest level";
            int lowered = std::min(lowest, raised + down);
            if (down > 0 && lowered == raised)
                for (auto& h : d.response.rules)
                    if (h.used && h.effect.rfind("lower", 0) == 0) h.note = "already the lowest level";
            level = lowered;
        }
        d.response.base = base;
        d.response.level = level;
        if (const auto* l = rs.find(level)) {
            d.response.name_zh = l->name_zh;
            d.response.start = l->start;
        }
    }
    return d;
}

}  // namespace v0
}  // namespace vigil
