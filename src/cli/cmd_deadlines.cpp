// vigil deadlines | vigil audit | vigil report first | vigil calendar workdays | vigil calendar add
#include "audit_picture.hpp"
#include "cli.hpp"
#include "lang.hpp"

#include <vigil/calendar.hpp>
#include <vigil/detail/answer_json.hpp>
#include <vigil/detail/json_check.hpp>
#include <vigil/detail/read_file.hpp>
#include <vigil/lifecycle.hpp>
#include <vigil/obligations.hpp>

#include <boost/date_time/posix_time/conversion.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

namespace vigil::cli {

namespace {

namespace json = boost::json;
namespace aj = detail::answer_json;  // the one JSON of each answer (docs/json.md)

struct deadline_options {
    std::string plan, file, now, out = "table", calendar, fail_on = "late,missing", from, to;
    bool provisional = false;
    bool brief = false;  // --brief: the table in one line a report, at most brief_width columns
};

// --brief: every line of the deadlines table fits this many terminal columns (a CJK character takes two).
constexpr std::size_t brief_width = 100;

std::optional<calendar> open_calendar(const std::string& file) {
    auto c = file.empty() ? builtin_calendar() : load_calendar_file(file);
    if (!c) {
        print_error(c.error());
        status() = exit_bad_input;
        return std::nullopt;
    }
    return *c;
}

std::optional<instant> parse_now(const std::string& text) {
    if (text.empty()) return std::nullopt;
    auto t = parse_instant(text);
    if (!t) {
        std::cerr << "vigil: --now: " << t.error().message(current_lang()) << '\n';
        status() = exit_bad_usage;
        return std::nullopt;
    }
    return *t;
}

instant clock_now() {
    // The clock lives here, at the edge.
    return boost::posix_time::from_time_t(std::time(nullptr));
}

std::string party_names(const obligation_rules& r, const std::vector<std::string>& ids) {
    std::string s;
    for (const auto& id : ids) {
        const auto* p = r.find_party(id);
        s += (s.empty() ? "" : "、") + (p ? p->zh : id);
    }
    return s;
}

std::string when_text(const obligation_due& d) {
    const bool zh = current_lang() == lang::zh;
    if (d.calendar_unknown)
        return zh ? "未知：缺" + std::to_string(d.calendar_unknown) + "年日历" : "unknown: no " + std::to_string(d.calendar_unknown) + " calendar";
    if (d.due) return format_local(*d.due) + (d.provisional ? std::string(tr({" (provisional)", "（暂定）"})) : std::string());
    if (zh) return deadline_text(*d.rule) + "，自" + (d.anchor_at ? format_local(*d.anchor_at) : "?") + "起";
    return std::string(to_string(d.rule->timing)) + " from " + (d.anchor_at ? format_local(*d.anchor_at) : "?");
}

// iCalendar (RFC 5545): CRLF lines folded at 75 octets, never inside a UTF-8 character.
std::string ics_line(const std::string& s) {
    std::string out;
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = 1;
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0xF0) len = 4;
        else if (c >= 0xE0) len = 3;
        else if (c >= 0xC0) len = 2;
        if (n + len > 75) {
            out += "\r\n ";
            n = 1;
        }
        out.append(s, i, len);
        n += len;
        i += len;
    }
    return out + "\r\n";
}
std::string ics_text(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\\' || c == ';' || c == ',') out += '\\', out += c;
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}
std::string ics_time(instant t) {
    std::string s = format_utc(t);  // 2026-10-01T01:30:00Z
    std::string o;
    for (char c : s)
        if (c != '-' && c != ':') o += c;
    return o;
}

// Which calendar answered, and the years it settles: every answer says so.
std::string calendar_text(const calendar& c) {
    if (current_lang() == lang::zh)
        return c.source() + "（" + c.years_text() + " 年的国务院节假日安排通知" + (c.is_provisional() ? "；其余日期为暂定" : "") + "）";
    return c.source() + " (notices of " + c.years_text() + (c.is_provisional() ? "; other days provisional" : "") + ")";
}

// A line on stderr when some rows are not final, and the exit status that says so.
int not_final(const std::vector<const obligation_due*>& rows, const calendar& cal) {
    std::set<int> years;
    int provisional = 0, refused = 0;
    for (const auto* d : rows) {
        if (d->superseded) continue;
        if (d->calendar_unknown) ++refused, years.insert(d->calendar_unknown);
        if (d->provisional) ++provisional;
    }
    if (!refused && !provisional) return exit_ok;
    std::string ys;
    for (int y : years) ys += (ys.empty() ? "" : ", ") + std::to_string(y);
    if (refused) say("deadlines.not_final_unknown", {{"n", std::to_string(refused)}, {"calendar", calendar_text(cal)}, {"years", ys}});
    if (provisional) say("deadlines.not_final_provisional", {{"n", std::to_string(provisional)}, {"note", "calendar.provisional_note"}});
    return exit_not_final;
}

// The audit's exit status: 4 when a status of --fail-on occurred (default late, missing), else 3
// when some rows are not final, else 0.
int audit_exit(const std::vector<audit_entry>& a, const std::set<std::string>& fail_on, const calendar& cal) {
    std::map<std::string, int> hits;
    for (const auto& e : a)
        if (fail_on.count(std::string(to_string(e.status)))) ++hits[std::string(to_string(e.status))];
    std::vector<const obligation_due*> rows;
    for (const auto& e : a) rows.push_back(&e.due);
    const int nf = not_final(rows, cal);
    if (hits.empty()) return nf;
    std::string counts;
    for (const auto& [k, n] : hits) counts += ' ' + k + ' ' + std::to_string(n);
    say("audit.failed", {{"counts", counts}});
    return exit_found;
}

// "2026-09-29T09:00:00+08:00" (local) as "2026-09-29 09:00" (seconds only when not :00).
std::string brief_time(instant t) {
    std::string s = format_local(t);
    if (s.size() < 19) return s;
    return s.substr(0, 10) + ' ' + s.substr(11, s.compare(17, 2, "00") == 0 ? 5 : 8);
}

// The characters of UTF-8 text, each with its bytes.
std::vector<std::string_view> utf8_chars(std::string_view s) {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = 1;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0xF0) len = 4;
        else if (c >= 0xE0) len = 3;
        else if (c >= 0xC0) len = 2;
        len = std::min(len, s.size() - i);
        out.push_back(s.substr(i, len));
        i += len;
    }
    return out;
}

// `s` cut to display width `w` at a character's boundary, "..." marking the cut.
std::string fit(const std::string& s, std::size_t w) {
    if (display_width(s) <= w) return s;
    std::string out;
    std::size_t used = 0;
    for (auto ch : utf8_chars(s)) {
        if (used + display_width(ch) + 3 > w) break;
        out.append(ch);
        used += display_width(ch);
    }
    return out + "...";
}

// Names joined by 、 in lines of display width at most `w`, broken between names (and inside a
// name only when it alone is wider).
std::vector<std::string> wrap_names(const std::vector<std::string>& names, std::size_t w) {
    std::vector<std::string> lines{""};
    for (std::size_t k = 0; k < names.size(); ++k) {
        const std::string item = names[k] + (k + 1 < names.size() ? "、" : "");
        if (!lines.back().empty() && display_width(lines.back()) + display_width(item) > w) lines.emplace_back();
        for (auto ch : utf8_chars(item)) {
            if (!lines.back().empty() && display_width(lines.back()) + display_width(ch) > w) lines.emplace_back();
            lines.back().append(ch);
        }
    }
    return lines;
}

// The deadlines table in brief: one row a report owed — when, the clause, how, to whom (wrapped
// between names onto further lines when long) — every line at most brief_width columns; the
// arithmetic and the reasons are in the full table.
void print_brief(const plan& p, const calendar& cal, const std::vector<obligation_due>& dues, const std::string& heading) {
    const bool zh = current_lang() == lang::zh;
    std::vector<std::vector<std::string>> rows{{std::string(tr({"due 截止 (Asia/Shanghai)", "应报时间（北京时间）"})),
                                                std::string(tr({"clause 条款", "条款"})), std::string(tr({"channel", "方式"}))}};
    std::vector<std::vector<std::string>> to{{std::string(tr({"to 报送", "报告对象"}))}};
    for (const auto& x : dues) {
        std::string when;
        if (x.calendar_unknown)
            when = zh ? "未知：缺" + std::to_string(x.calendar_unknown) + "年日历" : "unknown: no " + std::to_string(x.calendar_unknown) + " calendar";
        else if (x.due) when = brief_time(*x.due) + (x.provisional ? std::string(tr({" (provisional)", "（暂定）"})) : std::string());
        else if (zh) when = deadline_text(*x.rule) + (x.anchor_at ? "，自" + brief_time(*x.anchor_at) + "起" : std::string());
        else when = std::string(to_string(x.rule->timing)) + (x.anchor_at ? ", from " + brief_time(*x.anchor_at) : std::string());
        if (x.superseded) when += tr({" (superseded)", "（已被取代）"});
        rows.push_back({when, fit(x.rule->clause, 24), std::string(channel_text(x.rule->channel))});
        std::vector<std::string> names;
        for (const auto& id : x.rule->to) {
            const auto* party = p.obligations->find_party(id);
            names.push_back(party ? party->zh : id);
        }
        to.push_back(names);
    }
    std::vector<std::size_t> w(rows[0].size(), 0);
    for (const auto& r : rows)
        for (std::size_t c = 0; c < r.size(); ++c) w[c] = std::max(w[c], display_width(r[c]));
    std::size_t used = 0;  // the columns before "to", two spaces apart
    for (auto x : w) used += x + 2;
    const std::size_t room = used + 8 < brief_width ? brief_width - used : 8;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        std::string line;
        for (std::size_t c = 0; c < rows[k].size(); ++c) line += pad(rows[k][c], w[c]) + "  ";
        const auto lines = wrap_names(to[k], room);
        line += lines[0];
        while (!line.empty() && line.back() == ' ') line.pop_back();  // no recipient: no trailing spaces
        std::cout << line << '\n';
        for (std::size_t l = 1; l < lines.size(); ++l) std::cout << std::string(used, ' ') << lines[l] << '\n';
    }
    if (zh)
        std::cout << fit("预案 " + p.info.id + "，" + heading + "：共 " + std::to_string(dues.size()) + " 项报告义务", brief_width) << '\n'
                  << fit("日历：" + calendar_text(cal), brief_width) << '\n';
    else
        std::cout << fit("plan " + p.info.id + ", " + heading + ": " + std::to_string(dues.size()) + " obligation(s)", brief_width) << '\n'
                  << fit("calendar: " + calendar_text(cal), brief_width) << '\n';
}

// The dated obligations as the output form asks (table, json, jsonl, ics), then the exit status: 3
// when some rows are not final. `stamp` is the time the calendar entries are made (DTSTAMP), `inc`
// names them (UID), `heading` the rows in the table's last line ("incident X", "standing duties …"),
// `inc_id` is the incident's id as the timeline gives it (json), `brief` the table in brief.
int print_dues(const plan& p, const calendar& cal, const std::vector<obligation_due>& dues, const std::string& out,
               instant stamp, const std::string& inc, const std::string& heading, const std::string& inc_id, bool brief) {
    if (out == "table" && brief) {
        print_brief(p, cal, dues, heading);
    } else if (out == "jsonl") {
        std::string line;
        for (const auto& x : dues) {
            line.clear();
            aj::obligation_row(line, p, cal, x);
            std::cout << line << '\n';
        }
    } else if (out == "json") {
        std::string text;
        aj::deadlines(text, p, cal, inc_id, dues);
        std::cout << text << '\n';
    } else if (out == "ics") {
        std::string s;
        s += ics_line("BEGIN:VCALENDAR");
        s += ics_line("VERSION:2.0");
        s += ics_line("PRODID:-//vigil//deadlines//EN");
        s += ics_line("CALSCALE:GREGORIAN");
        s += ics_line("X-VIGIL-CALENDAR:" + ics_text(calendar_text(cal)));
        for (const auto& x : dues) {
            if (x.superseded) continue;  // a calendar shows what is owed
            const instant at = x.due ? *x.due : *x.anchor_at;
            s += ics_line("BEGIN:VEVENT");
            s += ics_line("UID:" + ics_text(x.id + "." + inc + "@vigil"));
            s += ics_line("DTSTAMP:" + ics_time(stamp));
            s += ics_line("DTSTART:" + ics_time(at));
            s += ics_line("DTEND:" + ics_time(at));
            std::string what = x.rule->clause + " " + to_string(x.rule->channel).data() + " → " + party_names(*p.obligations, x.rule->to);
            if (x.calendar_unknown)
                what = "(due date unknown: no " + std::to_string(x.calendar_unknown) + " calendar, " + x.rule->deadline_text() + ") " + what;
            else if (!x.due) what = "(" + x.rule->deadline_text() + ") " + what;
            if (x.provisional) what = "[暂定 provisional] " + what;
            s += ics_line("SUMMARY:" + ics_text(what));
            s += ics_line("DESCRIPTION:" + ics_text(x.explanation));
            if (x.provisional) s += ics_line("X-VIGIL-PROVISIONAL:TRUE");
            if (x.calendar_unknown) s += ics_line("X-VIGIL-CALENDAR-UNKNOWN:" + std::to_string(x.calendar_unknown));
            if (x.due) {
                // A reminder before the due time: a quarter of the time allowed, at most one day, at least 5 minutes.
                const long allowed = (*x.due - *x.anchor_at).total_seconds() / 60;
                const long before = std::max(5L, std::min(24L * 60, allowed / 4));
                s += ics_line("BEGIN:VALARM");
                s += ics_line("ACTION:DISPLAY");
                s += ics_line("TRIGGER;RELATED=START:-PT" + std::to_string(before) + "M");
                s += ics_line("DESCRIPTION:" + ics_text("due in " + format_duration(boost::posix_time::minutes(before)) + ": " + what));
                s += ics_line("END:VALARM");
            }
            s += ics_line("END:VEVENT");
        }
        s += ics_line("END:VCALENDAR");
        std::cout << s;
    } else {
        std::vector<std::vector<std::string>> rows{{std::string(tr({"due (Asia/Shanghai)", "应报时间（北京时间）"})),
                                                    std::string(tr({"obligation", "报告义务"})),
                                                    std::string(tr({"channel", "方式"})), std::string(tr({"to", "报告对象"}))}};
        for (const auto& x : dues)
            rows.push_back({when_text(x) + (x.superseded ? std::string(tr({" (superseded)", "（已被取代）"})) : std::string()), x.id,
                            std::string(channel_text(x.rule->channel)), party_names(*p.obligations, x.rule->to)});
        std::vector<std::string> notes;
        for (const auto& x : dues) notes.push_back(current_lang() == lang::zh ? deadline_note_zh(p, cal, x) : x.explanation);
        print_table(std::cout, rows, &notes);
        if (current_lang() == lang::zh)
            std::cout << "预案 " << p.info.id << "，" << heading << "：共 " << dues.size() << " 项报告义务\n日历：" << calendar_text(cal) << '\n';
        else
            std::cout << "plan " << p.info.id << ", " << heading << ": " << dues.size()
                      << " obligation(s)\ncalendar: " << calendar_text(cal) << '\n';
    }
    std::vector<const obligation_due*> rows;
    for (const auto& x : dues) rows.push_back(&x);
    return not_final(rows, cal);
}

// The plan an incident's lifecycle log names in its opening record (event "open", payload "plan"
// and, for a plan file, "plan_sha256"); nullopt when the text is not such a log (a timeline document).
struct named_plan {
    std::string id, sha256;
};
std::optional<named_plan> plan_named_by(std::string_view text) {
    const std::string_view l = detail::first_json_line(text);
    if (l.empty()) return std::nullopt;
    boost::system::error_code ec;
    const json::value v = json::parse(l, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* ev = o ? o->if_contains("event") : nullptr;
    const auto* pl = o ? o->if_contains("payload") : nullptr;
    if (!ev || !ev->is_string() || ev->as_string() != "open" || !pl || !pl->is_object()) return std::nullopt;
    const auto* id = pl->as_object().if_contains("plan");
    if (!id || !id->is_string()) return std::nullopt;
    named_plan n{std::string(id->as_string()), ""};
    if (const auto* h = pl->as_object().if_contains("plan_sha256"); h && h->is_string()) n.sha256 = std::string(h->as_string());
    return n;
}

// The plan to answer with: --plan, or the plan the incident's log names. A --plan other than the
// log's is bad usage (exit 2), said with both names; so is no --plan for a timeline that names none.
plan_ptr plan_for_timeline(const deadline_options& opt, std::string_view text) {
    const auto named = plan_named_by(text);
    if (opt.plan.empty()) {
        if (!named) {
            say("deadlines.timeline_names_no_plan", {{"file", opt.file}});
            status() = exit_bad_usage;
            return nullptr;
        }
        if (!named->sha256.empty()) {
            say("deadlines.log_plan_file", {{"file", opt.file}, {"id", named->id}, {"sha256", named->sha256}});
            status() = exit_bad_usage;
            return nullptr;
        }
        const auto names = builtin_plan_names();
        if (std::find(names.begin(), names.end(), named->id) == names.end()) {
            say("deadlines.log_plan_not_builtin", {{"file", opt.file}, {"id", named->id}});
            status() = exit_bad_usage;
            return nullptr;
        }
        return open_plan(named->id);
    }
    auto p = open_plan(opt.plan);
    if (!p || !named) return p;
    // the same plan: the id, and the content the log names (a built-in plan's, for a log of one)
    bool same = p->info.id == named->id;
    if (same && !named->sha256.empty()) same = p->sha256 == named->sha256;
    else if (same && !p->builtin) {
        auto b = builtin_plan(named->id);
        same = b && (*b)->sha256 == p->sha256;
    }
    if (!same) {
        const auto what = [](const std::string& id, const std::string& sha, bool builtin) {
            if (builtin) return said("deadlines.plan_builtin", {{"id", id}});
            return said("deadlines.plan_file", {{"id", id}, {"sha256", sha}});
        };
        say("deadlines.plan_mismatch", {{"plan", opt.plan},
                                        {"given", what(p->info.id, p->sha256, p->builtin)},
                                        {"file", opt.file},
                                        {"named", what(named->id, named->sha256, named->sha256.empty())}});
        status() = exit_bad_usage;
        return nullptr;
    }
    return p;
}

int run_deadlines(const deadline_options& opt, bool audit_mode) {
    std::string timeline_text;
    plan_ptr p;
    if (!opt.file.empty() && opt.from.empty() && opt.to.empty()) {
        auto text = detail::read_file(opt.file, max_timeline_bytes, "timeline");
        if (!text) {
            print_error(text.error());
            return exit_bad_input;
        }
        timeline_text = std::move(*text);
        p = plan_for_timeline(opt, timeline_text);
    } else if (opt.plan.empty()) {
        say(audit_mode || !opt.from.empty() || !opt.to.empty() ? "deadlines.give_plan" : "deadlines.give_plan_and_timeline");
        return exit_bad_usage;
    } else {
        p = open_plan(opt.plan);
    }
    if (!p) return status();
    auto cal = open_calendar(opt.calendar);
    if (!cal) return status();
    if (opt.provisional) cal = cal->provisional();
    if (!opt.from.empty() || !opt.to.empty()) {
        // The standing duties (owed whatever the incidents) whose period ends between the two dates.
        if (audit_mode || !opt.file.empty() || opt.from.empty() || opt.to.empty()) {
            say("deadlines.from_to");
            return exit_bad_usage;
        }
        auto from = parse_date(opt.from);
        auto to = parse_date(opt.to);
        if (!from || !to) {
            say("cli.expected_date", {{"option", from ? "--to" : "--from"}, {"found", from ? opt.to : opt.from}});
            return exit_bad_usage;
        }
        auto d = standing_duties(*p, *cal, local_midnight(*from), local_midnight(*to + boost::gregorian::days(1)));
        if (!d) {
            print_error(d.error());
            return exit_bad_usage;
        }
        return print_dues(*p, *cal, *d, opt.out, local_midnight(*from), "standing",
                          current_lang() == lang::zh ? "常设义务，" + opt.from + " 至 " + opt.to + " 到期" : "standing duties due " + opt.from + " to " + opt.to, "", opt.brief);
    }
    if (opt.file.empty()) {
        say(audit_mode ? "audit.give_timeline" : "deadlines.give_timeline");
        return exit_bad_usage;
    }
    std::set<std::string> fail_on;
    for (std::size_t a = 0, b; a <= opt.fail_on.size(); a = b + 1) {
        b = opt.fail_on.find(',', a);
        if (b == std::string::npos) b = opt.fail_on.size();
        std::string w = opt.fail_on.substr(a, b - a);
        if (w.empty() || w == "none") continue;
        if (w != "late" && w != "missing" && w != "outstanding" && w != "calendar_unknown") {
            say("audit.bad_fail_on", {{"found", w}});
            return exit_bad_usage;
        }
        fail_on.insert(w);
    }
    auto now = parse_now(opt.now);
    if (!opt.now.empty() && !now) return status();
    std::vector<diagnostic> torn;
    auto t = read_history(*p, timeline_text, opt.file, &torn);
    print_warnings(torn);
    if (!t) {
        print_error(t.error());
        return exit_bad_input;
    }
    if (!p->obligations) {
        say("cli.plan_lacks_section", {{"plan", p->info.id}, {"section", "obligations"}});
        return exit_bad_input;
    }
    if (audit_mode) {
        instant as_of = now.value_or(clock_now());
        auto a = audit(*p, *t, *cal, as_of);
        if (!a) {
            print_error(a.error());
            return exit_bad_input;
        }
        if (opt.out == "svg" || opt.out == "html") {
            std::cout << (opt.out == "svg" ? audit_svg(*p, *t, *a, as_of, calendar_text(*cal))
                                           : audit_html(*p, *t, *a, as_of, calendar_text(*cal)));
            return audit_exit(*a, fail_on, *cal);
        }
        if (opt.out == "jsonl" || opt.out == "json") {
            std::string text;
            if (opt.out == "json") {
                aj::audit(text, *p, *cal, t->incident, as_of, *a);
                std::cout << text << '\n';
            } else {
                for (const auto& e : *a) {
                    text.clear();
                    aj::audit_row(text, *p, *cal, e);
                    std::cout << text << '\n';
                }
            }
            return audit_exit(*a, fail_on, *cal);
        }
        std::vector<std::vector<std::string>> rows{{std::string(tr({"status", "结论"})), std::string(tr({"due (Asia/Shanghai)", "应报时间（北京时间）"})),
                                                    std::string(tr({"obligation", "报告义务"})), std::string(tr({"clause", "条款"}))}};
        std::map<std::string, int> counts;
        for (const auto& e : *a) {
            rows.push_back({std::string(status_text(e.status)) +
                                (e.due.provisional && !e.due.superseded ? std::string(tr({" (provisional)", "（暂定）"})) : std::string()),
                            when_text(e.due), e.due.id, e.due.rule->clause});
            ++counts[std::string(status_text(e.status))];
        }
        std::vector<std::string> notes;
        for (const auto& e : *a) notes.push_back(current_lang() == lang::zh ? audit_note_zh(*p, e, as_of) : e.explanation);
        print_table(std::cout, rows, &notes);
        if (current_lang() == lang::zh) {
            std::cout << "预案 " << p->info.id << "，事件 " << (t->incident.empty() ? "-" : t->incident) << "，截至 "
                      << format_local(as_of) << "：";
            for (const auto& [s, n] : counts) std::cout << ' ' << s << ' ' << n;
            std::cout << "\n日历：" << calendar_text(*cal) << '\n';
        } else {
            std::cout << "plan " << p->info.id << ", incident " << (t->incident.empty() ? "-" : t->incident) << ", as of "
                      << format_local(as_of) << ":";
            for (const auto& [s, n] : counts) std::cout << ' ' << s << ' ' << n;
            std::cout << "\ncalendar: " << calendar_text(*cal) << '\n';
        }
        return audit_exit(*a, fail_on, *cal);
    }

    vigil::deadline_options dopt;
    dopt.as_of = now;
    auto d = compute_deadlines(*p, *t, *cal, dopt);
    if (!d) {
        print_error(d.error());
        return exit_bad_input;
    }
    return print_dues(*p, *cal, *d, opt.out, now.value_or(t->events.back().at),
                      t->incident.empty() ? "incident" : t->incident, std::string(tr({"incident ", "事件 "})) + (t->incident.empty() ? std::string("-") : t->incident),
                      t->incident, opt.brief);
}

constexpr std::size_t max_report_bytes = 1u << 20;

struct report_options {
    std::string file, plan, out = "text";
};

int run_report_first(const report_options& opt) {
    auto text = detail::read_file(opt.file, max_report_bytes, "report template");
    if (!text) {
        print_error(text.error());
        return exit_bad_input;
    }
    boost::system::error_code ec;
    const std::string_view body = detail::skip_bom(*text);
    json::value v = json::parse(body, ec);
    if (!ec)
        if (auto issue = detail::check_json(body)) {
            std::cerr << "vigil: " << opt.file << ": " << said(issue->id, issue->args)
                      << said("json.at_byte", {{"offset", std::to_string(issue->offset)}}) << '\n';
            return exit_bad_input;
        }
    if (ec || !v.is_object()) {
        message_args args = ec ? detail::json_error_args(ec) : message_args{{"detail", ""}};
        args.push_back({"file", opt.file});
        say(ec ? "report.not_json" : "report.not_object", args);
        return exit_bad_input;
    }
    const auto& o = v.as_object();
    for (const auto& kv : o)
        if (kv.key() != "plan" && kv.key() != "fields" && kv.key() != "note") {
            say("report.unknown_field", {{"file", opt.file}, {"field", std::string(kv.key())}});
            return exit_bad_input;
        }
    std::string plan = opt.plan;
    if (plan.empty() && o.contains("plan") && o.at("plan").is_string()) {
        // A file names a built-in plan by id; a path to open comes only from the command line.
        plan = std::string(o.at("plan").as_string());
        const auto names = builtin_plan_names();
        if (std::find(names.begin(), names.end(), plan) == names.end()) {
            say("report.plan_not_builtin", {{"file", opt.file}, {"plan", plan}});
            return exit_bad_input;
        }
    }
    if (plan.empty()) {
        say("report.no_plan", {{"file", opt.file}});
        return exit_bad_usage;
    }
    auto p = open_plan(plan);
    if (!p) return status();
    std::map<std::string, std::string> fields;
    if (const auto* f = o.if_contains("fields")) {
        if (!f->is_object()) {
            say("report.fields_not_object", {{"file", opt.file}});
            return exit_bad_input;
        }
        for (const auto& kv : f->as_object()) {
            const auto& x = kv.value();
            if (x.is_string()) fields[std::string(kv.key())] = std::string(x.as_string());
            else if (x.is_int64()) fields[std::string(kv.key())] = std::to_string(x.as_int64());
            else if (x.is_null()) continue;
            else {
                say("report.field_not_text", {{"file", opt.file}, {"field", std::string(kv.key())}});
                return exit_bad_input;
            }
        }
    }
    auto r = render_report(*p, "first_report", fields);
    if (!r) {
        auto e = r.error();
        for (auto& d : e.diagnostics) d.source = opt.file;
        print_error(e);
        return e.code == errc::unknown_name ? exit_bad_usage : exit_bad_input;
    }
    const auto* tpl = p->obligations->find_template("first_report");
    if (opt.out == "json") {
        std::string text;
        aj::report(text, *p, *r);
        std::cout << text << '\n';
        return exit_ok;
    }
    std::cout << r->text;
    if (!tpl->note.empty()) std::cout << '\n' << tpl->note << '\n';
    if (!r->missing.empty()) {
        const bool zh = current_lang() == lang::zh;
        std::cout << (zh ? "\n未填写：" : "\n未填写 (missing, left blank):");
        bool first = true;
        for (const auto& m : r->missing)
            for (const auto& f : tpl->fields)
                if (f.id == m) {
                    if (zh) std::cout << (first ? "" : "、") << f.zh << "（" << m << "）";
                    else std::cout << ' ' << f.zh << " (" << m << ")";
                    first = false;
                }
        std::cout << '\n';
    }
    std::cout << "(" << r->clause << ")\n";
    return exit_ok;
}

struct calendar_options {
    std::string a, b, calendar;
    int n = 0;
};

result<date> date_arg(const std::string& s, const char* what) {
    auto d = parse_date(s);
    if (!d) {
        auto e = d.error();
        for (auto& x : e.diagnostics) x.pointer = what;  // the argument's name in place of a pointer
        return error{errc::invalid_input, std::move(e.diagnostics)};
    }
    return d;
}

int run_workdays(const calendar_options& o) {
    auto cal = open_calendar(o.calendar);
    if (!cal) return status();
    auto a = date_arg(o.a, "FROM");
    auto b = date_arg(o.b, "TO");
    if (!a || !b) {
        print_error(!a ? a.error() : b.error());
        return exit_bad_usage;
    }
    auto n = cal->working_days(*a, *b);
    if (!n) {
        print_error(n.error());
        return n.error().code == errc::invalid_input ? exit_bad_usage : exit_bad_input;
    }
    std::cout << *n << '\n';
    return exit_ok;
}

int run_add(const calendar_options& o) {
    auto cal = open_calendar(o.calendar);
    if (!cal) return status();
    auto a = date_arg(o.a, "DATE");
    if (!a) {
        print_error(a.error());
        return exit_bad_usage;
    }
    auto w = cal->walk_working_days(*a, o.n);
    if (!w) {
        print_error(w.error());
        return exit_bad_input;
    }
    std::cout << format_date(w->end) << '\n';
    // What was passed on the way, for a person checking it.
    // Under --lang zh: 星期四 节假日 国庆节, 星期六 调休上班日 国庆节.
    static constexpr std::string_view weekday_zh[] = {"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"};
    const bool zh = current_lang() == lang::zh;
    for (const auto& c : w->passed)
        if (c.kind == day_kind::holiday || c.kind == day_kind::workday) {
            std::cout << "  " << format_date(c.date) << ' ';
            if (zh)
                std::cout << weekday_zh[c.date.day_of_week().as_number()] << ' ' << (c.kind == day_kind::holiday ? "节假日" : "调休上班日");
            else
                std::cout << c.date.day_of_week().as_short_string() << ' ' << to_string(c.kind);
            std::cout << ' ' << c.name << '\n';
        }
    return exit_ok;
}

}  // namespace

void register_deadlines(CLI::App& app) {
    const std::string exits = "Exit codes: 0 ok, 1 bad input, 2 bad usage.\n\n";
    for (bool audit_mode : {false, true}) {
        auto opt = std::make_shared<deadline_options>();
        auto* cmd = app.add_subcommand(audit_mode ? "audit" : "deadlines",
                                       audit_mode ? "Audit an incident's reports against the plan's reporting deadlines."
                                                  : "List the reports an incident owes: to whom, how, by when, and why.");
        if (audit_mode)
            cmd->footer("The reports are the timeline's report_sent events (and the events an obligation names as\n"
                        "fulfilling it). Each obligation is on_time, late (by how much), missing, superseded,\n"
                        "not_yet_due, reported (untimed ones), outstanding, or calendar_unknown (its due date needs a\n"
                        "year the calendar lacks), as of --now (default: the current time). Timeline format:\n"
                        "docs/deadlines.md. An incident's lifecycle log is a timeline too, and names its plan: --plan\n"
                        "may be left out, and a --plan other than the log's is an error (exit 2).\n"
                        "Exit codes: 0 ok, 1 bad input, 2 bad usage, 3 some rows not final (calendar_unknown or\n"
                        "--provisional; said on stderr), 4 a status of --fail-on occurred (default: late, missing).\n\n"
                        "Examples:\n"
                        "  vigil audit --plan guiyang --now 2026-10-01T12:00:00+08:00 examples/timeline-guiyang-escalation.json\n"
                        "  vigil audit --plan yuzhong --now 2026-10-03T09:00:00+08:00 --out jsonl examples/timeline-yuzhong-major.json\n"
                        "  vigil audit --plan guiyang --now 2026-10-01T12:00:00+08:00 --out svg examples/timeline-guiyang-escalation.json > audit.svg\n"
                        "  vigil audit --now 2026-03-30T09:00:00+08:00 INCIDENT.jsonl   # a lifecycle log: its own plan\n"
                        "--out svg draws the incident's duties on a time line (html: the picture and the table in one file).\n"
                        "--out json gives the whole answer, --out jsonl one row per obligation (docs/json.md).");
        else
            cmd->footer("Every obligation the timeline triggers: who reports to whom, by which channel, due when\n"
                        "(UTC and Asia/Shanghai), with the clause, the anchor event and the arithmetic. Working days\n"
                        "follow the official calendar (--calendar FILE for a newer one). --now bounds the open daily\n"
                        "reports (default: the timeline's last event). A due date in a year the calendar lacks is\n"
                        "refused on its own row (calendar_unknown), or with --provisional answered from weekends and\n"
                        "the fixed-date statutory holidays and marked provisional. Timeline format: docs/deadlines.md.\n"
                        "An incident's lifecycle log is a timeline too, and names its plan: --plan may be left out, and a\n"
                        "--plan other than the log's is an error (exit 2).\n"
                        "--out json gives the whole answer, --out jsonl one row per obligation (docs/json.md).\n"
                        "Exit codes: 0 ok, 1 bad input, 2 bad usage, 3 some rows not final (said on stderr).\n\n"
                        "Examples:\n"
                        "  vigil deadlines --plan yuzhong examples/timeline-yuzhong-major.json\n"
                        "  vigil deadlines --brief --plan yuzhong examples/timeline-yuzhong-major.json   # 100 columns\n"
                        "  vigil deadlines --plan guiyang --out ics examples/timeline-guiyang-escalation.json > deadlines.ics\n"
                        "  vigil deadlines --now 2026-03-30T09:00:00+08:00 INCIDENT.jsonl   # a lifecycle log: its own plan\n"
                        "  vigil deadlines --plan yuzhong --from 2026-01-01 --to 2032-12-31   # standing duties (drills, plan reviews)");
        cmd->add_option("--plan", opt->plan,
                        "a built-in plan's id (see `vigil plans`) or a plan file (default: the plan an incident's log names)");
        cmd->add_option("--now", opt->now, "the time asked about, ISO 8601 with an offset (2026-10-01T12:00:00+08:00)");
        cmd->add_option("--out", opt->out, "output format")
            ->check(CLI::IsMember(audit_mode ? std::vector<std::string>{"table", "json", "jsonl", "svg", "html"}
                                             : std::vector<std::string>{"table", "json", "jsonl", "ics"}))
            ->capture_default_str();
        cmd->add_option("--calendar", opt->calendar, "a working-day calendar CSV to use instead of the built-in one");
        cmd->add_flag("--provisional", opt->provisional,
                      "answer days the calendar lacks from weekends and the fixed-date statutory holidays, marked provisional");
        if (audit_mode)
            cmd->add_option("--fail-on", opt->fail_on,
                            "statuses that make the exit status 4: late, missing, outstanding, calendar_unknown, or none")
                ->capture_default_str();
        cmd->add_option("TIMELINE", opt->file, "the incident's timeline (JSON, or JSON Lines of events)");
        if (!audit_mode) {
            cmd->add_flag("--brief", opt->brief,
                          "the table in brief: one line a report (due, clause, channel, to), at most 100 columns wide");
            cmd->add_option("--from", opt->from, "with --to, no TIMELINE: the plan's standing duties due from this date (YYYY-MM-DD)");
            cmd->add_option("--to", opt->to, "the last date (YYYY-MM-DD, inclusive) of --from's window");
        }
        cmd->callback([opt, audit_mode] { status() = run_deadlines(*opt, audit_mode); });
    }

    auto* report = app.add_subcommand("report", "Render a plan's report templates.");
    report->require_subcommand(1);
    report->footer("Example:\n  vigil report first examples/first-report-guiyang.json");
    auto ropt = std::make_shared<report_options>();
    auto* first = report->add_subcommand("first", "Render the first-report template (guiyang A6, 首报两分钟模板).");
    first->footer("Input: {\"plan\": \"guiyang\", \"fields\": {\"receipt_time\": \"2026-10-01T09:30:00+08:00\", ...}}.\n"
                  "Fields not given are left blank and listed after the text. Field ids: docs/deadlines.md.\n" +
                  exits + "Example:\n  vigil report first examples/first-report-guiyang.json");
    first->add_option("INCIDENT", ropt->file, "the incident's fields (JSON)")->required();
    first->add_option("--plan", ropt->plan, "the plan (default: the file's \"plan\")");
    first->add_option("--out", ropt->out, "output format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
    first->callback([ropt] { status() = run_report_first(*ropt); });

    auto* cal = app.add_subcommand("calendar", "Working days on the official calendar (Asia/Shanghai).");
    cal->require_subcommand(1);
    cal->footer("Examples:\n  vigil calendar add 2026-09-30 7\n  vigil calendar workdays 2026-09-28 2026-10-11\n"
                "  vigil calendar add --calendar my-2027.csv 2027-01-29 3");
    auto copt = std::make_shared<calendar_options>();
    auto* wd = cal->add_subcommand("workdays", "The number of working days from FROM to TO, both included.");
    wd->footer(exits + "Example:\n  vigil calendar workdays 2026-09-28 2026-10-11");
    wd->add_option("FROM", copt->a, "ISO date YYYY-MM-DD")->required();
    wd->add_option("TO", copt->b, "ISO date YYYY-MM-DD")->required();
    wd->add_option("--calendar", copt->calendar, "a calendar CSV to use instead of the built-in one");
    wd->callback([copt] { status() = run_workdays(*copt); });
    auto* add = cal->add_subcommand("add", "The date of the N-th working day after DATE.");
    add->footer("The date (ISO YYYY-MM-DD) is on the first line; the holidays and make-up working days passed\n"
                "follow. N < 0 counts backwards; N = 0 gives DATE.\n" +
                exits + "Example:\n  vigil calendar add 2026-09-30 7");
    add->add_option("DATE", copt->a, "ISO date YYYY-MM-DD")->required();
    add->add_option("N", copt->n, "working days to add")->required();
    add->add_option("--calendar", copt->calendar, "a calendar CSV to use instead of the built-in one");
    add->callback([copt] { status() = run_add(*copt); });
    register_calendar_import(*cal);
}

}  // namespace vigil::cli
