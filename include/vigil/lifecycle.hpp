// vigil/lifecycle.hpp — an incident's life as a state machine whose rows are plan data.
//
// The plan's "lifecycle" section is a transition table in boost-ext/sml's shape,
//     from + event [guards] / actions = to
// loaded at run time. Every row also names who may fire it (`by`: any of these actors) and the
// endorsements the event must carry (who proposed, approved or consented, each with a reference).
// apply() takes one event (time, actor, payload) to the next incident state, or refuses it
// (errc::refused) leaving the state as it was and saying why: no row for this event in this
// state, which guard failed, which authority or endorsement was missing. Pure: no I/O.
//
// incident_log binds the machine to an event log (vigil/event_log.hpp): every accepted event is
// a durable record, and replaying the records reproduces the state exactly.
//
// Thread rule: plans are shared and immutable; an incident value is plain data; an incident_log
// is one writer's handle (one per thread), and processes may share the file.
#pragma once

#include <vigil/event_log.hpp>
#include <vigil/obligations.hpp>
#include <vigil/organisation.hpp>
#include <vigil/plan.hpp>
#include <vigil/response.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil {
inline namespace v0 {

// ------------------------------------------------------------------------------------ the table

/// A guard of a row. Kinds (the engine's vocabulary; parameters come from the plan):
///   level_in [n…]          the event's payload "level" is one of these response levels
///   colour_in [c…]         the event's payload "colour" is one of these warning colours
///   current_in [n…]        the incident's current response level is one of these
///   level_vs_current s     "higher" / "lower": the payload level is graver / less grave than the current one
///   warning_active b       a warning is (true) / is not (false) in force
///   warning_in [c…]        the warning in force has one of these colours
///   grade_in [g…]          the incident's current grade is one of these
///   checklist id           the payload "checklist" has every item of the plan's checklist `id`
///                          met (true) with an evidence reference
///   payload_has [f…]       the payload has these fields as non-empty strings
struct guard {
    std::string kind;
    std::vector<std::string> args;  ///< its parameters as text ("1", "red", "termination", "true")
    std::string to_string() const;  ///< "level in {1, 2}"
};

/// An endorsement an event must carry: someone in a role of the chain (proposer, approver,
/// consent …) matching one of `any`, given in the payload's "endorsements" with a reference.
struct endorsement_rule {
    std::string as;                  ///< "proposer", "approver", "consent"
    std::vector<actor_pattern> any;
};

/// One row: from + event [guards] / actions = to, with its authority.
/// A report a row records (action record_report) when the event's payload does not say: its
/// recipients (obligation party ids), channel and the obligation it answers.
struct report_default {
    std::vector<std::string> to;
    std::string channel;     ///< phone, written, online; empty: not said
    std::string obligation;  ///< empty: any obligation it meets
};

/// One row: from + event [guards] / actions = to, with its authority.
/// Actions (the engine's vocabulary): set_grade (payload "grade"), set_warning (payload
/// "colour"), clear_warning, set_response (payload "level"), clear_response, record_report (the
/// event is a report actually made: payload "to", "channel", "obligation", "from", or the row's
/// `report`). The actions are also what the event means as a timeline (docs/deadlines.md).
struct transition {
    std::vector<std::string> from;  ///< states the row leaves ("*": any state that is not final)
    std::string event;
    std::vector<guard> guards;
    std::vector<std::string> actions;
    std::string to;                 ///< empty: stays in the state it left
    std::vector<actor_pattern> by;  ///< who may fire it (any of)
    std::vector<endorsement_rule> endorsements;
    std::optional<report_default> report;  ///< record_report: what the payload does not say
    std::string clause;
    std::string text;               ///< the clause's words
    std::string reading;            ///< the reading decision, when one was made (English)
    std::string reading_zh;         ///< the same in Chinese; empty when the plan gives none
    std::size_t index = 0;          ///< position in the table

    /// "reported + assess [payload_has {grade}] / set_grade = assessed"
    std::string to_string() const;
    bool leaves(std::string_view state) const;
};

struct state_def {
    std::string id;      ///< "responding"
    std::string name_zh; ///< "应急响应"
    std::string clause;
    bool final = false;
};

struct checklist_item {
    std::string id;    ///< "no_new_cases"
    std::string text;  ///< "经处置没有新发类似病例"
};

struct checklist {
    std::string id;  ///< "termination"
    std::string clause;
    std::vector<checklist_item> items;
};

struct lifecycle_table {
    std::string clause;
    std::string initial;
    std::vector<state_def> states;
    std::vector<checklist> checklists;
    std::vector<transition> rows;
    std::vector<std::string> events;  ///< every event name of the rows, in order of first use

    const state_def* find_state(std::string_view id) const noexcept;
    const checklist* find_checklist(std::string_view id) const noexcept;
};

// ------------------------------------------------------------------------------------ the machine

/// An endorsement an event carries (payload "endorsements": [{"as", "unit", "role", "ref"}]), read
/// once when the event is accepted: who endorsed it, in which capacity, in which document.
struct endorsement {
    std::string as;   ///< "proposer", "approver", "consent", "authorised_by" …
    vigil::actor by;  ///< unit and role
    std::string ref;  ///< the document it is recorded in
    friend bool operator==(const endorsement&, const endorsement&) = default;
};

/// A reference to a document an event carries: a payload field the row that fired asks for
/// (guard payload_has, e.g. "expert_assessment", "summary_ref") and its value.
struct document_ref {
    std::string field, ref;
    friend bool operator==(const document_ref&, const document_ref&) = default;
};

/// One accepted event, as the incident remembers it: typed. Its instant is vigil's time; what it
/// means for the reporting duties (`means`: the receipt, a grade reached, a response started, a
/// report made to whom by which channel …) is the same typed event the timeline reader gives a
/// timeline document, so the incident's history is what compute_deadlines() and audit() read
/// (history(), and their overloads below). The payload's other fields are the lifecycle's own.
struct history_item {
    std::uint64_t seq = 0;  ///< its record in the log (0 when applied outside a log)
    instant at;             ///< UTC
    vigil::actor actor;
    std::string event;
    std::string from, to;
    std::string clause;   ///< of the row that fired
    /// The payload as recorded, compact JSON (as start() and apply() write it): kept to be shown as
    /// it is; the engine reads the typed fields below and `means`, read from it once.
    std::string payload;
    std::vector<timeline_event> means;  ///< what it means for the reporting duties (none: the lifecycle's own business)
    std::vector<endorsement> endorsements;  ///< the payload's endorsements, each with as and ref
    std::vector<document_ref> references;   ///< the documents the row that fired asks for (payload_has)
};

/// The state of one incident. Plain data.
struct incident {
    std::string plan_id;
    std::string plan_version;
    std::string id;      ///< the incident's own id, from its opening record
    std::optional<instant> occurred_at;  ///< when the incident occurred (事发), from its opening record
    std::string state;
    vigil::grade grade = grade::none;
    warning_colour warning = warning_colour::none;
    int response = 0;    ///< 0: no response running
    std::vector<history_item> history;
};

/// The event that opens an incident's log: payload {"plan": id, "plan_version": v, "incident": id},
/// and "occurred_at" (ISO 8601 with an offset, not after the opening) when the occurrence time is
/// known: the plans' reporting clocks that run from the occurrence (事发后) read it.
inline constexpr std::string_view open_event = "open";

/// The first state of an incident of this plan, from its opening entry (event "open", a payload
/// naming this plan). errc::invalid_input when the entry does not open an incident of `p`.
result<incident> start(const plan& p, const log_entry& opening);

/// Fire one event. errc::refused (the incident is unchanged) with one diagnostic per reason;
/// errc::invalid_input when the event itself is malformed (time, payload). `seq` is its log record.
result<incident> apply(const plan& p, const incident& s, const log_entry& e, std::uint64_t seq = 0);

/// Replay a log's records from the opening: the same records always give the same incident.
result<incident> replay(const plan& p, const std::vector<log_record>& records);

/// The incident's history as the deadlines and the audit read it: every accepted event's `means`,
/// in time order (the opening's occurrence first). The same answers as reading its log with
/// parse_timeline(text, plan).
timeline history(const incident& s);
/// An incident's history from the text the deadlines and the audit are asked about: an incident's
/// event log (JSON Lines whose first record carries the chain: "seq", "prev", "hash") is verified
/// (errc::tampered names the first record that does not verify) and replayed under `p` (every event
/// checked by the lifecycle again; a record the plan does not allow is refused, naming it), and
/// its history() is the answer; any other text is a timeline, read by parse_timeline(text, p). A
/// torn last line of a log (a write never acknowledged) is not part of the history: it is left out
/// and said in `warnings` (when given). The command's and the C ABI's one way in (src/edge/).
result<timeline> read_history(const plan& p, std::string_view text, std::string_view source = "<buffer>",
                              std::vector<diagnostic>* warnings = nullptr);
/// The deadlines and the audit of an incident, from its typed history.
result<std::vector<obligation_due>> compute_deadlines(const plan& p, const incident& s, const calendar& cal,
                                                      const deadline_options& opt = {});
result<std::vector<audit_entry>> audit(const plan& p, const incident& s, const calendar& cal, instant as_of);

/// An event allowed next (one per row whose guards on the incident's state can hold).
struct allowed_event {
    std::string event;
    std::string to;                          ///< the state it leads to
    std::vector<std::string> conditions;     ///< the row's guards, as text
    std::vector<guard> guards;               ///< those guards (guard_text() renders them in either language)
    std::vector<actor_pattern> by;
    std::vector<endorsement_rule> endorsements;
    std::string clause;
    std::string row;                         ///< the row, as text
};
std::vector<allowed_event> allowed_next(const plan& p, const incident& s);

/// The incident as JSON: the plan, state, grade, warning, response, history, allowed next events
/// (docs/json.md).
std::string to_json(const plan& p, const incident& s);
/// The incident for people (several lines).
std::string to_text(const plan& p, const incident& s);
/// The same with its labels in `lang` (the states', grades' and clauses' words are the plan's).
std::string to_text(const plan& p, const incident& s, language lang);

/// Parse an event from JSON {"event", "time", "actor": {"unit", "role"}, "payload": {…}}
/// (errc::invalid_input / parse_error with a JSON pointer).
result<log_entry> parse_event(std::string_view json, std::string_view source = "<event>");

// ------------------------------------------------------------------------------------ log + machine

/// An incident kept in an event log: each event is checked against the state replayed from the
/// log under the log's lock, then appended durably.
class incident_log {
public:
    /// Create a new log whose opening record names `p` (the event log refuses an existing file);
    /// `occurred_at` (may be empty: not known) is when the incident occurred; `mode`: the file's
    /// permissions (only its owner reads it by default).
    static result<incident_log> create(const std::string& path, plan_ptr p, const std::string& incident_id,
                                       const std::string& time, const actor& by, const std::string& occurred_at = {},
                                       unsigned mode = 0600);
    /// The same, recording in the opening, besides the occurrence, the events of the plan's
    /// obligations that happened before the log was opened: {"discovered", "2026-09-29T08:00:00+08:00"}
    /// is written as "discovered_at" (发现: when a holder discovered the incident); each time ISO
    /// 8601 with an offset, not after the opening. A lifecycle log read as a timeline gives each as
    /// that event at that time (docs/deadlines.md).
    static result<incident_log> create(const std::string& path, plan_ptr p, const std::string& incident_id,
                                       const std::string& time, const actor& by,
                                       const std::vector<std::pair<std::string, std::string>>& known_before,
                                       unsigned mode = 0600);
    /// Open a log; `p` must be the plan its opening record names (see plan_of()).
    static result<incident_log> open(const std::string& path, plan_ptr p);
    /// The plan id a log's opening record names (reads and verifies the log).
    static result<std::string> plan_of(const std::string& path);
    /// The built-in plan a log's opening record names. A log never names a file to open: a log
    /// of a plan file records the plan's id and content hash (payload plan_sha256), and the
    /// caller gives the file (errc::invalid_input says so); replaying it under a plan with another
    /// hash is refused.
    static result<plan_ptr> builtin_plan_of(const std::string& path);

    /// Check and append one event; the new state once it is durable.
    result<incident> apply(const log_entry& e);

    const incident& state() const noexcept { return state_; }
    const plan& rules() const noexcept { return *plan_; }
    const event_log& log() const noexcept { return log_; }

private:
    incident_log(event_log log, plan_ptr p, incident s)
        : log_(std::move(log)), plan_(std::move(p)), state_(std::move(s)) {}
    event_log log_;
    plan_ptr plan_;
    incident state_;
};

}  // namespace v0
}  // namespace vigil
