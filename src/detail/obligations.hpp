// Internal: what the obligation sources share — the texts of amounts and timings, the due-time
// arithmetic (src/due_time.cpp), and the incident states the deadlines are computed in, which the
// audit reads too (src/deadlines.cpp).
#pragma once

#include <vigil/obligations.hpp>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace boost::json {
class value;
}

namespace vigil {
inline namespace v0 {
namespace detail {

// ---------------------------------------------------------------- events (src/timeline.cpp)

/// What one record of a lifecycle log ({"time", "actor", "event", "payload"}, already parsed: the
/// lifecycle parses an event's payload once) means for the reporting duties under `p`: the typed
/// events the timeline reader gives it (none, one, or with the opening the occurrence and the other
/// times known before it, in time order). `response_active`: a response was running before it
/// (set_response starts or changes one). errc::invalid_input with the reader's diagnostics, named by
/// `pointer`.
result<std::vector<timeline_event>> event_meaning(const plan& p, const boost::json::value& record, bool response_active,
                                                  const std::string& pointer);

// ---------------------------------------------------------------- texts (src/obligation_names.cpp)

/// "30 minutes", "1 working day".
std::string amount_text(time_unit u, std::int64_t n);
/// "immediately (立即)", "promptly (及时)" …
std::string timing_text(timing t);

// ---------------------------------------------------------------- due times (src/due_time.cpp)

/// An instant as explanations show it (local time).
inline std::string local_short(instant t) { return format_local(t); }

/// anchor + n units; `why` receives the arithmetic, `provisional` (when given) whether a day it
/// rests on was answered provisionally. errc::out_of_range when the calendar cannot answer.
result<instant> add_time(const calendar& cal, instant anchor, time_unit u, std::int64_t n, std::string& why,
                         bool* provisional = nullptr);

// ---------------------------------------------------------------- deadlines (src/deadlines.cpp)

/// The incident after an event of its timeline.
struct state {
    instant at;
    grade raw = grade::none;
    grade effective = grade::none;
    const grade_floor* floor = nullptr;  // the floor that raised the grade, if any
    std::set<std::string> flags;
    bool response = false;
    int level = 0;
    bool warned = false;                          // a warning has been issued (warning_issued)
    warning_colour warning = warning_colour::none;  // its colour; none: its event does not say
};

/// A plan, a timeline and the states the timeline passes through.
struct context {
    const plan& p;
    const obligation_rules& r;
    const timeline& t;
    const calendar& cal;
    instant as_of;
    std::vector<state> states;  // states[i]: after event i

    state initial;  // before the first event

    const state& at(instant x) const {
        const state* s = &initial;
        for (const auto& st : states) {
            if (st.at > x) break;
            s = &st;
        }
        return *s;
    }
};

/// "add_info (续报)" for a declared event, the name otherwise.
std::string event_label(const obligation_rules& r, const std::string& name);

/// A party named by its id, its Chinese name, or the organisation unit it is; empty when none.
std::string resolve_party(const obligation_rules& r, const std::string& name);

/// Whether a report counts as made by one of the obligation's reporters.
bool made_by_reporter(const obligation_rules& r, const obligation& ob, const timeline_event& e);

/// The instances, and (in `holder`) the context they were computed in: the audit reads it too.
result<std::vector<obligation_due>> compute(const plan& p, const timeline& t, const calendar& cal,
                                            const deadline_options& opt, std::unique_ptr<context>& holder);

}  // namespace detail
}  // namespace v0
}  // namespace vigil
