// The language of what the command prints for people: tables, their headings and notes, summary
// lines and the messages about them (`--lang zh|en`; default from the locale: LC_ALL, LC_MESSAGES,
// LANG beginning with "zh" is Chinese). JSON keeps its English keys and carries both languages
// where a value is a label; it does not depend on --lang.
#pragma once

#include <vigil/calendar.hpp>
#include <vigil/messages.hpp>
#include <vigil/obligations.hpp>
#include <vigil/plan.hpp>
#include <vigil/response.hpp>

#include <string>
#include <string_view>

namespace vigil::cli {

/// The library's language (vigil/messages.hpp): one enum for the command and its messages.
using lang = vigil::language;

/// The language the environment asks for: LC_ALL, else LC_MESSAGES, else LANG (the first set and
/// non-empty); "zh…" is Chinese, anything else English.
lang lang_from_environment();
/// The language of this run (set once, before the command runs).
lang current_lang();
void set_lang(lang l);
/// "zh" / "en" (anything else: false).
bool parse_lang(std::string_view s, lang& out);

/// A text in both languages; tr() picks this run's.
struct text {
    std::string_view en, zh;
};
inline std::string_view tr(text t) { return current_lang() == lang::zh ? t.zh : t.en; }

// Words of the tables.
std::string_view status_text(audit_status s);  ///< on_time / 按时 …
std::string_view channel_text(channel c);      ///< phone / 电话 …
std::string_view warning_text(warning_colour c);  ///< red / 红色 …, none / 无
std::string_view fact_kind_text(fact_kind k);    ///< count / 计数 …
std::string_view area_level_text(area_level l);  ///< county / 区县 …
/// A duration as people say it: "2h 30min" / "2小时30分钟".
std::string duration_text(duration d);
/// An obligation's time limit: "2 hours" / "2小时内", "immediately" / "立即" …
std::string deadline_text(const obligation& o);
/// An event's name in this run's language: the plan's label for its declared events, the
/// engine's for its own (occurred, report_received, grade_reached …); the name itself otherwise.
std::string event_text(const plan& p, std::string_view event);

/// The note under a deadlines row in Chinese: clause and its text, channel, recipients, the limit,
/// the anchor and the due time, and — for working days, calendar days and months — the calendar
/// arithmetic day by day as the English note (obligation_due::explanation) gives it: the day not
/// counted, the weekends, holidays (by name) and make-up working days passed, the last day.
std::string deadline_note_zh(const plan& p, const calendar& cal, const obligation_due& d);
/// That arithmetic alone: `n` units of `u` from `from` on `cal` (the walk the engine does); empty
/// for units that need no calendar or when the walk fails (the row says why elsewhere).
std::string calendar_arithmetic_zh(const calendar& cal, instant from, time_unit u, std::int64_t n, instant due);
/// The note under an audit row in Chinese: reported when, how long before or after the due time,
/// or not reported and to whom.
std::string audit_note_zh(const plan& p, const audit_entry& e, instant as_of);

}  // namespace vigil::cli
