// vigil plans | vigil plan check FILE | vigil plan show PLAN
#include "cli.hpp"
#include "lang.hpp"

#include <vigil/charts.hpp>
#include <vigil/diff.hpp>
#include <vigil/lint.hpp>
#include <vigil/notation.hpp>
#include <vigil/plan.hpp>

#include <iostream>

namespace vigil::cli {

namespace {

// "drug+device"; under --lang zh the products' Chinese labels ("药品+医疗器械")
std::string scope_text(const plan& p) {
    std::string s;
    for (auto x : p.info.scope) {
        const auto i = static_cast<std::size_t>(x);
        const bool zh = current_lang() == lang::zh && i < p.products.size() && !p.products[i].label_zh.empty();
        s += (s.empty() ? "" : "+") + (zh ? p.products[i].label_zh : std::string(p.product_id(x)));
    }
    return s;
}

// "counties", "prefectures": the areas a spread fact counts, in English
std::string areas_en(area_level l) {
    const std::string one(to_string(l));
    return l == area_level::county ? std::string("counties") : one + "s";
}

// "sum of deaths + critical_cases", "spread: counties within the prefecture, grade >= IV", "optional"
// (合计 / 扩散 / 可选 under --lang zh)
std::string fact_note(const plan& p, const fact_def& f) {
    const bool zh = current_lang() == lang::zh;
    std::string s;
    if (f.kind == fact_kind::sum) {
        s = zh ? "合计：" : "sum of ";
        for (std::size_t i = 0; i < f.sum.size(); ++i) s += (i ? " + " : "") + p.facts[f.sum[i]].name;
    }
    if (f.spread) {
        if (zh)
            s = "扩散：" + (f.spread->within ? "同一" + std::string(area_level_text(*f.spread->within)) + "区域内" : std::string("全国")) +
                "等级不低于 " + std::string(to_string(f.spread->at_least)) + " 的" + std::string(area_level_text(f.spread->counted)) +
                "地区数";
        else
            s = "spread: " + areas_en(f.spread->counted) + " within " +
                (f.spread->within ? "the " + std::string(to_string(*f.spread->within)) : std::string("the country")) +
                ", grade >= " + std::string(to_string(f.spread->at_least));
    }
    if (f.optional) s += s.empty() ? std::string(tr({"optional", "可选"})) : std::string(tr({"; optional", "；可选"}));
    return s;
}

// A plan's level ("county") in this run's language; a level that is no administrative level as written.
std::string level_text(const std::string& level) {
    auto l = parse_area_level(level);
    return l ? std::string(area_level_text(*l)) : level;
}

int run_plans() {
    std::vector<std::vector<std::string>> rows{{std::string(tr({"id", "编号"})), std::string(tr({"level", "层级"})),
                                                std::string(tr({"scope", "适用范围"})), std::string(tr({"criteria", "分级标准数"})),
                                                std::string(tr({"name", "名称"}))}};
    for (const auto& id : builtin_plan_names()) {
        auto p = builtin_plan(id);
        if (!p) {
            print_error(p.error());
            return exit_bad_input;
        }
        const auto& info = (*p)->info;
        rows.push_back({info.id, current_lang() == lang::zh ? level_text(info.level) : info.level, scope_text(**p), std::to_string((*p)->criteria.size()), info.name_zh});
    }
    print_table(std::cout, rows);
    return exit_ok;
}

int run_check(const std::vector<std::string>& files) {
    int rc = exit_ok;
    for (const auto& f : files) {
        auto p = load_plan_file(f);
        if (!p) {
            print_error(p.error());
            say("plan.refused", {{"file", f}, {"n", std::to_string(p.error().diagnostics.size())}});
            rc = exit_bad_input;
            continue;
        }
        // Graph checks of the plan's charts (vigil/charts.hpp): an error is a lifecycle state an
        // incident can enter but never leave for a final state.
        std::size_t errors = 0;
        for (const auto& finding : check_charts(**p)) {
            std::cerr << "vigil: " << f << ": " << to_string(finding, current_lang()) << '\n';
            errors += finding.severity == chart_finding::level::error;
        }
        if (errors) {
            say("plan.chart_errors", {{"file", f}, {"n", std::to_string(errors)}});
            rc = exit_bad_input;
            continue;
        }
        std::cout << said("plan.check_ok", {{"file", f}, {"plan", (*p)->info.id}, {"n", std::to_string((*p)->criteria.size())}}) << '\n';
    }
    return rc;
}

int run_show(const std::string& name) {
    auto p = open_plan(name);
    if (!p) return status();
    const auto& info = p->info;
    std::cout << info.id << "  " << info.name_zh << '\n';
    if (!info.name_en.empty() && current_lang() == lang::en) std::cout << "  " << info.name_en << '\n';
    if (current_lang() == lang::zh) {
        std::cout << "  发布机关 " << info.issuer << "，层级 " << level_text(info.level) << "，适用范围 " << scope_text(*p) << "（"
                  << info.scope_clause << "）";
        if (!info.effective.empty()) std::cout << "，生效日期 " << info.effective;
    } else {
        std::cout << "  issued by " << info.issuer << ", level " << info.level << ", scope " << scope_text(*p) << " ("
                  << info.scope_clause << ")";
        if (!info.effective.empty()) std::cout << ", effective " << info.effective;
    }
    std::cout << tr({"\n\nfacts (the columns of an input, by name or 中文):\n", "\n\n事实（输入的列，可用英文名或中文名）：\n"});
    std::vector<std::vector<std::string>> facts{
        {std::string(tr({"fact", "事实"})), std::string(tr({"kind", "类别"})), "中文", "English", ""}};
    for (const auto& f : p->facts)
        facts.push_back({f.name, std::string(fact_kind_text(f.kind)), f.label_zh, f.label_en, fact_note(*p, f)});
    print_table(std::cout, facts);
    std::cout << tr({"\nproducts:", "\n产品："});
    for (std::size_t i = 0; i < p->products.size(); ++i)
        std::cout << (i ? tr({", ", "，"}) : tr({" ", ""})) << p->products[i].id << " " << p->products[i].label_zh
                  << (p->covers(static_cast<product>(i)) ? "" : tr({" (out of scope)", "（不在适用范围内）"}));
    std::cout << "\n\n";
    if (p->criteria.empty())
        std::cout << tr({"no grading table: every incident is graded none\n", "无分级标准：所有事件均不定级\n"});
    for (const auto& c : p->criteria) {
        std::cout << pad(to_string(c.grade), 4) << ' ' << pad(p->grade_names_zh[static_cast<int>(c.grade)], 8) << ' '
                  << c.clause << '\n';
        if (c.expert) std::cout << tr({"      expert determination (record it as an override)\n", "      专家研判（以人工认定记录）\n"});
        for (const auto& alt : c.any) {
            std::cout << "      " << conditions_text(alt, current_lang(), p.get()) << '\n';
        }
        std::cout << "      " << c.text << '\n';
        if (!c.reading.empty() || !c.reading_zh.empty())
            std::cout << tr({"      reading: ", "      解读："}) << pick_language(c.reading, c.reading_zh, current_lang()) << '\n';
    }
    return exit_ok;
}

// A lint finding's kind in this run's language.
std::string kind_text(const std::string& kind) {
    static constexpr std::pair<std::string_view, std::string_view> ids[] = {{"gap", "lint.kind_gap"},
                                                                            {"overlap", "lint.kind_overlap"},
                                                                            {"unread", "lint.kind_unread"},
                                                                            {"unreachable", "lint.kind_unreachable"},
                                                                            {"disagree", "lint.kind_disagree"}};
    for (const auto& [k, id] : ids)
        if (k == kind) return said(id);
    return kind;
}

int run_lint(const std::string& name, const std::string& format) {
    auto p = open_plan(name);
    if (!p) return status();
    const auto findings = lint(*p);
    if (format == "json") {
        std::cout << to_json(findings) << '\n';
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows{{std::string(tr({"kind", "类别"})), std::string(tr({"clauses", "条款"})),
                                                std::string(tr({"facts", "事实"})), std::string(tr({"finding", "发现"}))}};
    auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : "; ") + x;
        return s;
    };
    for (const auto& f : findings)
        rows.push_back({kind_text(f.kind), join(f.clauses), join(f.facts),
                        f.id.empty() ? f.message : said(f.id, f.args)});
    print_table(std::cout, rows);
    std::cout << said("lint.summary", {{"plan", p->info.id}, {"n", std::to_string(findings.size())}}) << '\n';
    return exit_ok;
}

// A word of the plan diff table (a section, a change or a field: vigil/diff.hpp) in Chinese; the
// JSONL form keeps the English words. A word not listed is shown as it is.
std::string diff_word_zh(const std::string& w) {
    static const std::pair<std::string_view, std::string_view> words[] = {
        {"plan", "预案"}, {"facts", "事实"}, {"products", "产品"}, {"scope", "适用范围"}, {"grading", "分级"},
        {"warnings", "预警"}, {"responses", "响应"}, {"obligations", "报告义务"},
        {"added", "新增"}, {"removed", "删除"}, {"changed", "变更"},
        {"id", "编号"}, {"name", "名称"}, {"issuer", "发布机关"}, {"level", "级别"}, {"effective", "生效日期"},
        {"version", "版本"}, {"kind", "类别"}, {"label", "中文名"}, {"label_en", "英文名"}, {"sum", "合计"},
        {"spread", "扩散"}, {"optional", "可选"}, {"fact", "事实"}, {"product", "产品"}, {"bounds", "界限"},
        {"grade", "等级"}, {"text", "原文"}, {"reading", "解读"}, {"reading_zh", "中文解读"}, {"criterion", "分级标准"}, {"conditions", "条件"},
        {"colour", "颜色"}, {"effect", "效果"}, {"rule", "规则"}, {"issued by", "发布"}, {"approved by", "批准"},
        {"started by", "启动"}, {"deadline", "时限"}, {"from", "报告方"}, {"to", "接收方"}, {"channel", "方式"},
        {"when", "适用条件"}, {"anchor", "起算事件"}, {"until", "截止事件"}, {"restart", "重新起算"},
        {"fulfilled by", "履行事件"}, {"obligation", "报告义务"}};
    for (const auto& [en, zh] : words)
        if (w == en) return std::string(zh);
    if (w.rfind("name of grade ", 0) == 0) return w.substr(14) + " 级名称";
    return w;
}

int run_diff(const std::string& name_a, const std::string& name_b, const std::string& format) {
    auto a = open_plan(name_a);
    if (!a) return status();
    auto b = open_plan(name_b);
    if (!b) return status();
    // JSON Lines keeps the English words; a table's values follow --lang (the same rows)
    const auto rows = format == "jsonl" ? diff(*a, *b) : diff(*a, *b, current_lang());
    if (format == "jsonl") {
        for (const auto& d : rows) std::cout << to_json(d) << '\n';
    } else {
        const bool zh = current_lang() == lang::zh;
        auto side = [zh](const std::string& item_en, const std::string& clause) {
            const std::string item = zh && item_en == "scope" ? diff_word_zh(item_en) : item_en;
            return clause.empty() || clause == item_en ? item : item + (zh ? "（" + clause + "）" : " (" + clause + ")");
        };
        std::vector<std::vector<std::string>> table{{std::string(tr({"section", "部分"})), std::string(tr({"change", "变化"})),
                                                     std::string(tr({"what", "内容"})), std::string(tr({"in A", "A 中"})), "A",
                                                     std::string(tr({"in B", "B 中"})), "B"}};
        for (const auto& d : rows)
            table.push_back({zh ? diff_word_zh(d.section) : d.section, zh ? diff_word_zh(d.change) : d.change,
                             zh ? diff_word_zh(d.what) : d.what, side(d.item_a, d.clause_a), d.a, side(d.item_b, d.clause_b), d.b});
        if (!rows.empty()) print_table(std::cout, table);
        std::cout << said("plan.diff_summary", {{"a", a->info.id}, {"b", b->info.id}, {"n", std::to_string(rows.size())}}) << '\n';
    }
    return rows.empty() ? exit_ok : exit_found;
}

}  // namespace

void register_plans(CLI::App& app) {
    auto* plans = app.add_subcommand("plans", "List the built-in plans.");
    plans->footer("Example:\n  vigil plans");
    plans->callback([] { status() = run_plans(); });

    auto* plan = app.add_subcommand("plan", "Check, show, lint, compare or chart a plan.");
    plan->footer("Examples:\n  vigil plan check my-plan.json\n  vigil plan show yuzhong\n  vigil plan chart --kind org yuzhong");
    plan->require_subcommand(1);

    auto files = std::make_shared<std::vector<std::string>>();
    auto* check = plan->add_subcommand("check", "Validate plan files; every problem is listed with its JSON pointer.");
    check->footer("Also checks the plan's charts (vigil plan chart): a lifecycle state no row reaches from the\n"
                  "initial state is a warning; a state an incident can enter but never leave for a final state\n"
                  "is an error.\n\nExit codes: 0 every file is a valid plan, 1 a file is refused or has errors.\n\nExample:\n  vigil plan check data/plans/yuzhong.json");
    check->add_option("FILE", *files, "plan file(s) (JSON)")->required();
    check->callback([files] { status() = run_check(*files); });

    auto name = std::make_shared<std::string>();
    auto* show = plan->add_subcommand("show", "Print a plan's facts, products and grading criteria: clause, bounds, text, reading.");
    show->footer("Example:\n  vigil plan show guiyang");
    show->add_option("PLAN", *name, "a built-in plan's id or a plan file")->required();
    show->callback([name] { status() = run_show(*name); });

    auto lint_name = std::make_shared<std::string>();
    auto lint_format = std::make_shared<std::string>("table");
    auto* lint_cmd = plan->add_subcommand("lint", "Findings about a plan's tables: gaps, overlaps, facts never read, grades no input reaches, warnings that disagree with the grading.");
    lint_cmd->footer("Each finding names its clauses and facts; none is an error (exit 0).\n\nExamples:\n  vigil plan lint guiyang\n  vigil plan lint --format json my-plan.json");
    lint_cmd->add_option("PLAN", *lint_name, "a built-in plan's id or a plan file")->required();
    lint_cmd->add_option("--out,--format", *lint_format, "output format (--format: the same)")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
    lint_cmd->callback([lint_name, lint_format] { status() = run_lint(*lint_name, *lint_format); });

    auto diff_a = std::make_shared<std::string>();
    auto diff_b = std::make_shared<std::string>();
    auto diff_format = std::make_shared<std::string>("table");
    auto* diff_cmd = plan->add_subcommand("diff", "What differs between two plans, clause by clause: facts, products, grading criteria, warnings, responses, obligations.");
    diff_cmd->footer(
        "Items are paired by their id (fact name, product id, clause id, obligation id) when both plans\n"
        "have it; the other criteria by grade and order within the grade, the other warning and response\n"
        "rules by colour or effect and order, the other obligations by anchor, channel and condition.\n"
        "Each row names the item and its clause in A and in B and the value on each side.\n\n"
        "Exit codes: 0 the plans say the same, 4 they differ, 1 a plan file is refused, 2 bad usage\n"
        "or an unknown plan id.\n\n"
        "Examples:\n  vigil plan diff yuzhong guiyang\n  vigil plan diff --out jsonl data/plans/guiyang.json my-guiyang.json");
    diff_cmd->add_option("A", *diff_a, "a built-in plan's id or a plan file")->required();
    diff_cmd->add_option("B", *diff_b, "a built-in plan's id or a plan file")->required();
    diff_cmd->add_option("--out", *diff_format, "output format")->check(CLI::IsMember({"table", "jsonl"}))->capture_default_str();
    diff_cmd->callback([diff_a, diff_b, diff_format] { status() = run_diff(*diff_a, *diff_b, *diff_format); });

    register_plan_chart(*plan);
}

}  // namespace vigil::cli
