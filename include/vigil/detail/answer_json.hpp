// vigil/detail/answer_json.hpp — the JSON of every answer vigil gives, built in one place: the
// command (`--out json`, `--out jsonl`), the C ABI (the `*_json` calls and `out_json`) and, through
// the C ABI, the bindings all take their JSON from here, so the same question gets the same bytes
// on every face. The shapes are documented once, in docs/json.md. Internal (the library's own
// faces); needs Boost.JSON.
//
// Every answer built from a plan starts with the plan that gave it: "plan" (its id),
// "plan_version" (its own version field) and "plan_sha256" (the SHA-256 of the plan's JSON text,
// the hash an incident's log of a plan file records).
#pragma once

#include <vigil/calendar.hpp>
#include <vigil/classify.hpp>
#include <vigil/detect.hpp>
#include <vigil/lifecycle.hpp>
#include <vigil/lint.hpp>
#include <vigil/obligations.hpp>
#include <vigil/plan.hpp>
#include <vigil/response.hpp>
#include <vigil/rollup.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {
namespace detail::answer_json {

/// Writes compact JSON text, appending to a string: the keys in the order written, strings escaped
/// as Boost.JSON's serializer escapes them (", \\, control characters; UTF-8 as it is).
class writer {
public:
    explicit writer(std::string& out) : out_(out) {}
    writer& begin_object() { sep(); out_ += '{'; comma_ = false; return *this; }
    writer& end_object() { out_ += '}'; comma_ = true; return *this; }
    writer& begin_array() { sep(); out_ += '['; comma_ = false; return *this; }
    writer& end_array() { out_ += ']'; comma_ = true; return *this; }
    /// `"name":` inside an object; the value follows.
    writer& key(std::string_view name) { sep(); string_text(name); out_ += ':'; comma_ = false; return *this; }
    writer& value(std::string_view s) { sep(); string_text(s); comma_ = true; return *this; }
    writer& value(const char* s) { return value(std::string_view(s)); }
    writer& value(const std::string& s) { return value(std::string_view(s)); }
    writer& value(bool b) { sep(); out_ += b ? "true" : "false"; comma_ = true; return *this; }
    writer& value(int v) { return value(static_cast<long long>(v)); }
    writer& value(long v) { return value(static_cast<long long>(v)); }
    writer& value(long long v);
    writer& value(unsigned v) { return value(static_cast<unsigned long long>(v)); }
    writer& value(unsigned long v) { return value(static_cast<unsigned long long>(v)); }
    writer& value(unsigned long long v);
    writer& null() { sep(); out_ += "null"; comma_ = true; return *this; }
    /// A value that is JSON text already (compact).
    writer& raw(std::string_view json) { sep(); out_ += json; comma_ = true; return *this; }
    /// `"name":value`.
    template <class T>
    writer& field(std::string_view name, const T& v) { return key(name).value(v); }
    writer& strings(std::string_view name, const std::vector<std::string>& v);

private:
    void sep() { if (comma_) out_ += ','; }
    void string_text(std::string_view s);
    std::string& out_;
    bool comma_ = false;
};

/// "plan", "plan_version", "plan_sha256", inside an object being written.
void put_plan(writer& w, const plan& p);
/// The fields of an assessment (grade, grade_zh, computed, in_scope, scope_note, override,
/// matches), inside an object being written.
void put_assessment(writer& w, const assessment& a);
/// The fields of one dated obligation, inside an object being written.
void put_obligation(writer& w, const obligation_due& d);

// Each of these appends one whole answer (an object) to `out`.

/// An assessment alone (vigil::to_json(assessment)).
void assessment_only(std::string& out, const assessment& a);
/// A decision alone: {"warning", "response"} (vigil::to_json(decision)).
void decision_only(std::string& out, const decision& d);
/// One dated obligation alone (vigil::to_json(obligation_due)).
void obligation_only(std::string& out, const obligation_due& d);

/// A classification: the plan, the assessment, the warning and the response decisions. `id`, when
/// given, comes first (the command's rows carry the input row's id), then `kept` when given: the
/// input columns passed through (`classify --keep-column`), as {"name": "value"} in `names`' order.
void classification(std::string& out, const plan& p, const assessment& a, const decision& d,
                    const std::string* id = nullptr, const std::vector<std::string>* kept_names = nullptr,
                    const std::vector<std::string>* kept_values = nullptr);
/// The brief classification (docs/json.md, "Brief classification"): a subset of the
/// classification's fields, the same names, types and meanings — "id", "kept" (as above), "plan",
/// "plan_version", "plan_sha256", "grade", "in_scope", "override" (only with one), "matches" (each
/// with its "clause" alone), "warning" ({"colour"}), "response" ({"level"}). Written in two parts
/// so that the command can reuse the second for rows with the same answer: brief_open writes "{"
/// and the row's own fields, brief_answer the rest and "}" (a leading comma when `after_fields`).
/// `matched`: the matched set's words (vigil::classify_batch), the winner (lowest index) first.
void brief_open(std::string& out, const std::string_view* id, const std::vector<std::string>* kept_names,
                const std::vector<std::string_view>* kept_values);
void brief_answer(std::string& out, const plan& p, grade g, bool in_scope, const grade_override* override_,
                  gsl::span<const std::uint64_t> matched, warning_colour warning, int response, bool after_fields);
/// The whole brief classification of an assessment and its levels.
void classification_brief(std::string& out, const plan& p, const assessment& a, const decision_levels& d,
                          const std::string* id = nullptr, const std::vector<std::string>* kept_names = nullptr,
                          const std::vector<std::string>* kept_values = nullptr);
/// One obligation row: the plan, the obligation, the calendar.
void obligation_row(std::string& out, const plan& p, const calendar& c, const obligation_due& d);
/// One audit row: the plan, the obligation, its audit (status, reported_*, late_by_seconds,
/// elapsed_seconds, reports, missing_to, finding), the calendar.
void audit_row(std::string& out, const plan& p, const calendar& c, const audit_entry& e);
/// The deadlines of an incident: the plan, the incident, the calendar, not_final, the rows
/// (each an obligation row, byte for byte).
void deadlines(std::string& out, const plan& p, const calendar& c, std::string_view incident,
               const std::vector<obligation_due>& rows);
/// The audit of an incident as of `as_of`: the plan, the incident, as_of, the calendar, not_final,
/// counts by status, the rows (each an audit row, byte for byte).
void audit(std::string& out, const plan& p, const calendar& c, std::string_view incident, instant as_of,
           const std::vector<audit_entry>& rows);
/// An incident's state (vigil::to_json(plan, incident)).
void incident_state(std::string& out, const plan& p, const incident& s);
/// The spread facts of a roll-up by the built-in fact names (vigil_rollup; no plan: it counts
/// areas, whatever the plan).
void rollup(std::string& out, const spread_result& r);
/// The same for a plan's own spread facts (vigil_rollup_values): the plan, then its facts by name
/// (not sums; each as its kind is written) and the product's id, then the counts.
void rollup(std::string& out, const plan& p, const spread_result& r);
/// A plan as the library reads it (vigil_plan_info_json).
void plan_info(std::string& out, const plan& p);
/// A plan's lint findings: [{kind, clauses, facts, message}] (vigil plan lint --out json).
void lint(std::string& out, const std::vector<lint_finding>& findings);
/// A detected cluster (vigil detect --out jsonl, vigil::to_json(plan, detected_cluster)); with
/// `alert`, the alert's "alert", "trigger" and "late" first (vigil watch, vigil_detector_feed).
void detected_cluster(std::string& out, const plan& p, const vigil::detected_cluster& c, const detect_alert* alert = nullptr);
/// A filled report template (vigil report first --out json).
void report(std::string& out, const plan& p, const rendered_report& r);

}  // namespace detail::answer_json
}  // namespace v0
}  // namespace vigil
