// vigil/obligations.hpp — reporting obligations, their deadlines, and the audit of actual reports.
//
// A plan's "obligations" section (docs/plan-format.md, docs/deadlines.md) says who reports to whom,
// by which channel, how long after which event, on what condition, whether it recurs and whether its
// clock restarts when the incident reaches a graver grade. An incident's timeline (its events with
// their instants) turns those rules into dated obligations, each with its explanation; the reports
// actually sent (report_sent events, or the events named by `fulfilled_by`) are audited against them.
// Instants are UTC; explanations show local time (Asia/Shanghai).
// Thread rule: all functions are pure; the plan, timeline and calendar may be shared between threads.
#pragma once

#include <vigil/calendar.hpp>
#include <vigil/error.hpp>
#include <vigil/plan.hpp>
#include <vigil/response.hpp>
#include <vigil/time.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {

// ------------------------------------------------------------------------------------ the rules

/// How a report is made.
enum class channel : std::uint8_t { any, phone, written, online };
std::string_view to_string(channel c) noexcept;

/// How an obligation's deadline is expressed.
enum class timing : std::uint8_t {
    within,       ///< a duration after the anchor: a due instant
    immediately,  ///< 立即: at once, no number given
    promptly,     ///< 及时: promptly, no number given
    real_time,    ///< 实时: as things happen
    at_any_time,  ///< 随时: whenever asked (answer a call)
    unstated,     ///< the plan names the report but no time ("直接书面报告", "书面报告")
};
std::string_view to_string(timing t) noexcept;

/// Units of a `within` duration. `days` are N × 24 hours from the instant; `calendar_days` and
/// `months` are periods as the 民法典 counts them (第二百零一条–第二百零三条: the anchor's day not
/// counted, due at 24:00 of the last day, a last day that is a holiday or rest day moved to the next
/// working day) — "N日内", "N天内", "N个月", "每半年" in a regulation.
enum class time_unit : std::uint8_t { minutes, hours, days, working_days, years, calendar_days, months };
std::string_view to_string(time_unit u) noexcept;

/// A named party (reporter or recipient). A party is either one unit of the plan's organisation
/// (`unit`: the id of /organisation/units it is, so that lifecycle actors and warning issuers speak
/// of it by the same name), or a group that is not one unit (`group`: "the public", "the caller",
/// "holders, makers, sellers …"), listing in `units` the organisation units that belong to it, if any.
struct party {
    std::string id, zh, en;
    std::string unit;                ///< the organisation unit it is; empty for a group
    bool group = false;              ///< not one unit of the organisation
    std::vector<std::string> units;  ///< a group: the organisation units it takes in (may be empty)
    std::string reading;             ///< the reading decision behind the link, when one was made
    std::string reading_zh;          ///< the same in Chinese; empty when the plan gives none
    /// True when a report made by (an actor of) organisation unit `u` is a report by this party.
    bool covers(std::string_view u) const noexcept {
        if (u.empty()) return false;
        if (unit == u) return true;
        for (const auto& x : units)
            if (x == u) return true;
        return false;
    }
};

/// An event name a plan declares beyond the built-in ones (e.g. "instruction"), with its labels.
struct event_kind {
    std::string name, zh, en;
};

/// A flag an incident may carry (e.g. "sensitive"), declared by the plan.
struct flag_kind {
    std::string name, zh, en;
};

/// "Report as grade G whatever the grade, while flag F is set" (e.g. guiyang A5 sensitive events).
struct grade_floor {
    std::string flag;
    vigil::grade grade = grade::none;
    std::string clause, text;
    std::string reading;  ///< the reading decision, when one was made
    std::string reading_zh;  ///< the same in Chinese; empty when the plan gives none
};

/// When an obligation applies.
struct obligation_condition {
    vigil::grade grade_min = grade::none;  ///< reporting grade >= this (none: no lower bound)
    vigil::grade grade_max = grade::I;     ///< reporting grade <= this
    bool grade_bound = false;              ///< a grade bound was given (then grade none never matches)
    std::vector<std::string> flags;        ///< all of these flags set
    bool response_active = false;          ///< a response is running (for recurrences)
    /// The warning last issued (warning_issued) has one of these colours (the plan's warning
    /// levels); empty: no condition on the warning. A warning whose colour its event does not say
    /// (a timeline of the format before warning levels) is read as meeting it, and the explanation
    /// says so (docs/deadlines.md).
    std::vector<warning_colour> warning_in;
    bool at_anchor = false;                ///< evaluated at the anchor instant (else: ever, up to now)
    std::string to_string() const;         ///< "grade >= II and flag maker_involved"
};

/// One obligation of a plan.
struct obligation {
    std::string id;       ///< unique in the plan, e.g. "gy-A5-III-phone"
    std::string clause;   ///< "guiyang A5 较大(1)"
    std::string text;     ///< the clause's original text
    std::string summary;  ///< one line in English
    std::vector<std::string> from, to;  ///< party ids
    vigil::channel channel = channel::any;
    std::string anchor;   ///< the event that starts the clock; empty for a recurrence
    vigil::timing timing = timing::within;
    time_unit unit = time_unit::minutes;
    std::int64_t amount = 0;  ///< with unit, for timing::within
    obligation_condition when;
    bool has_when = false;
    std::optional<std::pair<time_unit, std::int64_t>> every;  ///< recurrence while `when` holds
    std::string until;                      ///< a recurrence's window also closes at this event (e.g. response_ended)
    bool restart_on_grade = false;          ///< the clock starts when the incident reached the grade
    std::vector<std::string> supersedes;    ///< obligation ids a restarted instance supersedes
    std::string fulfilled_by;               ///< an event that fulfils it, instead of report_sent
    std::string reading;                    ///< a reading decision, when one was made (English)
    std::string reading_zh;                 ///< the same in Chinese; empty when the plan gives none
    /// A standing duty, owed whatever the incidents ("每5年…1次", "每半年"): once in every period of
    /// `every` counted from `since` (a local date: the plan's date of effect, or when it was last done),
    /// each period's duty due at the period's end. Listed by standing_duties().
    struct standing_rule {
        date since;
        time_unit unit = time_unit::years;
        std::int64_t every = 0;
        std::string reading;  ///< why the periods count from `since`
        std::string reading_zh;
    };
    std::optional<standing_rule> standing;
    std::string deadline_text() const;      ///< "20 minutes", "7 working days", "immediately"
};

/// A report template (e.g. guiyang A6's two-minute first report).
struct report_field {
    std::string id, zh;
    std::string type;  ///< "text", "time" (an instant) or "count" (a non-negative integer)
};
struct report_template {
    std::string id, clause, title, body;  ///< body has {field} placeholders
    std::vector<report_field> fields;
    std::string note;
};

/// How an event of another vocabulary (the incident lifecycle's log: "assess", "start_response" …)
/// reads as a timeline event, when a plan says so explicitly (the built-in plans do not: the
/// meaning comes from the lifecycle rows' actions). `as` is a built-in or declared event, or "ignore".
struct log_event_alias {
    std::string event, as;
    std::vector<std::string> to;  ///< report_sent: recipients when the event names none
    std::optional<vigil::channel> channel;  ///< report_sent: the channel when the event names none
    std::string obligation;       ///< report_sent: the obligation it answers
    std::string occurred;         ///< a payload field holding when the incident occurred (事发):
                                  ///< read as an "occurred" event at that time (e.g. "occurred_at" of the log's opening)
    std::string reading, reading_zh;
};

/// A plan's reporting rules: the "obligations" section.
struct obligation_rules {
    std::string clause;
    std::vector<party> parties;
    std::vector<event_kind> events;
    std::vector<flag_kind> flags;
    std::vector<grade_floor> floors;
    std::vector<obligation> items;
    std::vector<report_template> templates;
    std::vector<log_event_alias> log_events;

    const log_event_alias* find_alias(std::string_view event) const noexcept;
    const party* find_party(std::string_view id) const noexcept;
    /// The party that is organisation unit `unit` (its `unit` field), or nullptr.
    const party* party_of_unit(std::string_view unit) const noexcept;
    const obligation* find(std::string_view id) const noexcept;
    const report_template* find_template(std::string_view id) const noexcept;
    bool knows_event(std::string_view name) const noexcept;  ///< built-in or declared
};

/// The event names every timeline may use (the lifecycle's vocabulary).
std::vector<std::string_view> builtin_event_names();

// ------------------------------------------------------------------------------------ timelines

/// One event of an incident's timeline.
struct timeline_event {
    std::string name;     ///< "occurred", "report_received", "grade_reached", ... or a plan-declared name
    instant at;           ///< UTC
    std::optional<vigil::grade> grade;  ///< grade_reached
    bool provisional = false;           ///< grade_reached: an initial judgement (初判)
    std::string flag;                   ///< flag_set, flag_cleared
    std::optional<int> level;           ///< response_started, response_changed
    /// warning_issued: the warning's level, as its colour (none: the event does not say)
    warning_colour warning = warning_colour::none;
    // report_sent:
    std::string from;
    std::vector<std::string> to;
    vigil::channel channel = channel::any;  ///< any: not said (then it counts only for obligations of any channel)
    std::string obligation;  ///< optional: the obligation id the report answers
    std::string by, note;
    std::string pointer;     ///< where it is in its source ("/events/3"), for messages
};

struct timeline {
    std::string incident;
    std::string source;  ///< file name or "<buffer>"
    std::vector<timeline_event> events;  ///< in time order
};

/// Parse a timeline (docs/deadlines.md, examples/timeline-*.json). Every problem is reported with
/// its JSON pointer: unknown fields, unknown built-in event fields, bad times or zones, events out of
/// time order. Plan-declared event names are checked by compute_deadlines / audit.
result<timeline> parse_timeline(std::string_view json, std::string_view source = "<buffer>");
result<timeline> load_timeline_file(const std::string& path);
/// The largest timeline (or lifecycle log read as one) accepted, in bytes.
inline constexpr std::size_t max_timeline_bytes = 16u << 20;
/// The same, reading an incident's lifecycle log (vigil/lifecycle.hpp) as its timeline: each
/// lifecycle event means what the actions of the rows that fire it do (set_grade: grade_reached;
/// set_response: response_started or response_changed; clear_response: response_ended;
/// record_report: report_sent, with the row's `report`; set_warning: warning_issued, where the
/// plan's obligations declare it), or is the obligations' event of that
/// name, or is left out; the opening is the receipt and its occurred_at the occurrence. A plan's
/// explicit `log_events` say it instead for the events they name. The other payload fields are the
/// lifecycle's business and are not checked here.
result<timeline> parse_timeline(std::string_view json, const plan& p, std::string_view source = "<buffer>");
result<timeline> load_timeline_file(const std::string& path, const plan& p);

// ------------------------------------------------------------------------------------ deadlines

/// One dated obligation of an incident.
struct obligation_due {
    const obligation* rule = nullptr;  ///< into the plan (keep the plan alive)
    std::string id;                    ///< instance id: the obligation id, "#n" added for repeats
    int occurrence = 1;                ///< 1-based: which anchor event / recurrence period
    std::string anchor;                ///< the event that started the clock (or "window")
    std::optional<instant> anchor_at;  ///< UTC; absent when the anchor has not happened
    std::optional<instant> period_start;  ///< recurrences: the period the report covers
    std::optional<instant> due;           ///< UTC; only for timing::within
    bool restarted = false;               ///< the clock restarted on reaching a grade
    bool lowered = false;                 ///< the duty arose when the grade was lowered to its grade
                                          ///< (its clock runs from the lowering, anchor "grade_reached")
    bool superseded = false;
    std::string superseded_by;            ///< instance id
    std::optional<instant> superseded_at;
    /// The due instant rests on days the calendar answered provisionally (weekends and fixed-date
    /// holidays only: calendar::provisional()); it is not final.
    bool provisional = false;
    /// The due instant is not known: the calendar lacks the notice of this year (its own row is
    /// refused, `due` is empty; the other rows are answered). 0 when known.
    int calendar_unknown = 0;
    std::string explanation;              ///< clause, anchor and its time, the arithmetic
};

/// One dated obligation as a JSON object (UTF-8): id, obligation, occurrence, clause, summary,
/// from, to, channel, timing, recurring, deadline, anchor, and each instant three ways: *_utc and
/// *_local (ISO 8601) and *_time (seconds since the Unix epoch); restarted, superseded
/// (superseded_by), provisional, calendar_unknown, explanation — the fields of an obligation row
/// of the command and the C ABI, which add the plan and the calendar (docs/json.md).
std::string to_json(const obligation_due& d);

/// The standing duties of `p` (obligations with `standing`) whose period ends in [from, to]: one
/// row a period, id "<obligation>#<n>" (n counted from the rule's `since`), anchor "standing",
/// period_start and anchor_at the period's start, due its end, with the arithmetic in the
/// explanation. A due instant that needs a year the calendar lacks is refused on its own row
/// (calendar_unknown), as in compute_deadlines. errc::invalid_input when to < from.
result<std::vector<obligation_due>> standing_duties(const plan& p, const calendar& cal, instant from, instant to);

struct deadline_options {
    /// The time the question is asked. Open recurrences are listed up to the first period ending
    /// after it; events after it are refused. Default: the timeline's last event.
    std::optional<instant> as_of;
};

/// The most reports one timeline may make owed, recurrences included (errc::too_large past it):
/// bounds the work and the size of every answer built from them.
inline constexpr std::size_t max_deadlines = 10000;

/// Every obligation of `p` the timeline triggers, sorted by due instant (untimed ones, and those
/// whose due instant the calendar cannot give, by anchor). A due instant that needs a year the
/// calendar lacks is refused on its own row (`calendar_unknown`), or answered and marked
/// `provisional` with a provisional calendar; every other row is answered.
/// Errors: errc::invalid_input for a timeline the plan cannot read (unknown event, flag or party,
/// a second "occurred" ...).
result<std::vector<obligation_due>> compute_deadlines(const plan& p, const timeline& t, const calendar& cal,
                                                      const deadline_options& opt = {});

// ------------------------------------------------------------------------------------ audit

enum class audit_status : std::uint8_t {
    on_time,      ///< reported by the due instant
    late,         ///< reported after it (late_by says how much)
    missing,      ///< not reported and the due instant has passed
    not_yet_due,  ///< not reported, due after as_of
    superseded,   ///< replaced by a restarted clock (kept, not deleted)
    reported,     ///< untimed obligation, reported (elapsed says after how long)
    outstanding,  ///< untimed obligation, not reported
    calendar_unknown,  ///< its due instant needs a year the calendar lacks (due.calendar_unknown)
};
std::string_view to_string(audit_status s) noexcept;

struct audit_entry {
    obligation_due due;
    audit_status status = audit_status::missing;
    std::optional<instant> reported_at;   ///< when the last recipient got it
    std::optional<duration> late_by;      ///< status late
    std::optional<duration> elapsed;      ///< from the anchor to reported_at
    std::vector<std::string> reports;     ///< pointers of the matching events ("/events/7")
    std::vector<std::string> missing_to;  ///< recipients not reported to
    std::string explanation;
};

/// Audit the timeline's reports against its obligations as of `as_of`.
result<std::vector<audit_entry>> audit(const plan& p, const timeline& t, const calendar& cal, instant as_of);

// ------------------------------------------------------------------------------------ report templates

struct rendered_report {
    std::string text;
    std::vector<std::string> missing;  ///< field ids left blank
    std::string clause;
};

/// Fill a plan's report template. `fields` maps field ids to values as text (times in ISO 8601 with
/// an offset, counts as digits); unknown ids and bad values are errc::invalid_input.
result<rendered_report> render_report(const plan& p, std::string_view template_id,
                                      const std::map<std::string, std::string>& fields);

}  // namespace v0
}  // namespace vigil
