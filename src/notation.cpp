// The plans' conditions, guards and rows in words (vigil/notation.hpp). Pure.
#include <vigil/notation.hpp>

#include <vigil/lifecycle.hpp>
#include <vigil/obligations.hpp>
#include <vigil/organisation.hpp>
#include <vigil/plan.hpp>
#include <vigil/response.hpp>

namespace vigil {
inline namespace v0 {

namespace {

bool zh_of(language l) { return l == language::zh; }

const fact_def* fact_at(const plan* p, std::uint32_t index) {
    return p && index < p->facts.size() ? &p->facts[index] : nullptr;
}

// The name a condition shows for a fact: its Chinese label in Chinese (when the plan has one).
std::string fact_word(const plan* p, std::uint32_t index, const std::string& name, language lang) {
    const fact_def* f = fact_at(p, index);
    return zh_of(lang) && f && !f->label_zh.empty() ? f->label_zh : name;
}

// "{1, 2}" in English; "1、2" in Chinese.
std::string braces(const std::vector<std::string>& v, language lang) {
    std::string s = zh_of(lang) ? "" : "{";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? (zh_of(lang) ? "、" : ", ") : "") + v[i];
    return zh_of(lang) ? s : s + "}";
}

// Alternatives in Chinese: "a或b或c".
std::string alternatives_zh(const std::vector<std::string>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "或" : "") + v[i];
    return s;
}

std::string colours_zh(const std::vector<std::string>& v) {
    std::vector<std::string> w;
    for (const auto& c : v) {
        auto k = parse_warning_colour(c);
        w.push_back(k ? std::string(colour_text(*k, language::zh)) : c);
    }
    return alternatives_zh(w);
}

std::string grades_zh(const std::vector<std::string>& v) {
    std::vector<std::string> w;
    for (const auto& g : v) {
        auto k = parse_grade(g);
        w.push_back(k ? grade_word(*k, language::zh) : g);
    }
    return alternatives_zh(w);
}

}  // namespace

std::string_view and_word(language lang) noexcept { return zh_of(lang) ? " 且 " : " and "; }
std::string_view or_alternatives_word(language lang) noexcept { return zh_of(lang) ? "；或 " : "; or "; }
std::string_view bool_text(bool b, language lang) noexcept {
    if (zh_of(lang)) return b ? "是" : "否";
    return b ? "true" : "false";
}

std::string_view colour_text(warning_colour c, language lang) noexcept {
    if (!zh_of(lang)) return to_string(c);
    switch (c) {
    case warning_colour::none: return "无";
    case warning_colour::blue: return "蓝色";
    case warning_colour::yellow: return "黄色";
    case warning_colour::orange: return "橙色";
    case warning_colour::red: return "红色";
    }
    return "?";
}

std::string_view channel_word(channel c, language lang) noexcept {
    if (!zh_of(lang)) return to_string(c);
    switch (c) {
    case channel::any: return "不限";
    case channel::phone: return "电话";
    case channel::written: return "书面";
    case channel::online: return "网络直报";
    }
    return "?";
}

std::string_view area_level_word(area_level l, language lang) noexcept {
    if (!zh_of(lang)) return to_string(l);
    switch (l) {
    case area_level::province: return "省级";
    case area_level::prefecture: return "市级";
    case area_level::county: return "县级";
    case area_level::street: return "街道";
    }
    return to_string(l);
}

std::string_view fact_kind_word(fact_kind k, language lang) noexcept {
    if (!zh_of(lang)) return to_string(k);
    switch (k) {
    case fact_kind::count: return "计数";
    case fact_kind::boolean: return "是否";
    case fact_kind::grade: return "等级";
    case fact_kind::sum: return "合计";
    }
    return to_string(k);
}

namespace {
std::string amount_zh(time_unit u, std::int64_t n) {
    const std::string k = std::to_string(n);
    switch (u) {
    case time_unit::minutes: return k + "分钟";
    case time_unit::hours: return k + "小时";
    case time_unit::days: return k + "天（" + std::to_string(n * 24) + "小时）";
    case time_unit::working_days: return k + "个工作日";
    case time_unit::years: return k + "年";
    case time_unit::calendar_days: return k + "日";
    case time_unit::months: return k + "个月";
    }
    return k;
}

std::string timing_zh(timing t) {
    switch (t) {
    case timing::within: return "限时";
    case timing::immediately: return "立即";
    case timing::promptly: return "及时";
    case timing::real_time: return "实时";
    case timing::at_any_time: return "随时";
    case timing::unstated: return "未规定";
    }
    return "?";
}
}  // namespace

std::string deadline_words(const obligation& o, language lang) {
    if (!zh_of(lang)) return o.deadline_text();
    if (o.every) return "每" + amount_zh(o.every->first, o.every->second) + "报告一次";
    if (o.timing == timing::within) return amount_zh(o.unit, o.amount) + "内";
    return timing_zh(o.timing);
}

std::string grade_word(grade g, language lang) {
    if (!zh_of(lang)) return std::string(to_string(g));
    return g == grade::none ? std::string("未分级") : std::string(to_string(g)) + "级";
}

// ------------------------------------------------------------------------------------ grading

std::string condition_text(const condition& c, language lang, const plan* p) {
    const std::string name = fact_word(p, c.fact, c.name, lang);
    if (zh_of(lang)) {
        if (c.is) return name + "：" + std::string(bool_text(*c.is, lang));
        if (c.eq) return name + " = " + std::to_string(*c.eq);
        const bool lower = c.ge || c.gt, upper = c.le || c.lt;
        if (lower && !upper) return name + (c.ge ? " ≥ " + std::to_string(*c.ge) : " > " + std::to_string(*c.gt));
        std::string s;
        if (c.ge) s += std::to_string(*c.ge) + " ≤ ";
        if (c.gt) s += std::to_string(*c.gt) + " < ";
        s += name;
        if (c.le) s += " ≤ " + std::to_string(*c.le);
        if (c.lt) s += " < " + std::to_string(*c.lt);
        return s;
    }
    if (c.is) return name + " = " + (*c.is ? "true" : "false");
    if (c.eq) return name + " = " + std::to_string(*c.eq);
    std::string s;
    if (c.ge) s += std::to_string(*c.ge) + " <= ";
    if (c.gt) s += std::to_string(*c.gt) + " < ";
    s += name;
    if (c.le) s += " <= " + std::to_string(*c.le);
    if (c.lt) s += " < " + std::to_string(*c.lt);
    return s;
}

std::string conditions_text(const std::vector<condition>& all, language lang, const plan* p) {
    std::string s;
    for (const auto& c : all) s += (s.empty() ? std::string() : std::string(and_word(lang))) + condition_text(c, lang, p);
    return s;
}

// ------------------------------------------------------------------------------------ warning and response rules

std::string term_text(const rule_term& t, language lang, const plan* p) {
    if (!p) return t.written;
    const fact_def* f = t.slot == 0 ? nullptr : fact_at(p, t.slot - 1);
    if (t.slot != 0 && !f) return t.written;
    const bool zh = zh_of(lang);
    const std::string subject = t.slot == 0 ? (zh ? std::string("事件级别") : t.subject) : fact_word(p, t.slot - 1, t.subject, lang);
    if (f && f->kind == fact_kind::boolean) {
        if (zh) return subject + "：" + std::string(bool_text(t.lo != 0, lang));
        return t.lo != 0 ? subject : "not " + subject;
    }
    if (!f || f->kind == fact_kind::grade) {
        auto g = [&](std::uint32_t x) { return grade_word(static_cast<grade>(x), lang); };
        if (zh) {
            if (t.lo == t.hi) return subject + "为" + g(t.lo);
            if (t.hi == 4) return subject + "为" + g(t.lo) + "或更高";
            return subject + "为" + g(t.lo) + "至" + g(t.hi);
        }
        if (t.lo == t.hi) return subject + " = " + g(t.lo);
        if (t.hi == 4) return subject + " >= " + g(t.lo) + " (as grave or graver)";
        return subject + " in [" + g(t.lo) + ", " + g(t.hi) + "]";
    }
    const std::string lo = std::to_string(t.lo), hi = std::to_string(t.hi);
    if (zh) {
        if (t.lo == t.hi) return subject + " = " + lo;
        if (t.hi == UINT32_MAX) return subject + " ≥ " + lo;
        return lo + " ≤ " + subject + " ≤ " + hi;
    }
    if (t.lo == t.hi) return subject + " = " + lo;
    if (t.hi == UINT32_MAX) return subject + " >= " + lo;
    return subject + " in [" + lo + ", " + hi + "]";
}

// ------------------------------------------------------------------------------------ obligations

std::string obligation_condition_text(const obligation_condition& c, language lang, const plan* p) {
    const bool zh = zh_of(lang);
    std::string s;
    auto add = [&](std::string part) { s += (s.empty() ? std::string() : std::string(and_word(lang))) + std::move(part); };
    if (c.grade_bound) {
        auto name = [](grade g) { return std::string(vigil::to_string(g)); };
        if (zh) {
            if (c.grade_min == grade::none && c.grade_max == grade::I) add("任何级别或尚未定级");
            else if (c.grade_min == grade::none) add(name(c.grade_max) + "级或更低，或尚未定级");
            else if (c.grade_min == c.grade_max) add(name(c.grade_min) + "级");
            else if (c.grade_max == grade::I) add(name(c.grade_min) + "级或更高");
            else {
                std::string list;
                for (int g = static_cast<int>(c.grade_max); g >= static_cast<int>(c.grade_min); --g)
                    list += (list.empty() ? "" : g == static_cast<int>(c.grade_min) ? "或" : "、") + name(static_cast<grade>(g)) + "级";
                add(list);
            }
        } else if (c.grade_min == grade::none && c.grade_max == grade::I) add("any grade, or not yet graded");
        else if (c.grade_min == grade::none) add("grade " + name(c.grade_max) + " or lighter, or not yet graded");
        else if (c.grade_min == c.grade_max) add("grade " + name(c.grade_min));
        else if (c.grade_max == grade::I) add("grade " + name(c.grade_min) + " or graver");
        else {
            std::string list;
            for (int g = static_cast<int>(c.grade_max); g >= static_cast<int>(c.grade_min); --g)
                list += (list.empty() ? "" : g == static_cast<int>(c.grade_min) ? " or " : ", ") + name(static_cast<grade>(g));
            add("grade " + list);
        }
    }
    for (const auto& f : c.flags) {
        if (!zh) {
            add("flag " + f);
            continue;
        }
        std::string label = f;
        if (p && p->obligations)
            for (const auto& k : p->obligations->flags)
                if (k.name == f && !k.zh.empty()) label = k.zh;
        add("标志“" + label + "”");
    }
    if (c.response_active) add(zh ? "应急响应进行中" : "a response is active");
    if (!c.warning_in.empty()) {
        std::string list;
        for (std::size_t i = 0; i < c.warning_in.size(); ++i)
            list += std::string(i == 0 ? "" : zh ? "或" : i + 1 == c.warning_in.size() ? " or " : ", ") +
                    std::string(colour_text(c.warning_in[i], lang));
        add(zh ? "预警为" + list : "the warning is " + list);
    }
    if (s.empty()) s = zh ? "始终适用" : "always";
    return s;
}

// ------------------------------------------------------------------------------------ the lifecycle

std::string guard_text(const guard& g, language lang) {
    const auto& k = g.kind;
    const auto& a = g.args;
    if (zh_of(lang)) {
        if (k == "level_in") return "响应级别为" + alternatives_zh(a) + "级";
        if (k == "colour_in") return "预警颜色为" + colours_zh(a);
        if (k == "current_in") return "当前响应级别为" + alternatives_zh(a) + "级";
        if (k == "level_vs_current") return a.at(0) == "higher" ? "响应级别高于当前级别" : "响应级别低于当前级别";
        if (k == "warning_active") return a.at(0) == "true" ? "有预警正在生效" : "无预警正在生效";
        if (k == "warning_in") return "生效预警为" + colours_zh(a);
        if (k == "grade_in") return "事件级别为" + grades_zh(a);
        if (k == "checklist") return "清单 " + a.at(0) + " 各项均已满足";
        if (k == "payload_has") return "载荷含有 " + braces(a, lang);
        return k;
    }
    if (k == "level_in") return "level in " + braces(a, lang);
    if (k == "colour_in") return "colour in " + braces(a, lang);
    if (k == "current_in") return "current level in " + braces(a, lang);
    if (k == "level_vs_current") return "level " + std::string(a.at(0) == "higher" ? "higher" : "lower") + " than the current";
    if (k == "warning_active") return a.at(0) == "true" ? "a warning in force" : "no warning in force";
    if (k == "warning_in") return "warning in " + braces(a, lang);
    if (k == "grade_in") return "grade in " + braces(a, lang);
    if (k == "checklist") return "checklist " + a.at(0) + " complete";
    if (k == "payload_has") return "payload has " + braces(a, lang);
    return k;
}

std::string transition_text(const transition& t, language lang, const plan* p) {
    const bool zh = zh_of(lang);
    auto state = [&](const std::string& id) {
        if (!zh || !p || !p->lifecycle) return id;
        if (id == "*") return std::string("任一未结束的状态");
        const state_def* st = p->lifecycle->find_state(id);
        return st && !st->name_zh.empty() ? st->name_zh : id;
    };
    std::string s;
    if (t.from.size() == 1) s = state(t.from[0]);
    else {
        std::vector<std::string> names;
        for (const auto& f : t.from) names.push_back(state(f));
        s = braces(names, language::en);
    }
    s += " + " + t.event;
    if (!t.guards.empty()) {
        s += " [";
        for (std::size_t i = 0; i < t.guards.size(); ++i) s += (i ? (zh ? "；" : "; ") : "") + guard_text(t.guards[i], lang);
        s += "]";
    }
    if (!t.actions.empty()) {
        s += " /";
        for (const auto& a : t.actions) s += " " + a;
    }
    s += " = " + (t.to.empty() ? std::string(zh ? "（不变）" : "(same)") : state(t.to));
    return s;
}

std::string actors_text(const std::vector<actor_pattern>& any, language lang) {
    std::string s;
    for (std::size_t i = 0; i < any.size(); ++i) s += (i ? (zh_of(lang) ? "或" : " or ") : "") + to_string(any[i]);
    return s;
}

}  // namespace v0
}  // namespace vigil
