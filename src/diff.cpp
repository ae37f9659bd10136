// diff(): what differs between two plans (vigil/diff.hpp). Pure.
#include <vigil/diff.hpp>
#include <vigil/obligations.hpp>
#include <vigil/organisation.hpp>
#include <vigil/response.hpp>

#include <boost/json.hpp>

#include <functional>
#include <map>

namespace vigil {
inline namespace v0 {

namespace {

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

// The rows of one section, and how to add them.
struct out_rows {
    std::vector<plan_difference>& rows;
    std::string section;

    void add(std::string change, std::string what, std::string item_a, std::string clause_a, std::string a,
             std::string item_b, std::string clause_b, std::string b) {
        rows.push_back({section, std::move(change), std::move(what), std::move(item_a), std::move(item_b),
                        std::move(clause_a), std::move(clause_b), std::move(a), std::move(b)});
    }
    // a field of two paired items
    void field(const std::string& what, const std::string& ia, const std::string& ca, const std::string& va,
               const std::string& ib, const std::string& cb, const std::string& vb) {
        if (va != vb) add("changed", what, ia, ca, va, ib, cb, vb);
    }
};

// Pair items of A and B: first by key (when both have it), then the rest by `group` and order.
// Calls paired(i, j), removed(i), added(j), in A's order then B's.
template <class T>
void pair_items(const std::vector<T>& a, const std::vector<T>& b, const std::function<std::string(const T&)>& key,
                const std::function<std::string(const T&)>& group,
                const std::function<void(const T&, const T&)>& paired, const std::function<void(const T&)>& removed,
                const std::function<void(const T&)>& added) {
    std::vector<int> match_a(a.size(), -1), match_b(b.size(), -1);
    for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t j = 0; j < b.size(); ++j)
            if (match_b[j] < 0 && key(a[i]) == key(b[j])) {
                match_a[i] = static_cast<int>(j);
                match_b[j] = static_cast<int>(i);
                break;
            }
    if (group) {
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (match_a[i] >= 0) continue;
            for (std::size_t j = 0; j < b.size(); ++j)
                if (match_b[j] < 0 && group(a[i]) == group(b[j])) {
                    match_a[i] = static_cast<int>(j);
                    match_b[j] = static_cast<int>(i);
                    break;
                }
        }
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (match_a[i] >= 0) paired(a[i], b[static_cast<std::size_t>(match_a[i])]);
        else removed(a[i]);
    }
    for (std::size_t j = 0; j < b.size(); ++j)
        if (match_b[j] < 0) added(b[j]);
}

std::string spread_text(const fact_def& f) {
    if (!f.spread) return "";
    return std::string(to_string(f.spread->counted)) + " within " +
           (f.spread->within ? std::string(to_string(*f.spread->within)) : std::string("nationwide")) + ", at least grade " +
           std::string(to_string(f.spread->at_least));
}

std::string sum_text(const plan& p, const fact_def& f) {
    std::vector<std::string> parts;
    for (auto i : f.sum) parts.push_back(p.facts[i].name);
    return join(parts, " + ");
}

std::string bounds_text(const criterion& c) {
    if (c.expert) return "expert determination";
    std::string s;
    for (const auto& alt : c.any) {
        std::string one;
        for (const auto& cond : alt) one += (one.empty() ? "" : " and ") + cond.to_string();
        s += (s.empty() ? "" : "; or ") + one;
    }
    return s;
}

std::string when_text(const decision_rule& r) {
    std::string s;
    for (const auto& alt : r.when) {
        std::string one;
        for (const auto& t : alt) one += (one.empty() ? "" : " and ") + t.written;
        s += (s.empty() ? "" : "; or ") + one;
    }
    return s.empty() ? "always" : s;
}

std::string effect_text(const decision_rule& r, bool warning) {
    if (warning) return std::string(to_string(r.colour));
    switch (r.action) {
    case decision_rule::effect::set: return "level " + std::to_string(r.level);
    case decision_rule::effect::raise: return "raise " + std::to_string(r.level);
    case decision_rule::effect::lower: return "lower " + std::to_string(r.level);
    }
    return "";
}

std::string parties_text(const obligation_rules& rules, const std::vector<std::string>& ids) {
    std::vector<std::string> names;
    for (const auto& id : ids) {
        const party* p = rules.find_party(id);
        names.push_back(p ? p->zh : id);
    }
    return join(names, "、");
}

std::string situation(const obligation& o) {
    if (o.standing) return "standing";
    return (o.every ? std::string("every") : "anchor " + o.anchor) + " | " + std::string(to_string(o.channel)) + " | " +
           (o.has_when ? o.when.to_string() : std::string("always"));
}

void diff_rules(out_rows& out, const std::vector<decision_rule>& a, const std::vector<decision_rule>& b, bool warning) {
    pair_items<decision_rule>(
        a, b, [](const decision_rule& r) { return r.clause; },
        [warning](const decision_rule& r) { return effect_text(r, warning); },
        [&](const decision_rule& x, const decision_rule& y) {
            out.field("conditions", x.clause, x.clause, when_text(x), y.clause, y.clause, when_text(y));
            out.field(warning ? "colour" : "effect", x.clause, x.clause, effect_text(x, warning), y.clause, y.clause,
                      effect_text(y, warning));
            if (x.clause == y.clause) out.field("text", x.clause, x.clause, x.text, y.clause, y.clause, y.text);
        },
        [&](const decision_rule& x) {
            out.add("removed", "rule", x.clause, x.clause, effect_text(x, warning) + " when " + when_text(x), "", "", "");
        },
        [&](const decision_rule& y) {
            out.add("added", "rule", "", "", "", y.clause, y.clause, effect_text(y, warning) + " when " + when_text(y));
        });
}

}  // namespace

std::vector<plan_difference> diff(const plan& a, const plan& b) {
    std::vector<plan_difference> rows;

    {  // ---- plan
        out_rows out{rows, "plan"};
        const auto& x = a.info;
        const auto& y = b.info;
        out.field("id", x.id, "", x.id, y.id, "", y.id);
        out.field("name", x.id, "", x.name_zh, y.id, "", y.name_zh);
        out.field("issuer", x.id, "", x.issuer, y.id, "", y.issuer);
        out.field("level", x.id, "", x.level, y.id, "", y.level);
        out.field("effective", x.id, "", x.effective, y.id, "", y.effective);
        out.field("version", x.id, "", x.version, y.id, "", y.version);
    }

    {  // ---- facts, by name
        out_rows out{rows, "facts"};
        pair_items<fact_def>(
            a.facts, b.facts, [](const fact_def& f) { return f.name; }, nullptr,
            [&](const fact_def& x, const fact_def& y) {
                out.field("kind", x.name, "", std::string(to_string(x.kind)), y.name, "", std::string(to_string(y.kind)));
                out.field("label", x.name, "", x.label_zh, y.name, "", y.label_zh);
                out.field("label_en", x.name, "", x.label_en, y.name, "", y.label_en);
                out.field("sum", x.name, "", sum_text(a, x), y.name, "", sum_text(b, y));
                out.field("spread", x.name, "", spread_text(x), y.name, "", spread_text(y));
                out.field("optional", x.name, "", x.optional ? "true" : "false", y.name, "", y.optional ? "true" : "false");
            },
            [&](const fact_def& x) { out.add("removed", "fact", x.name, "", std::string(to_string(x.kind)) + " " + x.label_zh, "", "", ""); },
            [&](const fact_def& y) { out.add("added", "fact", "", "", "", y.name, "", std::string(to_string(y.kind)) + " " + y.label_zh); });
    }

    {  // ---- products, by id; the scope
        out_rows out{rows, "products"};
        pair_items<product_def>(
            a.products, b.products, [](const product_def& p) { return p.id; }, nullptr,
            [&](const product_def& x, const product_def& y) {
                out.field("label", x.id, "", x.label_zh, y.id, "", y.label_zh);
            },
            [&](const product_def& x) { out.add("removed", "product", x.id, "", x.label_zh, "", "", ""); },
            [&](const product_def& y) { out.add("added", "product", "", "", "", y.id, "", y.label_zh); });
        auto scope = [](const plan& p) {
            std::vector<std::string> ids;
            for (auto s : p.info.scope) ids.emplace_back(p.product_id(s));
            return join(ids);
        };
        out.field("scope", "scope", a.info.scope_clause, scope(a), "scope", b.info.scope_clause, scope(b));
    }

    {  // ---- grading
        out_rows out{rows, "grading"};
        for (int g = static_cast<int>(grade::I); g >= static_cast<int>(grade::IV); --g)
            out.field("name of grade " + std::string(to_string(static_cast<grade>(g))), "", "", a.grade_names_zh[g], "", "",
                      b.grade_names_zh[g]);
        // criteria of one grade, in the plan's order: pair by clause id, then by grade and order
        // pairing by order counts only the criteria not paired by id
        std::vector<criterion> rest_a, rest_b, same_a, same_b;
        for (const auto& c : a.criteria) {
            bool in_b = false;
            for (const auto& d : b.criteria) in_b = in_b || d.clause == c.clause;
            (in_b ? same_a : rest_a).push_back(c);
        }
        for (const auto& d : b.criteria) {
            bool in_a = false;
            for (const auto& c : a.criteria) in_a = in_a || d.clause == c.clause;
            (in_a ? same_b : rest_b).push_back(d);
        }
        auto paired = [&](const criterion& x, const criterion& y) {
            out.field("bounds", x.clause, x.clause, bounds_text(x), y.clause, y.clause, bounds_text(y));
            out.field("grade", x.clause, x.clause, std::string(to_string(x.grade)), y.clause, y.clause,
                      std::string(to_string(y.grade)));
            if (x.clause == y.clause) {
                out.field("text", x.clause, x.clause, x.text, y.clause, y.clause, y.text);
                out.field("reading", x.clause, x.clause, x.reading, y.clause, y.clause, y.reading);
            }
        };
        auto removed = [&](const criterion& x) {
            out.add("removed", "criterion", x.clause, x.clause, std::string(to_string(x.grade)) + ": " + bounds_text(x), "", "", "");
        };
        auto added = [&](const criterion& y) {
            out.add("added", "criterion", "", "", "", y.clause, y.clause, std::string(to_string(y.grade)) + ": " + bounds_text(y));
        };
        pair_items<criterion>(same_a, same_b, [](const criterion& c) { return c.clause; }, nullptr, paired, removed, added);
        // the rest: the n-th remaining criterion of a grade with the n-th of B's
        auto nth = [](const std::vector<criterion>& v) {
            std::map<std::string, std::string> key;
            int per_grade[grade_count] = {};
            for (const auto& c : v)
                key[c.clause] = std::string(to_string(c.grade)) + "#" + std::to_string(per_grade[static_cast<int>(c.grade)]++);
            return key;
        };
        const auto ka = nth(rest_a), kb = nth(rest_b);
        pair_items<criterion>(
            rest_a, rest_b, [&](const criterion& c) { return ka.count(c.clause) ? ka.at(c.clause) : kb.at(c.clause); },
            nullptr, paired, removed, added);
    }

    {  // ---- warnings
        out_rows out{rows, "warnings"};
        static const warning_rules none_w;
        const auto& x = a.warnings ? *a.warnings : none_w;
        const auto& y = b.warnings ? *b.warnings : none_w;
        pair_items<warning_level>(
            x.levels, y.levels, [](const warning_level& l) { return std::string(to_string(l.colour)); }, nullptr,
            [&](const warning_level& l, const warning_level& m) {
                const std::string c(to_string(l.colour));
                out.field("name", c, l.issue.clause, l.name_zh, c, m.issue.clause, m.name_zh);
                out.field("issued by", c, l.issue.clause, to_string(l.issue.issuer), c, m.issue.clause, to_string(m.issue.issuer));
                out.field("approved by", c, l.issue.clause, to_string(l.issue.approver), c, m.issue.clause,
                          to_string(m.issue.approver));
            },
            [&](const warning_level& l) { out.add("removed", "level", std::string(to_string(l.colour)), l.issue.clause, l.name_zh, "", "", ""); },
            [&](const warning_level& m) { out.add("added", "level", "", "", "", std::string(to_string(m.colour)), m.issue.clause, m.name_zh); });
        diff_rules(out, x.rules, y.rules, true);
    }

    {  // ---- responses
        out_rows out{rows, "responses"};
        static const response_rules none_r;
        const auto& x = a.responses ? *a.responses : none_r;
        const auto& y = b.responses ? *b.responses : none_r;
        pair_items<response_level>(
            x.levels, y.levels, [](const response_level& l) { return std::to_string(l.level); }, nullptr,
            [&](const response_level& l, const response_level& m) {
                const auto n = "level " + std::to_string(l.level);
                out.field("name", n, l.start.clause, l.name_zh, n, m.start.clause, m.name_zh);
                out.field("started by", n, l.start.clause, to_string(l.start.issuer), n, m.start.clause, to_string(m.start.issuer));
                out.field("approved by", n, l.start.clause, to_string(l.start.approver), n, m.start.clause,
                          to_string(m.start.approver));
            },
            [&](const response_level& l) { out.add("removed", "level", "level " + std::to_string(l.level), l.start.clause, l.name_zh, "", "", ""); },
            [&](const response_level& m) { out.add("added", "level", "", "", "", "level " + std::to_string(m.level), m.start.clause, m.name_zh); });
        diff_rules(out, x.rules, y.rules, false);
    }

    {  // ---- obligations
        out_rows out{rows, "obligations"};
        static const obligation_rules none_o;
        const auto& x = a.obligations ? *a.obligations : none_o;
        const auto& y = b.obligations ? *b.obligations : none_o;
        auto what = [](const obligation_rules& r, const obligation& o) {
            return o.deadline_text() + ": " + parties_text(r, o.from) + " → " + parties_text(r, o.to) + " (" +
                   std::string(to_string(o.channel)) + "; " + (o.has_when ? o.when.to_string() : std::string("always")) + ")";
        };
        pair_items<obligation>(
            x.items, y.items, [](const obligation& o) { return o.id; }, situation,
            [&](const obligation& o, const obligation& p) {
                out.field("deadline", o.id, o.clause, o.deadline_text(), p.id, p.clause, p.deadline_text());
                out.field("from", o.id, o.clause, parties_text(x, o.from), p.id, p.clause, parties_text(y, p.from));
                out.field("to", o.id, o.clause, parties_text(x, o.to), p.id, p.clause, parties_text(y, p.to));
                out.field("channel", o.id, o.clause, std::string(to_string(o.channel)), p.id, p.clause,
                          std::string(to_string(p.channel)));
                out.field("when", o.id, o.clause, o.has_when ? o.when.to_string() : "always", p.id, p.clause,
                          p.has_when ? p.when.to_string() : "always");
                out.field("anchor", o.id, o.clause, o.anchor, p.id, p.clause, p.anchor);
                out.field("until", o.id, o.clause, o.until, p.id, p.clause, p.until);
                out.field("restart", o.id, o.clause, o.restart_on_grade ? "grade_reached" : "", p.id, p.clause,
                          p.restart_on_grade ? "grade_reached" : "");
                out.field("fulfilled by", o.id, o.clause, o.fulfilled_by, p.id, p.clause, p.fulfilled_by);
            },
            [&](const obligation& o) { out.add("removed", "obligation", o.id, o.clause, what(x, o), "", "", ""); },
            [&](const obligation& p) { out.add("added", "obligation", "", "", "", p.id, p.clause, what(y, p)); });
    }
    return rows;
}

std::string to_json(const plan_difference& d) {
    namespace json = boost::json;
    auto side = [](const std::string& item, const std::string& clause, const std::string& value, bool present) {
        json::object o;
        o["item"] = item.empty() ? json::value(nullptr) : json::value(item);
        o["clause"] = clause.empty() ? json::value(nullptr) : json::value(clause);
        o["value"] = present ? json::value(value) : json::value(nullptr);
        return o;
    };
    json::object o{{"section", d.section}, {"change", d.change}, {"what", d.what}};
    o["a"] = side(d.item_a, d.clause_a, d.a, d.change != "added");
    o["b"] = side(d.item_b, d.clause_b, d.b, d.change != "removed");
    return json::serialize(o);
}

}  // namespace v0
}  // namespace vigil
