// The lifecycle: the whole state x event x actor matrix of both plans (generated from the plans'
// tables by tests/data/gen_lifecycle_matrix.py, an oracle written apart from the engine), refusals
// with their reasons, replay determinism, and incident_log over the event log.
#include "test_support.hpp"

#include <vigil/lifecycle.hpp>
#include <vigil/time.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <deque>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace vigil;

namespace {

// RFC 4180 CSV (quoted fields with "" escapes), one record per line.
std::vector<std::vector<std::string>> read_csv(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> cells(1);
        bool quoted = false;
        for (std::size_t i = 0; i < line.size(); ++i) {
            char c = line[i];
            if (quoted) {
                if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                    cells.back() += '"';
                    ++i;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cells.back() += c;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.emplace_back();
            } else {
                cells.back() += c;
            }
        }
        rows.push_back(std::move(cells));
    }
    return rows;
}

std::vector<std::string> split(const std::string& s, const std::string& sep) {
    std::vector<std::string> out;
    if (s.empty()) return out;
    std::size_t pos = 0;
    for (;;) {
        auto next = s.find(sep, pos);
        out.push_back(s.substr(pos, next - pos));
        if (next == std::string::npos) break;
        pos = next + sep.size();
    }
    return out;
}

std::string ctx_of(const incident& s) {
    return s.state + "/" + std::string(to_string(s.grade)) + "/" + std::string(to_string(s.warning)) + "/" +
           std::to_string(s.response);
}

// A clock for the tests: every call is one minute later.
struct test_clock {
    instant t = *parse_instant("2026-03-02T08:00:00+08:00");
    std::string next() {
        t += boost::posix_time::minutes(1);
        return format_local(t);
    }
};

log_entry opening(const plan& p, test_clock& clock) {
    return log_entry{clock.next(), p.org->actors().front(), std::string(open_event),
                     "{\"plan\":\"" + p.info.id + "\",\"incident\":\"T-1\"}"};
}

bool mentions(const error& e, const std::string& words) { return e.message().find(words) != std::string::npos; }

}  // namespace

TEST_CASE("the state x event x actor matrix of each plan, as its table says", "[lifecycle][matrix]") {
    for (const std::string id : {"yuzhong", "guiyang"}) {
        DYNAMIC_SECTION(id) {
            auto p = builtin_plan(id);
            REQUIRE(p.has_value());
            const plan& pl = **p;
            REQUIRE(pl.lifecycle);
            const auto actors = pl.org->actors();
            std::map<std::string, std::pair<std::string, std::string>> variants;  // id -> event, payload
            auto vrows = read_csv(std::string(VIGIL_TEST_DATA) + "/lifecycle_variants_" + id + ".csv");
            for (std::size_t i = 1; i < vrows.size(); ++i) variants[vrows[i].at(0)] = {vrows[i].at(1), vrows[i].at(2)};
            std::map<std::string, std::vector<std::vector<std::string>>> lines;  // ctx -> lines
            auto mrows = read_csv(std::string(VIGIL_TEST_DATA) + "/lifecycle_matrix_" + id + ".csv");
            REQUIRE(mrows.size() > 1);
            for (std::size_t i = 1; i < mrows.size(); ++i) {
                const auto& r = mrows[i];
                REQUIRE(r.size() == 7);
                lines[r[0] + "/" + r[1] + "/" + r[2] + "/" + r[3]].push_back(r);
            }
            test_clock clock;
            auto s0 = start(pl, opening(pl, clock));
            REQUIRE(s0.has_value());
            std::map<std::string, incident> reached{{ctx_of(*s0), *s0}};
            std::deque<std::string> todo{ctx_of(*s0)};
            std::set<std::string> done;
            std::set<std::size_t> rows_taken;
            std::size_t cells = 0, accepted = 0, refused_count = 0;
            std::vector<std::string> wrong;  // cells where the engine and the table disagree
            while (!todo.empty()) {
                const std::string ctx = todo.front();
                todo.pop_front();
                if (!done.insert(ctx).second) continue;
                INFO(id << " context " << ctx);
                REQUIRE(lines.count(ctx) == 1);
                const incident& here = reached.at(ctx);
                for (const auto& line : lines[ctx]) {
                    const auto& [event, payload] = variants.at(line[4]);
                    const std::string& outcome = line[5];
                    std::map<std::string, std::pair<std::size_t, std::string>> allowed;  // actor -> row, next ctx
                    for (const auto& cell : split(line[6], " ; ")) {
                        auto parts = split(cell, ">");
                        REQUIRE(parts.size() == 3);
                        allowed[parts[0]] = {std::stoul(parts[1]), parts[2]};
                    }
                    const std::string when = clock.next();  // refused events leave the state: one time per line
                    for (const auto& a : actors) {
                        ++cells;
                        auto r = apply(pl, here, log_entry{when, a, event, payload});
                        auto it = allowed.find(to_string(a));
                        auto cell_text = [&] { return ctx + " + " + event + " " + payload + " by " + to_string(a) + " (expected " + outcome + "): "; };
                        if (outcome == "allowed" && it != allowed.end()) {
                            if (!r) {
                                wrong.push_back(cell_text() + "refused: " + r.error().message());
                                continue;
                            }
                            ++accepted;
                            const auto& [row, next] = it->second;
                            if (ctx_of(*r) != next) wrong.push_back(cell_text() + "went to " + ctx_of(*r) + ", not " + next);
                            if (r->history.back().clause != pl.lifecycle->rows.at(row).clause)
                                wrong.push_back(cell_text() + "fired the row of " + r->history.back().clause);
                            if (r->history.size() != here.history.size() + 1) wrong.push_back(cell_text() + "history not extended by one");
                            rows_taken.insert(row);
                            if (!reached.count(next)) {
                                reached.emplace(next, *r);
                                todo.push_back(next);
                            }
                            continue;
                        }
                        if (r) {
                            wrong.push_back(cell_text() + "accepted");
                            continue;
                        }
                        ++refused_count;
                        const std::string why = outcome == "allowed" || outcome == "authority" ? "authority: "
                                                : outcome == "guard"                          ? "guard "
                                                : outcome == "no_transition"                  ? "no transition for "
                                                                                              : "a final state";
                        if (r.error().code != errc::refused || !mentions(r.error(), why))
                            wrong.push_back(cell_text() + "refused without the reason \"" + why + "\": " + r.error().message());
                    }
                }
            }
            for (std::size_t i = 0; i < wrong.size() && i < 20; ++i) FAIL_CHECK(wrong[i]);
            CHECK(wrong.empty());
            // Every context of the table was reached, and every row was taken at least once.
            CHECK(done.size() == lines.size());
            for (const auto& row : pl.lifecycle->rows) {
                INFO("row " << row.index << " " << row.to_string());
                CHECK(rows_taken.count(row.index) == 1);
            }
            CHECK(accepted > 0);
            CHECK(refused_count > accepted);
            WARN(id << ": " << done.size() << " contexts, " << cells << " cells: " << accepted << " taken, " << refused_count
                    << " refused with their reason");
        }
    }
}

namespace {

// A walk through the yuzhong lifecycle, from first report to closing, grade III / response 3.
std::vector<log_entry> yuzhong_walk(test_clock& clock) {
    auto e = [&](const char* unit, const char* role, const char* event, std::string payload) {
        return log_entry{clock.next(), actor{unit, role}, event, std::move(payload)};
    };
    std::string checklist = R"({"checklist": {"no_new_cases": {"met": true, "evidence": "监测日报 3月9日"},
        "patients_stable": {"met": true, "evidence": "区卫健委 救治报告"}, "product_controlled": {"met": true, "evidence": "封存清单"},
        "source_traced": {"met": true, "evidence": "追溯报告"}, "cause_found": {"met": true, "evidence": "检验报告"},
        "responsibility_clear": {"met": true, "evidence": "调查报告"}, "opinion_guided": {"met": true, "evidence": "舆情周报"}}})";
    return {
        e("区市场监管局", "局长", "issue_warning", R"({"colour": "yellow"})"),
        e("区市场监管局", "局长", "report", R"({"report_ref": "渝中市监〔2026〕1号"})"),
        e("区市场监管局", "局长", "assess", R"({"grade": "III"})"),
        e("区政府", "分管副区长", "start_response",
          R"({"level": 3, "endorsements": [{"as": "proposer", "unit": "区市场监管局", "ref": "请示〔2026〕2号"}]})"),
        e("区市场监管局", "", "follow_up_report", R"({"report_ref": "续报1"})"),
        e("区指挥部", "指挥长", "request_termination", checklist),
        e("区指挥部", "指挥长", "end_response", "{}"),
        e("区指挥部", "指挥长", "start_aftermath", "{}"),
        e("区市场监管局", "局长", "submit_summary",
          R"({"summary_ref": "总结评估报告", "endorsements": [{"as": "authorised_by", "unit": "区指挥部", "ref": "授权书"}]})"),
        e("区指挥部", "指挥长", "close", "{}"),
    };
}

}  // namespace

TEST_CASE("refusals say why: endorsement, checklist, authority, time, actor, payload", "[lifecycle]") {
    auto p = builtin_plan("yuzhong");
    REQUIRE(p.has_value());
    const plan& pl = **p;
    test_clock clock;
    auto s = start(pl, opening(pl, clock));
    REQUIRE(s.has_value());
    auto step = [&](const incident& in, const char* unit, const char* role, const char* ev, const std::string& payload) {
        return apply(pl, in, log_entry{clock.next(), actor{unit, role}, ev, payload});
    };
    auto r = step(*s, "区市场监管局", "", "report", R"({"report_ref": "r1"})");
    REQUIRE(r.has_value());
    r = step(*r, "区市场监管局", "", "assess", R"({"grade": "II"})");
    REQUIRE(r.has_value());
    // Start a level-1 response: the city HQ, and only it.
    auto no = step(*r, "区政府", "区长", "start_response", R"({"level": 1})");
    REQUIRE_FALSE(no.has_value());
    CHECK(mentions(no.error(), "authority: 区政府/区长 may not fire it; it is fired by 市指挥部"));
    auto one = step(*r, "市指挥部", "指挥长", "start_response", R"({"level": 1})");
    REQUIRE(one.has_value());
    CHECK(one->response == 1);
    // Ask to end it without the checklist: every missing item named.
    auto q = step(*one, "市指挥部", "指挥长", "request_termination",
                  R"({"checklist": {"no_new_cases": {"met": true, "evidence": "e"}, "cause_found": {"met": false, "evidence": "e"}}})");
    REQUIRE_FALSE(q.has_value());
    CHECK(mentions(q.error(), "checklist termination (yuzhong 4.7) is not complete"));
    CHECK(mentions(q.error(), "cause_found (原因查明)"));
    CHECK(mentions(q.error(), "opinion_guided"));
    CHECK_FALSE(mentions(q.error(), "no_new_cases ("));
    std::string full = R"({"checklist": {)";
    for (const auto& it : pl.lifecycle->find_checklist("termination")->items)
        full += "\"" + it.id + "\": {\"met\": true, \"evidence\": \"ref\"},";
    full.back() = '}';
    full += "}";
    auto t = step(*one, "市指挥部", "指挥长", "request_termination", full);
    REQUIRE(t.has_value());
    CHECK(t->state == "terminating");
    // Ending response 1 needs the NMPA's consent (yuzhong 4.7).
    auto end = step(*t, "市指挥部", "指挥长", "end_response", "{}");
    REQUIRE_FALSE(end.has_value());
    CHECK(mentions(end.error(), "missing endorsement: consent by 国家药监局"));
    auto ended = step(*t, "市指挥部", "指挥长", "end_response",
                      R"({"endorsements": [{"as": "consent", "unit": "国家药监局", "ref": "药监函〔2026〕9号"}]})");
    REQUIRE(ended.has_value());
    CHECK(ended->state == "ended");
    CHECK(ended->response == 0);
    // The district HQ may not end a level-1 response, whatever it carries.
    auto district = step(*t, "区指挥部", "指挥长", "end_response",
                         R"({"endorsements": [{"as": "consent", "unit": "国家药监局", "ref": "x"}]})");
    REQUIRE_FALSE(district.has_value());
    CHECK(mentions(district.error(), "guard current level in {3, 4} failed"));
    CHECK(mentions(district.error(), "authority: 区指挥部/指挥长 may not fire it"));
    // Time runs forward; actors are of the organisation; payloads are objects.
    auto back = apply(pl, *t, log_entry{"2026-03-02T08:00:00+08:00", actor{"市指挥部", "指挥长"}, "end_response", "{}"});
    REQUIRE_FALSE(back.has_value());
    CHECK(mentions(back.error(), "before the last event"));
    auto who = step(*t, "某公司", "", "end_response", "{}");
    REQUIRE_FALSE(who.has_value());
    CHECK(mentions(who.error(), "not a unit (and role) of the plan's organisation"));
    auto role = step(*t, "市指挥部", "秘书", "end_response", "{}");
    REQUIRE_FALSE(role.has_value());
    CHECK(role.error().code == errc::refused);
    auto bad = step(*t, "市指挥部", "指挥长", "end_response", "[1]");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == errc::invalid_input);
    auto unknown = step(*t, "市指挥部", "指挥长", "dance", "{}");
    REQUIRE_FALSE(unknown.has_value());
    CHECK(mentions(unknown.error(), "unknown event \"dance\""));
    CHECK(mentions(unknown.error(), "events allowed in this state: "));
    // A refused event leaves the incident as it was: apply() takes it by const reference and
    // the value kept is unchanged.
    CHECK(t->history.size() == 5);
    CHECK(t->state == "terminating");
}

TEST_CASE("show: allowed next events with who may fire them", "[lifecycle]") {
    auto p = builtin_plan("yuzhong");
    REQUIRE(p.has_value());
    test_clock clock;
    auto s = start(**p, opening(**p, clock));
    REQUIRE(s.has_value());
    auto next = allowed_next(**p, *s);
    std::set<std::string> events;
    for (const auto& a : next) events.insert(a.event);
    // the lifecycle's own events, and the events of the obligations a monitoring incident can record
    // (3.1.2 monitoring information, 3.2.4(3) control measures, 4.1.1(1) another channel, a flag)
    CHECK(events == std::set<std::string>{"issue_warning", "report", "close", "risk_information", "control_measures",
                                          "other_channel_info", "flag_set", "flag_cleared"});
    bool red_by_city = false;
    for (const auto& a : next)
        if (a.event == "issue_warning" && to_string(a.by) == "市药监局") {
            red_by_city = true;
            REQUIRE(a.endorsements.size() == 1);
            CHECK(a.endorsements[0].as == "proposer");
            CHECK(a.conditions.at(0) == "colour in {orange, red}");
        }
    CHECK(red_by_city);
    auto json = to_json(**p, *s);
    CHECK(json.find("\"state\":\"monitoring\"") != std::string::npos);
    CHECK(json.find("\"allowed_next\":[") != std::string::npos);
    auto text = to_text(**p, *s);
    CHECK(text.find("allowed next") != std::string::npos);
}

TEST_CASE("incident_log: a walk from first report to closing, replayed exactly, shared by two processes",
          "[lifecycle][event_log]") {
    auto p = builtin_plan("yuzhong");
    REQUIRE(p.has_value());
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/vigil-incident-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    REQUIRE(::mkdtemp(buf.data()) != nullptr);
    const std::string dir(buf.data());
    const std::string path = dir + "/incident.jsonl";
    test_clock clock;
    auto log = incident_log::create(path, *p, "YZ-2026-001", clock.next(), actor{"区市场监管局", "局长"});
    REQUIRE(log.has_value());
    auto walk = yuzhong_walk(clock);
    std::vector<std::string> states;
    for (const auto& e : walk) {
        INFO(e.event);
        auto r = log->apply(e);
        REQUIRE(r.has_value());
        states.push_back(ctx_of(*r));
    }
    CHECK(states.back() == "closed/III/yellow/0");
    CHECK(log->state().history.size() == walk.size() + 1);
    const std::string shown = to_json(**p, log->state());
    // Replay: the same records give the same incident, every time, also after reopening.
    auto again = incident_log::open(path, *p);
    REQUIRE(again.has_value());
    CHECK(to_json(**p, again->state()) == shown);
    auto read = event_log::read(path);
    REQUIRE(read.has_value());
    auto r1 = replay(**p, read->records);
    auto r2 = replay(**p, read->records);
    REQUIRE(r1.has_value());
    REQUIRE(r2.has_value());
    CHECK(to_json(**p, *r1) == shown);
    CHECK(to_json(**p, *r2) == shown);
    // A closed incident refuses everything; the log is unchanged.
    auto closed = again->apply(log_entry{clock.next(), actor{"区指挥部", "指挥长"}, "report", R"({"report_ref": "x"})"});
    REQUIRE_FALSE(closed.has_value());
    CHECK(mentions(closed.error(), "final state"));
    CHECK(event_log::read(path)->records.size() == walk.size() + 1);
    auto plan_id = incident_log::plan_of(path);
    REQUIRE(plan_id.has_value());
    CHECK(*plan_id == "yuzhong");
    // The log is for yuzhong: guiyang cannot open it.
    auto g = builtin_plan("guiyang");
    REQUIRE(g.has_value());
    auto wrong = incident_log::open(path, *g);
    REQUIRE_FALSE(wrong.has_value());
    CHECK(mentions(wrong.error(), "the log is for plan \"yuzhong\""));

    // Two processes: a child appends while the parent holds an open handle; the parent's next
    // event is checked against the state that includes the child's.
    const std::string path2 = dir + "/shared.jsonl";
    test_clock c2;
    auto parent = incident_log::create(path2, *p, "YZ-2026-002", c2.next(), actor{"区市场监管局", "局长"});
    REQUIRE(parent.has_value());
    const std::string t1 = c2.next(), t2 = c2.next();
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        auto child = incident_log::open(path2, *p);
        if (!child) ::_exit(2);
        auto r = child->apply(log_entry{t1, actor{"区市场监管局", "局长"}, "report", R"({"report_ref": "r"})"});
        ::_exit(r ? 0 : 3);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    CHECK(parent->state().state == "monitoring");  // not yet seen
    auto assessed = parent->apply(log_entry{t2, actor{"区市场监管局", "局长"}, "assess", R"({"grade": "IV"})"});
    REQUIRE(assessed.has_value());
    CHECK(assessed->state == "assessed");
    CHECK(assessed->history.size() == 3);
    std::system(("rm -rf '" + dir + "'").c_str());
}

TEST_CASE("bad lifecycle tables are refused with their JSON pointer", "[lifecycle][plan]") {
    auto yz = std::string(VIGIL_SOURCE_DIR) + "/data/plans/yuzhong.json";
    std::ifstream in(yz);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string good = ss.str();
    REQUIRE(load_plan(good).has_value());
    struct edit {
        std::string from, to, pointer, words;
    };
    const std::vector<edit> edits = {
        {R"("initial": "monitoring")", R"("initial": "watching")", "/lifecycle/initial", "unknown state"},
        {R"("to": "warning")", R"("to": "warned")", "/lifecycle/transitions/0/to", "unknown state"},
        {R"("from": "monitoring",)", R"("from": "nowhere",)", "/lifecycle/transitions/0/from", "unknown state"},
        {R"("colour_in": [)", R"("colour_is": [)", "/lifecycle/transitions/0/guards/colour_is", "unknown field"},
        {R"("checklist": "termination")", R"("checklist": "ending")", "/lifecycle/transitions/21/guards/checklist", "checklist"},
        {R"("actions": [
          "set_warning")", R"("actions": [
          "raise_flag")", "/lifecycle/transitions/0/actions/0", "expected an action"},
        // Every actor of the table is a unit (and role) of the organisation.
        {R"("by": [
          "区市场监管局"
        ],)", R"("by": [
          "区市场局"
        ],)", "/lifecycle/transitions/0/by/0", "unknown unit \"区市场局\""},
        {R"("by": [
          "区市场监管局"
        ],)", R"("by": [
          "区市场监管局/科长"
        ],)", "/lifecycle/transitions/0/by/0", "has no role \"科长\""},
        {R"("any": [
              "区市场监管局"
            ])", R"("any": [
              "区政府办"
            ])", "/lifecycle/transitions/1/endorsements/0/any/0", "unknown unit \"区政府办\""},
    };
    for (const auto& e : edits) {
        INFO(e.from << " -> " << e.to);
        auto at = good.find(e.from);
        REQUIRE(at != std::string::npos);
        std::string text = good;
        text.replace(at, e.from.size(), e.to);
        auto r = load_plan(text, "yuzhong.json");
        REQUIRE_FALSE(r.has_value());
        bool found = false;
        const error r_error = r.error();  // error() gives a copy: keep it alive over the loop
        for (const auto& d : r_error.diagnostics)
            found = found || (d.pointer.rfind(e.pointer, 0) == 0 && d.message.find(e.words) != std::string::npos);
        INFO(r.error().message());
        CHECK(found);
    }
}

TEST_CASE("the opening records when the incident occurred (tests/data/lifecycle_opening.txt)", "[lifecycle]") {
    auto rows = vigil::test::read_table(vigil::test::data_path("lifecycle_opening.txt"));
    REQUIRE(rows.size() >= 8);
    for (const std::string id : {"yuzhong", "guiyang"}) {
        auto p = builtin_plan(id);
        REQUIRE(p.has_value());
        const plan& pl = **p;
        for (const auto& r : rows) {
            REQUIRE(r.cells.size() >= 4);
            INFO(id << ", line " << r.line << ": occurred_at " << r.cells[1]);
            std::string payload = "{\"plan\":\"" + pl.info.id + "\",\"incident\":\"T-1\"";
            if (r.cells[1] != "-") payload += ",\"occurred_at\":" + r.cells[1];
            payload += "}";
            auto s = start(pl, log_entry{r.cells[0], pl.org->actors().front(), std::string(open_event), payload});
            if (r.cells[2] == "ok") {
                REQUIRE(s.has_value());
                CHECK((s->occurred_at ? format_local(*s->occurred_at) : std::string()) == r.cells[3]);
                if (!r.cells[3].empty()) {
                    CHECK_THAT(to_json(pl, *s), Catch::Contains("\"occurred_at\":\"" + r.cells[3] + "\""));
                    CHECK_THAT(to_text(pl, *s), Catch::Contains("occurred  " + r.cells[3]));
                } else {
                    CHECK_THAT(to_json(pl, *s), !Catch::Contains("occurred_at"));
                }
            } else {
                REQUIRE_FALSE(s.has_value());
                CHECK(s.error().code == errc::invalid_input);
                REQUIRE(s.error().diagnostics.size() == 1);
                CHECK(s.error().diagnostics.front().pointer == r.cells[2]);
                CHECK_THAT(s.error().diagnostics.front().message, Catch::Contains(r.cells[3]));
            }
        }
    }
}

TEST_CASE("who may start which response: the grade as well as the level (tests/data/lifecycle_response_authority.txt)",
          "[lifecycle]") {
    auto rows = vigil::test::read_table(vigil::test::data_path("lifecycle_response_authority.txt"));
    REQUIRE(rows.size() >= 20);
    std::set<std::string> plans_seen;
    for (const auto& r : rows) {
        REQUIRE(r.cells.size() >= 9);
        INFO("line " << r.line << ": " << r.cells[1] << ", grade " << r.cells[2] << ", " << r.cells[4] << " " << r.cells[5]
                     << " by " << r.cells[6]);
        auto p = builtin_plan(r.cells[0]);
        REQUIRE(p.has_value());
        const plan& pl = **p;
        plans_seen.insert(pl.info.id);
        test_clock clock;
        auto s = start(pl, opening(pl, clock));
        REQUIRE(s.has_value());
        const int current = std::stoi(r.cells[3]);
        s->state = current ? "responding" : "assessed";
        s->grade = *parse_grade(r.cells[2]);
        s->response = current;
        std::string endorsements;
        for (const auto& e : split(r.cells[7], ", ")) {
            if (e.empty()) continue;
            const auto eq = e.find('='), slash = e.find('/');
            const std::string unit = e.substr(eq + 1, slash == std::string::npos ? std::string::npos : slash - eq - 1);
            const std::string role = slash == std::string::npos ? "" : e.substr(slash + 1);
            endorsements += std::string(endorsements.empty() ? "" : ",") + "{\"as\":\"" + e.substr(0, eq) + "\",\"unit\":\"" + unit +
                            "\",\"role\":\"" + role + "\",\"ref\":\"文件\"}";
        }
        const auto slash = r.cells[6].find('/');
        const actor by{r.cells[6].substr(0, slash), slash == std::string::npos ? "" : r.cells[6].substr(slash + 1)};
        const std::string payload = "{\"level\":" + r.cells[5] + ",\"endorsements\":[" + endorsements + "]}";
        auto next = apply(pl, *s, log_entry{clock.next(), by, r.cells[4], payload});
        if (r.cells[8] == "ok") {
            INFO((next ? std::string() : next.error().message()));
            REQUIRE(next.has_value());
            CHECK(next->response == std::stoi(r.cells[5]));
            CHECK(next->history.back().clause == r.cells[1]);
        } else {
            REQUIRE_FALSE(next.has_value());
            CHECK(next.error().code == errc::refused);
            CHECK(mentions(next.error(), r.cells[9]));
        }
    }
    CHECK(plans_seen == std::set<std::string>{"guiyang", "yuzhong"});
}
