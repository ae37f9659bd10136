// Reporting obligations of both plans: due instants, restarts, recurrences, the audit, malformed
// timelines, bad obligation sections, and the first-report template (tests/data/obligations/).
#include "test_support.hpp"

#include <vigil/event_log.hpp>
#include <vigil/lifecycle.hpp>
#include <vigil/obligations.hpp>

#include <boost/json.hpp>

#include <filesystem>
#include <map>
#include <regex>
#include <set>

using namespace vigil;
namespace json = boost::json;

namespace {

json::value read_json(const std::string& rel) {
    auto text = test::read_file(test::data_path(rel));
    REQUIRE(!text.empty());
    return json::parse(text);
}

std::string str(const json::value& v) { return std::string(v.as_string()); }

plan_ptr builtin(const std::string& id) {
    auto p = builtin_plan(id);
    REQUIRE(p);
    REQUIRE((*p)->obligations);
    return *p;
}

calendar cn() {
    auto c = builtin_calendar();
    REQUIRE(c);
    return *c;
}

// A case's timeline; "through_plan": true reads it through the plan's log_events (a lifecycle log).
result<timeline> case_timeline(const json::object& c, const plan* p = nullptr) {
    if (const auto* t = c.if_contains("text")) {
        if (p && c.contains("through_plan")) return parse_timeline(str(*t), *p, "case");
        return parse_timeline(str(*t), "case");
    }
    const auto& t = c.at("timeline");
    if (t.is_string()) return load_timeline_file(std::string(VIGIL_SOURCE_DIR) + "/" + str(t));
    return parse_timeline(json::serialize(t), "case");
}

std::string base_id(const std::string& id) { return id.substr(0, id.find('#')); }

}  // namespace

namespace {

// One case of tests/data/obligations/*.json: its timeline's deadlines are exactly `expect`, and its
// audit as of `now` says `audit` (status, times, and words the finding must contain). The
// obligation ids it exercised are added to `covered`.
void check_case(const json::object& c, const calendar& cal, std::map<std::string, std::set<std::string>>& covered) {
    const std::string name = str(c.at("name"));
    INFO("case: " << name);
    auto p = builtin(str(c.at("plan")));
    auto t = case_timeline(c);
    REQUIRE(t);
    auto now = parse_instant(str(c.at("now")));
    REQUIRE(now);
    const bool provisional = c.contains("provisional") && c.at("provisional").as_bool();
    const calendar used = provisional ? cal.provisional() : cal;
    auto due = compute_deadlines(*p, *t, used, deadline_options{*now});
    REQUIRE(due);

    // Exactly the expected instances, no more, no fewer.
    const auto& expect = c.at("expect").as_object();
    std::set<std::string> got_ids, want_ids;
    for (const auto& d : *due) got_ids.insert(d.id);
    for (const auto& kv : expect) want_ids.insert(std::string(kv.key()));
    CHECK(got_ids == want_ids);

    for (const auto& d : *due) {
        auto it = expect.find(d.id);
        if (it == expect.end()) continue;
        INFO("instance " << d.id << ": " << d.explanation);
        covered[p->info.id].insert(base_id(d.id));
        const auto& e = it->value().as_object();
        CHECK_THAT(d.explanation, Catch::Contains(d.rule->clause));
        if (!d.rule->every) CHECK_THAT(d.explanation, Catch::Contains("Due:"));
        // A due date in days the calendar has not settled: refused on its own row, or provisional.
        CHECK(d.provisional == (e.contains("provisional") && e.at("provisional").as_bool()));
        if (const auto* v = e.if_contains("calendar_unknown")) {
            CHECK(d.calendar_unknown == v->as_int64());
            CHECK(d.rule->timing == timing::within);
            CHECK_THAT(d.explanation, Catch::Contains("calendar_unknown " + std::to_string(d.calendar_unknown)));
        } else {
            CHECK(d.calendar_unknown == 0);
        }
        if (const auto* v = e.if_contains("due")) {
            REQUIRE(d.due);
            CHECK(format_local(*d.due) == str(*v));
            CHECK_THAT(d.explanation, Catch::Contains(format_local(*d.due)));
        } else if (e.contains("calendar_unknown")) {
            CHECK(!d.due);
        } else {
            CHECK(!d.due);
            REQUIRE(e.contains("timing"));
            CHECK(to_string(d.rule->timing) == str(e.at("timing")));
        }
        if (const auto* v = e.if_contains("anchor")) {
            REQUIRE(d.anchor_at);
            CHECK(format_local(*d.anchor_at) == str(*v));
        }
        if (const auto* v = e.if_contains("restarted")) CHECK(d.restarted == v->as_bool());
        if (const auto* v = e.if_contains("superseded_by")) {
            CHECK(d.superseded);
            CHECK(d.superseded_by == str(*v));
            CHECK_THAT(d.explanation, Catch::Contains("Superseded at"));
        } else {
            CHECK(!d.superseded);
        }
        if (d.restarted) CHECK_THAT(d.explanation, Catch::Contains("Clock: restarted when the incident reached grade"));
        if (const auto* v = e.if_contains("explains"))
            for (const auto& s : v->as_array()) CHECK_THAT(d.explanation, Catch::Contains(str(s)));
    }

    // The audit as of `now`.
    if (const auto* av = c.if_contains("audit")) {
        auto a = audit(*p, *t, used, *now);
        REQUIRE(a);
        REQUIRE(a->size() == due->size());
        for (const auto& kv : av->as_object()) {
            const std::string id(kv.key());
            INFO("audit of " << id);
            auto it = std::find_if(a->begin(), a->end(), [&](const audit_entry& x) { return x.due.id == id; });
            REQUIRE(it != a->end());
            INFO(it->explanation);
            const auto& e = kv.value().as_object();
            CHECK(to_string(it->status) == str(e.at("status")));
            CHECK(!it->explanation.empty());
            if (const auto* r = e.if_contains("reported_at")) {
                REQUIRE(it->reported_at);
                CHECK(format_local(*it->reported_at) == str(*r));
            }
            if (const auto* l = e.if_contains("late_by_seconds")) {
                REQUIRE(it->late_by);
                CHECK(it->late_by->total_seconds() == l->as_int64());
                CHECK_THAT(it->explanation, Catch::Contains("late by " + format_duration(*it->late_by)));
            }
            if (it->status == audit_status::missing || it->status == audit_status::outstanding) CHECK(!it->missing_to.empty());
            if (it->status == audit_status::on_time || it->status == audit_status::late || it->status == audit_status::reported) {
                CHECK(it->missing_to.empty());
                CHECK(it->reported_at);
                CHECK(!it->reports.empty());
            }
        }
    }
}

}  // namespace

TEST_CASE("obligations: every obligation of both plans, computed from timelines (tests/data/obligations/cases.json)") {
    auto cal = cn();
    const auto doc = read_json("obligations/cases.json");
    std::map<std::string, std::set<std::string>> covered;  // plan -> obligation ids seen in expectations
    for (const auto& cv : doc.at("cases").as_array()) check_case(cv.as_object(), cal, covered);
    // Every obligation of both plans is exercised by at least one case.
    for (const std::string id : {"yuzhong", "guiyang"}) {
        auto p = builtin(id);
        for (const auto& ob : p->obligations->items) {
            INFO(id << " obligation " << ob.id << " (" << ob.clause << ") has no case in cases.json");
            CHECK(covered[id].count(ob.id) == 1);
        }
    }
}

TEST_CASE("obligations: the reporting rules, each a table of cases naming its clause, both plans where it applies (tests/data/obligations/rules.json)") {
    auto cal = cn();
    const auto doc = read_json("obligations/rules.json");
    std::map<std::string, std::set<std::string>> covered;
    std::map<std::string, std::set<std::string>> plans_of_rule;  // rule -> plans with a case
    for (const auto& cv : doc.at("cases").as_array()) {
        const auto& c = cv.as_object();
        REQUIRE(c.contains("rule"));
        REQUIRE(c.contains("clause"));
        CHECK_THAT(str(c.at("name")), Catch::Contains(str(c.at("clause"))));
        plans_of_rule[str(c.at("rule"))].insert(str(c.at("plan")));
        check_case(c, cal, covered);
    }
    // Each rule is tested in every plan it applies to (rules.json "rules": rule -> plans).
    for (const auto& kv : doc.at("rules").as_object()) {
        INFO("rule " << std::string(kv.key()));
        std::set<std::string> want;
        for (const auto& x : kv.value().as_array()) want.insert(str(x));
        CHECK(plans_of_rule[std::string(kv.key())] == want);
    }
}

TEST_CASE("obligations: both plans cite every row of their reporting tables") {
    // Clause ids the obligations must cite (domain.md §4): one row of the table each.
    const std::map<std::string, std::set<std::string>> want = {
        {"yuzhong", {"yuzhong 4.1.1(1)", "yuzhong 4.1.1(2)", "yuzhong 4.1.1(3)", "yuzhong 4.1.3", "yuzhong 4.6", "yuzhong 5.2",
                     "yuzhong 7.1", "yuzhong 7.2"}},
        {"guiyang",
         {"guiyang A5 可能特别重大、重大", "guiyang A5 特别重大、重大(1)", "guiyang A5 特别重大、重大(2)", "guiyang A5 较大(1)",
          "guiyang A5 较大(2)", "guiyang A5 较大(3)", "guiyang A5 一般(1)", "guiyang A5 一般(2)", "guiyang A5 一般 舆论炒作",
          "guiyang A5 核报电话", "guiyang A5 调度核实", "guiyang A5 报送信息", "guiyang A5 指示批示", "guiyang A5 未达较大 核报"}},
    };
    for (const auto& [id, clauses] : want) {
        auto p = builtin(id);
        std::set<std::string> got;
        for (const auto& ob : p->obligations->items) {
            got.insert(ob.clause);
            CHECK(!ob.text.empty());
            CHECK(!ob.summary.empty());
        }
        for (const auto& c : clauses) {
            INFO(id << ": " << c);
            CHECK(got.count(c) == 1);
        }
    }
    auto g = builtin("guiyang");
    REQUIRE(g->obligations->floors.size() == 1);
    CHECK(g->obligations->floors[0].clause == "guiyang A5 敏感");
    CHECK(g->obligations->floors[0].grade == grade::III);
}

TEST_CASE("obligations: malformed timelines are refused with a clear message (tests/data/obligations/bad_timelines.json)") {
    auto cal = cn();
    const auto doc = read_json("obligations/bad_timelines.json");
    for (const auto& cv : doc.at("cases").as_array()) {
        const auto& c = cv.as_object();
        INFO("case: " << str(c.at("name")));
        auto p = builtin(str(c.at("plan")));
        const std::string code = str(c.at("code"));
        const errc want = code == "parse_error" ? errc::parse_error : code == "out_of_range" ? errc::out_of_range : errc::invalid_input;
        auto t = case_timeline(c, p.get());
        std::optional<error> err;
        if (!t) {
            err = t.error();
        } else {
            deadline_options opt;
            if (const auto* n = c.if_contains("now")) opt.as_of = *parse_instant(str(*n));
            auto d = compute_deadlines(*p, *t, cal, opt);
            REQUIRE(!d);
            err = d.error();
            auto a = audit(*p, *t, cal, opt.as_of.value_or(t->events.back().at));
            REQUIRE(!a);
            CHECK(a.error().code == want);
        }
        REQUIRE(err);
        INFO(err->message());
        CHECK(err->code == want);
        CHECK_THAT(err->message(), Catch::Contains(str(c.at("says"))));
        const std::string ptr = str(c.at("pointer"));
        if (!ptr.empty()) {
            bool found = false;
            for (const auto& d : err->diagnostics) found = found || d.pointer == ptr;
            CHECK(found);
        }
    }
}

TEST_CASE("obligations: bad obligation sections are refused at the JSON pointer (tests/data/obligations/bad_sections.json)") {
    const auto doc = read_json("obligations/bad_sections.json");
    const auto base = json::parse(test::read_file(std::string(VIGIL_SOURCE_DIR) + "/data/plans/yuzhong.json")).as_object();
    for (const auto& cv : doc.at("cases").as_array()) {
        const auto& c = cv.as_object();
        INFO("case: " << str(c.at("name")));
        json::object plan = base;
        auto& ob = plan["obligations"].as_object();
        if (c.at("path").as_array().front() == "log_events") ob["log_events"] = doc.at("log_events_base");
        // A patch: a path of keys / indexes into the section, and the value to put there.
        const auto& path = c.at("path").as_array();
        json::value* at = &plan["obligations"];
        for (std::size_t i = 0; i + 1 < path.size(); ++i) {
            const auto& k = path[i];
            at = k.is_string() ? &at->as_object()[k.as_string()] : &at->as_array()[static_cast<std::size_t>(k.as_int64())];
        }
        const auto& last = path.back();
        if (c.contains("remove")) at->as_object().erase(last.as_string());
        else if (last.is_string()) at->as_object()[last.as_string()] = c.at("value");
        else at->as_array()[static_cast<std::size_t>(last.as_int64())] = c.at("value");
        (void)ob;
        auto p = load_plan(json::serialize(plan), "bad.json");
        REQUIRE(!p);
        INFO(p.error().message());
        CHECK(p.error().code == errc::invalid_plan);
        bool found = false;
        const error p_error = p.error();  // error() gives a copy: keep it alive over the loop
        for (const auto& d : p_error.diagnostics)
            found = found || (d.pointer == str(c.at("pointer")) && d.message.find(str(c.at("says"))) != std::string::npos);
        CHECK(found);
    }
}

TEST_CASE("obligations: a condition on the warning names a warning level of the plan (guiyang A3 has red and yellow only)") {
    // plan, obligation, warning_in, accepted, what the refusal says
    struct row {
        const char* plan;
        const char* id;
        const char* warning_in;
        std::vector<warning_colour> colours;
        const char* says;
    };
    const row rows[] = {
        {"guiyang", "gy-A3-county-progress", R"(["red", "yellow"])", {warning_colour::red, warning_colour::yellow}, ""},
        {"guiyang", "gy-A3-county-progress", R"(["yellow", "orange"])", {}, "colour \"orange\" is not a warning level of the plan"},
        {"yuzhong", "yz-3.2.4-6-warning-notice", R"(["orange", "red"])", {warning_colour::orange, warning_colour::red}, ""},
    };
    for (const auto& r : rows) {
        INFO(r.plan << " " << r.id << " warning_in " << r.warning_in);
        std::string text = test::read_file(std::string(VIGIL_SOURCE_DIR) + "/data/plans/" + r.plan + ".json");
        // the obligation's index, and its condition replaced (or added after its id)
        const auto doc = json::parse(text);
        const auto& items = doc.at("obligations").at("items").as_array();
        std::size_t i = 0;
        while (i < items.size() && items[i].at("id").as_string() != r.id) ++i;
        REQUIRE(i < items.size());
        const auto at = text.find("\"id\": \"" + std::string(r.id) + "\"");
        REQUIRE(at != std::string::npos);
        const auto comma = text.find(',', at);
        text.insert(comma + 1, std::string(" \"when\": {\"warning_in\": ") + r.warning_in + ", \"at\": \"anchor\"},");
        // yuzhong's row has a "when" already: the one inserted first is refused as a duplicate key,
        // so take its old one out
        if (std::string(r.plan) == "yuzhong") {
            const auto old = text.find("\"when\": {\n", comma);
            REQUIRE(old != std::string::npos);
            text.erase(old, text.find('}', old) + 2 - old);
        }
        auto p = load_plan(text, "variant.json");
        if (!r.colours.empty()) {
            INFO((p ? std::string() : p.error().message()));
            REQUIRE(p);
            CHECK((*p)->obligations->find(r.id)->when.warning_in == r.colours);
            continue;
        }
        REQUIRE(!p);
        INFO(p.error().message());
        CHECK(p.error().code == errc::invalid_plan);
        bool found = false;
        for (const auto& d : p.error().diagnostics)
            found = found || (d.pointer == "/obligations/items/" + std::to_string(i) + "/when/warning_in/1" &&
                              d.message.find(r.says) != std::string::npos);
        CHECK(found);
    }
}

TEST_CASE("obligations: the guiyang A6 first-report template") {
    auto p = builtin("guiyang");
    const auto* t = p->obligations->find_template("first_report");
    REQUIRE(t);
    CHECK(t->clause == "guiyang A6");
    CHECK(t->fields.size() == 22);

    std::map<std::string, std::string> all;
    for (const auto& f : t->fields)
        all[f.id] = f.type == "time" ? "2026-10-01T01:30:00Z" : f.type == "count" ? "3" : "〈" + f.zh + "〉";
    auto full = render_report(*p, "first_report", all);
    REQUIRE(full);
    CHECK(full->missing.empty());
    CHECK_THAT(full->text, Catch::Contains("接报时间：2026年10月01日09时30分"));
    CHECK_THAT(full->text, Catch::Contains("经初步核实，已(共)造成死亡3人，入院治疗3人，观察治疗3人"));
    CHECK_THAT(full->text, Catch::Contains("〈率队单位〉单位〈率队同志〉同志已率队赶到(或赶赴)现场"));
    CHECK(full->text.find('{') == std::string::npos);

    std::map<std::string, std::string> some{{"receipt_time", "2026-10-01T09:30:00+08:00"}, {"source", "群众举报"}, {"deaths", "0"}};
    auto part = render_report(*p, "first_report", some);
    REQUIRE(part);
    CHECK(part->missing.size() == t->fields.size() - 3);
    CHECK(std::find(part->missing.begin(), part->missing.end(), "source") == part->missing.end());
    CHECK(std::find(part->missing.begin(), part->missing.end(), "report_time") != part->missing.end());
    CHECK_THAT(part->text, Catch::Contains("信息来源：群众举报"));
    CHECK_THAT(part->text, Catch::Contains("造成死亡0人"));
    CHECK_THAT(part->text, Catch::Contains("报告时间：____年__月__日__时__分"));

    auto bad = render_report(*p, "first_report", {{"deaths", "three"}, {"mayor", "x"}, {"report_time", "10:30"}});
    REQUIRE(!bad);
    CHECK(bad.error().code == errc::invalid_input);
    CHECK(bad.error().diagnostics.size() == 3);
    CHECK_THAT(bad.error().message(), Catch::Contains("/fields/deaths: expected a count"));
    CHECK_THAT(bad.error().message(), Catch::Contains("/fields/mayor: unknown field"));
    CHECK_THAT(bad.error().message(), Catch::Contains("/fields/report_time: expected an ISO 8601 time"));

    auto y = builtin("yuzhong");
    auto none = render_report(*y, "first_report", {});
    REQUIRE(!none);
    CHECK(none.error().code == errc::unknown_name);
}

TEST_CASE("obligations: an event log in JSON Lines is a timeline") {
    const std::string log =
        "{\"seq\":1,\"time\":\"2026-10-01T09:00:00+08:00\",\"actor\":{\"unit\":\"区市场监管局\",\"role\":\"\"},\"event\":\"report_received\",\"payload\":{},\"prev\":\"0\",\"hash\":\"1\"}\n"
        "{\"seq\":2,\"time\":\"2026-10-01T09:20:00+08:00\",\"actor\":{\"unit\":\"区市场监管局\"},\"event\":\"grade_reached\",\"payload\":{\"grade\":\"II\",\"provisional\":true},\"prev\":\"1\",\"hash\":\"2\"}\n";
    auto t = parse_timeline(log, "log.jsonl");
    REQUIRE(t);
    REQUIRE(t->events.size() == 2);
    CHECK(t->events[1].grade == grade::II);
    CHECK(t->events[1].provisional);
    CHECK(t->events[0].by == "区市场监管局");
    auto d = compute_deadlines(*builtin("yuzhong"), *t, cn());
    REQUIRE(d);
    auto it = std::find_if(d->begin(), d->end(), [](const obligation_due& x) { return x.id == "yz-4.1.1-2-major-phone"; });
    REQUIRE(it != d->end());
    CHECK(format_local(*it->due) == "2026-10-01T09:30:00+08:00");
}

TEST_CASE("obligations: an incident's lifecycle log is a timeline through the plan's log_events") {
    // tests/data/obligations/lifecycle-yuzhong.jsonl: the log `examples/lifecycle/walk.sh yuzhong` writes.
    auto p = builtin("yuzhong");
    const std::string path = test::data_path("obligations/lifecycle-yuzhong.jsonl");
    auto plain = load_timeline_file(path);  // without the plan's aliases the lifecycle's events are unknown
    if (plain) {
        auto d = compute_deadlines(*p, *plain, cn());
        REQUIRE(!d);
        CHECK_THAT(d.error().message(), Catch::Contains("unknown event \"open\" for plan yuzhong"));
    } else {
        CHECK(plain.error().code == errc::invalid_input);
    }
    auto t = load_timeline_file(path, *p);
    REQUIRE(t);
    CHECK(t->incident == "YZ-2026-001");
    auto now = *parse_instant("2026-03-30T09:00:00+08:00");
    auto d = compute_deadlines(*p, *t, cn(), {now});
    REQUIRE(d);
    std::map<std::string, const obligation_due*> by_id;
    for (const auto& x : *d) by_id[x.id] = &x;
    // open 10:00 = receipt (occurred 08:40: yz-4.6-authoritative-information, see lifecycle_logs.json);
    // assess III 10:50; response 3 from 13:30 to 2026-03-18 17:00 (a Wednesday): 16 whole days of a
    // grade III response, each with the working groups' report and the daily work report (4.4.2(2));
    // who releases information at grade III (4.6) and informing the district departments (4.1.4);
    // the yellow warning issued at 10:10, notified to the district departments and the districts
    // concerned (3.2.4(6), promptly); its adjustment to orange at 12:00 makes it the city's warning
    // (3.2.2), which owes no notice of the district's own (the plan's reading of 3.2.4).
    std::map<std::string, int> per_rule;
    for (const auto& x : *d) ++per_rule[x.rule->id];
    CHECK(per_rule == std::map<std::string, int>{{"yz-4.1.1-1-duty-office", 1}, {"yz-4.1.1-2-verified", 1},
                                                 {"yz-4.6-authoritative-information", 1}, {"yz-5.2-summary", 1},
                                                 {"yz-4.4.2-2-group-daily", 16}, {"yz-4.4.2-2-work-report", 16},
                                                 {"yz-4.6-release-III-IV", 1}, {"yz-4.1.4-lesser", 1},
                                                 {"yz-3.2.4-6-warning-notice", 1}});
    REQUIRE(by_id.count("yz-3.2.4-6-warning-notice#1"));
    CHECK(format_local(*by_id["yz-3.2.4-6-warning-notice#1"]->anchor_at) == "2026-03-02T10:10:00+08:00");
    CHECK_THAT(by_id["yz-3.2.4-6-warning-notice#1"]->explanation, Catch::Contains("warning yellow"));
    CHECK(by_id.count("yz-3.2.4-6-warning-notice#2") == 0);
    REQUIRE(by_id.count("yz-4.1.1-1-duty-office"));
    CHECK(format_local(*by_id["yz-4.1.1-1-duty-office"]->anchor_at) == "2026-03-02T10:00:00+08:00");
    REQUIRE(by_id.count("yz-4.1.1-2-verified"));
    CHECK(format_local(*by_id["yz-4.1.1-2-verified"]->due) == "2026-03-02T11:00:00+08:00");
    REQUIRE(by_id.count("yz-5.2-summary"));  // 19, 20, 23, 24, 25, 26, 27 March: due by the end of the 27th
    CHECK(format_local(*by_id["yz-5.2-summary"]->due) == "2026-03-28T00:00:00+08:00");
    auto a = audit(*p, *t, cn(), now);
    REQUIRE(a);
    for (const auto& e : *a) {
        INFO(e.due.id << ": " << e.explanation);
        if (e.due.id == "yz-5.2-summary") CHECK(e.status == audit_status::on_time);          // submit_summary 03-26
        if (e.due.id == "yz-4.1.1-1-duty-office") CHECK(e.status == audit_status::reported);  // report to 区政府总值班室
        if (e.due.id == "yz-4.1.1-2-verified") CHECK(e.status == audit_status::on_time);  // send_report 10:55, due 11:00
        // the walk made every report the plan requires, on time (tests/cli/walk_audit.py)
        CHECK((e.status == audit_status::on_time || e.status == audit_status::reported));
    }
}

TEST_CASE("obligations: a lifecycle log records the occurrence, and the clocks that run from it are owed (tests/data/obligations/lifecycle_logs.json)") {
    auto cal = cn();
    const auto doc = read_json("obligations/lifecycle_logs.json");
    REQUIRE(doc.at("cases").as_array().size() == 2);
    for (const auto& cv : doc.at("cases").as_array()) {
        const auto& c = cv.as_object();
        INFO("plan " << str(c.at("plan")) << ", log " << str(c.at("log")));
        auto p = builtin(str(c.at("plan")));
        const std::string text = test::read_file(test::data_path(str(c.at("log"))));
        REQUIRE(!text.empty());
        auto now = parse_instant(str(c.at("now")));
        REQUIRE(now);
        auto t = parse_timeline(text, *p, str(c.at("log")));
        REQUIRE(t);
        // The opening's occurred_at is an "occurred" event, first in time order.
        REQUIRE(!t->events.empty());
        CHECK(t->events.front().name == "occurred");
        CHECK(format_local(t->events.front().at) == str(c.at("occurred_at")));
        auto d = compute_deadlines(*p, *t, cal, {*now});
        REQUIRE(d);
        std::map<std::string, const obligation_due*> anchored;  // instances anchored at the occurrence
        for (const auto& x : *d)
            if (x.anchor == "occurred") anchored[x.id] = &x;
        const auto& expected = c.at("occurred").as_array();
        REQUIRE(!expected.empty());
        CHECK(anchored.size() == expected.size());
        for (const auto& ev : expected) {
            const auto& e = ev.as_object();
            INFO(str(e.at("id")) << ": " << str(e.at("why")));
            REQUIRE(anchored.count(str(e.at("id"))));
            const auto& x = *anchored[str(e.at("id"))];
            REQUIRE(x.anchor_at);
            CHECK(format_local(*x.anchor_at) == str(c.at("occurred_at")));
            REQUIRE(x.due);
            CHECK(format_local(*x.due) == str(e.at("due")));
            CHECK_FALSE(x.restarted);
        }
        // The same log without the occurrence time: none of them (the gap the opening's occurred_at closes).
        const std::string field = ",\"occurred_at\":\"" + str(c.at("occurred_at")) + "\"";
        const auto at = text.find(field);
        REQUIRE(at != std::string::npos);
        std::string without = text;
        without.erase(at, field.size());
        auto t2 = parse_timeline(without, *p, "without-occurrence");
        REQUIRE(t2);
        CHECK(t2->events.size() + 1 == t->events.size());
        auto d2 = compute_deadlines(*p, *t2, cal, {*now});
        REQUIRE(d2);
        for (const auto& x : *d2) CHECK(x.anchor != "occurred");
        CHECK(d2->size() + expected.size() == d->size());
    }
}

TEST_CASE("obligations: calendar_days and months deadlines, as the 民法典 counts them, from plan data") {
    // yuzhong's plan with its 5.2 summary due in another unit: each expected due instant worked out
    // by hand (tests/data/calendar/periods.txt has the same days).
    const std::string text = test::read_file(std::string(VIGIL_SOURCE_DIR) + "/data/plans/yuzhong.json");
    const std::string from = "\"deadline\": {\n          \"working_days\": 7\n        }";
    REQUIRE(text.find(from) != std::string::npos);
    struct row {
        std::string deadline, ended, due;
        bool provisional;
        int unknown;
    };
    const row rows[] = {
        // 09-16 + 15 days = 10-01 国庆节: the last day moves to Thursday 10-08, due at its 24:00
        {"\"calendar_days\": 15", "2026-09-16T17:00:00+08:00", "2026-10-09T00:00:00+08:00", false, 0},
        // 09-28 + 15 days = Tuesday 10-13
        {"\"calendar_days\": 15", "2026-09-28T10:00:00+08:00", "2026-10-14T00:00:00+08:00", false, 0},
        // 2026-01-31 + 1 month: February has no 31st: 02-28, a make-up Saturday (a working day)
        {"\"months\": 1", "2026-01-31T12:00:00+08:00", "2026-03-01T00:00:00+08:00", false, 0},
        // 04-01 + 6 months (每半年) = 10-01 国庆节: Thursday 10-08
        {"\"months\": 6", "2026-04-01T09:00:00+08:00", "2026-10-09T00:00:00+08:00", false, 0},
        // 12-20 + 10 days = 12-30: the 2027 notice may move it: this row refused, or provisional
        {"\"calendar_days\": 10", "2026-12-20T09:00:00+08:00", "", false, 2027},
        {"\"calendar_days\": 10", "2026-12-20T09:00:00+08:00", "2026-12-31T00:00:00+08:00", true, 0},
    };
    for (const auto& r : rows) {
        INFO(r.deadline << " after " << r.ended << (r.provisional ? " (provisional)" : ""));
        std::string t = text;
        t.replace(t.find(from), from.size(), "\"deadline\": {" + r.deadline + "}");
        auto p = load_plan(t, "yuzhong-variant.json");
        REQUIRE(p);
        auto tl = parse_timeline("{\"events\": [{\"event\": \"grade_reached\", \"time\": \"2026-01-01T08:00:00+08:00\", \"grade\": \"III\"},"
                                 "{\"event\": \"response_started\", \"time\": \"2026-01-01T09:00:00+08:00\", \"level\": 3},"
                                 "{\"event\": \"response_ended\", \"time\": \"" + r.ended + "\"}]}");
        REQUIRE(tl);
        auto cal = r.provisional ? cn().provisional() : cn();
        auto d = compute_deadlines(**p, *tl, cal);
        REQUIRE(d);
        auto it = std::find_if(d->begin(), d->end(), [](const obligation_due& x) { return x.id == "yz-5.2-summary"; });
        REQUIRE(it != d->end());
        INFO(it->explanation);
        CHECK(it->calendar_unknown == r.unknown);
        CHECK(it->provisional == r.provisional);
        if (r.due.empty()) {
            CHECK(!it->due);
        } else {
            REQUIRE(it->due);
            CHECK(format_local(*it->due) == r.due);
            CHECK_THAT(it->explanation, Catch::Contains("民法典"));
        }
    }
}

// Two audits of one incident (from its lifecycle log and from the equivalent timeline) agree row for
// row: the same instances, anchored and due at the same instants, with the same findings.
static void check_same_audit(const std::vector<audit_entry>& a, const std::vector<audit_entry>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO(a[i].due.id << ": " << a[i].explanation << " | " << b[i].explanation);
        CHECK(a[i].due.id == b[i].due.id);
        CHECK(a[i].due.anchor_at == b[i].due.anchor_at);
        CHECK(a[i].due.due == b[i].due.due);
        CHECK(a[i].status == b[i].status);
        CHECK(a[i].reported_at == b[i].reported_at);
        CHECK(a[i].missing_to == b[i].missing_to);
    }
}

TEST_CASE("obligations: reports made through the lifecycle are audited from its events alone, as the equivalent timeline (tests/data/obligations/lifecycle_reports.json)") {
    auto cal = cn();
    const auto doc = read_json("obligations/lifecycle_reports.json");
    std::set<std::string> plans;
    for (const auto& cv : doc.at("cases").as_array()) {
        const auto& c = cv.as_object();
        INFO("case: " << str(c.at("name")));
        auto p = builtin(str(c.at("plan")));
        plans.insert(p->info.id);
        // Every event is one the plan's lifecycle accepts, in order.
        std::string log;
        std::optional<incident> s;
        for (const auto& ev : c.at("events").as_array()) {
            const std::string line = json::serialize(ev);
            auto e = parse_event(line);
            REQUIRE(e);
            if (!s) {
                auto st = start(*p, *e);
                REQUIRE(st);
                s = *st;
            } else {
                auto next = apply(*p, *s, *e);
                INFO(line << " -> " << (next ? std::string("ok") : next.error().message()));
                REQUIRE(next);
                s = *next;
            }
            log += line + "\n";
        }
        auto from_log = parse_timeline(log, *p, "log");
        REQUIRE(from_log);
        json::object doc_tl{{"vigil_timeline", 1}, {"events", c.at("timeline")}};
        auto from_timeline = parse_timeline(json::serialize(doc_tl), "timeline");
        REQUIRE(from_timeline);
        auto now = *parse_instant(str(c.at("now")));
        auto a = audit(*p, *from_log, cal, now);
        auto b = audit(*p, *from_timeline, cal, now);
        REQUIRE(a);
        REQUIRE(b);
        // The same answers: the same instances, due at the same instants, with the same findings.
        check_same_audit(*a, *b);
        for (const auto& kv : c.at("audit").as_object()) {
            INFO("audit of " << std::string(kv.key()));
            auto it = std::find_if(a->begin(), a->end(), [&](const audit_entry& x) { return x.due.id == kv.key(); });
            REQUIRE(it != a->end());
            INFO(it->explanation);
            CHECK(to_string(it->status) == str(kv.value()));
        }
    }
    CHECK(plans == std::set<std::string>{"guiyang", "yuzhong"});
}

TEST_CASE("obligations: a warning issued through the lifecycle owes the duties that run from a warning, as the timeline's warning_issued does (tests/data/obligations/warning_duties.json)") {
    auto cal = cn();
    const auto doc = read_json("obligations/warning_duties.json");
    std::set<std::string> plans, clauses;
    for (const auto& cv : doc.at("cases").as_array()) {
        const auto& c = cv.as_object();
        INFO("case: " << str(c.at("name")));
        auto p = builtin(str(c.at("plan")));
        plans.insert(p->info.id);
        // Every event is one the plan's lifecycle accepts, in order.
        std::vector<std::pair<instant, std::string>> log_lines;
        std::optional<incident> s;
        for (const auto& ev : c.at("events").as_array()) {
            const std::string line = json::serialize(ev);
            auto e = parse_event(line);
            REQUIRE(e);
            auto next = s ? apply(*p, *s, *e) : start(*p, *e);
            INFO(line << " -> " << (next ? std::string("ok") : next.error().message()));
            REQUIRE(next);
            s = *next;
            log_lines.emplace_back(*parse_instant(str(ev.at("time"))), line);
        }
        for (const auto& kv : c.at("checks").as_array()) {
            const auto& ck = kv.as_object();
            const auto now = *parse_instant(str(ck.at("now")));
            INFO("as of " << str(ck.at("now")));
            // The incident as known at `now`: the log's records and the timeline's events up to then.
            std::string log;
            for (const auto& [at, line] : log_lines)
                if (at <= now) log += line + "\n";
            json::array tl;
            for (const auto& ev : c.at("timeline").as_array())
                if (*parse_instant(str(ev.at("time"))) <= now) tl.push_back(ev);
            auto from_log = parse_timeline(log, *p, "log");
            REQUIRE(from_log);
            auto from_timeline = parse_timeline(json::serialize(json::object{{"vigil_timeline", 1}, {"events", tl}}), "timeline");
            REQUIRE(from_timeline);
            auto a = audit(*p, *from_log, cal, now);
            auto b = audit(*p, *from_timeline, cal, now);
            REQUIRE(a);
            REQUIRE(b);
            // The same duties from both, the warning's and every other.
            check_same_audit(*a, *b);
            // Exactly the warning duties stated, each as worked out by hand.
            const auto& want = ck.at("owed").as_object();
            std::set<std::string> got_ids, want_ids;
            for (const auto& w : want) want_ids.insert(std::string(w.key()));
            for (const auto& x : *a) {
                REQUIRE(x.due.rule);
                if (x.due.rule->anchor != "warning_issued") continue;
                got_ids.insert(x.due.id);
                clauses.insert(x.due.rule->clause);
                INFO(x.due.id << ": " << x.explanation);
                CHECK(x.due.anchor == "warning_issued");
                const auto* w = want.if_contains(x.due.id);
                if (!w) continue;  // reported below as an id too many
                const auto& wo = w->as_object();
                REQUIRE(x.due.anchor_at);
                CHECK(*x.due.anchor_at == *parse_instant(str(wo.at("anchor_at"))));
                if (wo.at("due").is_null()) CHECK_FALSE(x.due.due);
                else {
                    REQUIRE(x.due.due);
                    CHECK(*x.due.due == *parse_instant(str(wo.at("due"))));
                }
                CHECK(to_string(x.status) == str(wo.at("status")));
            }
            CHECK(got_ids == want_ids);
        }
    }
    CHECK(plans == std::set<std::string>{"guiyang", "yuzhong"});
    CHECK(clauses == std::set<std::string>{"yuzhong 3.2.4(6)", "guiyang A3 市级层面预警行动", "guiyang A3 县级层面预警行动"});
}

TEST_CASE("obligations: a recurrence counted in months (每月, 每半年), as the 民法典 counts them, from plan data") {
    // Two variants of yuzhong, each date worked out by hand on the 2026 notice.
    const std::string text = test::read_file(std::string(VIGIL_SOURCE_DIR) + "/data/plans/yuzhong.json");
    auto replace_every = [&](const std::string& id, const std::string& every) {
        std::string t = text;
        const auto i = t.find("\"id\": \"" + id + "\"");
        REQUIRE(i != std::string::npos);
        const auto j = t.find("\"every\": {", i);
        const auto k = t.find('}', j);
        REQUIRE(j != std::string::npos);
        t.replace(j, k + 1 - j, "\"every\": {" + every + "}");
        return t;
    };
    SECTION("an incident's recurrence: each period from the end of the one before (4.1.3 每日 made 每月)") {
        auto p = load_plan(replace_every("yz-4.1.3-daily", "\"months\": 1"), "yuzhong-monthly.json");
        REQUIRE(p);
        auto tl = parse_timeline(R"({"events": [{"event": "occurred", "time": "2026-01-30T08:00:00+08:00"},
            {"event": "grade_reached", "time": "2026-01-31T10:00:00+08:00", "grade": "II"},
            {"event": "response_started", "time": "2026-01-31T11:00:00+08:00", "level": 2},
            {"event": "response_ended", "time": "2026-06-15T10:00:00+08:00"}]})");
        REQUIRE(tl);
        auto d = compute_deadlines(**p, *tl, cn());
        REQUIRE(d);
        std::vector<std::string> due;
        for (const auto& o : *d)
            if (o.id.rfind("yz-4.1.3-daily#", 0) == 0 && o.due) due.push_back(format_local(*o.due));
        const std::vector<std::string> expect = {
            // 01-31 + 1 month: no 02-31, so 02-28 (第二百零二条), a make-up Saturday: due at its 24:00
            "2026-03-01T00:00:00+08:00",
            // from 03-01: 04-01, a Wednesday
            "2026-04-02T00:00:00+08:00",
            // from 04-02: 05-02 is 劳动节 (05-01…05): the next working day, Wednesday 05-06 (第二百零三条)
            "2026-05-07T00:00:00+08:00",
            // from 05-07: 06-07 is a Sunday: Monday 06-08; the next period (to 07-09) outlives the response
            "2026-06-09T00:00:00+08:00",
        };
        CHECK(due == expect);
    }
    SECTION("a standing duty: each period from the date of effect (7.2 made 每半年)") {
        auto p = load_plan(replace_every("yz-7.2-drill", "\"months\": 6"), "yuzhong-half-yearly.json");
        REQUIRE(p);
        auto rows = standing_duties(**p, builtin_calendar().value(), local_midnight(parse_date("2026-01-01").value()),
                                    local_midnight(parse_date("2027-01-01").value()));
        REQUIRE(rows);
        std::vector<std::string> due;
        for (const auto& o : *rows)
            if (o.due) due.push_back(o.id + "@" + format_local(*o.due));
        const std::vector<std::string> expect = {
            // 2023-08-29 + 30 months = 2026-02-29, no such day: 02-28, a make-up Saturday
            "yz-7.2-drill#5@2026-03-01T00:00:00+08:00",
            // + 36 months = 2026-08-29, a Saturday: Monday 08-31
            "yz-7.2-drill#6@2026-09-01T00:00:00+08:00",
        };
        CHECK(due == expect);
    }
}

TEST_CASE("obligations: standing duties, owed whatever the incidents, listed for a window of dates (tests/data/obligations/standing.txt)") {
    const auto rows = test::read_table(test::data_path("obligations/standing.txt"));
    REQUIRE(rows.size() >= 5);
    const auto cal = builtin_calendar().value();
    for (const auto& r : rows) {
        INFO("standing.txt line " << r.line);
        REQUIRE(r.cells.size() == 4);
        auto p = builtin_plan(r.cells[0]).value();
        const auto from = local_midnight(parse_date(r.cells[1]).value());
        const auto to = local_midnight(parse_date(r.cells[2]).value() + boost::gregorian::days(1));
        auto d = standing_duties(*p, cal, from, to);
        REQUIRE(d);
        std::vector<std::string> got;
        for (const auto& x : *d) {
            REQUIRE(x.due);
            got.push_back(x.id + "@" + format_local(*x.due));
            CHECK(x.anchor == "standing");
            CHECK(x.explanation.find(x.rule->clause) == 0);
            CHECK(x.explanation.find("A standing duty: once in every") != std::string::npos);
        }
        std::vector<std::string> want;
        for (const auto& w : test::split(r.cells[3], ';'))
            if (!w.empty()) want.push_back(w);
        CHECK(got == want);
    }
    auto p = builtin_plan("yuzhong").value();
    auto bad = standing_duties(*p, cal, local_midnight(parse_date("2026-02-01").value()), local_midnight(parse_date("2026-01-01").value()));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == errc::invalid_input);
}

namespace {
// A source pointer in an explanation or finding ("(/events/3)", "(line 4)", "line 1/payload/occurred_at"):
// a timeline and a log name the same event differently.
std::string without_pointers(const std::string& s) {
    static const std::regex ptr(R"((line [0-9]+|record [0-9]+|/events/[0-9]+)(/[A-Za-z0-9_/]+)?)");
    return std::regex_replace(s, ptr, "@");
}

void same_due(const obligation_due& a, const obligation_due& b) {
    INFO(a.id << ": " << a.explanation << "\n  | " << b.explanation);
    CHECK(a.id == b.id);
    CHECK(a.rule == b.rule);
    CHECK(a.occurrence == b.occurrence);
    CHECK(a.anchor == b.anchor);
    CHECK(a.anchor_at == b.anchor_at);
    CHECK(a.period_start == b.period_start);
    CHECK(a.due == b.due);
    CHECK(a.restarted == b.restarted);
    CHECK(a.lowered == b.lowered);
    CHECK(a.superseded == b.superseded);
    CHECK(a.superseded_by == b.superseded_by);
    CHECK(a.superseded_at == b.superseded_at);
    CHECK(a.provisional == b.provisional);
    CHECK(a.calendar_unknown == b.calendar_unknown);
    CHECK(without_pointers(a.explanation) == without_pointers(b.explanation));
}
}  // namespace

TEST_CASE("obligations: every example timeline and the lifecycle log of the same incident give the same deadlines and the same audit, field by field (tests/data/obligations/equivalence.json)") {
    auto cal = cn();
    const auto doc = read_json("obligations/equivalence.json");
    const std::string root = std::string(VIGIL_TEST_DATA) + "/../..";
    std::set<std::string> examples, covered;
    for (const auto& f : std::filesystem::directory_iterator(root + "/examples")) {
        const auto name = f.path().filename().string();
        if (name.rfind("timeline-", 0) == 0 && f.path().extension() == ".json") examples.insert("examples/" + name);
    }
    REQUIRE(examples.size() >= 3);
    for (const auto& cv : doc.at("cases").as_array()) {
        const auto& c = cv.as_object();
        const std::string tl_path = str(c.at("timeline"));
        INFO("example " << tl_path);
        covered.insert(tl_path);
        auto p = builtin(str(c.at("plan")));
        auto from_timeline = parse_timeline(test::read_file(root + "/" + tl_path), *p, tl_path);
        REQUIRE(from_timeline);
        // The log: the opening (with the times known before it), then each event through the lifecycle.
        const auto& op = c.at("open").as_object();
        json::object payload{{"plan", p->info.id}, {"plan_version", p->info.version}, {"incident", op.at("incident")}};
        for (const auto& kv : op.at("before").as_object()) payload[std::string(kv.key()) + "_at"] = kv.value();
        json::object opening{{"time", op.at("time")}, {"actor", op.at("actor")}, {"event", "open"}, {"payload", payload}};
        auto first = parse_event(json::serialize(opening));
        REQUIRE(first);
        auto st = start(*p, *first);
        REQUIRE(st);
        incident s = *st;
        std::string log = json::serialize(opening) + "\n";
        std::uint64_t seq = 1;
        for (const auto& ev : c.at("events").as_array()) {
            const std::string line = json::serialize(ev);
            auto e = parse_event(line);
            REQUIRE(e);
            auto next = apply(*p, s, *e, ++seq);
            INFO(line << " -> " << (next ? std::string("ok") : next.error().message()));
            REQUIRE(next);
            s = *next;
            log += line + "\n";
        }
        auto from_log = parse_timeline(log, *p, "log");
        INFO(log);
        REQUIRE(from_log);
        CHECK(from_log->incident == from_timeline->incident);
        const auto now = *parse_instant(str(c.at("now")));
        // The incident's typed history (no log text read back) gives the same answers too.
        {
            auto dh = compute_deadlines(*p, s, cal, {now});
            auto dt = compute_deadlines(*p, *from_timeline, cal, {now});
            REQUIRE(dh);
            REQUIRE(dt);
            CHECK(dh->size() == dt->size());
            for (std::size_t i = 0; i < std::min(dh->size(), dt->size()); ++i) same_due((*dt)[i], (*dh)[i]);
            auto ah = audit(*p, s, cal, now);
            auto at = audit(*p, *from_timeline, cal, now);
            REQUIRE(ah);
            REQUIRE(at);
            CHECK(ah->size() == at->size());
            for (std::size_t i = 0; i < std::min(ah->size(), at->size()); ++i) {
                INFO((*at)[i].due.id);
                CHECK((*ah)[i].status == (*at)[i].status);
                CHECK((*ah)[i].reported_at == (*at)[i].reported_at);
                CHECK((*ah)[i].missing_to == (*at)[i].missing_to);
                CHECK(without_pointers((*ah)[i].explanation) == without_pointers((*at)[i].explanation));
            }
        }
        // vigil deadlines
        auto da = compute_deadlines(*p, *from_timeline, cal, {now});
        auto db = compute_deadlines(*p, *from_log, cal, {now});
        REQUIRE(da);
        REQUIRE(db);
        CHECK(da->size() == db->size());
        CHECK(!da->empty());
        for (std::size_t i = 0; i < std::min(da->size(), db->size()); ++i) same_due((*da)[i], (*db)[i]);
        // vigil audit
        auto aa = audit(*p, *from_timeline, cal, now);
        auto ab = audit(*p, *from_log, cal, now);
        REQUIRE(aa);
        REQUIRE(ab);
        CHECK(aa->size() == ab->size());
        std::set<audit_status> statuses;
        for (std::size_t i = 0; i < std::min(aa->size(), ab->size()); ++i) {
            const auto& x = (*aa)[i];
            const auto& y = (*ab)[i];
            same_due(x.due, y.due);
            INFO(x.due.id << ": " << x.explanation << "\n  | " << y.explanation);
            statuses.insert(x.status);
            CHECK(x.status == y.status);
            CHECK(x.reported_at == y.reported_at);
            CHECK(x.late_by == y.late_by);
            CHECK(x.elapsed == y.elapsed);
            CHECK(x.reports.size() == y.reports.size());
            CHECK(x.missing_to == y.missing_to);
            CHECK(without_pointers(x.explanation) == without_pointers(y.explanation));
        }
        CHECK(statuses.size() >= 2);  // the examples are not all of one status: the comparison decides something
    }
    CHECK(covered == examples);  // every example timeline has its log here
}

TEST_CASE("obligations: an incident's history is typed, and replaying a kept log gives the answers its text gives (the walks' logs, and those opened under the plans' version 1)") {
    auto cal = cn();
    const auto now = *parse_instant("2026-12-01T00:00:00+08:00");
    for (const std::string name : {"lifecycle-yuzhong", "lifecycle-guiyang", "lifecycle-yuzhong-plan-v1", "lifecycle-guiyang-plan-v1"}) {
        INFO(name);
        const std::string path = test::data_path("obligations/" + name + ".jsonl");
        auto contents = event_log::read(path);
        REQUIRE(contents);
        auto p = builtin(name.find("yuzhong") != std::string::npos ? "yuzhong" : "guiyang");
        auto s = replay(*p, contents->records);
        REQUIRE(s);
        REQUIRE(s->history.size() == contents->records.size());
        std::size_t reports = 0;
        for (std::size_t i = 0; i < s->history.size(); ++i) {
            const auto& h = s->history[i];
            // the instant is vigil's time, the record's text read once
            CHECK(h.at == *parse_instant(contents->records[i].entry.time));
            for (const auto& m : h.means) {
                CHECK(m.pointer.rfind("record " + std::to_string(h.seq), 0) == 0);
                if (m.name == "report_sent") ++reports;
            }
        }
        CHECK(s->occurred_at.has_value());
        CHECK(reports > 0);
        // Endorsements and document references are typed in the history, read once from each
        // record's payload: the same as the record's text says (every well-formed entry; the
        // fields the row that fired asks for with payload_has).
        std::size_t endorsed = 0, referenced = 0;
        for (std::size_t i = 0; i < s->history.size(); ++i) {
            const auto& h = s->history[i];
            const auto payload = json::parse(contents->records[i].entry.payload).as_object();
            INFO("record " << h.seq << " " << h.event);
            std::vector<endorsement> want;
            if (const auto* en = payload.if_contains("endorsements"))
                for (const auto& x : en->as_array()) {
                    const auto& o = x.as_object();
                    auto get = [&](const char* k) { return o.contains(k) ? std::string(o.at(k).as_string()) : std::string(); };
                    want.push_back(endorsement{get("as"), actor{get("unit"), get("role")}, get("ref")});
                }
            CHECK(h.endorsements == want);
            endorsed += h.endorsements.size();
            const transition* row = nullptr;
            for (const auto& r : p->lifecycle->rows)
                if (r.event == h.event && r.leaves(h.from) && r.clause == h.clause && (r.to.empty() ? h.to == h.from : r.to == h.to))
                    row = &r;
            std::set<std::string> asked;
            if (row)
                for (const auto& g : row->guards)
                    if (g.kind == "payload_has") asked.insert(g.args.begin(), g.args.end());
            std::set<std::string> got;
            for (const auto& ref : h.references) {
                got.insert(ref.field);
                REQUIRE(payload.contains(ref.field));
                CHECK(ref.ref == std::string(payload.at(ref.field).as_string()));
            }
            if (row) CHECK(got == asked);
            referenced += h.references.size();
        }
        CHECK(endorsed > 0);
        CHECK(referenced > 0);
        auto text = parse_timeline(test::read_file(path), *p, path);
        REQUIRE(text);
        auto a = audit(*p, *s, cal, now);
        auto b = audit(*p, *text, cal, now);
        REQUIRE(a);
        REQUIRE(b);
        REQUIRE(a->size() == b->size());
        for (std::size_t i = 0; i < a->size(); ++i) {
            same_due((*a)[i].due, (*b)[i].due);
            CHECK((*a)[i].status == (*b)[i].status);
            CHECK((*a)[i].reported_at == (*b)[i].reported_at);
            CHECK((*a)[i].missing_to == (*b)[i].missing_to);
        }
    }
}

TEST_CASE("obligations: the deadlines and the audit read a kept log as its verified, replayed history (read_history): damage refused naming its record, a torn tail left out and said, a plain timeline read as before") {
    auto cal = cn();
    const auto now = *parse_instant("2026-12-01T00:00:00+08:00");
    const std::string path = test::data_path("obligations/lifecycle-yuzhong.jsonl");
    const std::string text = test::read_file(path);
    auto p = builtin("yuzhong");
    auto contents = event_log::read(path);
    REQUIRE(contents);
    auto s = replay(*p, contents->records);
    REQUIRE(s);

    SECTION("a kept log: its history, as the incident replayed from it has it") {
        std::vector<diagnostic> warnings;
        auto t = read_history(*p, text, path, &warnings);
        REQUIRE(t);
        CHECK(warnings.empty());
        CHECK(t->incident == "YZ-2026-001");
        CHECK(t->source == path);
        const auto h = history(*s);
        REQUIRE(t->events.size() == h.events.size());
        for (std::size_t i = 0; i < h.events.size(); ++i) {
            CHECK(t->events[i].name == h.events[i].name);
            CHECK(t->events[i].at == h.events[i].at);
            CHECK(t->events[i].pointer == h.events[i].pointer);  // "record N…": the log's own records
        }
        auto a = audit(*p, *t, cal, now);
        auto b = audit(*p, *s, cal, now);
        REQUIRE(a);
        REQUIRE(b);
        REQUIRE(a->size() == b->size());
        for (std::size_t i = 0; i < a->size(); ++i) CHECK((*a)[i].status == (*b)[i].status);
    }
    SECTION("a changed byte in a record: refused as tampered, naming the record; nothing is audited") {
        std::string bad = text;
        const auto at = bad.find("渝中市监报〔2026〕1号");  // record 4's payload
        REQUIRE(at != std::string::npos);
        bad[at + std::string("渝中市监报〔2026〕").size()] = '7';
        auto t = read_history(*p, bad, "bad.jsonl");
        REQUIRE(!t);
        CHECK(t.error().code == errc::tampered);
        CHECK(t.error().message().find("record 4") != std::string::npos);
        // parse_timeline alone would have read it: the verification is what read_history adds
        CHECK(parse_timeline(bad, *p, "bad.jsonl"));
    }
    SECTION("a torn last line (a write never acknowledged): left out, said as a warning; the same answers") {
        std::vector<diagnostic> warnings;
        auto t = read_history(*p, text + R"({"seq":83,"time":"2026-03-20T10:00:00+08:00","actor":{"unit":"区)", path, &warnings);
        REQUIRE(t);
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].to_string().find("torn") != std::string::npos);
        CHECK(t->events.size() == history(*s).events.size());
    }
    SECTION("a well-chained record the plan does not allow is refused, naming its record") {
        const auto& last = contents->records.back();
        log_entry e{"2026-03-20T10:00:00+08:00", actor{"区市场监管局", "局长"}, "assess", R"({"grade":"I"})"};
        auto line = format_record(last.seq + 1, e, last.hash);
        REQUIRE(line);
        auto t = read_history(*p, text + *line + "\n", "refused.jsonl");
        REQUIRE(!t);
        CHECK(t.error().message().find(std::to_string(last.seq + 1)) != std::string::npos);
    }
    SECTION("JSON Lines of events without the chain (no seq, prev, hash) and timeline documents are timelines, read as before") {
        const std::string plain = R"({"event":"occurred","time":"2026-03-02T08:40:00+08:00"})" "\n"
                                  R"({"event":"report_received","time":"2026-03-02T09:00:00+08:00"})" "\n";
        auto a = read_history(*p, plain, "plain.jsonl");
        auto b = parse_timeline(plain, *p, "plain.jsonl");
        REQUIRE(a);
        REQUIRE(b);
        REQUIRE(a->events.size() == 2);
        CHECK(a->events.size() == b->events.size());
        CHECK(a->events[1].pointer == b->events[1].pointer);
    }
}
