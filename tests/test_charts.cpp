// The plans' charts (vigil/charts.hpp): nodes and edges against the plan data, named edges with
// their clauses (tests/data/charts/edges.txt), the graph checks on broken lifecycles, DOT output.
#include <vigil/charts.hpp>
#include <vigil/lifecycle.hpp>
#include <vigil/obligations.hpp>
#include <vigil/plan.hpp>

#include "test_support.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

using namespace vigil;
namespace json = boost::json;

namespace {

json::object plan_json(const std::string& id) {
    return json::parse(test::read_file(std::string(VIGIL_SOURCE_DIR) + "/data/plans/" + id + ".json")).as_object();
}

std::string str(const json::value& v) { return std::string(v.as_string()); }

/// The edge from → to, if any (by the nodes' data ids).
std::optional<chart_edge> edge_of(const chart& c, const std::string& from, const std::string& to) {
    auto f = c.find(from), t = c.find(to);
    if (!f || !t) return std::nullopt;
    auto [e, ok] = boost::edge(*f, *t, c.graph);
    if (!ok) return std::nullopt;
    return c.graph[e];
}

/// The DOT text, tokenised enough to check it: braces balance outside strings, and the
/// endpoints of every edge statement are declared as nodes.
struct dot_shape {
    bool balanced = true;
    std::set<std::string> nodes;
    std::vector<std::pair<std::string, std::string>> edges;      ///< drawn edges
    std::vector<std::pair<std::string, std::string>> invisible;  ///< style=invis: they only place nodes
    std::map<std::string, std::string> labels;                   ///< node → its label, line breaks removed
    std::size_t labelled_nodes = 0, labelled_edges = 0;
};

dot_shape read_dot(const std::string& dot) {
    std::vector<std::string> tok;
    for (std::size_t i = 0; i < dot.size();) {
        const char ch = dot[i];
        if (std::isspace(static_cast<unsigned char>(ch))) {
            ++i;
        } else if (ch == '"') {
            std::string s = "\"";
            for (++i; i < dot.size() && dot[i] != '"'; ++i) {
                if (dot[i] == '\\' && i + 1 < dot.size()) s += dot[i++];
                s += dot[i];
            }
            ++i;
            tok.push_back(s + "\"");
        } else if (ch == '-' && i + 1 < dot.size() && dot[i + 1] == '>') {
            tok.emplace_back("->");
            i += 2;
        } else if (std::string_view("{}[];=,").find(ch) != std::string_view::npos) {
            tok.emplace_back(1, ch);
            ++i;
        } else {
            std::string s;
            while (i < dot.size() && !std::isspace(static_cast<unsigned char>(dot[i])) &&
                   std::string_view("{}[];=,\"").find(dot[i]) == std::string_view::npos && dot.compare(i, 2, "->") != 0)
                s += dot[i++];
            tok.push_back(s);
        }
    }
    dot_shape d;
    int depth = 0;
    // statements between ';' at depth 1 (inside the digraph's braces)
    std::vector<std::string> stmt;
    auto flush = [&] {
        if (stmt.empty()) return;
        std::vector<std::string> head;  // tokens before '['
        bool label = false, invis = false;
        std::string label_text;
        for (std::size_t k = 0; k < stmt.size(); ++k) {
            if (stmt[k] == "[") {
                for (; k < stmt.size() && stmt[k] != "]"; ++k) {
                    if (stmt[k] == "label" && k + 2 < stmt.size()) label = true, label_text = stmt[k + 2];
                    if (stmt[k] == "style" && k + 2 < stmt.size() && stmt[k + 2] == "invis") invis = true;
                }
                continue;
            }
            head.push_back(stmt[k]);
        }
        if (head.size() == 3 && head[1] == "->" && invis) {
            d.invisible.emplace_back(head[0], head[2]);
        } else if (head.size() == 3 && head[1] == "->") {
            d.edges.emplace_back(head[0], head[2]);
            d.labelled_edges += label;
        } else if (head.size() == 1 && head[0] != "node" && head[0] != "edge" && head[0] != "graph") {
            d.nodes.insert(head[0]);
            d.labelled_nodes += label;
            for (std::size_t b; (b = label_text.find("\\n")) != std::string::npos;) label_text.erase(b, 2);
            d.labels[head[0]] = label_text;
        }
        stmt.clear();
    };
    for (const auto& t : tok) {
        if (t == "{") {
            ++depth;
        } else if (t == "}") {
            flush();
            if (--depth < 0) d.balanced = false;
        } else if (t == ";" && depth == 1) {
            flush();
        } else if (depth >= 1) {
            stmt.push_back(t);
        }
    }
    if (depth != 0) d.balanced = false;
    return d;
}

const std::vector<std::string> plans{"yuzhong", "guiyang"};

}  // namespace

TEST_CASE("charts: the organisation chart has every unit and every relation the plan states", "[charts]") {
    for (const auto& id : plans) {
        DYNAMIC_SECTION(id) {
            const auto j = plan_json(id);
            const auto& units = j.at("organisation").at("units").as_array();
            std::size_t edges = 0;
            for (const auto& u : units) {
                const auto& o = u.as_object();
                if (o.contains("lead")) ++edges;
                for (const char* k : {"under", "members"})
                    if (o.contains(k)) edges += o.at(k).at("units").as_array().size();
            }
            auto p = builtin_plan(id).value();
            auto c = build_chart(*p, chart_kind::org).value();
            CHECK(boost::num_vertices(c.graph) == units.size());
            CHECK(boost::num_edges(c.graph) == edges);
            for (const auto& u : units) {
                auto v = c.find(str(u.at("id")));
                REQUIRE(v);
                CHECK(c.graph[*v].clause == str(u.at("clause")));
                CHECK(c.graph[*v].tooltip.find(str(u.at("clause"))) != std::string::npos);
            }
        }
    }
}

TEST_CASE("charts: yuzhong's HQ has eight working groups and the 附件1 member units", "[charts]") {
    auto p = builtin_plan("yuzhong").value();
    auto c = build_chart(*p, chart_kind::org).value();
    auto hq = c.find("区指挥部");
    REQUIRE(hq);
    std::size_t groups = 0, members = 0;
    for (auto [e, end] = boost::out_edges(*hq, c.graph); e != end; ++e) {
        const auto& t = c.graph[boost::target(*e, c.graph)];
        if (c.graph[*e].kind == "under") groups += t.kind == "group";
        if (c.graph[*e].kind == "member") ++members;
    }
    CHECK(groups == 8);    // yuzhong 2.1.2: 八个工作组
    CHECK(members == 14);  // 附件1: 13 units and the street where it happened
}

TEST_CASE("charts: the reporting chart has every party and one edge per reporter and recipient", "[charts]") {
    for (const auto& id : plans) {
        DYNAMIC_SECTION(id) {
            const auto j = plan_json(id);
            const auto& ob = j.at("obligations").as_object();
            std::map<std::pair<std::string, std::string>, std::size_t> pairs;
            for (const auto& it : ob.at("items").as_array())
                for (const auto& f : it.at("from").as_array())
                    for (const auto& t : it.at("to").as_array()) ++pairs[{str(f), str(t)}];
            auto p = builtin_plan(id).value();
            auto c = build_chart(*p, chart_kind::reporting).value();
            CHECK(boost::num_vertices(c.graph) == ob.at("parties").as_array().size());
            CHECK(boost::num_edges(c.graph) == pairs.size());
            for (const auto& [ft, n] : pairs) {
                auto e = edge_of(c, ft.first, ft.second);
                REQUIRE(e);
                CHECK(e->rules.size() == n);
                // one label line per clause, with its channels and deadlines; each obligation, with
                // its condition, in the tooltip
                std::set<std::string> clauses;
                for (auto k : e->rules) {
                    const auto& o = p->obligations->items[k];
                    clauses.insert(o.clause);
                    CHECK(e->label.find(o.clause + "：") != std::string::npos);
                    CHECK(e->tooltip.find(o.clause + " " + o.id + ": ") == std::string::npos);
                    CHECK(e->tooltip.find(" — " + o.id + ": " + o.summary) != std::string::npos);
                }
                CHECK(static_cast<std::size_t>(std::count(e->label.begin(), e->label.end(), '\n')) + 1 == clauses.size());
            }
        }
    }
}

TEST_CASE("charts: the lifecycle chart has every state and one edge per row and state it leaves", "[charts]") {
    for (const auto& id : plans) {
        DYNAMIC_SECTION(id) {
            const auto j = plan_json(id);
            const auto& lc = j.at("lifecycle").as_object();
            std::vector<std::string> live;  // what "*" stands for: every state that is not final
            for (const auto& s : lc.at("states").as_array())
                if (!s.as_object().contains("final") || !s.at("final").as_bool()) live.push_back(str(s.at("id")));
            // rows × the states each leaves: to another state an edge, else an internal event of the state
            std::size_t edges = 0, internal = 0;
            for (const auto& r : lc.at("transitions").as_array()) {
                const auto& f = r.at("from");
                std::vector<std::string> from;
                if (f.is_array())
                    for (const auto& x : f.as_array()) from.push_back(str(x));
                else if (str(f) == "*")
                    from = live;
                else
                    from.push_back(str(f));
                for (const auto& s : from)
                    (r.as_object().contains("to") && str(r.at("to")) != s ? edges : internal) += 1;
            }
            auto p = builtin_plan(id).value();
            auto c = build_chart(*p, chart_kind::lifecycle).value();
            CHECK(boost::num_vertices(c.graph) == lc.at("states").as_array().size());
            CHECK(boost::num_edges(c.graph) == edges);
            std::size_t listed = 0;
            for (std::size_t v = 0; v < boost::num_vertices(c.graph); ++v) {
                const auto& n = c.graph[v];
                listed += n.rules.size();
                std::set<std::string> events;
                REQUIRE(n.internal.size() == n.rules.size());
                for (std::size_t i = 0; i < n.rules.size(); ++i) {  // the text form's line of each: who may fire it, or how many units may
                    const auto& row = p->lifecycle->rows[n.rules[i]];
                    const std::string by = row.by.size() > 4 ? "any of " + std::to_string(row.by.size()) + " units" : to_string(row.by);
                    CHECK(n.internal[i] == row.event + " · by " + by + " · " + row.clause);
                }
                for (auto k : n.rules) {  // each internal event named in the state's label; who fires it and its clause in the tooltip
                    const auto& row = p->lifecycle->rows[k];
                    CHECK(row.leaves(n.id));
                    CHECK((row.to.empty() || row.to == n.id));
                    CHECK(n.label.find(row.event) != std::string::npos);
                    CHECK(n.tooltip.find(row.event) != std::string::npos);
                    CHECK(n.tooltip.find("by " + to_string(row.by)) != std::string::npos);
                    CHECK(n.tooltip.find(row.clause) != std::string::npos);
                    events.insert(row.event);
                }
                if (!n.rules.empty()) CHECK(n.label.find("—— " + std::to_string(events.size()) + " internal events ——") != std::string::npos);
                else CHECK(n.label.find("internal events") == std::string::npos);
            }
            CHECK(listed == internal);
            for (auto [e, end] = boost::edges(c.graph); e != end; ++e) {
                const auto& d = c.graph[*e];
                REQUIRE(d.rules.size() == 1);
                const auto& row = p->lifecycle->rows[d.rules[0]];
                CHECK(d.label.find(row.clause) != std::string::npos);
                CHECK(d.label.find(row.event) != std::string::npos);
                CHECK(d.label.find("by " + to_string(row.by)) != std::string::npos);
                const std::string to = row.to.empty() ? c.graph[boost::source(*e, c.graph)].id : row.to;
                CHECK(c.graph[boost::target(*e, c.graph)].id == to);
            }
        }
    }
}

TEST_CASE("charts: in Chinese the lifecycle chart says who fires a row (由 …或…) and its row, the graph the same", "[charts]") {
    auto zh_who = [](const std::vector<actor_pattern>& any) {
        std::string s;
        for (std::size_t i = 0; i < any.size(); ++i) s += (i ? "或" : "") + to_string(any[i]);
        return s;
    };
    for (const auto& id : plans) {
        DYNAMIC_SECTION(id) {
            auto p = builtin_plan(id).value();
            const auto en = build_chart(*p, chart_kind::lifecycle).value();
            const auto zh = build_chart(*p, chart_kind::lifecycle, language::zh).value();
            REQUIRE(boost::num_vertices(zh.graph) == boost::num_vertices(en.graph));
            REQUIRE(boost::num_edges(zh.graph) == boost::num_edges(en.graph));
            std::size_t internal = 0;
            for (std::size_t v = 0; v < boost::num_vertices(zh.graph); ++v) {
                const auto& n = zh.graph[v];
                CHECK(n.rules == en.graph[v].rules);
                for (auto k : n.rules) {
                    const auto& row = p->lifecycle->rows[k];
                    CHECK(n.label.find(row.event) != std::string::npos);
                    CHECK(n.tooltip.find("由 " + zh_who(row.by)) != std::string::npos);
                    CHECK(n.tooltip.find(" by ") == std::string::npos);
                    ++internal;
                }
                if (!n.rules.empty()) CHECK(n.label.find("—— 状态内事件 ") != std::string::npos);
            }
            CHECK(internal > 0);
            for (auto [e, end] = boost::edges(zh.graph); e != end; ++e) {
                const auto& d = zh.graph[*e];
                REQUIRE(d.rules.size() == 1);
                const auto& row = p->lifecycle->rows[d.rules[0]];
                CHECK(d.label.find("\n由 " + zh_who(row.by)) != std::string::npos);
                CHECK(d.label.find("\nby ") == std::string::npos);
                CHECK(d.tooltip.find(row.clause + "（第 " + std::to_string(row.index) + " 行）") == 0);
            }
            // the text form: the kinds in Chinese, none in English
            const auto text = to_text(zh, language::zh);
            CHECK(text.find("  [初始状态]") != std::string::npos);
            CHECK(text.find("  (转换)") != std::string::npos);
            CHECK(text.find("  [initial]") == std::string::npos);
            CHECK(text.find("(transition)") == std::string::npos);
            CHECK(to_text(en) == to_text(en, language::en));
        }
    }
}

TEST_CASE("charts: named edges and their clauses (tests/data/charts/edges.txt)", "[charts]") {
    const auto rows = test::read_table(test::data_path("charts/edges.txt"));
    REQUIRE(rows.size() >= 30);
    std::map<std::pair<std::string, std::string>, chart> charts;
    for (const auto& r : rows) {
        INFO("edges.txt line " << r.line);
        REQUIRE(r.cells.size() == 6);
        const auto kind = parse_chart_kind(r.cells[1]);
        REQUIRE(kind);
        auto key = std::pair{r.cells[0], r.cells[1]};
        if (!charts.count(key)) charts.emplace(key, build_chart(*builtin_plan(r.cells[0]).value(), *kind).value());
        const auto& c = charts.at(key);
        REQUIRE(c.find(r.cells[2]));
        REQUIRE(c.find(r.cells[3]));
        // every edge between the two (the lifecycle has one per row): one must carry every part
        std::vector<chart_edge> between;
        for (auto [e, end] = boost::out_edges(*c.find(r.cells[2]), c.graph); e != end; ++e)
            if (boost::target(*e, c.graph) == *c.find(r.cells[3])) between.push_back(c.graph[*e]);
        if (r.cells[4] == "absent") {
            CHECK(between.empty());
            continue;
        }
        REQUIRE(r.cells[4] == "present");
        REQUIRE_FALSE(between.empty());
        const auto parts = test::split(r.cells[5], ';');
        std::string labels;
        const chart_edge* match = nullptr;
        for (const auto& e : between) {
            // what the picture shows (label), and what it shows on pointing at the edge (tooltip:
            // the reporting chart's conditions)
            const std::string carried = e.label + "\n" + e.clause + "\n" + e.tooltip;
            labels += carried + "\n--\n";
            if (std::all_of(parts.begin(), parts.end(), [&](const std::string& x) { return carried.find(x) != std::string::npos; }))
                match = &e;
        }
        INFO("edges between them:\n" << labels);
        REQUIRE(match);
        CHECK(match->tooltip.find(match->clause.substr(0, match->clause.find(';'))) != std::string::npos);
    }
}

TEST_CASE("charts: the built-in plans' lifecycles are whole: every state reached, every state can close", "[charts]") {
    for (const auto& id : plans) {
        auto p = builtin_plan(id).value();
        for (const auto& f : check_charts(*p)) FAIL_CHECK(id << ": " << to_string(f));
    }
}

TEST_CASE("charts: a broken lifecycle is reported: unreachable states warn, traps are errors", "[charts]") {
    auto j = plan_json("yuzhong");
    auto& lc = j.at("lifecycle").as_object();
    auto& states = lc.at("states").as_array();
    // "limbo": entered from "reported", never left; "orphan": no row leads to it; "dead": a row from the final state
    states.push_back(json::object{{"id", "limbo"}, {"name_zh", "搁置"}});
    states.push_back(json::object{{"id", "orphan"}, {"name_zh", "孤立"}});
    auto& rows = lc.at("transitions").as_array();
    rows.push_back(json::object{{"from", "reported"}, {"event", "shelve"}, {"to", "limbo"}, {"by", json::array{"区市场监管局"}}, {"clause", "test"}});
    rows.push_back(json::object{{"from", "orphan"}, {"event", "close"}, {"to", "closed"}, {"by", json::array{"区市场监管局"}}, {"clause", "test"}});
    rows.push_back(json::object{{"from", "closed"}, {"event", "reopen"}, {"to", "monitoring"}, {"by", json::array{"区市场监管局"}}, {"clause", "test"}});
    auto p = load_plan(json::serialize(j), "broken.json");
    REQUIRE(p);
    const auto findings = check_charts(**p);
    std::map<std::string, std::string> by_pointer;
    for (const auto& f : findings) by_pointer[f.pointer] += to_string(f);
    const std::size_t n = states.size();
    const std::string limbo = "/lifecycle/states/" + std::to_string(n - 2), orphan = "/lifecycle/states/" + std::to_string(n - 1);
    CHECK(findings.size() == 3);
    CHECK(by_pointer[limbo].find("error") == 0);
    CHECK(by_pointer[limbo].find("never be closed") != std::string::npos);
    CHECK(by_pointer[orphan].find("warning") == 0);
    CHECK(by_pointer[orphan].find("cannot be reached from the initial state") != std::string::npos);
    const std::string dead = "/lifecycle/transitions/" + std::to_string(rows.size() - 1);
    CHECK(by_pointer[dead].find("warning") == 0);
    CHECK(by_pointer[dead].find("leaves only final states") != std::string::npos);

    // no final state at all: every state is a trap
    for (auto& s : states) s.as_object().erase("final");
    rows.pop_back();
    auto q = load_plan(json::serialize(j), "no_final.json");
    REQUIRE(q);
    const auto f2 = check_charts(**q);
    REQUIRE_FALSE(f2.empty());
    CHECK(to_string(f2[0]) == "error: /lifecycle/states: no state is final: no incident can ever be closed");
}

TEST_CASE("charts: units under each other in a circle are reported", "[charts]") {
    auto j = plan_json("yuzhong");
    for (auto& u : j.at("organisation").at("units").as_array())
        if (str(u.at("id")) == "区政府") u.as_object()["under"] = json::object{{"units", json::array{"区指挥部"}}, {"clause", "test"}};
    auto p = load_plan(json::serialize(j), "circle.json");
    REQUIRE(p);
    const auto f = check_charts(**p);
    REQUIRE(f.size() == 1);
    CHECK(f[0].kind == chart_kind::org);
    CHECK(to_string(f[0]).find("区政府") != std::string::npos);
    CHECK(to_string(f[0]).find("区指挥部") != std::string::npos);
}

TEST_CASE("charts: organisation relations naming unknown units are refused when the plan loads", "[charts]") {
    auto j = plan_json("yuzhong");
    auto& u0 = j.at("organisation").at("units").as_array()[0].as_object();
    u0["members"] = json::object{{"units", json::array{"区政府", "无此单位"}}, {"clause", "test"}};
    u0["under"] = json::object{{"units", json::array{}}, {"clause", "test"}};
    auto p = load_plan(json::serialize(j), "bad.json");
    REQUIRE_FALSE(p);
    const std::string msg = p.error().message();
    CHECK(msg.find("/organisation/units/0/members/units/1: unknown unit \"无此单位\"") != std::string::npos);
    CHECK(msg.find("/organisation/units/0/under/units: expected at least one unit") != std::string::npos);
}

TEST_CASE("charts: how yuzhong's reports climb from the first reporters", "[charts]") {
    auto p = builtin_plan("yuzhong").value();
    auto c = build_chart(*p, chart_kind::reporting).value();
    const auto r = reporting_reach(*p, c);
    REQUIRE(r.sources.size() == p->obligations->items[0].from.size());
    CHECK(c.graph[r.sources[0]].id == p->obligations->items[0].from[0]);
    REQUIRE_FALSE(r.highest.empty());
    for (const auto& chain : r.highest) {
        REQUIRE(chain.size() >= 2);
        CHECK(r.hops[chain.back()] == static_cast<int>(chain.size()) - 1);
        for (std::size_t i = 0; i + 1 < chain.size(); ++i) CHECK(boost::edge(chain[i], chain[i + 1], c.graph).second);
        // the farthest recipients report on to no one farther: only to units reached as soon or sooner
        for (auto [e, end] = boost::out_edges(chain.back(), c.graph); e != end; ++e)
            CHECK(r.hops[boost::target(*e, c.graph)] <= r.hops[chain.back()]);
    }
    // 4.1.1(3)'s reporter, 区委、区政府, is a party of its own: the first reports never reach it
    auto dcg = c.find("district_committee_gov");
    REQUIRE(dcg);
    CHECK(std::find(r.unreached.begin(), r.unreached.end(), *dcg) != r.unreached.end());
    for (std::size_t v = 0; v < boost::num_vertices(c.graph); ++v)
        CHECK((r.hops[v] < 0) == (std::find(r.unreached.begin(), r.unreached.end(), v) != r.unreached.end()));
}

TEST_CASE("charts: DOT output is well formed: braces balance, every edge's endpoints are declared", "[charts]") {
    for (const auto& id : plans) {
        auto p = builtin_plan(id).value();
        for (auto k : {chart_kind::org, chart_kind::reporting, chart_kind::lifecycle}) {
            DYNAMIC_SECTION(id << " " << to_string(k)) {
                auto c = build_chart(*p, k).value();
                const std::string dot = to_dot(c);
                CHECK(dot.rfind("digraph G {", 0) == 0);
                const auto d = read_dot(dot);
                CHECK(d.balanced);
                CHECK(d.nodes.size() == boost::num_vertices(c.graph));
                CHECK(d.labelled_nodes == d.nodes.size());
                CHECK(d.labelled_edges == d.edges.size());
                // Every relation is drawn as an arrow, except in the organisation chart who leads a
                // group and who takes part (lead, member): those are written in the group's (or the
                // HQ's) label, under the plan's word for them.
                std::size_t arrows = 0;
                for (auto [e, end] = boost::edges(c.graph); e != end; ++e) {
                    const auto& ed = c.graph[*e];
                    if (k == chart_kind::org && (ed.kind == "lead" || ed.kind == "member")) {
                        const auto& from = c.graph[boost::source(*e, c.graph)].id;
                        const auto& to = c.graph[boost::target(*e, c.graph)].id;
                        INFO(from << " " << ed.kind << " " << to);
                        const std::string key = d.labels.count(from) ? from : "\"" + from + "\"";
                        REQUIRE(d.labels.count(key));
                        CHECK(d.labels.at(key).find(to) != std::string::npos);
                        CHECK(d.labels.at(key).find(ed.kind == "lead" ? "牵头：" : ed.label + "：") != std::string::npos);
                    } else {
                        ++arrows;
                    }
                }
                CHECK(d.edges.size() == arrows);
                for (const auto& [a, b] : d.edges) {
                    INFO(a << " -> " << b);
                    CHECK(d.nodes.count(a));
                    CHECK(d.nodes.count(b));
                }
                for (const auto& [a, b] : d.invisible) {
                    INFO(a << " -> " << b << " (invisible)");
                    CHECK(d.nodes.count(a));
                    CHECK(d.nodes.count(b));
                }
                // every node's and edge's clause is in the DOT text (label or tooltip)
                for (std::size_t v = 0; v < boost::num_vertices(c.graph); ++v)
                    if (!c.graph[v].clause.empty()) CHECK(dot.find(c.graph[v].clause) != std::string::npos);
                // the text form names every node
                const std::string text = to_text(c);
                for (std::size_t v = 0; v < boost::num_vertices(c.graph); ++v) {
                    auto first = c.graph[v].label.substr(0, c.graph[v].label.find('\n'));
                    CHECK(text.find(first) != std::string::npos);
                }
            }
        }
    }
}

TEST_CASE("charts: no line of a wrapped label begins with a pause or closing mark, Chinese or English", "[charts]") {
    // Chinese typesetting puts a pause or closing mark at the end of the line it follows, never at
    // the start of the next one; so does English with its own marks.
    const std::vector<std::string> marks = {"：", "、", "，", "。", "；", "）", "」", "』", "！", "？",
                                            ":", ",", ".", ";", ")", "!", "?"};
    for (const auto& id : plans) {
        auto p = builtin_plan(id).value();
        for (auto k : {chart_kind::org, chart_kind::reporting, chart_kind::lifecycle}) {
            for (auto lang : {language::zh, language::en}) {
                const std::string dot = to_dot(build_chart(*p, k, lang).value());
                for (std::size_t at = dot.find("\\n"); at != std::string::npos; at = dot.find("\\n", at + 2)) {
                    const std::string next = dot.substr(at + 2, 3);
                    for (const auto& m : marks) {
                        INFO(id << " " << to_string(k) << (lang == language::zh ? " zh" : " en") << ": …"
                                << dot.substr(at > 40 ? at - 40 : 0, std::min<std::size_t>(at, 40)) << "⏎" << dot.substr(at + 2, 24) << "…");
                        CHECK(next.rfind(m, 0) != 0);
                    }
                }
            }
        }
    }
}

TEST_CASE("charts: DOT strings escape quotes, backslashes and newlines", "[charts]") {
    auto j = plan_json("yuzhong");
    auto& u0 = j.at("organisation").at("units").as_array()[0].as_object();
    u0["duty"] = "引号\"与反斜杠\\，第二行\n结束";
    auto p = load_plan(json::serialize(j), "quotes.json").value();
    const std::string dot = to_dot(build_chart(*p, chart_kind::org).value());
    CHECK(dot.find("引号\\\"与反斜杠\\\\，第二行\\n结束") != std::string::npos);
    CHECK(read_dot(dot).balanced);
}

TEST_CASE("charts: a plan without the section has no chart (an error naming the section)", "[charts]") {
    auto p = load_plan_file(test::data_path("plans/minimal.json"));
    REQUIRE(p);
    for (auto [k, section] : {std::pair{chart_kind::org, "/organisation"}, std::pair{chart_kind::reporting, "/obligations"},
                              std::pair{chart_kind::lifecycle, "/lifecycle"}}) {
        auto c = build_chart(**p, k);
        REQUIRE_FALSE(c);
        CHECK(c.error().code == errc::invalid_input);
        CHECK(c.error().message().find(section) != std::string::npos);
    }
    CHECK(parse_chart_kind("org") == chart_kind::org);
    CHECK_FALSE(parse_chart_kind("flow"));
}
