// vigil calendar import: the State Council's holiday notices, read from their text into calendar rows.
#include "cli.hpp"
#include "lang.hpp"

#include <vigil/calendar.hpp>
#include <vigil/detail/read_file.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace vigil::cli {

namespace {

struct import_options {
    std::vector<std::string> notices, sources;
    std::string into;
};

constexpr std::size_t max_notice_bytes = 1u << 20;  // a notice is a page of text

int run_import(const import_options& o) {
    if (o.sources.size() > o.notices.size()) {
        say("calendar.too_many_sources", {{"sources", std::to_string(o.sources.size())}, {"notices", std::to_string(o.notices.size())}});
        return exit_bad_usage;
    }
    std::vector<calendar_day> rows;
    if (!o.into.empty() && std::filesystem::exists(o.into)) {
        auto c = load_calendar_file(o.into);
        if (!c) {
            print_error(c.error());
            return exit_bad_input;
        }
        rows = c->listed();
    }
    for (std::size_t i = 0; i < o.notices.size(); ++i) {
        auto text = detail::read_file(o.notices[i], max_notice_bytes, "holiday notice");
        if (!text) {
            print_error(text.error());
            return exit_bad_input;
        }
        auto n = parse_holiday_notice(*text, o.notices[i], i < o.sources.size() ? o.sources[i] : "");
        if (!n) {
            print_error(n.error());
            return exit_bad_input;
        }
        for (std::size_t k = 0; k < n->notes.size(); ++k)
            say("calendar.notice_note",
                {{"file", o.notices[i]}, {"note", k < n->note_messages.size() ? n->note_messages[k].text(current_lang()) : n->notes[k]}});
        auto merged = apply_holiday_notice(std::move(rows), *n);
        if (!merged) {
            std::cerr << "vigil: " << o.notices[i] << ": " << merged.error().message(current_lang()) << '\n';
            return exit_bad_input;
        }
        rows = std::move(*merged);
    }
    const std::string csv = calendar_csv(rows);
    // What is written must load: the calendar's own reader checks it once more.
    auto check = calendar::parse(csv, o.into.empty() ? "<import>" : o.into);
    if (!check) {
        print_error(check.error());
        return exit_bad_input;
    }
    if (o.into.empty()) {
        std::cout << csv;
        return exit_ok;
    }
    // Whole or not at all: a synced temporary file renamed over the calendar.
    if (auto w = detail::write_file(o.into, csv); !w) {
        print_error(w.error());
        return exit_bad_input;
    }
    say("calendar.imported", {{"file", o.into}, {"dates", std::to_string(check->listed().size())}, {"years", check->years_text()}});
    return exit_ok;
}

}  // namespace

void register_calendar_import(CLI::App& cal) {
    auto opt = std::make_shared<import_options>();
    auto* imp = cal.add_subcommand("import", "Read the State Council's holiday notices (国务院办公厅关于YYYY年部分节假日安排的通知) into calendar rows.");
    imp->footer("Each NOTICE is the text of a notice as published: its title, number, numbered items\n"
                "(\"一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。\"), signature and date.\n"
                "It is checked (every holiday of the preamble itemised, 共N天 equal to the days listed, the weekdays\n"
                "written true of the dates, make-up days on weekends) and printed as calendar CSV (the format of\n"
                "data/calendar/cn.csv, header included), or merged into FILE with --into (written whole, then\n"
                "renamed over it). Notices changing a year's breaks (关于调整…/延长…假期的通知) follow the year's\n"
                "notice, on the same command line or already in FILE.\n"
                "Exit codes: 0 ok, 1 bad input, 2 bad usage.\n\n"
                "Examples:\n"
                "  vigil calendar import --source \"gov.cn content_7047091\" notice-2026.txt > cn-2026.csv\n"
                "  vigil calendar import --into my-calendar.csv notice-2027.txt\n"
                "  vigil deadlines --calendar my-calendar.csv --plan yuzhong TIMELINE.json");
    imp->add_option("NOTICE", opt->notices, "the notices' text files, in the order they were issued")->required();
    imp->add_option("--source", opt->sources, "where a notice's text comes from (one per notice, in order), kept in the rows");
    imp->add_option("--into", opt->into, "a calendar CSV to merge the notices into (created when missing)");
    imp->callback([opt] { status() = run_import(*opt); });
}

}  // namespace vigil::cli
