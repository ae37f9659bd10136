// vigil/notation.hpp — the plans' conditions, guards and rows in words, in English or in Chinese.
//
// One renderer for every place a condition is shown: explanations, `plan show`, `plan lint`,
// `plan diff`, charts and the reasons of a refused lifecycle event. English is the notation the
// plan data reads as ("2 < deaths < 5", "payload has {grade}", "grade II or graver"); Chinese uses
// the plan's Chinese labels of its facts and flags where it declares them ("2 < 死亡人数 < 5",
// "载荷含有 grade", "II级或更高") and Chinese words and symbols (且, 或, ≥, ≤). The to_string()
// members of condition, guard, transition and obligation_condition are the English renderings.
#pragma once

#include <vigil/messages.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {

struct plan;
struct condition;
struct rule_term;
struct obligation_condition;
struct guard;
struct transition;
struct actor_pattern;
struct obligation;
enum class grade : std::uint8_t;
enum class warning_colour : std::uint8_t;
enum class channel : std::uint8_t;
enum class area_level : std::uint8_t;
enum class fact_kind : std::uint8_t;

/// " and " / " 且 ": between the conditions of one alternative.
std::string_view and_word(language lang) noexcept;
/// "; or " / "；或 ": between alternatives.
std::string_view or_alternatives_word(language lang) noexcept;
/// "true" / "是", "false" / "否".
std::string_view bool_text(bool b, language lang) noexcept;
/// A warning colour as a word: "red" / "红色", "none" / "无".
std::string_view colour_text(warning_colour c, language lang) noexcept;
/// A reporting channel: "phone" / "电话", "any" / "不限" …
std::string_view channel_word(channel c, language lang) noexcept;
/// An administrative level: "county" / "县级" …
std::string_view area_level_word(area_level l, language lang) noexcept;
/// A fact's kind: "count" / "计数" …
std::string_view fact_kind_word(fact_kind k, language lang) noexcept;
/// An obligation's time limit: obligation::deadline_text() in English ("2 hours", "immediately
/// (立即)"); "2小时内", "立即", "每1天（24小时）报告一次" in Chinese.
std::string deadline_words(const obligation& o, language lang);
/// A grade as a word in conditions: "II" / "II级", none: "none" / "未分级".
std::string grade_word(grade g, language lang);

/// A bound of a grading criterion: "2 < deaths < 5", "similar_cases_nearby = true"; in Chinese,
/// with the fact's Chinese label when `p` is given: "2 < 死亡人数 < 5", "同一区域同时出现其他类似病例：是".
std::string condition_text(const condition& c, language lang, const plan* p = nullptr);
/// The conditions of one alternative, joined by and_word().
std::string conditions_text(const std::vector<condition>& all, language lang, const plan* p = nullptr);
/// A term of a warning or response rule: as the plan writes it in English ("grade = II",
/// "rare_cases in [6, 9]", "not sensitive"); in Chinese "事件级别为II级", "6 ≤ 罕见…人数 ≤ 9", "涉及敏感…：否".
std::string term_text(const rule_term& t, language lang, const plan* p = nullptr);
/// When an obligation applies: "grade II or graver and flag maker_involved" / "II级或更高 且 涉及药品生产…".
std::string obligation_condition_text(const obligation_condition& c, language lang, const plan* p = nullptr);
/// A lifecycle guard: "payload has {grade}" / "载荷含有 grade".
std::string guard_text(const guard& g, language lang);
/// A lifecycle row: "reported + assess [payload_has …] / set_grade = assessed"; in Chinese its guards
/// in Chinese, its states by their Chinese names when `p` is given, "(same)" as "（不变）".
std::string transition_text(const transition& t, language lang, const plan* p = nullptr);
/// Who may act: "市指挥部 or 市人民政府" / "市指挥部或市人民政府".
std::string actors_text(const std::vector<actor_pattern>& any, language lang);

}  // namespace v0
}  // namespace vigil
