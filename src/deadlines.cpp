// Deadlines: the instances of a plan's obligations over an incident's timeline, each with its due
// time and explanation; the JSON shape of a dated obligation.
#include <vigil/obligations.hpp>

#include "detail/obligations.hpp"

#include <vigil/detail/answer_json.hpp>

#include <boost/json.hpp>

#include <algorithm>

namespace vigil {
inline namespace v0 {

namespace json = boost::json;

namespace detail {

namespace {

// Whether the condition holds in state `s`, on its reporting grade (or, `raw`, on the grade judged,
// without the plan's grade floors).
bool holds(const obligation_condition& c, const state& s, bool raw = false) {
    const grade g = raw ? s.raw : s.effective;
    if (c.grade_bound && (g < c.grade_min || g > c.grade_max)) return false;
    for (const auto& f : c.flags)
        if (!s.flags.count(f)) return false;
    if (c.response_active && !s.response) return false;
    if (!c.warning_in.empty()) {
        if (!s.warned) return false;
        // A warning whose colour is not said meets the condition (the explanation says so).
        if (s.warning != warning_colour::none &&
            std::find(c.warning_in.begin(), c.warning_in.end(), s.warning) == c.warning_in.end())
            return false;
    }
    return true;
}

// What a condition on the warning saw in state `s`: "", or the colour, or that it was not said.
std::string warning_text(const obligation_condition& c, const state& s) {
    if (c.warning_in.empty() || !s.warned) return {};
    if (s.warning != warning_colour::none) return "; warning " + std::string(to_string(s.warning));
    return "; the warning's colour is not given (its warning_issued event has no \"colour\"): read as meeting \"" +
           c.to_string() + "\"";
}

std::string grade_label(const plan& p, grade g) {
    if (g == grade::none) return "not yet graded";
    std::string s(to_string(g));
    const auto& zh = p.grade_names_zh[static_cast<int>(g)];
    if (!zh.empty()) s += " " + zh;
    return s;
}

}  // namespace

std::string event_label(const obligation_rules& r, const std::string& name) {
    for (const auto& e : r.events)
        if (e.name == name) return name + " (" + e.zh + ")";
    return name;
}

namespace {

std::string head(const plan& p, const obligation& ob) {
    (void)p;
    std::string s = ob.clause + " [" + ob.id + "]: " + ob.summary + " — " + std::string(to_string(ob.channel)) + ", " +
                    ob.deadline_text();
    return s;
}

}  // namespace

// A party named by its id, its Chinese name, or the organisation unit it is.
std::string resolve_party(const obligation_rules& r, const std::string& name) {
    for (const auto& p : r.parties)
        if (p.id == name || p.zh == name) return p.id;
    if (const auto* p = r.party_of_unit(name)) return p->id;
    return {};
}

// Whether a report counts as made by one of the obligation's reporters. Who made it is the party
// its `from` names, or else the organisation unit of its actor ("unit/role"); the two forms mean
// the same: a report by a unit is a report by every party that is that unit or takes it in as a
// group member (区政府 reports for 区委、区政府; the county government for 事发地县级以上人民政府).
// A group named as `from` is held to itself; an actor whose unit no party covers is not known and
// not held.
bool made_by_reporter(const obligation_rules& r, const obligation& ob, const timeline_event& e) {
    if (ob.from.empty()) return true;
    auto owed_by = [&](const std::string& id) { return std::find(ob.from.begin(), ob.from.end(), id) != ob.from.end(); };
    std::string unit;
    if (!e.from.empty()) {
        const std::string id = resolve_party(r, e.from);
        if (owed_by(id)) return true;
        const party* p = r.find_party(id);
        if (!p || p->unit.empty()) return false;
        unit = p->unit;
    } else {
        unit = e.by.substr(0, e.by.find('/'));  // "unit/role"
        if (unit.empty()) return true;
    }
    bool linked = false;
    for (const auto& p : r.parties) {
        if (!p.covers(unit)) continue;
        linked = true;
        if (owed_by(p.id)) return true;
    }
    return !linked;
}

namespace {

result<void> validate(const context& cx) {
    std::vector<diagnostic> d;
    const auto& r = cx.r;
    auto fail = [&](const timeline_event& e, const std::string& field, std::string_view id, message_args args) {
        args.push_back({"plan", cx.p.info.id});
        d.push_back(diagnostic::of(cx.t.source, 0, 0, e.pointer + field, id, std::move(args)));
    };
    for (const auto& e : cx.t.events) {
        if (!r.knows_event(e.name)) {
            std::string list;
            for (auto b : builtin_event_names()) list += (list.empty() ? "" : ", ") + std::string(b);
            for (const auto& k : r.events) list += ", " + k.name;
            fail(e, "/event", "deadlines.unknown_event", {{"event", e.name}, {"known", list}});
            continue;
        }
        if (!e.flag.empty()) {
            bool ok = false;
            std::string list;
            for (const auto& f : r.flags) ok = ok || f.name == e.flag, list += (list.empty() ? "" : ", ") + f.name;
            if (!ok) fail(e, "/flag", "deadlines.unknown_flag", {{"flag", e.flag}, {"known", list.empty() ? "list.none" : list}});
        }
        for (std::size_t i = 0; i < e.to.size(); ++i)
            if (resolve_party(r, e.to[i]).empty()) {
                std::string list;
                for (const auto& p : r.parties) list += (list.empty() ? "" : ", ") + p.id;
                fail(e, "/to" + (e.to.size() > 1 ? "/" + std::to_string(i) : std::string()),
                     "deadlines.unknown_recipient", {{"party", e.to[i]}, {"known", list}});
            }
        if (!e.from.empty() && e.name == "report_sent" && resolve_party(r, e.from).empty())
            fail(e, "/from", "deadlines.unknown_reporter", {{"party", e.from}});
        if (e.warning != warning_colour::none && (!cx.p.warnings || !cx.p.warnings->find(e.warning))) {
            std::string list;
            if (cx.p.warnings)
                for (const auto& l : cx.p.warnings->levels) list += (list.empty() ? "" : ", ") + std::string(to_string(l.colour));
            fail(e, "/colour", list.empty() ? "deadlines.warning_colour_no_warnings" : "deadlines.unknown_warning_colour",
                 {{"colour", std::string(to_string(e.warning))}, {"known", list}});
        }
        if (!e.obligation.empty() && !r.find(e.obligation))
            fail(e, "/obligation", "deadlines.unknown_obligation", {{"obligation", e.obligation}});
        if (e.at > cx.as_of)
            fail(e, "/time", "deadlines.after_now", {{"time", format_local(e.at)}, {"now", format_local(cx.as_of)}});
    }
    if (!d.empty()) return error{errc::invalid_input, std::move(d)};
    return {};
}

void build_states(context& cx) {
    state s;
    for (const auto& e : cx.t.events) {
        s.at = e.at;
        if (e.name == "grade_reached") s.raw = *e.grade;
        else if (e.name == "flag_set") s.flags.insert(e.flag);
        else if (e.name == "flag_cleared") s.flags.erase(e.flag);
        else if (e.name == "response_started" || e.name == "response_changed") s.response = true, s.level = *e.level;
        else if (e.name == "response_ended") s.response = false, s.level = 0;
        else if (e.name == "warning_issued") s.warned = true, s.warning = e.warning;
        s.effective = s.raw;
        s.floor = nullptr;
        for (const auto& f : cx.r.floors)
            if (s.flags.count(f.flag) && f.grade > s.effective) s.effective = f.grade, s.floor = &f;
        cx.states.push_back(s);
    }
}

std::string state_grade_text(const context& cx, const state& s) {
    std::string g = s.effective == grade::none ? grade_label(cx.p, s.effective) : "grade " + grade_label(cx.p, s.effective);
    if (s.floor) g += " (reported as " + std::string(to_string(s.floor->grade)) + " because of flag " + s.floor->flag + ", " + s.floor->clause + ")";
    return g;
}

// The year whose notice a count from `anchor` needs and the calendar lacks: the first date after
// the anchor's that the calendar has not settled (0 when there is none within ten years).
int missing_year(const calendar& cal, instant anchor) {
    if (cal.is_provisional()) return 0;
    date d = local_date(anchor);
    for (int i = 0; i < 3700; ++i, d += boost::gregorian::days(1))
        if (int y = cal.missing_year(d)) return y;
    return 0;
}

// The bound on the reports one timeline makes owed (recurrences included): an answer stays small.
error too_many_deadlines() {
    return error{errc::too_large, "deadlines.too_many", {{"max", std::to_string(max_deadlines)}}};
}

result<void> instances_of(const context& cx, const obligation& ob, std::vector<obligation_due>& out) {
    const auto& r = cx.r;
    if (ob.every) {
        // Windows: maximal spans of the timeline in which `when` holds.
        std::vector<std::pair<instant, std::optional<instant>>> windows;
        bool open = false;
        bool closed = false;  // `until` happened in the window; it reopens once `when` has stopped holding
        for (std::size_t i = 0; i < cx.states.size(); ++i) {
            const auto& s = cx.states[i];
            const bool w = holds(ob.when, s);
            if (!w) closed = false;
            else if (open && !ob.until.empty() && cx.t.events[i].name == ob.until) closed = true;
            const bool h = w && !closed;
            if (h && !open) windows.push_back({s.at, std::nullopt}), open = true;
            else if (!h && open) windows.back().second = s.at, open = false;
        }
        int k = 0;
        for (const auto& [start, end] : windows) {
            instant period_start = start;
            for (int guard = 0; guard < 100000; ++guard) {
                std::string why;
                bool provisional = false;
                auto due = add_time(cx.cal, period_start, ob.every->first, ob.every->second, why, &provisional);
                if (!due && due.error().code == errc::out_of_range && missing_year(cx.cal, period_start)) {
                    // The periods stop where the calendar does; the refusal is said on the last row.
                    if (!out.empty() && out.back().rule == &ob)
                        out.back().explanation += " The next period's end needs the notice for " +
                                                  std::to_string(missing_year(cx.cal, period_start)) + " (calendar_unknown).";
                    break;
                }
                if (!due) return due.error();
                if (end && *due > *end) break;              // only complete periods inside the window
                if (!end && period_start > cx.as_of) break;  // open window: up to the period holding as_of
                obligation_due d;
                d.rule = &ob;
                d.occurrence = ++k;
                d.id = ob.id + "#" + std::to_string(k);
                d.anchor = "window";
                d.anchor_at = start;
                d.period_start = period_start;
                d.due = *due;
                d.provisional = provisional;
                if (provisional) why += ". Not final: " + calendar::provisional_note();
                d.explanation = head(cx.p, ob) + ". Runs while " + ob.when.to_string() +
                                (ob.until.empty() ? std::string() : ", until " + event_label(r, ob.until)) + ": since " + local_short(start) +
                                (end ? ", until " + local_short(*end) : ", still running at " + local_short(cx.as_of)) +
                                ". Period " + std::to_string(k) + ": " + why + ".";
                if (out.size() >= max_deadlines) return too_many_deadlines();
                out.push_back(std::move(d));
                period_start = *due;
            }
        }
        return {};
    }

    // Anchor events: the first "occurred" / "report_received", every other anchor event.
    std::vector<const timeline_event*> anchors;
    for (const auto& e : cx.t.events)
        if (e.name == ob.anchor) {
            anchors.push_back(&e);
            if (ob.anchor == "occurred" || ob.anchor == "report_received") break;
        }
    // Ever, up to as_of: the first instant `when` holds, and the grade state before it; and the
    // same on the grade judged, without the grade floors (a stricter rule never relaxes).
    const state* first_hold = nullptr;
    const state* before = nullptr;
    const state* first_hold_raw = nullptr;
    const state* before_raw = nullptr;
    if (ob.has_when && !ob.when.at_anchor) {
        for (const auto& s : cx.states) {
            if (holds(ob.when, s)) {
                first_hold = &s;
                break;
            }
            if (s.effective != grade::none) before = &s;
        }
        if (!first_hold) return {};
        if (!cx.r.floors.empty())
            for (const auto& s : cx.states) {
                if (holds(ob.when, s, true)) {
                    first_hold_raw = &s;
                    break;
                }
                if (s.raw != grade::none) before_raw = &s;
            }
    }
    // How the incident came to the row's grade: escalated from a lighter grade, or lowered from a
    // graver one (a first judgement is neither).
    const bool escalated = first_hold && before && before->effective < first_hold->effective;
    const bool lowered = first_hold && before && before->effective > first_hold->effective;
    int k = 0;
    for (const auto* a : anchors) {
        std::string cond;
        if (ob.has_when && ob.when.at_anchor) {
            const auto& s = cx.at(a->at);
            if (!holds(ob.when, s)) continue;
            cond = " Applies: " + ob.when.to_string() + " held at the anchor (" + state_grade_text(cx, s) + warning_text(ob.when, s) + ").";
        } else if (first_hold) {
            cond = " Applies: " + ob.when.to_string() + " since " + local_short(first_hold->at) + " (" +
                   state_grade_text(cx, *first_hold) + warning_text(ob.when, *first_hold) + ").";
        }
        obligation_due d;
        d.rule = &ob;
        d.occurrence = ++k;
        d.id = anchors.size() > 1 ? ob.id + "#" + std::to_string(k) : ob.id;
        d.anchor = ob.anchor;
        d.anchor_at = a->at;
        std::string clock = " Clock: " + event_label(r, ob.anchor) + " at " + local_short(a->at) + " (" + a->pointer + ").";
        const bool later = first_hold && first_hold->at > a->at;
        if (later && lowered) {
            // A duty at grade G is owed from the instant the incident is at G: lowering reaches
            // no further back than the lowering.
            d.lowered = true;
            d.anchor = "grade_reached";
            d.anchor_at = first_hold->at;
            clock = " Clock: the incident was lowered to " + state_grade_text(cx, *first_hold) + " at " +
                    local_short(first_hold->at) + " (it had been grade " + grade_label(cx.p, before->effective) +
                    "); a duty at that grade is owed from then, not from " + event_label(r, ob.anchor) + " at " +
                    local_short(a->at) + ".";
        } else if (ob.restart_on_grade && later && escalated) {
            d.restarted = true;
            d.anchor = "grade_reached";
            d.anchor_at = first_hold->at;
            clock = " Clock: restarted when the incident reached " + state_grade_text(cx, *first_hold) + " at " +
                    local_short(first_hold->at) + " (it had been grade " + grade_label(cx.p, before->effective) +
                    "); the first-report clock runs from reaching that grade, not from " + event_label(r, ob.anchor) +
                    " at " + local_short(a->at) + ".";
            // A grade floor may have made the lighter grade the clock restarts from; without the
            // floor the clock would run from the grade judged. The earlier of the two stands.
            if (first_hold_raw && (first_hold->floor || before->floor)) {
                const bool raw_restart = first_hold_raw->at > a->at && before_raw && before_raw->raw < first_hold_raw->raw;
                const instant without = raw_restart ? first_hold_raw->at : a->at;
                if (without < first_hold->at) {
                    const grade_floor* f = first_hold->floor ? first_hold->floor : before->floor;
                    d.restarted = raw_restart;
                    d.anchor = raw_restart ? "grade_reached" : ob.anchor;
                    d.anchor_at = without;
                    clock += " But that lighter grade came from flag " + f->flag + " (" + f->clause +
                             "), and a stricter rule never relaxes a deadline: without it the clock runs from " +
                             (raw_restart ? "reaching grade " + grade_label(cx.p, first_hold_raw->raw) + " at "
                                          : event_label(r, ob.anchor) + " at ") +
                             local_short(without) + ", so it does.";
                }
            }
        } else if (ob.restart_on_grade && later) {
            clock += " The grade was first determined at " + local_short(first_hold->at) + "; no lower grade came before it, so the clock runs from " + event_label(r, ob.anchor) + ".";
        }
        std::string arith;
        if (ob.timing == timing::within) {
            auto due = add_time(cx.cal, *d.anchor_at, ob.unit, ob.amount, arith, &d.provisional);
            if (!due && due.error().code == errc::out_of_range && (d.calendar_unknown = missing_year(cx.cal, *d.anchor_at))) {
                // This row alone is refused: the calendar lacks a year's notice; the others are answered.
                arith = " Due: not known (calendar_unknown " + std::to_string(d.calendar_unknown) + "): " +
                        amount_text(ob.unit, ob.amount) + " after " + local_short(*d.anchor_at) + " — " +
                        due.error().message() + " (vigil calendar import), or ask for a provisional answer.";
            } else if (!due) {
                auto e = due.error();
                for (auto& dg : e.diagnostics) dg.message = ob.clause + " [" + ob.id + "]: " + dg.message;
                return e;
            } else {
                d.due = *due;
                arith = " Due: " + arith + " (" + format_utc(*due) + ")." +
                        (d.provisional ? " Not final: " + calendar::provisional_note() + "." : "");
            }
        } else {
            arith = " Due: " + timing_text(ob.timing) + ", from " + local_short(*d.anchor_at) + ".";
        }
        d.explanation = head(cx.p, ob) + "." + cond + clock + arith;
        if (out.size() >= max_deadlines) return too_many_deadlines();
        out.push_back(std::move(d));
    }
    return {};
}

}  // namespace

// The instances, and (in `holder`) the context they were computed in: the audit reads it too.
result<std::vector<obligation_due>> compute(const plan& p, const timeline& t, const calendar& cal,
                                            const deadline_options& opt, std::unique_ptr<context>& holder) {
    if (!p.obligations)
        return error{errc::invalid_input, "deadlines.no_obligations", {{"plan", p.info.id}}};
    if (t.events.empty()) return error{errc::invalid_input, {diagnostic::of(t.source, 0, 0, "/events", "deadlines.no_events")}};
    holder = std::make_unique<context>(context{p, *p.obligations, t, cal, opt.as_of.value_or(t.events.back().at), {}, {}});
    auto& cx = *holder;
    if (auto v = validate(cx); !v) return v.error();
    build_states(cx);
    std::vector<obligation_due> out;
    for (const auto& ob : cx.r.items)
        if (auto r = instances_of(cx, ob, out); !r) return r.error();
    // Restarted clocks supersede the instances they replace (kept, marked), the earliest restart
    // first: IV → III → II supersedes IV's duties by III's, then III's (restarted or not) by II's.
    std::vector<const obligation_due*> restarts;
    for (const auto& x : out)
        if (x.restarted) restarts.push_back(&x);
    std::stable_sort(restarts.begin(), restarts.end(),
                     [](const obligation_due* a, const obligation_due* b) { return *a->anchor_at < *b->anchor_at; });
    for (const auto* x : restarts) {
        for (auto& y : out) {
            if (y.superseded || !y.anchor_at || *y.anchor_at >= *x->anchor_at) continue;
            if (std::find(x->rule->supersedes.begin(), x->rule->supersedes.end(), y.rule->id) == x->rule->supersedes.end()) continue;
            y.superseded = true;
            y.superseded_by = x->id;
            y.superseded_at = x->anchor_at;
            y.explanation += " Superseded at " + local_short(*x->anchor_at) + " by " + x->id + " (" + x->rule->clause +
                             "): the incident reached a graver grade and that clock restarted.";
            if (y.due && *y.due < *x->anchor_at) y.explanation += " It had fallen due before then (" + local_short(*y.due) + ").";
        }
    }
    // A duty the incident came to by being lowered is superseded by the graver grade's duty that
    // replaces it (its `supersedes`), when that one arose first: an incident reported as III and
    // lowered to IV owes no IV first report.
    for (auto& y : out) {
        if (!y.lowered || y.superseded) continue;
        const obligation_due* by = nullptr;
        for (const auto& x : out) {
            if (&x == &y || !x.anchor_at || *x.anchor_at > *y.anchor_at) continue;
            if (std::find(x.rule->supersedes.begin(), x.rule->supersedes.end(), y.rule->id) == x.rule->supersedes.end()) continue;
            if (!by || *x.anchor_at > *by->anchor_at) by = &x;
        }
        if (!by) continue;
        y.superseded = true;
        y.superseded_by = by->id;
        y.superseded_at = y.anchor_at;
        y.explanation += " Superseded at " + local_short(*y.anchor_at) + " by " + by->id + " (" + by->rule->clause + "), owed since " +
                         local_short(*by->anchor_at) +
                         ": the incident had been at a graver grade, whose report replaces this one; lowering it creates "
                         "no lighter first report.";
    }
    std::stable_sort(out.begin(), out.end(), [](const obligation_due& a, const obligation_due& b) {
        if (a.due.has_value() != b.due.has_value()) return a.due.has_value();
        if (a.due && *a.due != *b.due) return *a.due < *b.due;
        return a.anchor_at && b.anchor_at && *a.anchor_at < *b.anchor_at;
    });
    return out;
}

result<std::vector<obligation_due>> standing(const plan& p, const calendar& cal, instant from, instant to) {
    if (to < from)
        return error{errc::invalid_input, "deadlines.window_backwards", {{"to", local_short(to)}, {"from", local_short(from)}}};
    std::vector<obligation_due> out;
    if (!p.obligations) return out;
    for (const auto& ob : p.obligations->items) {
        if (!ob.standing) continue;
        const auto& st = *ob.standing;
        const instant since = local_midnight(st.since);
        instant period_start = since;
        // Each period's end counts from `since` (since + k periods), not from the last end, so that a
        // month-end or a leap day does not drift.
        for (std::int64_t k = 1; k <= 100000; ++k) {
            std::string why;
            bool provisional = false;
            auto due = add_time(cal, since, st.unit, k * st.every, why, &provisional);
            obligation_due d;
            d.rule = &ob;
            d.occurrence = static_cast<int>(k);
            d.id = ob.id + "#" + std::to_string(k);
            d.anchor = "standing";
            d.anchor_at = period_start;
            d.period_start = period_start;
            std::string text = head(p, ob) + ". A standing duty: once in every " + amount_text(st.unit, st.every) + " since " +
                               format_date(st.since) + (st.reading.empty() ? std::string() : " (" + st.reading + ")") + ". Period " +
                               std::to_string(k) + ": ";
            if (!due) {
                if (due.error().code != errc::out_of_range) return due.error();
                // the period's end needs a year the calendar lacks: refused on its own row, and the
                // periods after it are not counted
                if (period_start > to) break;
                d.calendar_unknown = missing_year(cal, period_start);
                d.explanation = text + "due: not known (calendar_unknown " + std::to_string(d.calendar_unknown) + "): " +
                                due.error().message() + " (vigil calendar import), or ask for a provisional answer.";
                out.push_back(std::move(d));
                break;
            }
            if (*due > to) break;
            if (*due >= from) {
                d.due = *due;
                d.provisional = provisional;
                d.explanation = text + why + "." + (provisional ? " Not final: " + calendar::provisional_note() + "." : "");
                out.push_back(std::move(d));
            }
            period_start = *due;
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const obligation_due& a, const obligation_due& b) {
        if (a.due.has_value() != b.due.has_value()) return a.due.has_value();
        return a.due && *a.due < *b.due;
    });
    return out;
}

}  // namespace detail

result<std::vector<obligation_due>> standing_duties(const plan& p, const calendar& cal, instant from, instant to) {
    return detail::standing(p, cal, from, to);
}

result<std::vector<obligation_due>> compute_deadlines(const plan& p, const timeline& t, const calendar& cal,
                                                      const deadline_options& opt) {
    std::unique_ptr<detail::context> holder;
    return detail::compute(p, t, cal, opt, holder);
}

std::string to_json(const obligation_due& d) {
    std::string out;
    detail::answer_json::obligation_only(out, d);  // the one JSON of an obligation (docs/json.md)
    return out;
}

}  // namespace v0
}  // namespace vigil
