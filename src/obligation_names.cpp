// Reporting obligations: the names of their enums, and the texts of conditions and deadlines.
#include <vigil/obligations.hpp>
#include <vigil/notation.hpp>

#include "detail/obligations.hpp"

#include <string>

namespace vigil {
inline namespace v0 {

// ------------------------------------------------------------------------------------ names

std::string_view to_string(channel c) noexcept {
    switch (c) {
    case channel::any: return "any";
    case channel::phone: return "phone";
    case channel::written: return "written";
    case channel::online: return "online";
    }
    return "?";
}

std::string_view to_string(timing t) noexcept {
    switch (t) {
    case timing::within: return "within";
    case timing::immediately: return "immediately";
    case timing::promptly: return "promptly";
    case timing::real_time: return "real_time";
    case timing::at_any_time: return "at_any_time";
    case timing::unstated: return "unstated";
    }
    return "?";
}

std::string_view to_string(time_unit u) noexcept {
    switch (u) {
    case time_unit::minutes: return "minutes";
    case time_unit::hours: return "hours";
    case time_unit::days: return "days";
    case time_unit::working_days: return "working_days";
    case time_unit::years: return "years";
    case time_unit::calendar_days: return "calendar_days";
    case time_unit::months: return "months";
    }
    return "?";
}

std::string_view to_string(audit_status s) noexcept {
    switch (s) {
    case audit_status::on_time: return "on_time";
    case audit_status::late: return "late";
    case audit_status::missing: return "missing";
    case audit_status::not_yet_due: return "not_yet_due";
    case audit_status::superseded: return "superseded";
    case audit_status::reported: return "reported";
    case audit_status::outstanding: return "outstanding";
    case audit_status::calendar_unknown: return "calendar_unknown";
    }
    return "?";
}

namespace detail {

std::string amount_text(time_unit u, std::int64_t n) {
    std::string unit;
    switch (u) {
    case time_unit::minutes: unit = n == 1 ? "minute" : "minutes"; break;
    case time_unit::hours: unit = n == 1 ? "hour" : "hours"; break;
    case time_unit::days: unit = n == 1 ? "day" : "days"; break;
    case time_unit::working_days: unit = n == 1 ? "working day" : "working days"; break;
    case time_unit::years: unit = n == 1 ? "year" : "years"; break;
    case time_unit::calendar_days: unit = n == 1 ? "calendar day (日)" : "calendar days (日)"; break;
    case time_unit::months: unit = n == 1 ? "month" : "months"; break;
    }
    return std::to_string(n) + " " + unit;
}

std::string timing_text(timing t) {
    switch (t) {
    case timing::within: return "within";
    case timing::immediately: return "immediately (立即)";
    case timing::promptly: return "promptly (及时)";
    case timing::real_time: return "in real time (实时)";
    case timing::at_any_time: return "at any time (随时)";
    case timing::unstated: return "no time stated";
    }
    return "?";
}

}  // namespace detail

using detail::amount_text;
using detail::timing_text;

std::string obligation_condition::to_string() const { return obligation_condition_text(*this, language::en); }

std::string obligation::deadline_text() const {
    if (every) return "one report every " + amount_text(every->first, every->second);
    if (timing == timing::within) return amount_text(unit, amount);
    return timing_text(timing);
}

}  // namespace v0
}  // namespace vigil
