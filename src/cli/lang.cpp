// The language of the command's tables and notes (lang.hpp).
#include "lang.hpp"

#include <vigil/notation.hpp>
#include <vigil/time.hpp>

#include <cstdlib>

namespace vigil::cli {
namespace {

lang g_lang = lang::en;

// The engine's own events (the lifecycle and the timeline format); a plan's declared events carry
// their labels in the plan.
struct event_label {
    std::string_view name, zh, en;
};
constexpr event_label engine_events[] = {
    {"occurred", "事件发生", "the incident occurred"},
    {"report_received", "接到报告", "the report was received"},
    {"grade_reached", "事件达到该级别", "the incident reached the grade"},
    {"response_started", "启动应急响应", "the response started"},
    {"response_ended", "终止应急响应", "the response ended"},
    {"warning_issued", "发布预警", "a warning was issued"},
    {"window", "时段", "the period"},
    {"standing", "预案施行或上次完成之日", "the plan's date of effect or the last time it was done"},
};

std::string party_list(const plan& p, const std::vector<std::string>& ids) {
    std::string s;
    for (const auto& id : ids) {
        const party* x = p.obligations ? p.obligations->find_party(id) : nullptr;
        s += (s.empty() ? "" : "、") + (x ? x->zh : id);
    }
    return s;
}

constexpr std::string_view weekday_zh[] = {"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"};

std::string date_zh(date d) {
    return std::to_string(d.year()) + "年" + std::to_string(d.month().as_number()) + "月" + std::to_string(d.day()) + "日";
}

std::string date_wd_zh(date d) { return date_zh(d) + "（" + std::string(weekday_zh[d.day_of_week().as_number()]) + "）"; }

// "2026年10月1日至7日", "2026年9月30日至10月7日", one date alone.
std::string date_run_zh(date a, date b) {
    if (a == b) return date_zh(a);
    std::string tail = a.year() != b.year()    ? date_zh(b)
                       : a.month() != b.month() ? std::to_string(b.month().as_number()) + "月" + std::to_string(b.day()) + "日"
                                                : std::to_string(b.day()) + "日";
    return date_zh(a) + "至" + tail;
}

// What a day passed is: 周末, 国庆节假期, 国庆节调休上班日 (provisional days say so).
std::string day_label_zh(const calendar_day& c) {
    std::string s = c.kind == day_kind::holiday   ? (c.name.empty() ? std::string("法定节假日") : c.name + "假期")
                    : c.kind == day_kind::weekend ? std::string("周末")
                                                  : c.name + "调休上班日";
    return c.provisional ? s + "，暂定" : s;
}

// The days passed, as the engine's walk lists them: runs of non-working days with one label, then
// the make-up working days counted. "跳过2026年10月1日至7日（国庆节假期）、2026年10月11日（周末）；
// 2026年10月10日（星期六）为国庆节调休上班日，计入".
std::string passed_zh(const std::vector<calendar_day>& passed) {
    std::string skipped, counted;
    for (std::size_t i = 0; i < passed.size();) {
        const auto& c = passed[i];
        if (c.working) {
            counted += (counted.empty() ? "" : "，") + date_wd_zh(c.date) + "为" + day_label_zh(c) + "，计入";
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j + 1 < passed.size() && !passed[j + 1].working && day_label_zh(passed[j + 1]) == day_label_zh(c) &&
               std::abs((passed[j + 1].date - passed[j].date).days()) == 1)
            ++j;
        skipped += (skipped.empty() ? "跳过" : "、") + date_run_zh(c.date, passed[j].date) + "（" + day_label_zh(c) + "）";
        i = j + 1;
    }
    if (!skipped.empty() && !counted.empty()) return skipped + "；" + counted;
    return skipped + counted;
}

}  // namespace

std::string calendar_arithmetic_zh(const calendar& cal, instant from, time_unit u, std::int64_t n, instant due) {
    if (n < 0 || n > 1000000) return {};
    const date start = local_date(from);
    const std::string by_end = "，应于当日24时（" + format_local(due) + "）前报告（日历：" + cal.source() + "）";
    if (u == time_unit::working_days) {
        auto w = cal.walk_working_days(start, static_cast<int>(n));
        if (!w) return {};
        std::string s = "计算：" + date_wd_zh(start) + "当日不计，自次日起算" + std::to_string(n) + "个工作日";
        const std::string passed = passed_zh(w->passed);
        s += passed.empty() ? "，其间无周末、节假日或调休" : "，" + passed;
        return s + "；第" + std::to_string(n) + "个工作日为" + date_wd_zh(w->end) + by_end + "。";
    }
    if (u == time_unit::calendar_days || u == time_unit::months) {
        auto p = u == time_unit::months ? cal.add_months(start, static_cast<int>(n)) : cal.add_calendar_days(start, static_cast<int>(n));
        if (!p) return {};
        std::string s = "计算：" + date_zh(start) + "当日不计";
        if (u == time_unit::calendar_days) {
            s += "，自次日起算" + std::to_string(n) + "日（民法典第二百零一条），期间最后一日为" + date_wd_zh(p->nominal_last);
        } else {
            const bool same_day = p->nominal_last.day() == start.day();
            s += "，" + std::to_string(n) + "个月后为" + date_wd_zh(p->nominal_last) +
                 (same_day ? "（同月同日，民法典第二百零二条）"
                           : "（该月没有" + std::to_string(start.day()) + "日，取该月最后一日，民法典第二百零二条）");
        }
        if (!p->moved_over.empty())
            s += "；该日为" + std::string(p->moved_over.front().kind == day_kind::holiday ? "法定节假日" : "休息日") + "，" +
                 passed_zh(p->moved_over) + "，顺延至其后第一个工作日" + date_wd_zh(p->last) + "（第二百零三条）";
        return s + by_end + "。";
    }
    return {};
}

lang lang_from_environment() {
    for (const char* v : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* s = std::getenv(v);
        if (s && *s) return std::string_view(s).rfind("zh", 0) == 0 ? lang::zh : lang::en;
    }
    return lang::en;
}

lang current_lang() { return g_lang; }

std::string_view fact_kind_text(fact_kind k) { return fact_kind_word(k, current_lang()); }

std::string_view area_level_text(area_level l) { return area_level_word(l, current_lang()); }
void set_lang(lang l) { g_lang = l; }

bool parse_lang(std::string_view s, lang& out) {
    if (s == "zh") return out = lang::zh, true;
    if (s == "en") return out = lang::en, true;
    return false;
}

std::string_view status_text(audit_status s) {
    if (current_lang() == lang::en) return to_string(s);
    switch (s) {
    case audit_status::on_time: return "按时";
    case audit_status::late: return "迟报";
    case audit_status::missing: return "漏报";
    case audit_status::not_yet_due: return "未到期";
    case audit_status::superseded: return "已被取代";
    case audit_status::reported: return "已报告";
    case audit_status::outstanding: return "尚未报告";
    case audit_status::calendar_unknown: return "日历未知";
    }
    return "?";
}

std::string_view channel_text(channel c) { return channel_word(c, current_lang()); }

std::string_view warning_text(warning_colour c) { return colour_text(c, current_lang()); }

std::string duration_text(duration d) {
    if (current_lang() == lang::en) return format_duration(d);
    const bool neg = d.is_negative();
    long long s = (neg ? d.invert_sign() : d).total_seconds();
    const long long days = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
    std::string out;
    if (days) out += std::to_string(days) + "天";
    if (h) out += std::to_string(h) + "小时";
    if (m || out.empty()) out += std::to_string(m) + "分钟";
    return (neg ? "负" : "") + out;
}

std::string deadline_text(const obligation& o) { return deadline_words(o, current_lang()); }

std::string event_text(const plan& p, std::string_view event) {
    const bool zh = current_lang() == lang::zh;
    if (p.obligations)
        for (const auto& e : p.obligations->events)
            if (e.name == event) return zh ? (e.zh.empty() ? e.name : e.zh) : (e.en.empty() ? e.name : e.en);
    for (const auto& e : engine_events)
        if (e.name == event) return std::string(zh ? e.zh : e.en);
    return std::string(event);
}

std::string deadline_note_zh(const plan& p, const calendar& cal, const obligation_due& d) {
    const obligation& o = *d.rule;
    std::string s = o.clause + "：";
    if (!o.text.empty()) {
        s += "“" + o.text + "”";
        const std::string_view t = o.text;
        const bool closed = t.size() >= 3 && (t.substr(t.size() - 3) == "。" || t.substr(t.size() - 3) == "；");
        if (!closed) s += "。";
    }
    s += "由" + party_list(p, o.from) + "向" + party_list(p, o.to);
    if (o.channel != channel::any) s += std::string(channel_text(o.channel));
    s += "报告，时限：" + deadline_text(o) + "。";
    if (d.anchor_at) s += "起算：" + event_text(p, d.anchor) + "，" + format_local(*d.anchor_at) + "。";
    if (d.period_start && o.every) s += "本期自" + format_local(*d.period_start) + "起。";
    if (d.calendar_unknown) {
        s += "应报时间未知：日历缺少" + std::to_string(d.calendar_unknown) +
             "年的国务院节假日安排通知（请用 vigil calendar import 导入，或用 --provisional 取暂定结果）。";
    } else if (d.due) {
        s += "应于" + format_local(*d.due) + "前报告。";
        // The arithmetic on the calendar, as the engine did it: from the anchor for a time limit,
        // from the period's start for a recurrence.
        if (o.every && d.period_start) s += calendar_arithmetic_zh(cal, *d.period_start, o.every->first, o.every->second, *d.due);
        else if (o.timing == timing::within && d.anchor_at && d.anchor != "standing")
            s += calendar_arithmetic_zh(cal, *d.anchor_at, o.unit, o.amount, *d.due);
        if (d.provisional) s += "暂定：所依日历缺少当年通知，仅按周末和固定日期法定节假日计算，非最终结果。";
    }
    if (d.restarted) s += "达到更高级别后重新起算。";
    if (d.superseded) s += "已被" + d.superseded_by + "取代" + (d.superseded_at ? "（" + format_local(*d.superseded_at) + "）" : "") + "。";
    if (d.rule->standing && !d.rule->standing->reading.empty())
        s += "周期起算的解读：" + pick_language(d.rule->standing->reading, d.rule->standing->reading_zh, lang::zh) + "。";
    if (!o.reading.empty()) s += "解读：" + pick_language(o.reading, o.reading_zh, lang::zh);
    return s;
}

std::string audit_note_zh(const plan& p, const audit_entry& e, instant as_of) {
    const obligation_due& d = e.due;
    const std::string who = party_list(p, e.missing_to.empty() ? d.rule->to : e.missing_to);
    std::string s;
    switch (e.status) {
    case audit_status::on_time:
        s = "于" + format_local(*e.reported_at) + "报告，早于时限" + format_local(*d.due) + "，提前" +
            duration_text(*d.due - *e.reported_at) + "。";
        break;
    case audit_status::late:
        s = "于" + format_local(*e.reported_at) + "报告，迟报" + duration_text(*e.late_by) + "（应于" + format_local(*d.due) + "前报告）。";
        break;
    case audit_status::missing:
        s = "应于" + format_local(*d.due) + "前报告，截至" + format_local(as_of) + "未向" + who + "报告（漏报），已超时" +
            duration_text(as_of - *d.due) + "。";
        break;
    case audit_status::not_yet_due:
        s = "应于" + format_local(*d.due) + "前报告，尚余" + duration_text(*d.due - as_of) + "；尚未向" + who + "报告。";
        break;
    case audit_status::superseded:
        s = "已被" + d.superseded_by + "取代" + (d.superseded_at ? "（" + format_local(*d.superseded_at) + "）" : "") + "。";
        if (e.reported_at) s += "此前已于" + format_local(*e.reported_at) + "报告。";
        break;
    case audit_status::reported:
        s = "于" + format_local(*e.reported_at) + "报告（" + deadline_text(*d.rule) + "，自" + event_text(p, d.anchor) +
            (d.anchor_at ? " " + format_local(*d.anchor_at) : std::string()) + "起" +
            (e.elapsed ? duration_text(*e.elapsed) : std::string("?")) + "）。";
        break;
    case audit_status::outstanding:
        s = deadline_text(*d.rule) + "报告，自" + event_text(p, d.anchor) +
            (d.anchor_at ? " " + format_local(*d.anchor_at) : std::string()) + "起应报；尚未向" + who + "报告。";
        break;
    case audit_status::calendar_unknown:
        s = "应报时间未知：日历缺少" + std::to_string(d.calendar_unknown) + "年的国务院节假日安排通知。";
        if (e.reported_at) s += "已于" + format_local(*e.reported_at) + "报告，是否按时未知。";
        break;
    }
    if (d.provisional && !d.superseded) s += "（应报时间为暂定，非最终结果）";
    return d.rule->clause + "：" + s;
}

}  // namespace vigil::cli
