// diff(): what differs between two plans (vigil/diff.hpp). Pure.
#include <vigil/diff.hpp>
#include <vigil/notation.hpp>
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

// A value of a row: its English text, which the comparison reads (so that a table in either
// language lists the same differences), and its Chinese text where the words are the engine's.
struct val {
    std::string en, zh;  ///< zh empty: the same in both languages (the plan's own words, ids)
    val(std::string s) : en(std::move(s)) {}
    val(const char* s) : en(s) {}
    val(std::string e, std::string z) : en(std::move(e)), zh(std::move(z)) {}
};

// The rows of one section, and how to add them.
struct out_rows {
    std::vector<plan_difference>& rows;
    std::string section;
    language lang = language::en;

    std::string shown(val v) const { return lang == language::zh && !v.zh.empty() ? std::move(v.zh) : std::move(v.en); }
    void add(std::string change, std::string what, val item_a, std::string clause_a, val a, val item_b, std::string clause_b,
             val b) {
        rows.push_back({section, std::move(change), std::move(what), shown(std::move(item_a)), shown(std::move(item_b)),
                        std::move(clause_a), std::move(clause_b), shown(std::move(a)), shown(std::move(b))});
    }
    // a field of two paired items
    void field(const std::string& what, const val& ia, const std::string& ca, const val& va, const val& ib,
               const std::string& cb, const val& vb) {
        if (va.en != vb.en) add("changed", what, ia, ca, va, ib, cb, vb);
    }
};

val both(std::string_view en, std::string_view zh) { return val(std::string(en), std::string(zh)); }

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

val spread_text(const fact_def& f) {
    if (!f.spread) return "";
    const auto z = language::zh;
    return {std::string(to_string(f.spread->counted)) + " within " +
                (f.spread->within ? std::string(to_string(*f.spread->within)) : std::string("nationwide")) + ", at least grade " +
                std::string(to_string(f.spread->at_least)),
            std::string(area_level_word(f.spread->counted, z)) + "地区，" +
                (f.spread->within ? "同一" + std::string(area_level_word(*f.spread->within, z)) + "区域内" : std::string("全国")) +
                "，至少" + grade_word(f.spread->at_least, z)};
}

std::string sum_text(const plan& p, const fact_def& f) {
    std::vector<std::string> parts;
    for (auto i : f.sum) parts.push_back(p.facts[i].name);
    return join(parts, " + ");
}

std::string bounds_in(const plan& p, const criterion& c, language lang) {
    if (c.expert) return lang == language::zh ? "专家研判" : "expert determination";
    std::string s;
    for (const auto& alt : c.any)
        s += (s.empty() ? std::string() : std::string(or_alternatives_word(lang))) + conditions_text(alt, lang, &p);
    return s;
}
val bounds_text(const plan& p, const criterion& c) { return {bounds_in(p, c, language::en), bounds_in(p, c, language::zh)}; }

std::string when_in(const plan& p, const decision_rule& r, language lang) {
    std::string s;
    for (const auto& alt : r.when) {
        std::string one;
        for (const auto& t : alt) one += (one.empty() ? std::string() : std::string(and_word(lang))) + term_text(t, lang, &p);
        s += (s.empty() ? std::string() : std::string(or_alternatives_word(lang))) + one;
    }
    return s.empty() ? (lang == language::zh ? "始终适用" : "always") : s;
}
val when_text(const plan& p, const decision_rule& r) { return {when_in(p, r, language::en), when_in(p, r, language::zh)}; }

val effect_text(const decision_rule& r, bool warning) {
    if (warning) return both(to_string(r.colour), colour_text(r.colour, language::zh));
    const std::string n = std::to_string(r.level);
    switch (r.action) {
    case decision_rule::effect::set: return {"level " + n, n + "级响应"};
    case decision_rule::effect::raise: return {"raise " + n, "提高" + n + "级"};
    case decision_rule::effect::lower: return {"lower " + n, "降低" + n + "级"};
    }
    return "";
}

val rule_text(const plan& p, const decision_rule& r, bool warning) {
    const val e = effect_text(r, warning), w = when_text(p, r);
    return {e.en + " when " + w.en, (e.zh.empty() ? e.en : e.zh) + "，条件：" + w.zh};
}

val level_item(int level) { return {"level " + std::to_string(level), std::to_string(level) + "级响应"}; }
val colour_item(warning_colour c) { return both(to_string(c), colour_text(c, language::zh)); }
val actors(const std::vector<actor_pattern>& any) { return {actors_text(any, language::en), actors_text(any, language::zh)}; }
val yes_no(bool b) { return both(bool_text(b, language::en), bool_text(b, language::zh)); }
val obligation_when(const plan& p, const obligation& o) {
    if (!o.has_when) return both("always", "始终适用");
    return {o.when.to_string(), obligation_condition_text(o.when, language::zh, &p)};
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

void diff_rules(out_rows& out, const plan& pa, const plan& pb, const std::vector<decision_rule>& a, const std::vector<decision_rule>& b,
                bool warning) {
    pair_items<decision_rule>(
        a, b, [](const decision_rule& r) { return r.clause; },
        [warning](const decision_rule& r) { return effect_text(r, warning).en; },
        [&](const decision_rule& x, const decision_rule& y) {
            out.field("conditions", x.clause, x.clause, when_text(pa, x), y.clause, y.clause, when_text(pb, y));
            out.field(warning ? "colour" : "effect", x.clause, x.clause, effect_text(x, warning), y.clause, y.clause,
                      effect_text(y, warning));
            if (x.clause == y.clause) out.field("text", x.clause, x.clause, x.text, y.clause, y.clause, y.text);
        },
        [&](const decision_rule& x) {
            out.add("removed", "rule", x.clause, x.clause, rule_text(pa, x, warning), "", "", "");
        },
        [&](const decision_rule& y) {
            out.add("added", "rule", "", "", "", y.clause, y.clause, rule_text(pb, y, warning));
        });
}

}  // namespace

std::vector<plan_difference> diff(const plan& a, const plan& b) { return diff(a, b, language::en); }

std::vector<plan_difference> diff(const plan& a, const plan& b, language lang) {
    std::vector<plan_difference> rows;
    // a plan's level in words ("county" / 县级; a level that is no administrative level as written)
    auto level = [](const std::string& l) -> val {
        auto x = parse_area_level(l);
        return x ? val(l, std::string(area_level_word(*x, language::zh))) : val(l);
    };
    auto kind = [](fact_kind k) { return both(to_string(k), fact_kind_word(k, language::zh)); };

    {  // ---- plan
        out_rows out{rows, "plan", lang};
        const auto& x = a.info;
        const auto& y = b.info;
        out.field("id", x.id, "", x.id, y.id, "", y.id);
        out.field("name", x.id, "", x.name_zh, y.id, "", y.name_zh);
        out.field("issuer", x.id, "", x.issuer, y.id, "", y.issuer);
        out.field("level", x.id, "", level(x.level), y.id, "", level(y.level));
        out.field("effective", x.id, "", x.effective, y.id, "", y.effective);
        out.field("version", x.id, "", x.version, y.id, "", y.version);
    }

    {  // ---- facts, by name
        out_rows out{rows, "facts", lang};
        pair_items<fact_def>(
            a.facts, b.facts, [](const fact_def& f) { return f.name; }, nullptr,
            [&](const fact_def& x, const fact_def& y) {
                out.field("kind", x.name, "", kind(x.kind), y.name, "", kind(y.kind));
                out.field("label", x.name, "", x.label_zh, y.name, "", y.label_zh);
                out.field("label_en", x.name, "", x.label_en, y.name, "", y.label_en);
                out.field("sum", x.name, "", sum_text(a, x), y.name, "", sum_text(b, y));
                out.field("spread", x.name, "", spread_text(x), y.name, "", spread_text(y));
                out.field("optional", x.name, "", yes_no(x.optional), y.name, "", yes_no(y.optional));
            },
            [&](const fact_def& x) {
                out.add("removed", "fact", x.name, "", val(kind(x.kind).en + " " + x.label_zh, kind(x.kind).zh + " " + x.label_zh), "", "", "");
            },
            [&](const fact_def& y) {
                out.add("added", "fact", "", "", "", y.name, "", val(kind(y.kind).en + " " + y.label_zh, kind(y.kind).zh + " " + y.label_zh));
            });
    }

    {  // ---- products, by id; the scope
        out_rows out{rows, "products", lang};
        pair_items<product_def>(
            a.products, b.products, [](const product_def& p) { return p.id; }, nullptr,
            [&](const product_def& x, const product_def& y) {
                out.field("label", x.id, "", x.label_zh, y.id, "", y.label_zh);
            },
            [&](const product_def& x) { out.add("removed", "product", x.id, "", x.label_zh, "", "", ""); },
            [&](const product_def& y) { out.add("added", "product", "", "", "", y.id, "", y.label_zh); });
        auto scope = [](const plan& p) {
            std::vector<std::string> ids, labels;
            for (auto s : p.info.scope) {
                ids.emplace_back(p.product_id(s));
                const auto i = static_cast<std::size_t>(s);
                labels.push_back(i < p.products.size() && !p.products[i].label_zh.empty() ? p.products[i].label_zh : ids.back());
            }
            return val(join(ids), join(labels, "、"));
        };
        out.field("scope", "scope", a.info.scope_clause, scope(a), "scope", b.info.scope_clause, scope(b));
    }

    {  // ---- grading
        out_rows out{rows, "grading", lang};
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
            out.field("bounds", x.clause, x.clause, bounds_text(a, x), y.clause, y.clause, bounds_text(b, y));
            out.field("grade", x.clause, x.clause, std::string(to_string(x.grade)), y.clause, y.clause,
                      std::string(to_string(y.grade)));
            if (x.clause == y.clause) {
                out.field("text", x.clause, x.clause, x.text, y.clause, y.clause, y.text);
                out.field("reading", x.clause, x.clause, val(x.reading, x.reading_zh), y.clause, y.clause, val(y.reading, y.reading_zh));
                out.field("reading_zh", x.clause, x.clause, x.reading_zh, y.clause, y.clause, y.reading_zh);
            }
        };
        auto removed = [&](const criterion& x) {
            const val t = bounds_text(a, x);
            out.add("removed", "criterion", x.clause, x.clause,
                    val(std::string(to_string(x.grade)) + ": " + t.en, grade_word(x.grade, language::zh) + "：" + t.zh), "", "", "");
        };
        auto added = [&](const criterion& y) {
            const val t = bounds_text(b, y);
            out.add("added", "criterion", "", "", "", y.clause, y.clause,
                    val(std::string(to_string(y.grade)) + ": " + t.en, grade_word(y.grade, language::zh) + "：" + t.zh));
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
        out_rows out{rows, "warnings", lang};
        static const warning_rules none_w;
        const auto& x = a.warnings ? *a.warnings : none_w;
        const auto& y = b.warnings ? *b.warnings : none_w;
        pair_items<warning_level>(
            x.levels, y.levels, [](const warning_level& l) { return std::string(to_string(l.colour)); }, nullptr,
            [&](const warning_level& l, const warning_level& m) {
                const val c = colour_item(l.colour);
                out.field("name", c, l.issue.clause, l.name_zh, c, m.issue.clause, m.name_zh);
                out.field("issued by", c, l.issue.clause, actors(l.issue.issuer), c, m.issue.clause, actors(m.issue.issuer));
                out.field("approved by", c, l.issue.clause, actors(l.issue.approver), c, m.issue.clause, actors(m.issue.approver));
            },
            [&](const warning_level& l) { out.add("removed", "level", colour_item(l.colour), l.issue.clause, l.name_zh, "", "", ""); },
            [&](const warning_level& m) { out.add("added", "level", "", "", "", colour_item(m.colour), m.issue.clause, m.name_zh); });
        diff_rules(out, a, b, x.rules, y.rules, true);
    }

    {  // ---- responses
        out_rows out{rows, "responses", lang};
        static const response_rules none_r;
        const auto& x = a.responses ? *a.responses : none_r;
        const auto& y = b.responses ? *b.responses : none_r;
        pair_items<response_level>(
            x.levels, y.levels, [](const response_level& l) { return std::to_string(l.level); }, nullptr,
            [&](const response_level& l, const response_level& m) {
                const val n = level_item(l.level);
                out.field("name", n, l.start.clause, l.name_zh, n, m.start.clause, m.name_zh);
                out.field("started by", n, l.start.clause, actors(l.start.issuer), n, m.start.clause, actors(m.start.issuer));
                out.field("approved by", n, l.start.clause, actors(l.start.approver), n, m.start.clause, actors(m.start.approver));
            },
            [&](const response_level& l) { out.add("removed", "level", level_item(l.level), l.start.clause, l.name_zh, "", "", ""); },
            [&](const response_level& m) { out.add("added", "level", "", "", "", level_item(m.level), m.start.clause, m.name_zh); });
        diff_rules(out, a, b, x.rules, y.rules, false);
    }

    {  // ---- obligations
        out_rows out{rows, "obligations", lang};
        static const obligation_rules none_o;
        const auto& x = a.obligations ? *a.obligations : none_o;
        const auto& y = b.obligations ? *b.obligations : none_o;
        auto what = [](const plan& p, const obligation_rules& r, const obligation& o) {
            const val w = obligation_when(p, o);
            return val(o.deadline_text() + ": " + parties_text(r, o.from) + " → " + parties_text(r, o.to) + " (" +
                           std::string(to_string(o.channel)) + "; " + w.en + ")",
                       deadline_words(o, language::zh) + "：" + parties_text(r, o.from) + " → " + parties_text(r, o.to) + "（" +
                           std::string(channel_word(o.channel, language::zh)) + "；" + w.zh + "）");
        };
        auto deadline = [](const obligation& o) { return val(o.deadline_text(), deadline_words(o, language::zh)); };
        auto chan = [](channel c) { return both(to_string(c), channel_word(c, language::zh)); };
        auto restart = [](const obligation& o) { return o.restart_on_grade ? val("grade_reached", "达到该级别时重新起算") : val(""); };
        pair_items<obligation>(
            x.items, y.items, [](const obligation& o) { return o.id; }, situation,
            [&](const obligation& o, const obligation& p) {
                out.field("deadline", o.id, o.clause, deadline(o), p.id, p.clause, deadline(p));
                out.field("from", o.id, o.clause, parties_text(x, o.from), p.id, p.clause, parties_text(y, p.from));
                out.field("to", o.id, o.clause, parties_text(x, o.to), p.id, p.clause, parties_text(y, p.to));
                out.field("channel", o.id, o.clause, chan(o.channel), p.id, p.clause, chan(p.channel));
                out.field("when", o.id, o.clause, obligation_when(a, o), p.id, p.clause, obligation_when(b, p));
                out.field("anchor", o.id, o.clause, o.anchor, p.id, p.clause, p.anchor);
                out.field("until", o.id, o.clause, o.until, p.id, p.clause, p.until);
                out.field("restart", o.id, o.clause, restart(o), p.id, p.clause, restart(p));
                out.field("fulfilled by", o.id, o.clause, o.fulfilled_by, p.id, p.clause, p.fulfilled_by);
            },
            [&](const obligation& o) { out.add("removed", "obligation", o.id, o.clause, what(a, x, o), "", "", ""); },
            [&](const obligation& p) { out.add("added", "obligation", "", "", "", p.id, p.clause, what(b, y, p)); });
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
