// vigil classify [--plan P] [--in csv|jsonl] [--out csv|jsonl|table] [--strict] [FILE|-]
#include "classify_bulk.hpp"
#include "cli.hpp"
#include "lang.hpp"
#include "io.hpp"

#include <vigil/classify.hpp>
#include <vigil/detail/csv.hpp>
#include <vigil/detail/read_file.hpp>
#include <vigil/response.hpp>

#include <vigil/detail/answer_json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

namespace vigil::cli {

namespace {

struct classify_options {
    std::string plan;
    std::string in_format;
    std::string out_format = "csv";
    bool brief = false;  // --brief: the brief classification (--out jsonl)
    bool strict = false;
    bool stats = false;
    bool general = false;  // --general-path: every row through the general reader
    unsigned threads = 1;  // --threads: the bulk path's workers (0: one a hardware thread)
    std::string file = "-";
    std::vector<std::string> ignored;  // --ignore-column
    std::vector<std::string> kept;     // --keep-column: passed through beside the id
};

bool listed(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Columns read besides the plan's facts.
constexpr std::string_view other_columns[] = {"id", "product", "override_grade", "override_by", "override_reason",
                                              "override_at", "override_clause"};

error cell_error(const std::string& source, const row& r, const row::cell& c, std::string_view id, message_args args = {}) {
    return error{errc::invalid_input, {diagnostic::of(source, static_cast<int>(c.line ? c.line : r.line),
                                                      static_cast<int>(c.column), c.name, id, std::move(args))}};
}

error row_error(const std::string& source, const row& r, std::string pointer, std::string_view id, message_args args = {}) {
    return error{errc::invalid_input, {diagnostic::of(source, static_cast<int>(r.line), 0, std::move(pointer), id, std::move(args))}};
}

result<std::uint32_t> parse_count(const std::string& source, const row& r, const row::cell& c) {
    const std::string& t = c.text;
    if (c.kind == row::cell::boolean || t.empty() || t.size() > 10 || t.find_first_not_of("0123456789") != std::string::npos)
        return cell_error(source, r, c, "input.expected_count", {{"found", t.substr(0, 32)}});
    std::uint64_t v = std::stoull(t);
    if (v > UINT32_MAX) return cell_error(source, r, c, "input.count_too_large", {{"count", t}});
    return static_cast<std::uint32_t>(v);
}

result<bool> parse_bool(const std::string& source, const row& r, const row::cell& c) {
    if (c.kind == row::cell::number && c.text != "0" && c.text != "1")
        return cell_error(source, r, c, "input.expected_boolean_number", {{"spellings", std::string(detail::csv::boolean_spellings)}, {"found", c.text.substr(0, 32)}});
    if (auto b = detail::csv::boolean(c.text)) return *b;
    return cell_error(source, r, c, "input.expected_boolean", {{"spellings", std::string(detail::csv::boolean_spellings)}, {"found", c.text.substr(0, 32)}});
}

struct classified {
    std::string id;
    std::vector<std::string> kept;  // the --keep-column values, in the options' order ("" when absent)
    assessment a;
    decision_levels levels;  // the warning and the response (vigil/response.hpp)
    fact_values facts;
};

class runner {
public:
    runner(const plan_ptr& p, const classify_options& o, std::string source) : plan_(p), opt_(o), source_(std::move(source)) {}

    // What a column is: a fact of the plan (by name or Chinese label), id, product, an override
    // field, or an ignored column; anything else is an error naming the plan's columns.
    bool known_column(const std::string& name) const {
        return plan_->find_fact(name) || std::find(std::begin(other_columns), std::end(other_columns), name) != std::end(other_columns) ||
               listed(opt_.ignored, name) || listed(opt_.kept, name);
    }

    message_args unknown_column(const std::string& name) const {
        std::string known;
        for (const auto& f : plan_->facts)
            if (f.kind != fact_kind::sum) known += f.name + ", ";
        for (auto k : other_columns) known += std::string(k) + ", ";
        known.resize(known.size() - 2);
        return {{"column", name}, {"known", known}};
    }

    // A CSV header: every column known, each fact once (by its name or by its label).
    result<void> check_header(const std::vector<std::string>& names, std::size_t line) const {
        std::vector<int> seen(plan_->facts.size(), 0);
        for (std::size_t i = 0; i < names.size(); ++i) {
            const auto at = [&](std::string_view id, message_args args) {
                return error{errc::invalid_input,
                             {diagnostic::of(source_, static_cast<int>(line), static_cast<int>(i + 1), names[i], id, std::move(args))}};
            };
            if (!known_column(names[i])) return at("classify.unknown_column", unknown_column(names[i]));
            if (const auto* f = plan_->find_fact(names[i]);
                f && std::find(opt_.ignored.begin(), opt_.ignored.end(), names[i]) == opt_.ignored.end()) {
                if (f->kind == fact_kind::sum) return at("classify.sum_in_header", {{"column", names[i]}, {"fact", f->name}});
                if (seen[f->index]++) return at("classify.fact_twice_in_header", {{"fact", f->name}});
            }
        }
        for (const auto& k : opt_.kept)
            if (!listed(names, k)) {
                return error{errc::invalid_input,
                             {diagnostic::of(source_, static_cast<int>(line), 0, k, "classify.kept_not_in_header", {{"column", k}})}};
            }
        return {};
    }

    // Parse a row into facts, grade it. Errors name the line and column.
    result<classified> grade_row(const row& r) {
        classified out;
        fact_values f(*plan_);
        std::vector<bool> seen(plan_->facts.size(), false);
        bool have_id = false, have_product = false;
        grade_override ov;
        bool have_override = false;
        for (const auto& c : r.cells) {
            if (c.kind == row::cell::null) return cell_error(source_, r, c, "input.null");
            if (c.kind == row::cell::text_ && c.text.empty()) continue;  // a blank cell is absent
            if (listed(opt_.ignored, c.name)) continue;
            const fact_def* fa = plan_->find_fact(c.name);
            if (listed(opt_.kept, c.name) && !fa && c.name != "id" && c.name != "product" && c.name.rfind("override_", 0) != 0)
                continue;  // passed through only (below)
            if (fa) {
                if (fa->kind == fact_kind::sum)
                    return cell_error(source_, r, c, "classify.sum_given", {{"column", c.name}});
                if (seen[fa->index]) return cell_error(source_, r, c, "classify.fact_twice", {{"fact", fa->name}});
                seen[fa->index] = true;
                if (fa->kind == fact_kind::boolean) {
                    auto b = parse_bool(source_, r, c);
                    if (!b) return b.error();
                    f.values[fa->index] = *b ? 1 : 0;
                } else if (fa->kind == fact_kind::grade) {
                    auto g = parse_grade(c.text);
                    if (!g) return cell_error(source_, r, c, "input.expected_grade_or_none", {{"found", c.text.substr(0, 32)}});
                    f.values[fa->index] = static_cast<std::uint32_t>(*g);
                } else {
                    auto v = parse_count(source_, r, c);
                    if (!v) return v.error();
                    f.values[fa->index] = *v;
                }
            } else if (c.name == "id") {
                out.id = c.text;
                have_id = true;
                if (out.id.empty()) return cell_error(source_, r, c, "input.expected_id");
            } else if (c.name == "product") {
                auto p = plan_->find_product_named(c.text);
                if (!p) return cell_error(source_, r, c, "input.expected_product", {{"products", plan_->product_ids_arg()}, {"found", c.text.substr(0, 32)}});
                f.product = *p;
                have_product = true;
            } else if (c.name.rfind("override_", 0) == 0 &&
                       std::find(std::begin(other_columns), std::end(other_columns), c.name) != std::end(other_columns)) {
                if (c.text.empty()) continue;
                have_override = true;
                if (c.name == "override_grade") {
                    auto g = parse_grade(c.text);
                    if (!g || *g == grade::none)
                        return cell_error(source_, r, c, "input.expected_grade", {{"found", c.text.substr(0, 32)}});
                    ov.grade = *g;
                } else if (c.name == "override_by") ov.by = c.text;
                else if (c.name == "override_reason") ov.reason = c.text;
                else if (c.name == "override_at") ov.at = c.text;
                else ov.clause = c.text;
            } else {
                return cell_error(source_, r, c, "classify.unknown_column", unknown_column(c.name));
            }
        }
        if (!have_id) {
            return row_error(source_, r, "id", "classify.missing_id");
        }
        for (const auto& fd : plan_->facts) {
            if (seen[fd.index] || fd.optional || fd.kind == fact_kind::sum) continue;
            if (opt_.strict) {
                return row_error(source_, r, fd.name, "classify.missing_fact");
            }
            if (noted_.insert(fd.name).second)
                say("classify.note_fact_absent", {{"fact", fd.name},
                                                  {"line", std::to_string(r.line)},
                                                  {"value", fd.kind == fact_kind::boolean ? "false" : fd.kind == fact_kind::grade ? "none" : "0"}});
        }
        if (!have_product && !noted_product_) {
            noted_product_ = true;
            if (opt_.strict) {
                if (plan_->products.size() == 2)
                    return row_error(source_, r, "product", "classify.missing_product_two",
                                     {{"a", plan_->products[0].id}, {"b", plan_->products[1].id}});
                return row_error(source_, r, "product", "classify.missing_product", {{"products", plan_->product_ids_arg()}});
            }
            say("classify.note_product_absent", {{"line", std::to_string(r.line)}, {"product", plan_->products.front().id}});
        }
        out.a = classify(*plan_, f);
        if (have_override) {
            auto o = apply_override(*plan_, std::move(out.a), std::move(ov));
            if (!o) {
                auto e = o.error();
                for (auto& d : e.diagnostics) d.source = source_, d.line = static_cast<int>(r.line), d.pointer = "override_grade";
                return error{errc::invalid_input, std::move(e.diagnostics)};
            }
            out.a = std::move(*o);
        }
        out.levels = decide_levels(*plan_, f, out.a.grade, out.a.in_scope);
        for (const auto& k : opt_.kept) {
            const auto* c = r.find(k);
            out.kept.push_back(c && c->kind != row::cell::null ? c->text : std::string());
        }
        out.facts = std::move(f);
        return out;
    }

private:
    plan_ptr plan_;
    const classify_options& opt_;
    std::string source_;
    std::set<std::string> noted_;
    bool noted_product_ = false;
};

// The warning and response columns: ",yellow,4" / ",none,none".
std::string levels_columns(const decision_levels& l) {
    return ',' + std::string(to_string(l.warning)) + ',' + (l.response ? std::to_string(l.response) : std::string("none"));
}

// The reasons: the clauses that matched, the winner first, after an expert override. CSV keeps
// the English words (a column of data); a table follows --lang (zh: "人工认定 II（王五，clause）").
std::string reasons_column(const assessment& a, lang l = lang::en) {
    const bool zh = l == lang::zh;
    if (!a.in_scope) return zh ? "不在适用范围内" : "out of scope";
    std::string s = a.reasons();
    if (a.override_) {
        std::string o = zh ? "人工认定 " + std::string(to_string(a.override_->grade)) + "（" + a.override_->by
                           : "override " + std::string(to_string(a.override_->grade)) + " by " + a.override_->by;
        if (!a.override_->clause.empty()) o += zh ? "，" + a.override_->clause : " (" + a.override_->clause + ")";
        if (zh) o += "）";
        s = s.empty() ? o : o + ";" + s;
    }
    return s;
}

// One CSV output row (no '\n'); the header is csv_header.
std::string csv_line(const classified& c) {
    std::string s = csv_field(c.id);
    for (const auto& k : c.kept) s += ',' + csv_field(k);
    return s + ',' + std::string(to_string(c.a.grade)) + ',' + std::string(grade_zh(c.a.grade)) + ',' +
           csv_field(reasons_column(c.a)) + levels_columns(c.levels);
}

// One brief JSON Lines row (no '\n'): the brief classification (docs/json.md).
std::string brief_line(const plan& p, const classified& c, const classify_options& opt) {
    std::string s;
    detail::answer_json::classification_brief(s, p, c.a, c.levels, &c.id, &opt.kept, &c.kept);
    return s;
}

// --out table, written as it goes in bounded memory. The columns' widths: grade, 等级, warning
// and response from every value the plan can give them (its labels); id and the kept columns from
// a first read of the input when it is a regular file (prescan), and from the first rows, held
// until `hold` rows have come or the input ends. A later cell wider than its column (from a pipe:
// an id longer than any before it) widens the column from its line on; nothing is cut.
class table_writer {
public:
    static constexpr std::size_t hold = 1000;

    table_writer(std::ostream& os, const classify_options& opt) : os_(os) {
        std::vector<std::string> head{"id"};
        head.insert(head.end(), opt.kept.begin(), opt.kept.end());
        for (const text h : {text{"grade", "级别"}, text{"等级", "等级名称"}, text{"warning", "预警"}, text{"response", "响应"},
                             text{"reasons (winner first)", "依据（最高级别在先）"}})
            head.emplace_back(tr(h));
        width_.assign(head.size() - 1, 0);
        const std::size_t g = head.size() - 5;  // the grade's column
        for (int k = 0; k < grade_count; ++k) {
            widen(g, to_string(static_cast<grade>(k)));
            widen(g + 1, grade_zh(static_cast<grade>(k)));
            widen(g + 2, warning_text(static_cast<warning_colour>(k)));
        }
        widen(g, tr({"none", "无"}));
        widen(g + 3, tr({"none", "无"}));
        widen(g + 3, "9");
        for (std::size_t k = 0; k < head.size(); ++k) widen(k, head[k]);
        held_.push_back(std::move(head));
    }

    void widen(std::size_t col, std::string_view cell) {
        if (col < width_.size()) width_[col] = std::max(width_[col], display_width(cell));
    }

    void row(std::vector<std::string> r) {
        ++rows_;
        for (std::size_t k = 0; k < r.size(); ++k) widen(k, r[k]);  // columns only widen
        if (started_) return print(r);
        held_.push_back(std::move(r));
        if (held_.size() > hold) start();
    }

    void finish(const plan& p) {
        if (!started_) start();
        os_ << "plan: " << p.info.id << " (" << p.info.name_zh << "); " << rows_ << " incident(s)\n";
    }

private:
    void start() {
        started_ = true;
        for (const auto& r : held_) print(r);
        held_.clear();
        held_.shrink_to_fit();
    }
    void print(const std::vector<std::string>& r) {
        line_.clear();
        for (std::size_t i = 0; i < r.size(); ++i) line_ += i + 1 < r.size() ? pad(r[i], width_[i]) + "  " : r[i];
        line_ += '\n';
        os_ << line_;
    }

    std::ostream& os_;
    std::vector<std::size_t> width_;  // every column but the last (reasons: not padded)
    std::vector<std::vector<std::string>> held_;
    std::string line_;
    bool started_ = false;
    std::size_t rows_ = 0;
};

// The widths of the id and kept columns over the whole input (a regular file, read once more
// before grading); false when it cannot be read so (then the first rows decide).
bool prescan_widths(const std::string& file, const std::string& fmt, const classify_options& opt, table_writer& t) {
    std::ifstream f(file, std::ios::binary);
    if (!f) return false;
    auto rd = make_reader(f, fmt, file);
    for (;;) {
        auto r = rd->next();
        if (!r || !*r) return true;  // an error is reported by the grading pass, where it is met
        if (const auto* c = (**r).find("id")) t.widen(0, c->text);
        for (std::size_t k = 0; k < opt.kept.size(); ++k)
            if (const auto* c = (**r).find(opt.kept[k])) t.widen(k + 1, c->text);
    }
}

std::string csv_header(const classify_options& opt) {
    std::string s = "id";
    for (const auto& k : opt.kept) s += ',' + csv_field(k);
    return s + ",grade,grade_zh,reasons,warning,response\n";
}

int run_classify(const classify_options& opt) {
    if (opt.brief && opt.out_format != "jsonl") {
        std::cerr << "vigil: --brief goes with --out jsonl (the brief classification, docs/json.md)\n";
        return exit_bad_usage;
    }
    auto p = open_plan(opt.plan);
    if (!p) return status();
    std::string source = "<stdin>";
    if (auto k = detail::check_readable(opt.file, "CSV or JSONL"); !k) {
        print_error(k.error());
        return exit_bad_input;
    }
    // The input as a descriptor read as it comes (fd_buf): from a pipe, rows are answered before
    // the input ends.
    int fd = STDIN_FILENO;
    if (opt.file != "-") {
        fd = ::open(opt.file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            std::cerr << "vigil: " << opt.file << ": " << said("file.cannot_open") << '\n';
            return exit_bad_input;
        }
        source = opt.file;
    }
    struct closer {
        int fd;
        ~closer() {
            if (fd != STDIN_FILENO) ::close(fd);
        }
    } close_input{fd};
    fd_buf input(fd);
    std::istream input_stream(&input);
    std::istream* in = &input_stream;
    // Rows written out as they are answered when the output is a pipe, a socket or a terminal.
    const bool stream_out = stdout_is_stream();
    std::string fmt = opt.in_format;
    if (fmt.empty()) {
        auto ends = [&](std::string_view s) { return opt.file.size() >= s.size() && opt.file.compare(opt.file.size() - s.size(), s.size(), s) == 0; };
        fmt = ends(".jsonl") || ends(".ndjson") ? "jsonl" : "csv";
    }
    // CSV or JSON Lines to CSV or brief JSON Lines: the bulk path (blocks, classify_batch); a line it does not take as
    // plain goes through the general path below, one line at a time, so answers and errors are the same.
    std::unique_ptr<prefixed_buf> rest;
    std::istream rest_in(nullptr);
    if ((fmt == "csv" || fmt == "jsonl") && (opt.out_format == "csv" || (opt.out_format == "jsonl" && opt.brief)) &&
        !opt.general) {
        runner line_run(p, opt, source);
        // one record through the general reader: a CSV record after the header, or a JSON line after
        // a blank one (so that a byte order mark is read as it is beyond the input's first line)
        auto one_line = [&](std::string_view header, std::size_t line, std::string_view text) -> result<std::string> {
            std::istringstream two(fmt == "csv" ? std::string(header) + "\n" + std::string(text) + "\n"
                                                : "\n" + std::string(text) + "\n");
            auto rd = make_reader(two, fmt, source);
            auto r = rd->next();
            // the record's lines are 2, 3, … here: lines line, line + 1, … of the input
            auto at = [&](std::size_t l) { return l >= 2 ? line + (l - 2) : l; };
            if (!r) {
                auto e = r.error();
                for (auto& d : e.diagnostics) d.line = static_cast<int>(at(static_cast<std::size_t>(d.line)));
                return e;
            }
            if (!*r) return std::string();
            (**r).line = line;
            for (auto& cell : (**r).cells) cell.line = cell.line ? at(cell.line) : 0;
            auto c = line_run.grade_row(**r);
            if (!c) return c.error();
            return opt.brief ? brief_line(*p, *c, opt) : csv_line(*c);
        };
        bulk_options bo;
        bo.ignored = opt.ignored;
        bo.kept = opt.kept;
        bo.header = opt.brief ? std::string() : csv_header(opt);
        bo.form = opt.brief ? bulk_form::jsonl_brief : bulk_form::csv;
        bo.flush = stream_out;
        bo.threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
        bo.stats = opt.stats;
        bo.progress = true;
        std::error_code ec;
        if (opt.file != "-" && std::filesystem::is_regular_file(opt.file, ec)) bo.input_bytes = std::filesystem::file_size(opt.file, ec);
        auto b = fmt == "csv" ? classify_csv_bulk(*p, *in, std::cout, one_line, bo) : classify_jsonl_bulk(*p, *in, std::cout, one_line, bo);
        if (b.taken) return b.status;
        rest = std::make_unique<prefixed_buf>(std::move(b.consumed), in->rdbuf());  // the header, read back
        rest_in.rdbuf(rest.get());
        in = &rest_in;
    }
    const auto started = std::chrono::steady_clock::now();
    std::size_t graded = 0;
    auto reader = make_reader(*in, fmt, source);
    runner run(p, opt, source);

    std::unique_ptr<table_writer> table;  // --out table: aligned columns, written as it goes
    if (opt.out_format == "table") {
        table = std::make_unique<table_writer>(std::cout, opt);
        std::error_code ec;
        if (opt.file != "-" && std::filesystem::is_regular_file(opt.file, ec)) prescan_widths(opt.file, fmt, opt, *table);
    }
    std::string line;  // --out jsonl: a row's text, its buffer reused
    if (opt.out_format == "csv") std::cout << csv_header(opt);
    if (stream_out) std::cout.flush();
    bool header_checked = false;
    for (;;) {
        auto r = reader->next();
        if (!r) {
            std::cout.flush();
            print_error(r.error());
            return exit_bad_input;
        }
        if (!header_checked && reader->columns()) {  // a CSV header: its errors on its own line
            header_checked = true;
            if (auto h = run.check_header(*reader->columns(), reader->header_line()); !h) {
                std::cout.flush();
                print_error(h.error());
                return exit_bad_input;
            }
        }
        if (!*r) break;
        auto c = run.grade_row(**r);
        if (!c) {
            std::cout.flush();
            print_error(c.error());
            return exit_bad_input;
        }
        ++graded;
        const auto& a = c->a;
        if (opt.out_format == "csv") {
            std::cout << csv_line(*c) << '\n';
        } else if (opt.out_format == "jsonl" && opt.brief) {
            line = brief_line(*p, *c, opt);  // the brief classification (docs/json.md)
            line += '\n';
            std::cout << line;
        } else if (opt.out_format == "jsonl") {
            // the classification's one JSON (docs/json.md), the row's id and kept columns first
            line.clear();
            detail::answer_json::classification(line, *p, a, decide(*p, c->facts, a), &c->id, &opt.kept, &c->kept);
            line += '\n';
            std::cout << line;
        } else {
            std::vector<std::string> t{c->id};
            t.insert(t.end(), c->kept.begin(), c->kept.end());
            t.push_back(a.grade == grade::none ? std::string(tr({"none", "无"})) : std::string(to_string(a.grade)));
            t.push_back(std::string(grade_zh(a.grade)));
            t.push_back(std::string(warning_text(c->levels.warning)));
            t.push_back(c->levels.response ? std::to_string(c->levels.response) : std::string(tr({"none", "无"})));
            t.push_back(reasons_column(a, current_lang()));
            table->row(std::move(t));
        }
        if (stream_out && opt.out_format != "table") std::cout.flush();
    }
    if (table) table->finish(*p);
    if (opt.stats) {
        std::cout.flush();
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::ostringstream secs_text, rate;
        secs_text << secs;
        rate << (secs > 0 ? graded / secs / 1e6 : 0.0);
        say("classify.stats", {{"rows", std::to_string(graded)}, {"seconds", secs_text.str()}, {"rate", rate.str()}, {"plan", p->info.id}});
    }
    return exit_ok;
}

}  // namespace

void register_classify(CLI::App& app) {
    auto opt = std::make_shared<classify_options>();
    auto* cmd = app.add_subcommand("classify", "Grade incidents against a plan, citing the clauses.");
    cmd->description("Grade incidents (one cluster a row) against a plan, citing the clauses.");
    cmd->footer(
        "Input: CSV with a header, or JSON Lines;\n"
        "columns: id, the plan's facts by name or Chinese label (`vigil plan show PLAN` lists them, the\n"
        "modifiers of warnings and responses among them), product (one of the plan's products: drug|device\n"
        "for the built-in plans), and optionally an expert\n"
        "override (override_grade, override_by, override_reason, override_at, override_clause).\n"
        "CSV is RFC 4180 (quoted fields may hold commas, \"\" and line breaks; CRLF and a UTF-8 BOM are read);\n"
        "spaces around a field are dropped. Counts are integers; booleans true|false (any case), 1|0, 是|否.\n"
        "A blank cell is absent; an absent fact is 0 / false / none (said once; --strict: an error).\n"
        "An unknown column is an error on line 1, unless --ignore-column NAME skips it; --keep-column NAME\n"
        "passes a column through to the output beside the id (CSV and table: a column after id; JSON Lines:\n"
        "\"kept\": {NAME: value}). Output rows keep the input order; to a pipe or terminal each CSV or JSON\n"
        "Lines row is written as soon as it is graded. A table is written as it goes too, in bounded memory: its\n"
        "id (and kept) columns as wide as the file's widest (read once more first), or from a pipe as the first\n"
        "1000 rows' widest, widening from the line of a wider one; --out jsonl --brief: grade, warning, response\n"
        "and matched clauses only (docs/json.md).\n"
        "--threads N parses and grades on N threads where the bulk path runs (CSV or JSON Lines in, CSV or\n"
        "--brief out) and the output is not a pipe or terminal (there: one thread, so that rows go out as they\n"
        "come); the output, the notes and the first error are those of one thread, byte for byte, in input order.\n"
        "Exit codes: 0 ok, 1 bad input, 2 bad usage.\n\n"
        "Examples:\n"
        "  vigil classify --plan yuzhong --out table examples/incidents.csv\n"
        "  vigil classify --plan guiyang --out jsonl examples/incidents.csv\n"
        "  vigil classify --plan yuzhong --out jsonl --brief examples/incidents.csv\n"
        "  vigil classify --plan yuzhong --threads 0 examples/incidents.csv > graded.csv\n"
        "  vigil classify --plan yuzhong --keep-column 批号 --ignore-column 备注 examples/export-zh.csv\n"
        "  echo '{\"id\":\"a\",\"deaths\":2,\"similar_cases_nearby\":true}' | vigil classify --plan yuzhong --in jsonl -");
    cmd->add_option("--plan", opt->plan, "a built-in plan's id (see `vigil plans`) or a plan file")->required();
    cmd->add_option("--in", opt->in_format, "input format (default: jsonl for .jsonl/.ndjson files, else csv)")
        ->check(CLI::IsMember({"csv", "jsonl"}));
    cmd->add_option("--out", opt->out_format, "output format")->check(CLI::IsMember({"csv", "jsonl", "table"}))->capture_default_str();
    cmd->add_flag("--brief", opt->brief,
                  "with --out jsonl: the brief classification (grade, in_scope, matched clauses, warning colour, "
                  "response level; docs/json.md), not the full explanation");
    cmd->add_flag("--strict", opt->strict, "an absent fact or product is an error, not 0 / false / drug");
    cmd->add_option("--ignore-column", opt->ignored, "skip this input column (repeatable)")->allow_extra_args(false);
    cmd->add_option("--keep-column", opt->kept, "pass this input column through to the output, beside the id (repeatable)")
        ->allow_extra_args(false);
    cmd->add_flag("--stats", opt->stats, "print rows, bytes, time and throughput to stderr at the end");
    cmd->add_flag("--general-path", opt->general,
                  "read every row through the general reader, not the bulk path (slower; the same answers: for checking)");
    cmd->add_option("--threads", opt->threads,
                    "parse and grade on N threads (0: one a hardware thread): the same output, in input order (see below)")
        ->check(CLI::Range(0u, 256u))
        ->capture_default_str();
    cmd->add_option("FILE", opt->file, "input file, or - for standard input")->capture_default_str();
    cmd->callback([opt] { status() = run_classify(*opt); });
}

}  // namespace vigil::cli
