// vigil/charts.hpp — a plan's charts, drawn from its rule data: the organisation (组织指挥架构图),
// the reporting lines (信息报告流程图) and the incident lifecycle (应急响应流程图).
//
// Each chart is a Boost.Graph adjacency_list whose nodes and edges carry their labels and the
// clauses behind them, built from the plan's sections "organisation", "obligations" and
// "lifecycle" — so that the picture and the rules cannot disagree. to_dot() writes Graphviz DOT
// (boost::write_graphviz, UTF-8), to_text() a terminal form. check_charts() runs graph
// algorithms over them: lifecycle states reachable from the initial state, a final state
// reachable from every state; reporting_reach() follows the reports from the first reporters up.
// Thread rule: pure functions of an immutable plan.
#pragma once

#include <vigil/error.hpp>
#include <vigil/plan.hpp>

#include <boost/graph/adjacency_list.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {

enum class chart_kind : std::uint8_t {
    org,        ///< units: HQ → working groups → lead and member units ("organisation")
    reporting,  ///< parties: who reports to whom, channel, deadline, clause ("obligations")
    lifecycle,  ///< states and transitions: event, guards, who may fire it ("lifecycle")
};
std::string_view to_string(chart_kind k) noexcept;
std::optional<chart_kind> parse_chart_kind(std::string_view s) noexcept;

/// A node: a unit, a reporting party or a lifecycle state.
struct chart_node {
    std::string id;       ///< its id in the plan data
    std::string label;    ///< what the picture shows; lines separated by '\n'
    std::string clause;   ///< the clause(s) naming it
    std::string tooltip;  ///< more text (duty, English name …); the clause is always in it
    std::string kind;     ///< org: the unit's kind; reporting: "party"; lifecycle: "initial", "final", "state"
    std::vector<std::size_t> rules;  ///< lifecycle: the rows that leave the state as it is (its internal
                                     ///< events, named in its label rather than drawn as loops)
    std::vector<std::string> internal;  ///< lifecycle: one line per row of `rules`: "event · by … · clause"
                                        ///< (the text form lists them; the label names the events only)
};

/// An edge, with every clause behind it.
struct chart_edge {
    std::string kind;     ///< org: "under", "lead", "member"; reporting: "report"; lifecycle: "transition"
    std::string label;    ///< lines separated by '\n'; carries the clause(s), except org edges (the
                          ///< plan's word only; the clause is in `clause` and the tooltip)
    std::string clause;   ///< the clause(s), "; "-separated
    std::string tooltip;
    std::vector<std::size_t> rules;  ///< reporting: indexes into obligations.items; lifecycle: the row index
};

struct chart_info {
    std::string title;    ///< "组织指挥架构图 — <plan name>"
    std::string clause;   ///< the section's clause
    std::string rankdir;  ///< Graphviz layout direction: "TB", "BT" …
};

using chart_graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, chart_node, chart_edge, chart_info>;

struct chart {
    chart_kind kind = chart_kind::org;
    chart_graph graph;

    /// The node with this data id.
    std::optional<std::size_t> find(std::string_view id) const noexcept;
};

/// Build a chart from a loaded plan. errc::invalid_input when the plan has no section to draw
/// it from.
///  - org: every unit of "organisation" is a node; edges: `under` (superior → unit, the plan's word
///    for it), `lead` (group → lead unit, "牵头"), `members` (HQ or group → member, the plan's word).
///  - reporting: every party of "obligations" is a node; one edge per (reporter, recipient) pair,
///    one label line per obligation between them (channel, deadline, condition, clause).
///    Obligations without recipients (plan evaluation, drills) draw no edge.
///  - lifecycle: every state is a node; one edge per row and state it leaves for another state
///    ("*": every state that is not final); a row that leaves the state as it is (no `to`, or
///    `to` the same state) is an internal event of the state, listed in its label.
result<chart> build_chart(const plan& p, chart_kind k);
/// The same with the words the engine adds to labels and tooltips in `lang` ("by" / "由", "row" /
/// "第 … 行", "reading" / "解读", "or" / "或"); the plan's own words are as the plan gives them.
result<chart> build_chart(const plan& p, chart_kind k, language lang);

/// Graphviz DOT, written by boost::write_graphviz: every node and edge has a label and a tooltip
/// holding its clause(s).
std::string to_dot(const chart& c);
/// The chart for a terminal: each node with its clause, each edge under the node it leaves.
std::string to_text(const chart& c);
/// The same with the kinds of nodes and edges ([state], (transition) …) in `lang`.
std::string to_text(const chart& c, language lang);

/// How the reports climb: breadth-first from the first reporters (the reporters of the plan's
/// first obligation, where information enters), the fewest hand-overs to every party reached.
struct reporting_reach_result {
    std::vector<std::size_t> sources;       ///< the first reporters (nodes)
    std::vector<int> hops;                  ///< per node: hand-overs from the nearest source; -1: not reached
    std::vector<std::vector<std::size_t>> highest;  ///< chains (source … recipient) to each farthest recipient
    std::vector<std::size_t> unreached;     ///< parties the first reporters' reports never reach
};
/// `c` must be the reporting chart of `p`.
reporting_reach_result reporting_reach(const plan& p, const chart& c);

/// A finding of check_charts.
struct chart_finding {
    enum class level : std::uint8_t { warning, error };
    level severity = level::warning;
    chart_kind kind = chart_kind::lifecycle;
    std::string pointer;  ///< JSON pointer into the plan
    std::string message;  ///< English
    std::string id;       ///< its catalogue id (vigil/messages.hpp) and arguments, to render it in Chinese
    message_args args;
};
std::string to_string(const chart_finding& f);  ///< "error: /lifecycle/states/3: …"
/// The same in `lang` ("错误：/lifecycle/states/3：…" in Chinese).
std::string to_string(const chart_finding& f, language lang);

/// Graph checks of a plan's charts:
///  - error: a state reachable from the initial state from which no final state can be reached
///    (an incident that enters it can never be closed), or a lifecycle without a final state;
///  - warning: a state no row can reach from the initial state (the engine never enters it);
///  - warning: a row leaving only final states (an incident in a final state refuses every event);
///  - warning: a unit whose `under` relations go round in a circle (organisation).
/// Reachability is structural: a row counts whatever its guards (which may never hold together).
std::vector<chart_finding> check_charts(const plan& p);

}  // namespace v0
}  // namespace vigil
