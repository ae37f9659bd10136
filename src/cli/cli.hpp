// Internal: what the vigil command's sub-commands share.
#pragma once

#include <vigil/plan.hpp>

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace vigil::cli {

/// Exit codes of the vigil command, every one of them (README.md, "Exit codes", lists them). A code
/// means one thing in every command.
enum exit_code : int {
    exit_ok = 0,
    exit_bad_input = 1,     ///< a bad file, row or event; a refused event; a broken or damaged log
    exit_bad_usage = 2,     ///< a bad option or argument; an unknown plan id
    exit_not_final = 3,     ///< deadlines/audit: some rows are not final (a year the calendar lacks, or provisional)
    exit_found = 4,         ///< a check found what it looks for: audit, a status of --fail-on (default: late,
                            ///< missing); plan diff, a difference
    exit_torn = 5,          ///< incident: done, but the log ended in a torn record (a crash mid-write);
                            ///< stderr names it and, when it was moved aside, the file that keeps its bytes
};

/// The exit status the sub-command that ran has set.
int& status();

/// Print an error's diagnostics to stderr, prefixed with "vigil: ", in this run's language (--lang).
void print_error(const vigil::error& e);
/// Warnings (a torn tail of a log, left out) on stderr, each as "vigil: warning: …".
void print_warnings(const std::vector<vigil::diagnostic>& w);
/// Print catalogue message `id` (vigil/messages.hpp) to stderr, prefixed with "vigil: ", in this
/// run's language. Every message the command prints on stderr goes through here or print_error.
void say(std::string_view id, message_args args = {});
/// The same text, not printed.
std::string said(std::string_view id, message_args args = {});

/// A built-in plan's id or a plan file; prints the error and returns nullptr when it fails.
plan_ptr open_plan(const std::string& id_or_path);

/// Display width of UTF-8 text on a terminal (CJK characters take two columns).
std::size_t display_width(std::string_view s);
/// `s` padded with spaces to display width `w`.
std::string pad(std::string_view s, std::size_t w);
/// Rows as columns aligned by display width, two spaces apart, the last column unpadded. With
/// `notes`, notes[k - 1] follows row k (k > 0: the first row is the header), indented.
void print_table(std::ostream& os, const std::vector<std::vector<std::string>>& rows,
                 const std::vector<std::string>* notes = nullptr);

// One registration function per sub-command (each in its cmd_*.cpp).
void register_plans(CLI::App& app);
void register_classify(CLI::App& app);
void register_detect(CLI::App& app);     // detect (cmd_detect.cpp)
void register_watch(CLI::App& app);      // watch (cmd_detect.cpp)
void register_deadlines(CLI::App& app);  // deadlines, audit, report, calendar
void register_calendar_import(CLI::App& calendar);  // calendar import (cmd_calendar.cpp), under `calendar`
void register_incident(CLI::App& app);   // incident new, apply, show, verify
void register_plan_chart(CLI::App& plan);  // plan chart (cmd_charts.cpp), under `plan`

}  // namespace vigil::cli
