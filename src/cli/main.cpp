// The vigil command. Each sub-command lives in its own cmd_*.cpp and registers itself here.
#include "cli.hpp"

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
        int rc = app.exit(e);
        return rc == 0 ? 0 : vigil::cli::exit_bad_usage;
    }
    return vigil::cli::status();
}
