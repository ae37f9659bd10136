// vigil plan chart --kind org|reporting|lifecycle [--format dot|text] PLAN
#include "cli.hpp"
#include "lang.hpp"

#include <vigil/charts.hpp>

#include <iostream>

namespace vigil::cli {

namespace {

struct chart_args {
    std::string kind, format = "dot", plan;
};

std::string reach_text(const plan& p, const chart& c) {
    const auto& g = c.graph;
    const auto r = reporting_reach(p, c);
    std::string out(tr({"\nHow the reports climb (from the reporters of the plan's first obligation):\n",
                        "\n报告如何逐级上报（自预案第一项报告义务的报告方起）：\n"}));
    auto name = [&](std::size_t v) { return g[v].label; };
    for (const auto& chain : r.highest) {
        std::string s;
        for (std::size_t i = 0; i < chain.size(); ++i) {
            s += (i ? " → " : "  ") + name(chain[i]);
            if (i + 1 < chain.size()) {
                auto [e, ok] = boost::edge(chain[i], chain[i + 1], g);
                if (ok) s += std::string(tr({" (", "（"})) + g[e].clause + std::string(tr({")", "）"}));
            }
        }
        out += s + "\n";
    }
    if (r.highest.empty()) out += tr({"  (the first reporters report to no one the chart shows)\n", "  （第一报告方未向图中任何一方报告）\n"});
    if (!r.unreached.empty()) {
        out += tr({"Not reached from the first reporters:", "第一报告方的报告未达到："});
        for (auto v : r.unreached) out += std::string(tr({" ", ""})) + name(v) + std::string(tr({";", "；"}));
        out += "\n";
    }
    return out;
}

int run_chart(const chart_args& a) {
    const auto kind = parse_chart_kind(a.kind);
    if (!kind) {
        say("chart.bad_kind", {{"found", a.kind}});
        return exit_bad_usage;
    }
    auto p = open_plan(a.plan);
    if (!p) return status();
    auto c = build_chart(*p, *kind, current_lang());
    if (!c) {
        print_error(c.error());
        return exit_bad_input;
    }
    if (a.format == "dot") {
        std::cout << to_dot(*c);
    } else {
        std::cout << to_text(*c, current_lang());
        if (*kind == chart_kind::reporting) std::cout << reach_text(*p, *c);
    }
    for (const auto& f : check_charts(*p))
        if (f.kind == *kind) std::cerr << "vigil: " << a.plan << ": " << to_string(f, current_lang()) << '\n';
    return exit_ok;
}

}  // namespace

void register_plan_chart(CLI::App& plan) {
    auto args = std::make_shared<chart_args>();
    auto* chart = plan.add_subcommand("chart", "Draw a plan's chart from its rule data: the organisation (组织指挥架构图), "
                                               "the reporting lines (信息报告流程图) or the incident lifecycle (应急响应流程图).");
    chart->footer(
        "Every node and edge carries the clause behind it (in its label or tooltip). Graph checks of the\n"
        "chart (unreachable lifecycle states, states that can never be closed) are printed on stderr.\n"
        "The text form of the reporting chart ends with how the reports climb from the first reporters.\n\n"
        "Exit codes: 0 ok, 1 the plan is refused or has no section for this chart, 2 bad usage.\n\n"
        "Examples:\n"
        "  vigil plan chart --kind lifecycle yuzhong | dot -Tsvg > lifecycle.svg\n"
        "  vigil plan chart --kind reporting --format text guiyang");
    chart->add_option("--kind", args->kind, "org, reporting or lifecycle")->required()->check(CLI::IsMember({"org", "reporting", "lifecycle"}));
    chart->add_option("--out,--format", args->format, "output format: dot (Graphviz, the default) or text")->check(CLI::IsMember({"dot", "text"}));
    chart->add_option("PLAN", args->plan, "a built-in plan's id or a plan file")->required();
    chart->callback([args] { status() = run_chart(*args); });
}

}  // namespace vigil::cli
