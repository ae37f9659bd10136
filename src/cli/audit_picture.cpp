// The audit as a picture (vigil audit --out svg|html): each duty a bar from its anchor to its due
// time, each report a mark, late and missing in red, superseded in grey, grade changes as vertical
// lines, labels in Chinese and English.
#include "audit_picture.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace vigil::cli {

namespace {

namespace pt = boost::posix_time;

// CJK fonts first, so that the Chinese labels render wherever one of them is installed.
constexpr const char* font_family =
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', 'PingFang SC', "
    "'Heiti SC', 'SimHei', sans-serif";

std::string esc(std::string_view s) {
    std::string o;
    for (char c : s) {
        switch (c) {
        case '&': o += "&amp;"; break;
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '"': o += "&quot;"; break;
        default: o += c;
        }
    }
    return o;
}

std::string num(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", v);
    return b;
}

struct look {
    const char* colour;
    const char* zh;
};

look look_of(audit_status s) {
    switch (s) {
    case audit_status::on_time: return {"#2e7d32", "按时"};
    case audit_status::late: return {"#c62828", "迟报"};
    case audit_status::missing: return {"#c62828", "漏报"};
    case audit_status::not_yet_due: return {"#1565c0", "未到期"};
    case audit_status::superseded: return {"#9e9e9e", "已被取代"};
    case audit_status::reported: return {"#2e7d32", "已报告"};
    case audit_status::outstanding: return {"#ef6c00", "未报告"};
    case audit_status::calendar_unknown: return {"#6d4c41", "日历未知"};
    }
    return {"#000000", "?"};
}

std::string channel_zh(channel c) {
    switch (c) {
    case channel::phone: return "电话";
    case channel::written: return "书面";
    case channel::online: return "网络";
    case channel::any: return "报告";
    }
    return "";
}

// At most `n` characters (code points) of UTF-8 text, with … when cut.
std::string cut(const std::string& s, std::size_t n) {
    std::size_t i = 0, k = 0;
    while (i < s.size() && k < n) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        i += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        ++k;
    }
    return i < s.size() ? s.substr(0, i) + "…" : s;
}

std::string local_hm(instant t) {
    std::string s = format_local(t);  // 2026-10-01T09:30:00+08:00
    return s.substr(5, 5) + " " + s.substr(11, 5);
}

std::string party_zh(const obligation_rules& r, const std::vector<std::string>& ids) {
    std::string s;
    for (const auto& id : ids) {
        const auto* p = r.find_party(id);
        s += (s.empty() ? "" : "、") + (p ? p->zh : id);
    }
    return s;
}

std::string status_text(const audit_entry& e) {
    std::string s = std::string(look_of(e.status).zh) + " " + std::string(to_string(e.status));
    if (e.late_by) s += " " + format_duration(*e.late_by);
    if (e.due.calendar_unknown) s += " " + std::to_string(e.due.calendar_unknown);
    if (e.due.provisional && !e.due.superseded) s += " (暂定 provisional)";
    return s;
}

}  // namespace

std::string audit_svg(const plan& p, const timeline& t, const std::vector<audit_entry>& entries, instant as_of,
                      const std::string& calendar) {
    const auto& r = *p.obligations;
    // The time span: every anchor, due time, report and event, and the time asked about.
    instant t0 = as_of, t1 = as_of;
    auto take = [&](instant x) {
        t0 = std::min(t0, x);
        t1 = std::max(t1, x);
    };
    for (const auto& e : t.events) take(e.at);
    for (const auto& e : entries) {
        if (e.due.anchor_at) take(*e.due.anchor_at);
        if (e.due.due) take(*e.due.due);
        if (e.reported_at) take(*e.reported_at);
    }
    if (t1 <= t0) t1 = t0 + pt::hours(1);
    const auto pad = (t1 - t0) / 40;
    t0 -= pad;
    t1 += pad;

    const double left = 380, plot = 760, right_col = 230, row_h = 30, top = 96;
    const double width = left + plot + right_col + 20;
    const double height = top + row_h * static_cast<double>(entries.size()) + 70;
    const double span = static_cast<double>((t1 - t0).total_seconds());
    auto x = [&](instant at) { return left + plot * static_cast<double>((at - t0).total_seconds()) / span; };

    std::string s;
    s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" + num(height) +
         "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\" font-family=\"" + font_family + "\" font-size=\"12\">\n";
    const std::string title = "报告时限审计 Audit of reports — " + (t.incident.empty() ? std::string("incident") : t.incident) +
                              " · " + p.info.name_zh + " (" + p.info.id + ")";
    s += "<title>" + esc(title) + "</title>\n";
    s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    s += "<text x=\"16\" y=\"26\" font-size=\"16\" font-weight=\"bold\">" + esc(title) + "</text>\n";
    s += "<text x=\"16\" y=\"46\" fill=\"#555555\">截至 as of " + esc(format_local(as_of)) +
         " (北京时间 Asia/Shanghai) · 条形：起算至时限 bar: clock start to due · ◆ 报告 report · 工作日历 calendar: " +
         esc(calendar) + "</text>\n";

    // Legend.
    double lx = 16;
    for (auto st : {audit_status::on_time, audit_status::late, audit_status::missing, audit_status::not_yet_due,
                    audit_status::superseded, audit_status::outstanding, audit_status::calendar_unknown}) {
        const auto lk = look_of(st);
        s += "<rect x=\"" + num(lx) + "\" y=\"56\" width=\"14\" height=\"10\" fill=\"" + lk.colour + "\"/>";
        const std::string label = std::string(lk.zh) + " " + std::string(to_string(st));
        s += "<text x=\"" + num(lx + 18) + "\" y=\"65\">" + esc(label) + "</text>\n";
        lx += 26 + 7.0 * static_cast<double>(label.size()) * 0.8;
    }

    // Time axis: ticks at a round step, local time.
    static const long steps[] = {600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400};
    long step = steps[0];
    for (long st : steps)
        if (span / static_cast<double>(st) <= 10) {
            step = st;
            break;
        } else {
            step = st;
        }
    const double axis_y = top - 8;
    s += "<line x1=\"" + num(left) + "\" y1=\"" + num(axis_y) + "\" x2=\"" + num(left + plot) + "\" y2=\"" + num(axis_y) +
         "\" stroke=\"#333333\"/>\n";
    {
        // First tick: t0 rounded up to the step in local time (UTC+8).
        const long offset = 8 * 3600;
        const instant epoch(boost::gregorian::date(1970, 1, 1));
        long sec = static_cast<long>((t0 - epoch).total_seconds()) + offset;
        long first = (sec / step + 1) * step - offset;
        for (instant tick = epoch + pt::seconds(first); tick <= t1; tick += pt::seconds(step)) {
            const double tx = x(tick);
            s += "<line x1=\"" + num(tx) + "\" y1=\"" + num(axis_y - 4) + "\" x2=\"" + num(tx) + "\" y2=\"" +
                 num(height - 50) + "\" stroke=\"#e0e0e0\"/>";
            s += "<text x=\"" + num(tx) + "\" y=\"" + num(axis_y - 8) + "\" text-anchor=\"middle\" fill=\"#555555\" font-size=\"10\">" +
                 esc(local_hm(tick)) + "</text>\n";
        }
    }

    // Grade changes: vertical lines.
    grade before = grade::none;
    for (const auto& e : t.events) {
        if (e.name != "grade_reached" || !e.grade) continue;
        const grade g = *e.grade;
        const char* what = before == grade::none ? "定级" : g > before ? "升级" : "降级";
        const char* en = before == grade::none ? "graded" : g > before ? "escalated" : "lowered";
        before = g;
        const double ex = x(e.at);
        s += "<line x1=\"" + num(ex) + "\" y1=\"" + num(top - 4) + "\" x2=\"" + num(ex) + "\" y2=\"" + num(height - 50) +
             "\" stroke=\"#6a1b9a\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>";
        std::string label = std::string(what) + " " + std::string(to_string(g)) + " " + p.grade_names_zh[static_cast<int>(g)] +
                            " " + en;
        s += "<text x=\"" + num(ex + 3) + "\" y=\"" + num(height - 38) + "\" fill=\"#6a1b9a\" font-size=\"11\">" + esc(label) +
             "</text>\n";
    }
    // The time asked about.
    {
        const double nx = x(as_of);
        s += "<line x1=\"" + num(nx) + "\" y1=\"" + num(top - 4) + "\" x2=\"" + num(nx) + "\" y2=\"" + num(height - 50) +
             "\" stroke=\"#000000\" stroke-width=\"1\"/>";
        s += "<text x=\"" + num(nx - 3) + "\" y=\"" + num(height - 24) + "\" text-anchor=\"end\" font-size=\"11\">截至 as of " +
             esc(local_hm(as_of)) + "</text>\n";
    }

    // One row per duty.
    double y = top;
    for (const auto& e : entries) {
        const auto& d = e.due;
        const auto lk = look_of(e.status);
        const bool grey = e.status == audit_status::superseded;
        const double mid = y + row_h / 2;
        if (static_cast<int>((y - top) / row_h) % 2 == 1)
            s += "<rect x=\"0\" y=\"" + num(y) + "\" width=\"" + num(width) + "\" height=\"" + num(row_h) +
                 "\" fill=\"#f7f7f7\"/>";
        const std::string label = d.rule->clause + " " + channel_zh(d.rule->channel) + " → " + party_zh(r, d.rule->to);
        s += "<text x=\"16\" y=\"" + num(mid - 1) + "\">" + esc(cut(label, 30)) + "</text>";
        s += "<text x=\"16\" y=\"" + num(mid + 11) + "\" fill=\"#777777\" font-size=\"9\">" + esc(d.id) + " · " +
             esc(d.rule->deadline_text()) + "</text>\n";
        // A recurrence's bar is its period; any other duty's runs from the event that started its clock.
        const double ax = d.period_start ? x(*d.period_start) : d.anchor_at ? x(*d.anchor_at) : left;
        if (d.due) {
            const double dx = std::max(x(*d.due), ax + 2);
            s += "<rect x=\"" + num(ax) + "\" y=\"" + num(mid - 6) + "\" width=\"" + num(dx - ax) +
                 "\" height=\"12\" rx=\"2\" fill=\"" + lk.colour + "\" fill-opacity=\"" + (grey ? "0.25" : "0.35") +
                 "\" stroke=\"" + lk.colour + "\"" + (d.provisional ? " stroke-dasharray=\"4 2\"" : "") + "/>";
            if (e.status == audit_status::missing)
                s += "<text x=\"" + num(dx) + "\" y=\"" + num(mid + 5) + "\" text-anchor=\"middle\" fill=\"#c62828\" font-size=\"15\" font-weight=\"bold\">×</text>";
            if (e.reported_at && e.late_by)
                s += "<line x1=\"" + num(dx) + "\" y1=\"" + num(mid) + "\" x2=\"" + num(x(*e.reported_at)) + "\" y2=\"" + num(mid) +
                     "\" stroke=\"#c62828\" stroke-width=\"3\"/>";
        } else {
            // Untimed (立即, 及时 …) or a due time the calendar cannot give: a dashed line to the time asked about.
            const double ex = e.reported_at ? x(*e.reported_at) : x(as_of);
            s += "<line x1=\"" + num(ax) + "\" y1=\"" + num(mid) + "\" x2=\"" + num(std::max(ex, ax + 2)) + "\" y2=\"" + num(mid) +
                 "\" stroke=\"" + lk.colour + "\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>";
            s += "<circle cx=\"" + num(ax) + "\" cy=\"" + num(mid) + "\" r=\"3\" fill=\"" + lk.colour + "\"/>";
        }
        if (e.reported_at) {
            const double rx = x(*e.reported_at);
            s += "<path d=\"M" + num(rx) + " " + num(mid - 7) + " L" + num(rx + 6) + " " + num(mid) + " L" + num(rx) + " " +
                 num(mid + 7) + " L" + num(rx - 6) + " " + num(mid) + " Z\" fill=\"" +
                 (e.status == audit_status::late ? "#c62828" : grey ? "#757575" : "#1b5e20") + "\" stroke=\"#ffffff\"/>";
        }
        s += "<text x=\"" + num(left + plot + 12) + "\" y=\"" + num(mid + 4) + "\" fill=\"" + lk.colour + "\">" +
             esc(status_text(e)) + "</text>\n";
        y += row_h;
    }
    s += "</svg>\n";
    return s;
}

std::string audit_html(const plan& p, const timeline& t, const std::vector<audit_entry>& entries, instant as_of,
                       const std::string& calendar) {
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>报告时限审计 Audit of reports — " +
         esc(t.incident.empty() ? std::string("incident") : t.incident) + "</title>\n";
    h += std::string("<style>body{font-family:") + font_family +
         ";margin:16px;color:#222}table{border-collapse:collapse;font-size:12px;margin-top:16px}"
         "td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}"
         "th{background:#f0f0f0}.late,.missing{color:#c62828;font-weight:bold}.superseded{color:#9e9e9e}"
         ".on_time,.reported{color:#2e7d32}.not_yet_due{color:#1565c0}.outstanding{color:#ef6c00}"
         ".calendar_unknown{color:#6d4c41}</style>\n</head>\n<body>\n";
    h += audit_svg(p, t, entries, as_of, calendar);
    h += "<table>\n<tr><th>状态 status</th><th>时限 due (北京时间)</th><th>报告 reported</th><th>义务 obligation</th>"
         "<th>条款 clause</th><th>接收方 to</th><th>说明 finding</th></tr>\n";
    const auto& r = *p.obligations;
    for (const auto& e : entries) {
        const auto& d = e.due;
        h += "<tr><td class=\"" + std::string(to_string(e.status)) + "\">" + esc(status_text(e)) + "</td><td>" +
             esc(d.due ? format_local(*d.due) : d.calendar_unknown ? "unknown (calendar " + std::to_string(d.calendar_unknown) + ")"
                                                                  : d.rule->deadline_text()) +
             "</td><td>" + esc(e.reported_at ? format_local(*e.reported_at) : "") + "</td><td>" + esc(d.id) + "</td><td>" +
             esc(d.rule->clause) + "</td><td>" + esc(party_zh(r, d.rule->to)) + "</td><td>" + esc(e.explanation) + "</td></tr>\n";
    }
    h += "</table>\n</body>\n</html>\n";
    return h;
}

}  // namespace vigil::cli
