// A plan's charts from its rule data (vigil/charts.hpp).
#include <vigil/charts.hpp>

#include <vigil/lifecycle.hpp>
#include <vigil/notation.hpp>
#include <vigil/obligations.hpp>
#include <vigil/organisation.hpp>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/graph/strong_components.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace vigil {
inline namespace v0 {

namespace {

using vertex = boost::graph_traits<chart_graph>::vertex_descriptor;

std::string join(const std::vector<std::string>& v, std::string_view sep) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : std::string(sep)) + x;
    return s;
}

void add_unique(std::vector<std::string>& v, const std::string& x) {
    if (!x.empty() && std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

vertex add_node(chart_graph& g, chart_node n) { return boost::add_vertex(std::move(n), g); }

// ------------------------------------------------------------------------------------ organisation

chart org_chart(const plan& p, language lang) {
    chart c{chart_kind::org, {}};
    const auto& org = *p.org;
    c.graph[boost::graph_bundle] = {"组织指挥架构图 — " + p.info.name_zh, org.clause, "TB"};
    for (const auto& u : org.units) {
        std::string label = u.id;
        if (!u.roles.empty()) label += "\n" + join(u.roles, " · ");
        std::string tip = u.clause;
        if (!u.name_en.empty()) tip += " — " + u.name_en;
        if (!u.duty.empty()) tip += "\n" + u.duty;
        add_node(c.graph, {u.id, label, u.clause, tip, u.kind, {}, {}});
    }
    auto relation = [&](vertex from, vertex to, const org_relation& r, const std::string& kind, const std::string& dflt) {
        const std::string word = r.as.empty() ? dflt : r.as;
        std::string tip = r.clause;
        if (!r.reading.empty()) tip += (lang == language::zh ? "\n解读：" : "\nreading: ") + pick_language(r.reading, r.reading_zh, lang);
        boost::add_edge(from, to, chart_edge{kind, word, r.clause, tip, {}}, c.graph);
    };
    for (std::size_t i = 0; i < org.units.size(); ++i) {
        const auto& u = org.units[i];
        for (const auto& s : u.under.units)
            if (auto f = c.find(s)) relation(*f, i, u.under, "under", "");
        if (!u.lead.empty())
            if (auto l = c.find(u.lead))
                boost::add_edge(i, *l, chart_edge{"lead", "牵头", u.clause, u.clause + ": " + u.lead + " 牵头", {}}, c.graph);
        for (const auto& m : u.members.units)
            if (auto t = c.find(m)) relation(i, *t, u.members, "member", "成员");
    }
    return c;
}

// ------------------------------------------------------------------------------------ reporting

// A channel in a label: 电话, 书面, 网络直报 (vigil/notation.hpp), nothing for any channel.
std::string channel_zh(channel ch) { return ch == channel::any ? std::string() : std::string(channel_word(ch, language::zh)); }

// A deadline in a label, as vigil/notation.hpp writes it in Chinese: "30分钟内", "立即".
std::string deadline_zh(const obligation& o) { return deadline_words(o, language::zh); }

/// One label line: "电话 30分钟内 [grade >= II] yuzhong 4.1.1(2)".
std::string obligation_line(const plan& p, const obligation& o, language lang) {
    std::string s = channel_zh(o.channel);
    s += (s.empty() ? "" : " ") + deadline_zh(o);
    if (o.has_when) {
        const std::string w = obligation_condition_text(o.when, lang, &p);
        if (!w.empty()) s += " [" + w + "]";
    }
    return s + " " + o.clause;
}

chart reporting_chart(const plan& p, language lang) {
    chart c{chart_kind::reporting, {}};
    const auto& ob = *p.obligations;
    c.graph[boost::graph_bundle] = {"信息报告流程图 — " + p.info.name_zh, ob.clause, "LR"};
    std::map<std::string, std::vector<std::string>> clauses;  // party → clauses naming it
    for (const auto& o : ob.items) {
        for (const auto& f : o.from) add_unique(clauses[f], o.clause);
        for (const auto& t : o.to) add_unique(clauses[t], o.clause);
    }
    for (const auto& pa : ob.parties) {
        const std::string cl = join(clauses[pa.id], "; ");
        // the party's English name beside its id in English; in Chinese its reading, if any (the label is its Chinese name)
        std::string tip = pa.id + (pa.en.empty() || lang == language::zh ? "" : " — " + pa.en) + "\n" +
                          (cl.empty() ? (lang == language::zh ? "无报告义务提及" : "named by no obligation") : cl);
        if (lang == language::zh && !pa.reading.empty()) tip += "\n解读：" + pick_language(pa.reading, pa.reading_zh, lang);
        add_node(c.graph, {pa.id, pa.zh, cl, tip, "party", {}, {}});
    }
    std::map<std::pair<vertex, vertex>, boost::graph_traits<chart_graph>::edge_descriptor> pairs;
    for (std::size_t i = 0; i < ob.items.size(); ++i) {
        const auto& o = ob.items[i];
        for (const auto& f : o.from) {
            for (const auto& t : o.to) {
                auto fv = c.find(f), tv = c.find(t);
                if (!fv || !tv) continue;
                auto it = pairs.find({*fv, *tv});
                if (it == pairs.end()) it = pairs.emplace(std::pair{*fv, *tv}, boost::add_edge(*fv, *tv, chart_edge{"report", "", "", "", {}}, c.graph).first).first;
                auto& e = c.graph[it->second];
                e.rules.push_back(i);
                // The label: one line per clause, its channels and deadlines ("guiyang A5: 电话 20分钟内、
                // 书面 40分钟内"); the conditions and summaries are in the tooltip (a label with every
                // condition made the reporting chart thousands of pixels wide).
                std::vector<std::string> cls;
                for (std::size_t k : e.rules) add_unique(cls, ob.items[k].clause);
                e.clause = join(cls, "; ");
                e.label.clear();
                for (const auto& cl : cls) {
                    std::vector<std::string> how;
                    for (std::size_t k : e.rules)
                        if (ob.items[k].clause == cl) {
                            std::string ch = channel_zh(ob.items[k].channel);
                            add_unique(how, (ch.empty() ? "" : ch + " ") + deadline_zh(ob.items[k]));
                        }
                    e.label += (e.label.empty() ? "" : "\n") + cl + "：" + join(how, "、");
                }
                e.tooltip += (e.tooltip.empty() ? "" : "\n") + obligation_line(p, o, lang) + " — " + o.id + ": " +
                             (lang == language::zh && !o.text.empty() ? o.text : o.summary);
            }
        }
    }
    return c;
}

// ------------------------------------------------------------------------------------ lifecycle

std::vector<std::string> states_left(const lifecycle_table& t, const transition& r) {
    std::vector<std::string> out;
    for (const auto& f : r.from) {
        if (f == "*") {
            for (const auto& s : t.states)
                if (!s.final) add_unique(out, s.id);
        } else {
            add_unique(out, f);
        }
    }
    return out;
}

// Who may fire a row: "a or b" (English), "a或b" (Chinese).
std::string who(const std::vector<actor_pattern>& any, language lang) { return actors_text(any, lang); }

std::string row_label(const transition& r, language lang) {
    std::string head = r.event;
    std::vector<std::string> gs;
    for (const auto& g : r.guards) gs.push_back(guard_text(g, lang));
    if (!gs.empty()) head += " [" + join(gs, lang == language::zh ? "；" : "; ") + "]";
    if (!r.actions.empty()) head += " / " + join(r.actions, ", ");
    std::string s = head + (lang == language::zh ? "\n由 " : "\nby ") + who(r.by, lang);
    for (const auto& e : r.endorsements) s += "\n" + e.as + (lang == language::zh ? "：" : ": ") + who(e.any, lang);
    return s + "\n" + r.clause;
}

chart lifecycle_chart(const plan& p, language lang) {
    chart c{chart_kind::lifecycle, {}};
    const auto& t = *p.lifecycle;
    c.graph[boost::graph_bundle] = {"应急响应流程图 — " + p.info.name_zh, t.clause, "TB"};
    for (const auto& s : t.states) {
        const std::string kind = s.final ? "final" : s.id == t.initial ? "initial" : "state";
        add_node(c.graph, {s.id, s.name_zh + "\n" + s.id, s.clause, (s.clause.empty() ? t.clause : s.clause) + " — " + s.id, kind, {}, {}});
    }
    for (const auto& r : t.rows) {
        for (const auto& f : states_left(t, r)) {
            auto fv = c.find(f), tv = c.find(r.to.empty() ? f : r.to);
            if (!fv || !tv) continue;
            const bool zh = lang == language::zh;
            std::string tip = r.clause + (zh ? "（第 " + std::to_string(r.index) + " 行）" : " (row " + std::to_string(r.index) + ")");
            if (!r.text.empty()) tip += "\n" + r.text;
            if (!r.reading.empty()) tip += (zh ? "\n解读：" : "\nreading: ") + pick_language(r.reading, r.reading_zh, lang);
            if (*fv == *tv) {  // an internal event: its name in the state's label, the row in its tooltip
                auto& n = c.graph[*fv];
                n.rules.push_back(r.index);
                // A long list of who may fire it (a report any unit may record) is counted in the
                // line and listed in the tooltip.
                const std::string by = r.by.size() > 4 ? (zh ? std::to_string(r.by.size()) + " 个单位中任一" : "any of " + std::to_string(r.by.size()) + " units")
                                                       : who(r.by, lang);
                n.internal.push_back(r.event + (zh ? " · 由 " : " · by ") + by + " · " + r.clause);
                std::string row = row_label(r, lang);
                std::replace(row.begin(), row.end(), '\n', ' ');
                n.tooltip += "\n" + row;
                continue;
            }
            boost::add_edge(*fv, *tv, chart_edge{"transition", row_label(r, lang), r.clause, tip, {r.index}}, c.graph);
        }
    }
    // Each state's internal events by name, once each, a few to a line under a heading that
    // counts them: who may fire each and its clause are in the tooltip (a box of one line per row
    // made the chart too tall to read on a page).
    for (std::size_t v = 0; v < boost::num_vertices(c.graph); ++v) {
        auto& n = c.graph[v];
        if (n.rules.empty()) continue;
        std::vector<std::string> events;
        for (auto k : n.rules) add_unique(events, t.rows[k].event);
        const bool zh = lang == language::zh;
        n.label += zh ? "\n—— 状态内事件 " + std::to_string(events.size()) + " 项 ——"
                      : "\n—— " + std::to_string(events.size()) + " internal events ——";
        std::string line;
        for (std::size_t i = 0; i < events.size(); ++i) {
            const std::string item = events[i] + (i + 1 < events.size() ? (zh ? "、" : ", ") : "");
            if (!line.empty() && line.size() + item.size() > 48) {
                n.label += "\n" + line;
                line.clear();
            }
            line += item;
        }
        n.label += "\n" + line;
    }
    return c;
}

// ------------------------------------------------------------------------------------ DOT

/// A DOT double-quoted string: quotes and backslashes escaped, newlines as \n (centred lines).
std::string dot_string(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"' || ch == '\\') out += '\\', out += ch;
        else if (ch == '\n') out += "\\n";
        else if (ch == '\r') continue;
        else out += ch;
    }
    return out + "\"";
}

std::string node_style(const std::string& kind) {
    if (kind == "hq") return "shape=box, style=\"bold,filled\", fillcolor=\"#fde9c9\"";
    if (kind == "group") return "shape=box, style=\"rounded,filled\", fillcolor=\"#e6f0fa\"";
    if (kind == "superior") return "shape=box, style=dashed";
    if (kind == "government") return "shape=box, style=\"filled\", fillcolor=\"#f2f2f2\"";
    if (kind == "other") return "shape=ellipse";
    if (kind == "initial") return "shape=box, style=\"rounded,bold\"";
    if (kind == "final") return "shape=doubleoctagon";
    if (kind == "state") return "shape=box, style=rounded";
    return "shape=box";
}

std::string edge_style(const std::string& kind) {
    if (kind == "lead") return ", style=bold, color=\"#b05000\"";
    if (kind == "member") return ", color=\"#7f7f7f\"";
    return "";
}

}  // namespace

std::string_view to_string(chart_kind k) noexcept {
    switch (k) {
    case chart_kind::org: return "org";
    case chart_kind::reporting: return "reporting";
    case chart_kind::lifecycle: return "lifecycle";
    }
    return "?";
}

std::optional<chart_kind> parse_chart_kind(std::string_view s) noexcept {
    for (auto k : {chart_kind::org, chart_kind::reporting, chart_kind::lifecycle})
        if (to_string(k) == s) return k;
    return std::nullopt;
}

std::optional<std::size_t> chart::find(std::string_view id) const noexcept {
    for (std::size_t v = 0; v < boost::num_vertices(graph); ++v)
        if (graph[v].id == id) return v;
    return std::nullopt;
}

result<chart> build_chart(const plan& p, chart_kind k) { return build_chart(p, k, language::en); }

result<chart> build_chart(const plan& p, chart_kind k, language lang) {
    auto missing = [&](std::string section) {
        return error{errc::invalid_input,
                     {diagnostic::of(p.info.id, 0, 0, "/" + section, "chart.no_section",
                                     {{"section", section}, {"kind", std::string(to_string(k))}})}};
    };
    switch (k) {
    case chart_kind::org:
        if (!p.org) return missing("organisation");
        return org_chart(p, lang);
    case chart_kind::reporting:
        if (!p.obligations) return missing("obligations");
        return reporting_chart(p, lang);
    case chart_kind::lifecycle:
        if (!p.lifecycle) return missing("lifecycle");
        return lifecycle_chart(p, lang);
    }
    return missing("?");
}

namespace {

/// Names joined with "、", `per_line` to a line (a long list of units stays narrow).
std::string wrap_names(const std::vector<std::string>& names, std::size_t per_line) {
    std::string s;
    for (std::size_t i = 0; i < names.size(); ++i) s += (i == 0 ? "" : i % per_line == 0 ? "、\n" : "、") + names[i];
    return s;
}

/// Whether a line may not begin with the character at p (a pause or closing mark: Chinese
/// typesetting keeps it at the end of the line it follows, as English does its own).
bool no_line_start(std::string_view p) {
    static constexpr std::string_view marks[] = {"：", "、", "，", "。", "；", "）", "」", "』", "！", "？",
                                                 ":",  ",",  ".",  ";",  ")",  "!",  "?"};
    for (auto m : marks)
        if (p.substr(0, m.size()) == m) return true;
    return false;
}

/// Each line of `s` broken after `width` characters (a CJK character counts one), preferring a
/// break after "、", "，" or "：" within the last third: long names stay in a narrow box. A line
/// never begins with a mark no_line_start() names: the break then comes after it.
std::string wrap_lines(const std::string& s, std::size_t width) {
    std::string out;
    std::size_t col = 0, last_break = std::string::npos;
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char ch = static_cast<unsigned char>(s[i]);
        const std::size_t len = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC0 ? 2 : 1;
        const std::string cp = s.substr(i, len);
        i += len;
        out += cp;
        if (cp == "\n") {
            col = 0, last_break = std::string::npos;
            continue;
        }
        ++col;
        if (cp == "、" || cp == "，" || cp == "：") last_break = out.size();
        if (col >= width && i < s.size() && s[i] != '\n' && !no_line_start(std::string_view(s).substr(i))) {
            if (last_break != std::string::npos && last_break + 3 * (width / 3) >= out.size() && last_break < out.size()) {
                out.insert(last_break, "\n");
                col = 0;
                // the characters after the break start the new line
                for (std::size_t k = last_break + 1; k < out.size();) {
                    const unsigned char c2 = static_cast<unsigned char>(out[k]);
                    k += c2 >= 0xF0 ? 4 : c2 >= 0xE0 ? 3 : c2 >= 0xC0 ? 2 : 1;
                    ++col;
                }
            } else {
                out += "\n";
                col = 0;
            }
            last_break = std::string::npos;
        }
    }
    return out;
}

}  // namespace

std::string to_dot(const chart& c) {
    const auto& g = c.graph;
    const auto& info = g[boost::graph_bundle];
    const std::size_t n = boost::num_vertices(g);
    // Node ids: the plan's id when it is plain text, else n<index>.
    std::vector<std::string> ids(n);
    for (std::size_t v = 0; v < ids.size(); ++v) {
        const auto& id = g[v].id;
        ids[v] = (id.empty() || id.find_first_of("\"\\\n") != std::string::npos) ? "n" + std::to_string(v) : id;
    }
    // The organisation is drawn as its command tree: the `under` relations are arrows; who leads a
    // group and who takes part in it or in the HQ (`lead`, `member`) is written in that node's
    // label instead (the same unit serves in many groups: as arrows they cross in a tangle).
    // Units that no arrow reaches are set out in rows below the tree, so the chart stays narrow.
    std::vector<std::string> labels(n), tips(n);
    for (std::size_t v = 0; v < n; ++v) labels[v] = g[v].label, tips[v] = g[v].tooltip;
    auto folded = [&](boost::graph_traits<chart_graph>::edge_descriptor e) {
        return c.kind == chart_kind::org && (g[e].kind == "lead" || g[e].kind == "member");
    };
    std::vector<bool> on_arrow(n, false);
    if (c.kind == chart_kind::org) {
        for (std::size_t v = 0; v < n; ++v) {
            std::vector<std::string> leads;
            std::map<std::string, std::vector<std::string>> members;  // the plan's word → units
            for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
                const auto& d = g[*e];
                const auto& t = g[boost::target(*e, g)].id;
                if (d.kind == "lead") leads.push_back(t);
                else if (d.kind == "member") members[d.label].push_back(t);
                else continue;
                if (tips[v].find(d.clause) == std::string::npos) tips[v] += "\n" + d.clause;
            }
            if (!leads.empty()) labels[v] += "\n牵头：" + wrap_names(leads, 2);
            for (const auto& [word, units] : members) labels[v] += "\n" + word + "：" + wrap_names(units, 2);
        }
    }
    for (auto [e, end] = boost::edges(g); e != end; ++e)
        if (!folded(*e)) on_arrow[boost::source(*e, g)] = on_arrow[boost::target(*e, g)] = true;
    auto id_map = boost::make_iterator_property_map(ids.begin(), boost::get(boost::vertex_index, g));
    // Long unit names and report labels are wrapped; a lifecycle state's lines (its internal events,
    // one a line) and a transition's rows are already short lines and stay as they are.
    const bool wrap = c.kind != chart_kind::lifecycle;
    auto vw = [&](std::ostream& os, vertex v) {
        os << "[label=" << dot_string(wrap ? wrap_lines(labels[v], 12) : labels[v]) << ", tooltip=" << dot_string(tips[v]) << ", " << node_style(g[v].kind) << "]";
    };
    auto ew = [&](std::ostream& os, boost::graph_traits<chart_graph>::edge_descriptor e) {
        const auto& d = g[e];
        os << "[label=" << dot_string(wrap ? wrap_lines(d.label, 16) : d.label) << ", tooltip=" << dot_string(d.tooltip) << edge_style(d.kind) << "]";
    };
    auto gw = [&](std::ostream& os) {
        const std::string font = "\"Noto Sans CJK SC,WenQuanYi Micro Hei,Droid Sans Fallback,sans-serif\"";
        os << "label=" << dot_string(info.title + "\n" + info.clause) << ";\nlabelloc=t;\nrankdir=" << info.rankdir
           << ";\nfontname=" << font << ";\n"
           << "node [fontname=" << font << ", fontsize=11];\n"
           << "edge [fontname=" << font << ", fontsize=9];\n";
        if (c.kind != chart_kind::org) return;
        // Invisible edges only place nodes: the leaves under one node four to a row, and the units
        // no arrow reaches five to a row below the tree.
        auto invisible = [&](std::size_t a, std::size_t b) {
            os << dot_string(ids[a]) << " -> " << dot_string(ids[b]) << " [style=invis];\n";
        };
        auto is_leaf = [&](std::size_t v) {
            for (auto [e, end] = boost::out_edges(v, g); e != end; ++e)
                if (!folded(*e)) return false;
            return bool(on_arrow[v]);
        };
        std::optional<std::size_t> a_leaf;
        for (std::size_t v = 0; v < n; ++v) {
            std::vector<std::size_t> leaves;
            for (auto [e, end] = boost::out_edges(v, g); e != end; ++e)
                if (!folded(*e) && is_leaf(boost::target(*e, g))) leaves.push_back(boost::target(*e, g));
            for (std::size_t i = 0; i + 4 < leaves.size(); ++i) invisible(leaves[i], leaves[i + 4]);
            if (!leaves.empty()) a_leaf = leaves.back();
        }
        std::vector<std::size_t> loose;
        for (std::size_t v = 0; v < n; ++v)
            if (!on_arrow[v]) loose.push_back(v);
        for (std::size_t i = 0; i < loose.size(); ++i) {
            if (i + 5 < loose.size()) invisible(loose[i], loose[i + 5]);
            if (i < 5 && a_leaf) invisible(*a_leaf, loose[i]);
        }
    };
    struct keep_drawn {
        const decltype(folded)* f = nullptr;
        bool operator()(boost::graph_traits<chart_graph>::edge_descriptor e) const { return !(*f)(e); }
    };
    boost::filtered_graph<chart_graph, keep_drawn> drawn(g, keep_drawn{&folded});
    std::ostringstream os;
    boost::write_graphviz(os, drawn, vw, ew, gw, id_map);
    return os.str();
}

namespace {

// A node's or an edge's kind as the text form shows it: the kind itself in English.
std::string kind_word(const std::string& kind, language lang) {
    if (lang != language::zh) return kind;
    static const std::pair<std::string_view, std::string_view> words[] = {
        {"hq", "指挥部"},       {"group", "工作组"}, {"superior", "上级"},   {"government", "政府"},
        {"other", "其他"},      {"party", "报告方"}, {"initial", "初始状态"}, {"final", "终结状态"},
        {"state", "状态"},      {"under", "下级"},   {"lead", "牵头"},       {"member", "成员"},
        {"report", "报告"},     {"transition", "转换"}};
    for (const auto& [en, zh] : words)
        if (kind == en) return std::string(zh);
    return kind;
}

}  // namespace

std::string to_text(const chart& c) { return to_text(c, language::en); }

std::string to_text(const chart& c, language lang) {
    const auto& g = c.graph;
    const auto& info = g[boost::graph_bundle];
    auto one_line = [](std::string s) {
        std::replace(s.begin(), s.end(), '\n', ' ');
        return s;
    };
    std::string out = info.title + "  (" + info.clause + ")\n";
    for (std::size_t v = 0; v < boost::num_vertices(g); ++v) {
        const auto& n = g[v];
        // the label's lines up to a "——" line name the node (the lines after it name its internal
        // events, listed here one a row)
        std::string name = n.label;
        if (auto m = name.find("\n——"); m != std::string::npos) name.resize(m);
        out += "\n" + one_line(name) + "  [" + kind_word(n.kind, lang) + "]" + (n.clause.empty() ? "" : "  (" + n.clause + ")") + "\n";
        for (const auto& line : n.internal) out += "  ↺ " + line + "\n";
        for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
            const auto& d = g[*e];
            const auto& t = g[boost::target(*e, g)];
            // a short label (a word and a clause) on the arrow's line, a longer one indented below it
            const auto lines = std::count(d.label.begin(), d.label.end(), '\n') + 1;
            out += "  → " + one_line(t.label.substr(0, t.label.find("\n——"))) + "  (" + kind_word(d.kind, lang) + ")";
            if (lines <= 2) {
                std::string l = d.label;
                if (auto nl = l.find('\n'); nl != std::string::npos) l.replace(nl, 1, " · ");
                if (l.find(d.clause) == std::string::npos) l += (l.empty() ? "" : " · ") + d.clause;
                out += "  " + l + "\n";
            } else {
                out += "\n";
                for (std::size_t pos = 0; pos <= d.label.size();) {
                    auto nl = d.label.find('\n', pos);
                    if (nl == std::string::npos) nl = d.label.size();
                    out += "      " + d.label.substr(pos, nl - pos) + "\n";
                    pos = nl + 1;
                }
            }
        }
    }
    return out;
}

reporting_reach_result reporting_reach(const plan& p, const chart& c) {
    const auto& g = c.graph;
    const std::size_t n = boost::num_vertices(g);
    reporting_reach_result r;
    r.hops.assign(n, -1);
    if (p.obligations)
        for (const auto& o : p.obligations->items) {
            if (o.to.empty()) continue;  // the first obligation that reports to someone
            for (const auto& f : o.from)
                if (auto v = c.find(f)) r.sources.push_back(*v);
            break;
        }
    if (r.sources.empty()) {
        for (std::size_t v = 0; v < n; ++v) r.unreached.push_back(v);
        return r;
    }
    std::vector<vertex> pred(n);
    for (std::size_t v = 0; v < n; ++v) pred[v] = v;
    std::vector<boost::default_color_type> colour(n, boost::white_color);
    auto colours = boost::make_iterator_property_map(colour.begin(), boost::get(boost::vertex_index, g));
    auto hops = boost::make_iterator_property_map(r.hops.begin(), boost::get(boost::vertex_index, g));
    auto preds = boost::make_iterator_property_map(pred.begin(), boost::get(boost::vertex_index, g));
    for (auto s : r.sources) r.hops[s] = 0;
    boost::queue<vertex> q;
    boost::breadth_first_search(g, r.sources.begin(), r.sources.end(), q,
                                boost::make_bfs_visitor(std::make_pair(boost::record_distances(hops, boost::on_tree_edge()),
                                                                       boost::record_predecessors(preds, boost::on_tree_edge()))),
                                colours);
    int far = 0;
    for (std::size_t v = 0; v < n; ++v) {
        if (r.hops[v] < 0) r.unreached.push_back(v);
        far = std::max(far, r.hops[v]);
    }
    for (std::size_t v = 0; v < n && far > 0; ++v) {
        if (r.hops[v] != far) continue;
        std::vector<std::size_t> chain{v};
        for (vertex x = v; pred[x] != x; x = pred[x]) chain.push_back(pred[x]);
        std::reverse(chain.begin(), chain.end());
        r.highest.push_back(std::move(chain));
    }
    return r;
}

std::string to_string(const chart_finding& f) {
    return std::string(f.severity == chart_finding::level::error ? "error" : "warning") + ": " + f.pointer + ": " + f.message;
}

std::string to_string(const chart_finding& f, language lang) {
    if (lang == language::en || f.id.empty()) return to_string(f);
    return render_message(f.severity == chart_finding::level::error ? "chart.finding_error" : "chart.finding_warning",
                          {{"pointer", f.pointer}, {"what", render_message(f.id, f.args, lang)}}, lang);
}

std::vector<chart_finding> check_charts(const plan& p) {
    std::vector<chart_finding> out;
    using lv = chart_finding::level;
    auto add = [&out](lv severity, chart_kind kind, std::string pointer, std::string_view id, message_args args) {
        chart_finding f{severity, kind, std::move(pointer), render_message(id, args, language::en), std::string(id), {}};
        f.args = std::move(args);
        out.push_back(std::move(f));
    };
    if (p.lifecycle) {
        const auto& t = *p.lifecycle;
        const chart c = lifecycle_chart(p, language::en);
        const auto& g = c.graph;
        const std::size_t n = boost::num_vertices(g);
        auto reach_from = [n](const auto& graph, const std::vector<std::size_t>& starts) {
            std::vector<boost::default_color_type> colour(n, boost::white_color);
            auto cm = boost::make_iterator_property_map(colour.begin(), boost::get(boost::vertex_index, graph));
            boost::queue<std::size_t> q;
            if (!starts.empty()) boost::breadth_first_search(graph, starts.begin(), starts.end(), q, boost::default_bfs_visitor(), cm);
            std::vector<bool> seen(n);
            for (std::size_t v = 0; v < n; ++v) seen[v] = colour[v] != boost::white_color;
            return seen;
        };
        std::vector<std::size_t> init, finals;
        if (auto i = c.find(t.initial)) init.push_back(*i);
        for (std::size_t v = 0; v < n; ++v)
            if (g[v].kind == "final") finals.push_back(v);
        const auto reached = reach_from(g, init);
        const auto closes = reach_from(boost::make_reverse_graph(g), finals);
        if (finals.empty())
            add(lv::error, chart_kind::lifecycle, "/lifecycle/states", "chart.no_final_state", {});
        for (std::size_t v = 0; v < n; ++v) {
            const std::string ptr = "/lifecycle/states/" + std::to_string(v);
            if (!reached[v])
                add(lv::warning, chart_kind::lifecycle, ptr, "chart.unreached_state",
                    {{"state", g[v].id}, {"clause", g[v].clause}, {"initial", t.initial}});
            if (reached[v] && !closes[v] && !finals.empty())
                add(lv::error, chart_kind::lifecycle, ptr, "chart.trap_state", {{"state", g[v].id}, {"clause", g[v].clause}});
        }
        for (const auto& r : t.rows) {
            const bool any_live = std::any_of(r.from.begin(), r.from.end(), [&](const std::string& f) {
                const auto* s = t.find_state(f);
                return f == "*" || (s && !s->final);
            });
            if (!any_live)
                add(lv::warning, chart_kind::lifecycle, "/lifecycle/transitions/" + std::to_string(r.index), "chart.dead_row",
                    {{"row", std::to_string(r.index)}, {"event", r.event}, {"clause", r.clause}});
        }
    }
    if (p.org) {
        const chart c = org_chart(p, language::en);
        using ug = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
        ug under(boost::num_vertices(c.graph));
        for (auto [e, end] = boost::edges(c.graph); e != end; ++e)
            if (c.graph[*e].kind == "under") boost::add_edge(boost::source(*e, c.graph), boost::target(*e, c.graph), under);
        std::vector<int> comp(boost::num_vertices(under));
        const int k = boost::strong_components(under, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, under)));
        std::vector<std::vector<std::string>> groups(static_cast<std::size_t>(k));
        for (std::size_t v = 0; v < comp.size(); ++v) groups[static_cast<std::size_t>(comp[v])].push_back(c.graph[v].id);
        for (std::size_t v = 0; v < comp.size(); ++v) {
            auto& grp = groups[static_cast<std::size_t>(comp[v])];
            if (grp.size() > 1) {
                add(lv::warning, chart_kind::org, "/organisation/units/" + std::to_string(v) + "/under", "chart.circle",
                    {{"units", join(grp, ", ")}});
                grp.clear();  // once per circle
            }
        }
    }
    return out;
}

}  // namespace v0
}  // namespace vigil
