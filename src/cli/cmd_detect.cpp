// vigil detect --plan P [--in csv|jsonl] [--out jsonl|csv|table] [--strict] [--all] REPORTS
#include "cli.hpp"
#include "lang.hpp"

#include <vigil/notation.hpp>
#include "io.hpp"

#include <vigil/detail/read_file.hpp>
#include <vigil/detect.hpp>


#include <algorithm>
#include <array>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <iostream>

namespace vigil::cli {

namespace {

struct detect_cli_options {
    std::string plan;
    std::string in_format;
    std::string out_format = "jsonl";
    bool strict = false;
    bool all = false;
    std::vector<std::string> files;
    std::vector<std::string> ignored;
    std::vector<std::string> levels;  // --level: only clusters of these levels
    int max_delay_days = 90;          // watch: how late a report may be received after its onset
    std::size_t max_reports = 20000000;  // detect: the archive is held whole; refused past this
    std::string product_kind;          // --product-kind: the product of every E2B report (default drug)
};

// --product-kind names one of the plan's products; exit_ok, or the status after saying what is wrong.
int check_product_kind(const plan& p, const detect_cli_options& opt) {
    if (opt.product_kind.empty() || p.find_product_named(opt.product_kind)) return exit_ok;
    say("detect.product_kind_unknown", {{"found", opt.product_kind.substr(0, 32)}, {"products", p.product_ids_arg()}});
    return exit_bad_usage;
}

// --product-kind is for E2B input (its rows carry no product_kind of their own).
int check_product_kind_input(const detect_cli_options& opt, const std::string& format, const std::string& source) {
    if (opt.product_kind.empty() || format == "e2b") return exit_ok;
    say("detect.product_kind_not_e2b", {{"file", source}, {"format", format}});
    return exit_bad_usage;
}

// The columns of a case report. Required ones first.
constexpr std::string_view required_columns[] = {
    "report_id", "patient_id", "product_kind", "product_id", "product_name", "batch", "onset_time", "received_time",
    "area_code", "rare", "death", "life_threatening", "disability", "organ_damage", "hospitalisation",
    "congenital_anomaly", "other_serious"};
constexpr std::string_view optional_columns[] = {"maker", "dosage_form", "strength"};

bool is_column(std::string_view n) {
    for (auto c : required_columns)
        if (c == n) return true;
    for (auto c : optional_columns)
        if (c == n) return true;
    return false;
}

std::string column_list() {
    std::string s;
    for (auto c : required_columns) s += std::string(c) + ", ";
    s += "and optionally maker, dosage_form, strength";
    return s;
}

diagnostic at(const std::string& source, const row& r, const row::cell* c, std::string_view id, message_args args = {}) {
    // an E2B cell names its element after the field (row::cell::where)
    const std::string pointer = !c ? std::string() : c->where.empty() ? c->name : c->name + " [" + c->where + "]";
    return diagnostic::of(source, static_cast<int>(r.line), c ? static_cast<int>(c->column) : 0, pointer, id, std::move(args));
}

// The first diagnostic of `e` (a field's own error), placed at the row's cell.
diagnostic at(const std::string& source, const row& r, const row::cell* c, const error& e) {
    diagnostic d = e.diagnostics.empty() ? diagnostic{} : e.diagnostics.front();
    if (d.message.empty()) d.message = e.message();
    d.source = source;
    d.line = static_cast<int>(r.line);
    if (c) {
        d.column = static_cast<int>(c->column);
        d.pointer = c->where.empty() ? c->name : c->name + " [" + c->where + "]";
    } else {
        d.column = 0;
        d.pointer.clear();
    }
    return d;
}

// The fields a row is read for: the required columns and the optional ones.
constexpr std::size_t field_count = std::size(required_columns) + std::size(optional_columns);
constexpr std::string_view field_name(std::size_t k) {
    return k < std::size(required_columns) ? required_columns[k] : optional_columns[k - std::size(required_columns)];
}
constexpr std::size_t field_of(std::string_view name) {
    for (std::size_t k = 0; k < field_count; ++k)
        if (field_name(k) == name) return k;
    return field_count;
}

// Where each field is among a row's cells, and which cells are ignored or unknown: found for one
// row and kept while the rows that follow have cells of the same names in the same order (a CSV
// file's rows: the same columns, less the blank ones), so a row's names are not looked up again.
struct cell_index {
    bool by_column = false;           // CSV: a cell's column number names it
    std::vector<std::string> names;   // the cells' names of the row it was found for
    std::vector<std::size_t> columns;
    std::vector<std::uint8_t> ignored;
    std::size_t first_unknown = 0;    // the first cell (not ignored) of no known column; cells.size() if none
    std::array<int, field_count> at{};  // field -> its first cell; -1: absent

    void update(const row& r, const std::vector<std::string>& ignored_names) {
        bool same = names.size() == r.cells.size();
        for (std::size_t i = 0; same && i < r.cells.size(); ++i) {
            const auto& c = r.cells[i];
            same = by_column && c.column != 0 ? c.column == columns[i] : c.name == names[i];
        }
        if (same) return;
        names.clear();
        columns.clear();
        ignored.clear();
        first_unknown = r.cells.size();
        for (std::size_t i = 0; i < r.cells.size(); ++i) {
            const auto& c = r.cells[i];
            names.push_back(c.name);
            columns.push_back(c.column);
            ignored.push_back(std::find(ignored_names.begin(), ignored_names.end(), c.name) != ignored_names.end());
            if (!ignored.back() && first_unknown == r.cells.size() && !is_column(c.name)) first_unknown = i;
        }
        for (std::size_t k = 0; k < field_count; ++k) {
            const row::cell* c = r.find(field_name(k));
            at[k] = c ? static_cast<int>(c - r.cells.data()) : -1;
        }
    }
    /// The cell of field k (field_of), as r.find(field_name(k)).
    const row::cell* find(const row& r, std::size_t k) const { return at[k] < 0 ? nullptr : &r.cells[static_cast<std::size_t>(at[k])]; }
};

// Each report_flag's field.
constexpr std::array<std::size_t, report_flag_count> flag_field = {
    field_of("death"),           field_of("life_threatening"), field_of("disability"),    field_of("organ_damage"),
    field_of("hospitalisation"), field_of("congenital_anomaly"), field_of("other_serious"), field_of("rare")};

// One row's fields (views into the row), or what is wrong with it. `ix`: the row's cell index
// (cell_index::update made for it).
result<report_columns::fields> to_fields(const plan& p, const row& r, const std::string& source, const cell_index& ix) {
    report_columns::fields out;
    for (std::size_t i = 0; i < r.cells.size(); ++i) {
        const auto& c = r.cells[i];
        if (ix.ignored[i]) continue;
        if (i == ix.first_unknown)
            return error{errc::invalid_input, {at(source, r, &c, "detect.unknown_field", {{"field", c.name}, {"known", column_list()}})}};
        if (c.kind == row::cell::null) return error{errc::invalid_input, {at(source, r, &c, "detect.null")}};
    }
    auto text = [&](std::size_t field, bool required, std::string_view& into) -> result<void> {
        const std::string_view name = field_name(field);
        const row::cell* c = ix.find(r, field);
        if (!c) {
            if (!required) return {};
            return error{errc::invalid_input, {at(source, r, nullptr, "detect.missing_field", {{"field", std::string(name)}})}};
        }
        if (required && c->text.empty())
            return error{errc::invalid_input, {at(source, r, c, "detect.expected_nonempty", {{"field", std::string(name)}})}};
        into = c->text;
        return {};
    };
    std::string_view kind, onset, received, area;
    for (auto [field, into] : {std::pair<std::size_t, std::string_view*>{field_of("report_id"), &out.report_id},
                               {field_of("patient_id"), &out.patient_id},
                               {field_of("product_kind"), &kind},
                               {field_of("product_id"), &out.product_id},
                               {field_of("product_name"), &out.product_name},
                               {field_of("batch"), &out.batch},
                               {field_of("onset_time"), &onset},
                               {field_of("received_time"), &received},
                               {field_of("area_code"), &area}})
        if (auto t = text(field, true, *into); !t) return t.error();
    for (auto [field, into] : {std::pair<std::size_t, std::string_view*>{field_of("maker"), &out.maker},
                               {field_of("dosage_form"), &out.dosage_form},
                               {field_of("strength"), &out.strength}})
        if (auto t = text(field, false, *into); !t) return t.error();
    auto prod = p.find_product_named(kind);
    if (!prod)
        return error{errc::invalid_input,
                     {at(source, r, r.find("product_kind"), "input.expected_product", {{"products", p.product_ids_arg()}, {"found", std::string(kind.substr(0, 32))}})}};
    out.product_kind = *prod;
    auto on = parse_instant(onset);
    if (!on) return error{errc::invalid_input, {at(source, r, r.find("onset_time"), on.error())}};
    auto rc = parse_instant(received);
    if (!rc) return error{errc::invalid_input, {at(source, r, r.find("received_time"), rc.error())}};
    if (*rc < *on)
        return error{errc::invalid_input,
                     {at(source, r, r.find("received_time"), "detect.received_before_onset", {{"received", std::string(received)}, {"onset", std::string(onset)}})}};
    out.onset = unix_seconds(*on);  // parse_instant reads to the second
    out.received = unix_seconds(*rc);
    auto a = parse_area_code(area);
    if (!a) return error{errc::invalid_input, {at(source, r, r.find("area_code"), a.error())}};
    out.area = *a;
    for (int f = 0; f < report_flag_count; ++f) {
        const auto name = to_string(static_cast<report_flag>(f));
        const row::cell* c = ix.find(r, flag_field[f]);
        if (!c) return error{errc::invalid_input, {at(source, r, nullptr, "detect.missing_flag", {{"field", std::string(name)}})}};
        bool v;
        if (c->text == "true" || c->text == "1") v = true;
        else if (c->text == "false" || c->text == "0") v = false;
        else return error{errc::invalid_input, {at(source, r, c, "detect.expected_flag", {{"found", c->text.substr(0, 32)}})}};
        if (v) out.flags = static_cast<std::uint16_t>(out.flags | 1u << f);
    }
    return out;
}

// The fields as a case report (vigil watch's detector takes them one at a time).
case_report to_report(const report_columns::fields& f) {
    static const instant epoch = instant(date(1970, 1, 1));
    case_report r;
    r.report_id = f.report_id;
    r.patient_id = f.patient_id;
    r.product_kind = f.product_kind;
    r.product_id = f.product_id;
    r.product_name = f.product_name;
    r.batch = f.batch;
    r.maker = f.maker;
    r.dosage_form = f.dosage_form;
    r.strength = f.strength;
    r.onset = epoch + boost::posix_time::seconds(f.onset);
    r.received = epoch + boost::posix_time::seconds(f.received);
    r.area = f.area;
    r.flags = f.flags;
    return r;
}

struct read_outcome {
    std::size_t skipped = 0;
    bool refused = false;  // --strict and a malformed record, or a bad header
};

read_outcome read_reports(const plan& p, std::istream& in, const std::string& format, const std::string& source,
                          const detect_cli_options& opt, const std::function<void(const report_columns::fields&)>& sink) {
    read_outcome o;
    auto reader = make_reader(in, format, source, opt.product_kind.empty() ? "drug" : opt.product_kind);
    bool header_checked = false;
    row cur;  // one row's cells, reused
    cell_index ix;
    for (;;) {
        auto r = reader->next_into(cur);
        if (!header_checked && reader->columns()) {
            header_checked = true;
            std::vector<std::string> missing;
            for (auto c : required_columns)
                if (std::find(reader->columns()->begin(), reader->columns()->end(), c) == reader->columns()->end()) missing.emplace_back(c);
            for (const auto& h : *reader->columns())
                if (!is_column(h) && std::find(opt.ignored.begin(), opt.ignored.end(), h) == opt.ignored.end()) {
                    print_error(error{errc::invalid_input, {diagnostic::of(source, static_cast<int>(reader->header_line()), 0, h,
                                                                           "detect.unknown_column", {{"column", h}, {"known", column_list()}})}});
                    o.refused = true;
                    return o;
                }
            if (!missing.empty()) {
                std::string m;
                for (const auto& s : missing) m += (m.empty() ? "" : ", ") + s;
                print_error(error{errc::invalid_input,
                                  {diagnostic::of(source, static_cast<int>(reader->header_line()), 0, "", "detect.header_lacks", {{"columns", m}})}});
                o.refused = true;
                return o;
            }
        }
        if (r && !*r) break;
        if (r) {
            ix.by_column = reader->columns() != nullptr;
            ix.update(cur, opt.ignored);
        }
        result<report_columns::fields> rep = r ? to_fields(p, cur, source, ix) : result<report_columns::fields>(r.error());
        if (!rep) {
            if (!header_checked && reader->columns() == nullptr && format == "csv") {  // the header itself is bad
                print_error(rep.error());
                o.refused = true;
                return o;
            }
            print_error(rep.error());
            if (opt.strict) {
                say("detect.strict_refused");
                o.refused = true;
                return o;
            }
            ++o.skipped;
            continue;
        }
        sink(*rep);
    }
    return o;
}

// When the cluster first reached each grade and warning: "III=…;red=…" (CSV: English; a table under
// --lang zh: the colours in Chinese).
std::string crossings(const detected_cluster& c, lang l = lang::en) {
    std::string s;
    for (int g = static_cast<int>(grade::I); g >= 1; --g)
        if (c.grade_first[g]) s += (s.empty() ? "" : ";") + std::string(to_string(static_cast<grade>(g))) + "=" + format_local(*c.grade_first[g]);
    for (int w = 4; w >= 1; --w)
        if (c.warning_first[w])
            s += (s.empty() ? "" : ";") + std::string(colour_text(static_cast<warning_colour>(w), l)) + "=" + format_local(*c.warning_first[w]);
    return s;
}

// The window in Chinese: "30天", "36小时".
std::string duration_text_zh(duration d) {
    const auto h = d.hours();
    return h % 24 == 0 ? std::to_string(h / 24) + "天" : std::to_string(h) + "小时";
}

int run_detect(const detect_cli_options& opt) {
    auto p = open_plan(opt.plan);
    if (!p) return status();
    if (!p->detection) {
        say("detect.no_detection", {{"plan", p->info.id}});
        return exit_bad_input;
    }
    if (int rc = check_product_kind(*p, opt); rc != exit_ok) return rc;
    report_columns reports;  // each text once; a report is some ids, two times, its area and flags
    {
        // room for the reports the files hold, by their size (a report is some 100 bytes of CSV or
        // more, some 250 of JSON Lines), so the pools of report and patient ids need not grow
        std::uintmax_t rows = 0;
        for (const auto& file : opt.files) {
            std::error_code ec;
            const std::uintmax_t bytes = file == "-" ? 0 : std::filesystem::file_size(file, ec);
            if (ec) continue;
            const std::string fmt = opt.in_format.empty() ? (file.ends_with(".jsonl") || file.ends_with(".ndjson") ? "jsonl" : file.ends_with(".xml") ? "e2b" : "csv") : opt.in_format;
            rows += fmt == "csv" ? bytes / 128 : fmt == "jsonl" ? bytes / 256 : 0;
        }
        reports.reserve(static_cast<std::size_t>(std::min<std::uintmax_t>(rows, opt.max_reports)));
    }
    std::size_t skipped = 0;
    for (const auto& file : opt.files) {
        if (auto k = detail::check_readable(file, "CSV, JSONL or E2B XML"); !k) {
            print_error(k.error());
            return exit_bad_input;
        }
        std::ifstream f;
        std::istream* in = &std::cin;
        std::string source = "<stdin>";
        if (file != "-") {
            f.open(file, std::ios::binary);
            if (!f) {
                std::cerr << "vigil: " << file << ": " << said("file.cannot_open") << '\n';
                return exit_bad_input;
            }
            in = &f;
            source = file;
        }
        std::string fmt = opt.in_format;
        if (fmt.empty()) {
            auto ends = [&](std::string_view s) { return file.size() >= s.size() && file.compare(file.size() - s.size(), s.size(), s) == 0; };
            fmt = ends(".jsonl") || ends(".ndjson") ? "jsonl" : ends(".xml") ? "e2b" : "csv";
        }
        if (int rc = check_product_kind_input(opt, fmt, source); rc != exit_ok) return rc;
        bool over = false;
        auto o = read_reports(*p, *in, fmt, source, opt, [&](const report_columns::fields& r) {
            if (reports.size() >= opt.max_reports) over = true;
            else reports.push_back(r);
        });
        if (o.refused) return exit_bad_input;
        if (over) {
            say("detect.too_many", {{"file", source}, {"max", std::to_string(opt.max_reports)}});
            return exit_bad_input;
        }
        skipped += o.skipped;
    }
    detect_options dopt;
    dopt.all = opt.all;
    reports.drop_indexes();
    auto res = detect_columns(*p, reports, dopt);
    if (!res) {
        print_error(res.error());
        return exit_bad_input;
    }
    const auto& d = *p->detection;
    if (!opt.levels.empty())
        res->clusters.erase(std::remove_if(res->clusters.begin(), res->clusters.end(),
                                           [&](const detected_cluster& c) {
                                               return std::find(opt.levels.begin(), opt.levels.end(), to_string(c.area.level)) == opt.levels.end();
                                           }),
                            res->clusters.end());
    if (opt.out_format == "jsonl") {
        for (const auto& c : res->clusters) std::cout << to_json(*p, c) << '\n';
    } else if (opt.out_format == "csv") {
        std::cout << "product_kind,product_id,product_name,batch,area_code,area_level,window_from,window_to,grade,grade_zh,warning,response";
        for (const auto& f : d.facts) std::cout << ',' << f.name;
        for (const auto& f : p->facts)
            if (f.spread) std::cout << ',' << f.name;
        std::cout << ",patients,reports,first_crossed,report_ids,reasons\n";
        for (const auto& c : res->clusters) {
            std::cout << p->product_id(c.product_kind) << ',' << csv_field(c.product_id) << ',' << csv_field(c.product_name) << ','
                      << csv_field(c.batch) << ',' << c.area.to_string() << ',' << to_string(c.area.level) << ','
                      << format_local(c.window_from) << ',' << format_local(c.window_to) << ',' << to_string(c.graded.grade) << ','
                      << grade_zh(c.graded.grade) << ',' << to_string(c.levels.warning) << ','
                      << (c.levels.response ? std::to_string(c.levels.response) : std::string("none"));
            for (const auto& f : d.facts) {
                const auto v = c.facts.values[f.fact];
                std::cout << ',' << (p->facts[f.fact].kind == fact_kind::boolean ? (v ? "true" : "false") : std::to_string(v));
            }
            for (const auto& f : p->facts)
                if (f.spread) std::cout << ',' << c.facts.values[f.index];
            std::string ids;
            for (const auto& id : c.report_ids) ids += (ids.empty() ? "" : ";") + id;
            std::cout << ',' << c.patients << ',' << c.report_ids.size() << ',' << csv_field(crossings(c)) << ',' << csv_field(ids) << ','
                      << csv_field(c.graded.in_scope ? c.graded.reasons() : "out of scope") << '\n';
        }
    } else {
        std::vector<std::vector<std::string>> rows{{}};
        for (const text h : {text{"product", "产品"}, text{"batch", "批号"}, text{"area", "地区"}, text{"grade", "级别"}, text{"等级", "等级名称"},
                             text{"warning", "预警"}, text{"response", "响应"}, text{"facts", "事实"}, text{"reports", "报告"},
                             text{"first crossed", "首次达到"}})
            rows[0].emplace_back(tr(h));
        for (const auto& c : res->clusters) {
            std::string facts;
            for (const auto& f : d.facts) {
                const auto v = c.facts.values[f.fact];
                facts += (facts.empty() ? "" : " ") + f.name + "=" +
                         (p->facts[f.fact].kind == fact_kind::boolean ? std::string(bool_text(v != 0, current_lang())) : std::to_string(v));
            }
            for (const auto& f : p->facts)
                if (f.spread && c.facts.values[f.index]) facts += " " + f.name + "=" + std::to_string(c.facts.values[f.index]);
            const std::string none(tr({"none", "无"}));
            rows.push_back({c.product_id, c.batch, c.area.to_string() + " " + std::string(area_level_text(c.area.level)),
                            c.graded.grade == grade::none ? none : std::string(to_string(c.graded.grade)), std::string(grade_zh(c.graded.grade)),
                            std::string(warning_text(c.levels.warning)), c.levels.response ? std::to_string(c.levels.response) : none, facts,
                            std::to_string(c.report_ids.size()), crossings(c, current_lang())});
        }
        print_table(std::cout, rows);
        std::cout << said("detect.table_summary", {{"plan", p->info.id},
                                                   {"name", p->info.name_zh},
                                                   {"window", d.window_written},
                                                   {"window@zh", duration_text_zh(d.window)},
                                                   {"n", std::to_string(res->clusters.size())}})
                  << '\n';
    }
    std::cout.flush();
    std::string dups, dups_zh;  // the duplicates' ids: ": a, b" / "：a、b"
    for (std::size_t i = 0; i < res->duplicates.size() && i < 10; ++i) {
        dups += (i ? ", " : ": ") + res->duplicates[i];
        dups_zh += (i ? "、" : "：") + res->duplicates[i];
    }
    if (res->duplicates.size() > 10) dups += ", …", dups_zh += "……";
    say("detect.summary", {{"reports", std::to_string(res->reports)},
                           {"skipped", std::to_string(skipped)},
                           {"duplicates", std::to_string(res->duplicates.size())},
                           {"which", dups},
                           {"which@zh", dups_zh},
                           {"clusters", std::to_string(res->clusters.size())}});
    return exit_ok;
}

// vigil watch: reports in arrival order; an alert the moment a cluster reaches a graver grade or
// warning than it had. Memory is bounded: a report is kept while a window that holds it can still
// gain a report (its onset within window + max delay of the latest receipt); a report received
// later than that after its onset is refused as too late to place (said, counted).
int run_watch(const detect_cli_options& opt) {
    auto p = open_plan(opt.plan);
    if (!p) return status();
    if (!p->detection) {
        say("detect.no_detection", {{"plan", p->info.id}});
        return exit_bad_input;
    }
    if (int rc = check_product_kind(*p, opt); rc != exit_ok) return rc;
    detector_options dopt;
    dopt.max_delay = boost::posix_time::hours(24L * opt.max_delay_days);
    for (const auto& l : opt.levels) dopt.levels.push_back(*parse_area_level(l));
    auto det = detector::create(p, dopt);
    if (!det) {
        print_error(det.error());
        return exit_bad_input;
    }
    std::string fmt = opt.in_format.empty() ? "csv" : opt.in_format;
    std::ifstream f;
    std::istream* in = &std::cin;
    std::string source = "<stdin>";
    const std::string file = opt.files.empty() ? "-" : opt.files.front();
    if (file != "-") {
        if (auto k = detail::check_readable(file, "CSV, JSONL or E2B XML"); !k) {
            print_error(k.error());
            return exit_bad_input;
        }
        f.open(file, std::ios::binary);
        if (!f) {
            std::cerr << "vigil: " << file << ": " << said("file.cannot_open") << '\n';
            return exit_bad_input;
        }
        in = &f;
        source = file;
        if (opt.in_format.empty() && (file.ends_with(".jsonl") || file.ends_with(".ndjson"))) fmt = "jsonl";
        if (opt.in_format.empty() && file.ends_with(".xml")) fmt = "e2b";
    }
    if (int rc = check_product_kind_input(opt, fmt, source); rc != exit_ok) return rc;
    std::vector<detect_alert> alerts;
    auto o = read_reports(*p, *in, fmt, source, opt, [&](const report_columns::fields& f) {
        case_report r = to_report(f);
        const std::string id = r.report_id;
        const instant onset = r.onset, received = r.received;
        alerts.clear();
        if (det->feed(std::move(r), alerts) == detector::placed::too_late)
            say("watch.too_late", {{"report", id},
                                   {"onset", format_local(onset)},
                                   {"received", format_local(received)},
                                   {"days", std::to_string(opt.max_delay_days)}});
        for (const auto& a : alerts) std::cout << to_json(*p, a) << '\n';
        if (!alerts.empty()) std::cout.flush();
    });
    if (o.refused) return exit_bad_input;
    say("watch.summary", {{"reports", std::to_string(det->taken())},
                          {"skipped", std::to_string(o.skipped)},
                          {"duplicates", std::to_string(det->duplicates())},
                          {"late", std::to_string(det->too_late())},
                          {"alerts", std::to_string(det->alerts())}});
    return exit_ok;
}

}  // namespace

void register_detect(CLI::App& app) {
    auto opt = std::make_shared<detect_cli_options>();
    auto* cmd = app.add_subcommand("detect", "Find graded clusters in individual case reports.");
    cmd->description("Find clusters in individual case reports (ICSRs) and grade them under a plan: the\n"
                     "plan's \"detection\" section says how its facts are counted (docs/detect.md).");
    cmd->footer(
        "Input: CSV with a header, or JSON Lines, one report a row: report_id, patient_id, product_kind (one of\n"
        "the plan's products), product_id, product_name, batch, onset_time and received_time (ISO 8601 with an\n"
        "offset), area_code (GB/T 2260, 6 or 9 digits), and true|false (or 1|0) for rare, death,\n"
        "life_threatening, disability, organ_damage, hospitalisation, congenital_anomaly, other_serious;\n"
        "optionally maker, dosage_form, strength. Or ICH E2B(R3) XML (.xml or --in e2b), read as a stream; the\n"
        "fields it maps and why (area code, rare) are in docs/detect.md. A malformed record is reported with its\n"
        "line (E2B: and element) and skipped (--strict: refused, exit 1). A report id given again is counted\n"
        "once; a patient, once per cluster.\n"
        "Output: one cluster per product key, batch, area (each level: street, county, prefecture, province)\n"
        "that reached a grade or a warning, with its facts, grade, warning, response, reports, and the first\n"
        "instant (a report's receipt) each grade and warning was reached; the gravest first.\n"
        "Exit codes: 0 done, 1 bad input, 2 bad usage.\n\n"
        "Examples:\n"
        "  vigil detect --plan guiyang --out table --level county examples/reports.csv\n"
        "  vigil detect --plan yuzhong examples/reports.csv > clusters.jsonl\n"
        "  vigil detect --plan guiyang --out table examples/reports-e2b.xml");
    cmd->add_option("--plan", opt->plan, "a built-in plan's id (see `vigil plans`) or a plan file")->required();
    cmd->add_option("--in", opt->in_format, "input format (by extension: .jsonl, .ndjson jsonl; .xml e2b; else csv)")
        ->check(CLI::IsMember({"csv", "jsonl", "e2b"}));
    cmd->add_option("--out", opt->out_format, "output format")->check(CLI::IsMember({"jsonl", "csv", "table"}))->capture_default_str();
    cmd->add_flag("--strict", opt->strict, "a malformed record refuses the input (exit 1) instead of being skipped");
    cmd->add_option("--product-kind", opt->product_kind,
                    "E2B input: the plan's product every report is about (E2B(R3) carries medicinal products: drug by default)");
    cmd->add_option("--level", opt->levels, "only clusters of this area level (repeatable)")
        ->check(CLI::IsMember({"street", "county", "prefecture", "province"}))
        ->allow_extra_args(false);
    cmd->add_option("--max-reports", opt->max_reports, "refuse an archive of more reports than this (held in memory, ~1.2 KB each)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_flag("--all", opt->all, "also list clusters that reached neither a grade nor a warning");
    cmd->add_option("--ignore-column", opt->ignored, "skip this input column (repeatable)")->allow_extra_args(false);
    cmd->add_option("REPORTS", opt->files, "case report files, or - for standard input")->required();
    cmd->callback([opt] { status() = run_detect(*opt); });
}

}  // namespace vigil::cli

namespace vigil::cli {

void register_watch(CLI::App& app) {
    auto opt = std::make_shared<detect_cli_options>();
    auto* cmd = app.add_subcommand("watch", "Read case reports as they arrive; alert when a cluster reaches a grade or warning.");
    cmd->description("Read case reports in arrival order (standard input, or a file) and print a JSON Lines alert the\n"
                     "moment a cluster reaches a graver grade or warning than it had, under the plan's \"detection\"\n"
                     "section (docs/detect.md).");
    cmd->footer(
        "Input: the reports of `vigil detect` (CSV, JSON Lines or E2B XML) in the order they were received.\n"
        "An alert is the cluster as `vigil detect --out jsonl` gives it, with \"alert\" (\"grade III\",\n"
        "\"warning red\"), \"trigger\" (the report that made it) and \"late\" (that report was received more than\n"
        "the plan's window after its onset; it is placed by its onset all the same). Memory is bounded: a report\n"
        "is kept while a window that holds it can still gain reports (window + --max-delay-days after its onset,\n"
        "by the latest receipt); a report older than that is said on stderr and not placed. Malformed records\n"
        "are named and skipped (--strict: refused). For a growing file: tail -f FILE | vigil watch --plan P.\n"
        "Exit codes: 0 done, 1 bad input, 2 bad usage.\n\n"
        "Examples:\n"
        "  vigil watch --plan guiyang < examples/reports.csv\n"
        "  tail -n +1 -f incoming.csv | vigil watch --plan yuzhong --level county");
    cmd->add_option("--plan", opt->plan, "a built-in plan's id (see `vigil plans`) or a plan file")->required();
    cmd->add_option("--in", opt->in_format, "input format (by extension: .jsonl, .ndjson jsonl; .xml e2b; else csv)")
        ->check(CLI::IsMember({"csv", "jsonl", "e2b"}));
    cmd->add_option("--level", opt->levels, "only clusters of this area level (repeatable)")
        ->check(CLI::IsMember({"street", "county", "prefecture", "province"}))
        ->allow_extra_args(false);
    cmd->add_option("--max-delay-days", opt->max_delay_days, "how long after the window a report may still arrive")
        ->check(CLI::Range(0, 3650))
        ->capture_default_str();
    cmd->add_flag("--strict", opt->strict, "a malformed record refuses the input (exit 1) instead of being skipped");
    cmd->add_option("--product-kind", opt->product_kind,
                    "E2B input: the plan's product every report is about (E2B(R3) carries medicinal products: drug by default)");
    cmd->add_option("--ignore-column", opt->ignored, "skip this input column (repeatable)")->allow_extra_args(false);
    cmd->add_option("REPORTS", opt->files, "a case report file, or - for standard input (default)")->expected(0, 1);
    cmd->callback([opt] { status() = run_watch(*opt); });
}

}  // namespace vigil::cli
