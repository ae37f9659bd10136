// The audit: the reports an incident's timeline records, held against its dated obligations.
#include <vigil/obligations.hpp>

#include "detail/obligations.hpp"

#include <algorithm>
#include <map>

namespace vigil {
inline namespace v0 {

using detail::event_label;
using detail::local_short;
using detail::made_by_reporter;
using detail::resolve_party;
using detail::timing_text;

result<std::vector<audit_entry>> audit(const plan& p, const timeline& t, const calendar& cal, instant as_of) {
    std::unique_ptr<detail::context> holder;
    auto dues = detail::compute(p, t, cal, deadline_options{as_of}, holder);
    if (!dues) return dues.error();
    const detail::context* cx = holder.get();
    std::vector<audit_entry> out;
    for (auto& d : *dues) {
        audit_entry a;
        const obligation& ob = *d.rule;
        const instant from = d.period_start.value_or(*d.anchor_at);
        // When each recipient was first reported to (or when the fulfilling event happened).
        std::optional<instant> last;
        std::map<std::string, std::string> not_counted;  // recipient -> a report to it that did not count
        if (!ob.fulfilled_by.empty()) {
            for (const auto& e : t.events)
                // The anchor event itself does not fulfil its own obligation (a drill is due 3 years
                // after the last drill: the next drill fulfils it).
                if (e.name == ob.fulfilled_by && (e.at > from || (e.at == from && ob.fulfilled_by != ob.anchor)) &&
                    (!d.period_start || e.at <= *d.due)) {
                    last = e.at;
                    a.reports.push_back(e.pointer);
                    break;
                }
            if (!last) a.missing_to.push_back(event_label(cx->r, ob.fulfilled_by));
        } else {
            for (const auto& rcpt : ob.to) {
                std::optional<instant> got;
                std::string why_not;  // the first report to this recipient that did not count, and why
                for (const auto& e : t.events) {
                    if (e.name != "report_sent") continue;
                    if (d.period_start && e.at > *d.due) break;
                    bool to = false;
                    for (const auto& x : e.to) to = to || resolve_party(cx->r, x) == rcpt;
                    if (!to) continue;
                    std::string no;
                    if (e.at < from) {
                        // A report made before the duty arose never satisfies it.
                        if (!d.period_start) no = "made at " + local_short(e.at) + ", before this duty arose at " + local_short(from);
                    } else if (!e.obligation.empty() && e.obligation != ob.id) {
                        no = "made at " + local_short(e.at) + " for " + e.obligation;
                    } else if (ob.channel != channel::any && e.channel != ob.channel) {
                        no = "made at " + local_short(e.at) + (e.channel == channel::any ? " without saying its channel"
                                                                                       : " by " + std::string(to_string(e.channel))) +
                             "; this duty is " + std::string(to_string(ob.channel));
                    } else if (!made_by_reporter(cx->r, ob, e)) {
                        // A report that says who made it (`from`, or its actor's unit) counts only
                        // when made by one of the reporters.
                        std::string reporters;
                        for (const auto& f : ob.from) reporters += (reporters.empty() ? "" : ", ") + f;
                        no = "made at " + local_short(e.at) + " by " + (e.from.empty() ? e.by : e.from) + ", not one of its reporters (" +
                             reporters + ")";
                    } else {
                        got = e.at;
                        if (std::find(a.reports.begin(), a.reports.end(), e.pointer) == a.reports.end()) a.reports.push_back(e.pointer);
                        break;
                    }
                    if (why_not.empty() && !no.empty()) why_not = no + " (" + e.pointer + ")";
                }
                if (got) last = !last || *got > *last ? got : last;
                else {
                    a.missing_to.push_back(rcpt);
                    if (!why_not.empty()) not_counted[rcpt] = why_not;
                }
            }
        }
        const bool complete = a.missing_to.empty();
        std::string who;
        for (const auto& m : a.missing_to) {
            const auto* pty = cx->r.find_party(m);
            who += (who.empty() ? "" : ", ") + (pty ? pty->zh + " (" + m + ")" : m);
            if (auto it = not_counted.find(m); it != not_counted.end()) who += " [a report to it does not count: " + it->second + "]";
        }
        if (d.superseded) {
            a.status = audit_status::superseded;
            a.explanation = "superseded by " + d.superseded_by + " at " + local_short(*d.superseded_at);
            if (complete && last && d.due && *last > *d.due)
                a.explanation += "; it had been reported at " + local_short(*last) + ", late by " + format_duration(*last - *d.due);
            else if (complete && last)
                a.explanation += "; it had been reported at " + local_short(*last) + (d.due ? ", on time" : "");
            else if (d.due && *d.due < *d.superseded_at)
                a.explanation += "; it had fallen due at " + local_short(*d.due) + " and was not reported";
            else
                a.explanation += ", before it fell due";
        } else if (d.calendar_unknown) {
            // Refused on its own row: when it falls due needs a year the calendar lacks.
            a.status = audit_status::calendar_unknown;
            a.reported_at = complete ? last : std::nullopt;
            a.explanation = "due date unknown: it needs the notice for " + std::to_string(d.calendar_unknown) +
                            ", which the calendar lacks";
            a.explanation += complete && last ? "; reported at " + local_short(*last) + ", on time or not is unknown"
                                              : "; not yet reported to: " + who;
        } else if (ob.timing != timing::within) {
            if (complete && last) {
                a.status = audit_status::reported;
                a.reported_at = last;
                a.elapsed = *last - *d.anchor_at;
                a.explanation = "reported at " + local_short(*last) + ", " + format_duration(*a.elapsed) + " after " +
                                local_short(*d.anchor_at) + " (" + timing_text(ob.timing) + ")";
            } else {
                a.status = audit_status::outstanding;
                a.explanation = "owed " + timing_text(ob.timing) + " since " + local_short(*d.anchor_at) + "; not reported to: " + who;
            }
        } else if (complete && last) {
            a.reported_at = last;
            a.elapsed = *last - *d.anchor_at;
            if (*last <= *d.due) {
                a.status = audit_status::on_time;
                a.explanation = "reported at " + local_short(*last) + ", " + format_duration(*d.due - *last) + " before the deadline " +
                                local_short(*d.due);
            } else {
                a.status = audit_status::late;
                a.late_by = *last - *d.due;
                a.explanation = "reported at " + local_short(*last) + ", late by " + format_duration(*a.late_by) + " (due " +
                                local_short(*d.due) + ")";
            }
        } else if (*d.due <= as_of) {
            a.status = audit_status::missing;
            a.explanation = "due " + local_short(*d.due) + ", overdue by " + format_duration(as_of - *d.due) + " as of " +
                            local_short(as_of) + "; not reported to: " + who;
        } else {
            a.status = audit_status::not_yet_due;
            a.explanation = "due " + local_short(*d.due) + ", in " + format_duration(*d.due - as_of) + "; not yet reported to: " + who;
        }
        if (d.provisional && !d.superseded) a.explanation += " (the due date is provisional, not final)";
        a.due = std::move(d);
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace v0
}  // namespace vigil
