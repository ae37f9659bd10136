// vigil incident new | apply | show | verify — an incident's lifecycle in an event log.
#include "cli.hpp"
#include "lang.hpp"

#include <vigil/detail/read_file.hpp>
#include <vigil/event_log.hpp>
#include <vigil/lifecycle.hpp>
#include <vigil/time.hpp>

#include <boost/date_time/posix_time/posix_time.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace vigil::cli {

namespace {

struct incident_options {
    std::string log, plan, id, time, actor, event, payload, event_file, occurred, discovered, out = "text", mode = "0600";
    bool json = false;
};

// The clock lives here, at the edge: "now" in the plans' local time.
std::string now_local() { return format_local(boost::posix_time::second_clock::universal_time()); }

actor parse_actor(const std::string& s) {
    auto slash = s.find('/');
    if (slash == std::string::npos) return actor{s, ""};
    return actor{s.substr(0, slash), s.substr(slash + 1)};
}

// The plan of a log: --plan (an id or a file: paths come only from the command line) or the
// built-in plan its opening record names.
plan_ptr plan_for(const incident_options& o) {
    if (!o.plan.empty()) return open_plan(o.plan);
    auto named = incident_log::builtin_plan_of(o.log);
    if (!named) {
        print_error(named.error());
        status() = exit_bad_input;
        return nullptr;
    }
    return *named;
}

int fail(const error& e) {
    print_error(e);
    return exit_bad_input;
}

int run_new(const incident_options& o) {
    auto p = open_plan(o.plan);
    if (!p) return status();
    if (!p->lifecycle) {
        say("cli.plan_lacks_section", {{"plan", p->info.id}, {"section", "lifecycle"}});
        return exit_bad_input;
    }
    std::string id = o.id;
    if (id.empty()) {
        auto slash = o.log.find_last_of('/');
        id = o.log.substr(slash == std::string::npos ? 0 : slash + 1);
        if (auto dot = id.find('.'); dot != std::string::npos && dot > 0) id.resize(dot);
    }
    unsigned mode = 0;
    if (o.mode.empty() || o.mode.size() > 4 || o.mode.find_first_not_of("01234567") != std::string::npos ||
        (mode = static_cast<unsigned>(std::stoul(o.mode, nullptr, 8))) > 0666) {
        say("incident.bad_mode", {{"mode", o.mode}});
        return exit_bad_usage;
    }
    std::vector<std::pair<std::string, std::string>> before;
    if (!o.occurred.empty()) before.emplace_back("occurred", o.occurred);
    if (!o.discovered.empty()) before.emplace_back("discovered", o.discovered);
    auto log = incident_log::create(o.log, p, id, o.time.empty() ? now_local() : o.time, parse_actor(o.actor), before, mode);
    if (!log) return fail(log.error());
    std::cout << said("incident.opened", {{"id", id}, {"plan", p->info.id}, {"log", o.log}}) << '\n'
              << said("incident.opened_state", {{"state", log->state().state}, {"head", log->log().head()}}) << '\n';
    return exit_ok;
}

constexpr std::size_t max_event_bytes = 1u << 20;  // as parse_event

int run_apply(const incident_options& o) {
    log_entry e;
    const bool from_flags = !o.event.empty();
    if (from_flags == !o.event_file.empty()) {
        say("incident.event_source");
        return exit_bad_usage;
    }
    if (from_flags) {
        if (o.actor.empty()) {
            say("incident.event_needs_actor");
            return exit_bad_usage;
        }
        e = log_entry{o.time.empty() ? now_local() : o.time, parse_actor(o.actor), o.event, o.payload.empty() ? "{}" : o.payload};
    } else {
        auto text = detail::read_file(o.event_file, max_event_bytes, "event");
        if (!text) return fail(text.error());
        auto parsed = parse_event(*text, o.event_file == "-" ? "<stdin>" : o.event_file);
        if (!parsed) return fail(parsed.error());
        e = *parsed;
    }
    auto p = plan_for(o);
    if (!p) return status();
    auto log = incident_log::open(o.log, p);
    if (!log) return fail(log.error());
    print_warnings(log->log().warnings());
    auto r = log->apply(e);
    if (!r) {
        auto err = r.error();
        for (auto& d : err.diagnostics)
            if (d.source == "<event>") d.source = from_flags ? "--event" : (o.event_file == "-" ? "<stdin>" : o.event_file);
        return fail(err);
    }
    const auto& h = r->history.back();
    std::cout << said("incident.applied", {{"seq", std::to_string(h.seq)},
                                           {"event", h.event},
                                           {"actor", to_string(h.actor)},
                                           {"from", h.from},
                                           {"to", h.to},
                                           {"clause", h.clause}})
              << '\n'
              << said("incident.state", {{"state", r->state},
                                         {"grade", r->grade == grade::none ? std::string(tr({"none", "无"})) : std::string(to_string(r->grade))},
                                         {"warning", std::string(warning_text(r->warning))},
                                         {"response", r->response ? std::to_string(r->response) : std::string(tr({"none", "无"}))}})
              << '\n';
    return log->log().warnings().empty() ? exit_ok : exit_torn;
}

int run_show(const incident_options& o) {
    auto p = plan_for(o);
    if (!p) return status();
    auto c = event_log::read(o.log);
    if (!c) return fail(c.error());
    print_warnings(c->warnings);
    auto s = replay(*p, c->records);
    if (!s) return fail(s.error());
    if (o.json || o.out == "json") std::cout << to_json(*p, *s) << '\n';
    else std::cout << to_text(*p, *s, current_lang());
    return c->torn_bytes ? exit_torn : exit_ok;
}

int run_verify(const incident_options& o) {
    auto c = event_log::read(o.log);
    if (!c) return fail(c.error());
    print_warnings(c->warnings);
    auto p = plan_for(o);
    if (!p) return status();
    auto s = replay(*p, c->records);
    if (!s) return fail(s.error());
    std::cout << said(p->info.version.empty() ? "incident.verified" : "incident.verified_version",
                      {{"log", o.log}, {"n", std::to_string(c->records.size())}, {"plan", p->info.id}, {"version", p->info.version}})
              << '\n'
              << said("incident.head", {{"hash", c->records.back().hash}, {"seq", std::to_string(c->records.back().seq)}}) << '\n';
    if (c->torn_bytes) {
        std::cout << said("incident.torn_follows", {{"bytes", std::to_string(c->torn_bytes)}}) << '\n';
        return exit_torn;
    }
    return exit_ok;
}

int run_repair(const incident_options& o) {
    auto r = event_log::repair(o.log);
    if (!r) return fail(r.error());
    for (const auto& a : r->steps) std::cout << said(a.id, a.args) << '\n';
    std::cout << said(r->changed ? "incident.repaired" : "incident.nothing_to_repair", {{"log", o.log}, {"n", std::to_string(r->records)}})
              << '\n';
    return exit_ok;
}

}  // namespace

void register_incident(CLI::App& app) {
    auto o = std::make_shared<incident_options>();
    auto* inc = app.add_subcommand("incident", "An incident's lifecycle, kept in an append-only, hash-chained event log.");
    inc->require_subcommand(1);
    inc->footer(
        "The plan's lifecycle table says which events may follow in each state and who may fire them;\n"
        "a refused event leaves the log unchanged and says why.\n\n"
        "Exit codes: 0 ok, 1 bad input or a refused event or a broken or damaged log, 2 bad usage,\n"
        "5 done, but the log ends in a torn record (a crash mid-write; stderr names it and where its\n"
        "bytes were moved).\n\n"
        "Examples:\n"
        "  vigil incident new --plan yuzhong --actor 区市场监管局/局长 --id YZ-2026-001 incident.jsonl\n"
        "  vigil incident apply incident.jsonl examples/lifecycle/yuzhong/02_report.json\n"
        "  vigil incident apply incident.jsonl --event assess --actor 区市场监管局 --payload '{\"grade\": \"III\"}'\n"
        "  vigil incident show incident.jsonl --json\n"
        "  vigil incident verify incident.jsonl");

    auto* nw = inc->add_subcommand("new", "Open a new incident log under a plan (refuses an existing file).");
    nw->add_option("--plan", o->plan, "a built-in plan's id or a plan file")->required();
    nw->add_option("--actor", o->actor, "who opens it: UNIT or UNIT/ROLE of the plan's organisation")->required();
    nw->add_option("--id", o->id, "the incident's id (default: the log file's name)");
    nw->add_option("--time", o->time, "ISO 8601 with an offset (default: now)");
    nw->add_option("--occurred", o->occurred,
                   "when the incident occurred (事发), ISO 8601 with an offset, not after --time: the reporting\n"
                   "clocks that run from the occurrence (vigil deadlines on the log) read it");
    nw->add_option("--discovered", o->discovered,
                   "when the incident was discovered (发现: by a holder, maker, seller or hospital), before the\n"
                   "log was opened: the obligations that run from the discovery read it");
    nw->add_option("--mode", o->mode, "the log's permissions, octal (default 0600: only its owner reads it)");
    nw->add_option("LOG", o->log, "the log file to create (JSON Lines)")->required();
    nw->footer("Example:\n  vigil incident new --plan guiyang --actor 市指挥部办公室/主任 --occurred 2026-05-11T09:05:00+08:00 GY-2026-007.jsonl");
    nw->callback([o] { status() = run_new(*o); });

    auto* ap = inc->add_subcommand("apply", "Check an event against the plan's lifecycle and append it durably.");
    ap->add_option("LOG", o->log, "the incident's log")->required();
    ap->add_option("EVENT", o->event_file, "the event as JSON {event, time, actor: {unit, role}, payload}; - reads stdin");
    ap->add_option("--event", o->event, "the event's name (instead of EVENT)");
    ap->add_option("--actor", o->actor, "UNIT or UNIT/ROLE (with --event)");
    ap->add_option("--time", o->time, "ISO 8601 with an offset (with --event; default: now)");
    ap->add_option("--payload", o->payload, "the payload, a JSON object (with --event; default {})");
    ap->add_option("--plan", o->plan, "the plan (default: the one the log names)");
    ap->footer(
        "Prints the record it appended and the new state; a refused event prints why (which guard,\n"
        "which authority or endorsement was missing) and exits 1.\n\n"
        "Examples:\n"
        "  vigil incident apply incident.jsonl event.json\n"
        "  vigil incident apply incident.jsonl --event start_response --actor 区政府/分管副区长 \\\n"
        "      --payload '{\"level\": 3, \"endorsements\": [{\"as\": \"proposer\", \"unit\": \"区市场监管局\", \"ref\": \"请示1号\"}]}'");
    ap->callback([o] { status() = run_apply(*o); });

    auto* sh = inc->add_subcommand("show", "The incident: state, grade, warning, response, history, allowed next events.");
    sh->add_option("LOG", o->log, "the incident's log")->required();
    sh->add_option("--out", o->out, "output format: text or json")->check(CLI::IsMember({"text", "json"}));
    sh->add_flag("--json", o->json, "the same as --out json");
    sh->add_option("--plan", o->plan, "the plan (default: the one the log names)");
    sh->footer("Example:\n  vigil incident show incident.jsonl --out json");
    sh->callback([o] { status() = run_show(*o); });

    auto* vf = inc->add_subcommand("verify", "Verify the log's hash chain and replay it; names the first bad record.");
    vf->add_option("LOG", o->log, "the incident's log")->required();
    vf->add_option("--plan", o->plan, "the plan (default: the one the log names)");
    vf->footer("Exit codes: 0 the chain verifies and replays, 1 it does not (the first bad record is named) or\n"
               "the log ends before a record its mark says was acknowledged (damage), 5 it verifies but ends\n"
               "in a torn record (a crash mid-write, never acknowledged).\n\n"
               "Example:\n  vigil incident verify incident.jsonl");
    vf->callback([o] { status() = run_verify(*o); });

    auto* rp = inc->add_subcommand("repair", "Set aside a torn or damaged tail of the log, naming what it removes.");
    rp->add_option("LOG", o->log, "the incident's log")->required();
    rp->footer("Moves the bytes after the last complete record to LOG.torn-N (never deletes them) and resets the\n"
               "acknowledgement mark (LOG.ack) to the last complete record; says which bytes and which\n"
               "acknowledged records are gone. A chain broken before the tail is refused: repair removes no\n"
               "verified record.\n\n"
               "Example:\n  vigil incident repair incident.jsonl");
    rp->callback([o] { status() = run_repair(*o); });
}

}  // namespace vigil::cli
