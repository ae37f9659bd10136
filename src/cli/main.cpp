// The vigil command. Each sub-command lives in its own cmd_*.cpp and registers itself here.
#include "cli.hpp"
#include "lang.hpp"

#include <vigil/version.hpp>

#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"vigil — grades drug and medical-device safety incidents against Chinese regulators' emergency\n"
                 "plans, citing the clause of the plan behind every answer.\n\n"
                 "Examples:\n"
                 "  vigil plans\n"
                 "  vigil classify --plan yuzhong --out table examples/incidents.csv\n"
                 "  vigil detect --plan guiyang --out table --level county examples/reports.csv\n"
                 "  vigil plan check my-plan.json\n"};
    app.set_version_flag("--version", std::string(vigil::version_string));
    // --lang: the language of tables, notes and messages (before or after the sub-command). It is
    // set before any sub-command runs; JSON output does not depend on it.
    vigil::cli::set_lang(vigil::cli::lang_from_environment());
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        std::string_view v;
        if (a == "--lang" && i + 1 < argc) v = argv[i + 1];
        else if (a.rfind("--lang=", 0) == 0) v = a.substr(7);
        else continue;
        vigil::cli::lang l;
        if (vigil::cli::parse_lang(v, l)) vigil::cli::set_lang(l);
    }
    std::string lang_option;
    app.add_option("--lang", lang_option,
                   "zh|en: the language of tables, notes and messages (default: from LC_ALL, LC_MESSAGES or LANG, "
                   "Chinese when it begins with zh); JSON keys stay English")
        ->check(CLI::IsMember({"zh", "en"}));
    app.fallthrough();
    app.require_subcommand(1);
    vigil::cli::register_plans(app);
    vigil::cli::register_classify(app);
    vigil::cli::register_detect(app);
    vigil::cli::register_watch(app);
    vigil::cli::register_deadlines(app);
    vigil::cli::register_incident(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);  // --help, --version
        // CLI11's own text names the option and what was wrong with it; the frame is the catalogue's.
        std::cerr << vigil::cli::said("cli.usage", {{"detail", e.what()}}) << '\n' << vigil::cli::said("cli.usage_help") << '\n';
        return vigil::cli::exit_bad_usage;
    }
    return vigil::cli::status();
}
