// vigil/classify.hpp — grading an incident's facts against a plan.
//
// classify() answers with the grade and its reasons: every criterion that matched, the winner
// first (the highest grade wins), each with the facts and bounds that decided. classify_batch()
// grades columns of many clusters; it gives the same grade and the same matched set as classify().
#pragma once

#include <vigil/compat.hpp>
#include <vigil/plan.hpp>

#include <gsl/span>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil {
inline namespace v0 {

/// A fact that took part in a match: its value and the bound it met.
struct fact_check {
    std::uint32_t fact = 0;  ///< index into plan::facts
    std::string name;        ///< the fact's name
    std::uint32_t value = 0;
    std::string bound;  ///< the condition as written, e.g. "30 <= rare_cases < 50"
    std::string sum;    ///< a sum fact: its parts as the clause writes them, "死亡和危重病例合计 = 6: deaths 2 + critical_cases 4"
};

/// One matched criterion.
struct criterion_match {
    const criterion* what = nullptr;  ///< points into the plan (keep the plan_ptr alive)
    std::vector<fact_check> decided;  ///< the conditions of the alternative that held
};

/// An expert determination: a grade set by a named person, with a reason (e.g. guiyang's
/// "其他危害…事件"). It never hides the computed grade: an assessment shows both.
struct grade_override {
    vigil::grade grade = grade::none;
    std::string by;      ///< who decided (name and role)
    std::string reason;  ///< why
    std::string at;      ///< when (ISO 8601), as given
    std::string clause;  ///< the clause relied on, e.g. "guiyang A1 重大(4)"; may be empty
};

/// The answer for one cluster.
struct assessment {
    bool in_scope = true;                    ///< false: the product is outside the plan's scope
    std::string scope_note;                  ///< why it is out of scope, citing the clause
    vigil::grade computed = grade::none;     ///< from the criteria
    vigil::grade grade = grade::none;        ///< final: the override's grade if there is one
    std::optional<grade_override> override_;  ///< the expert determination, if any
    std::vector<criterion_match> matches;    ///< every criterion that matched, the winner first
    std::uint64_t matched_bits = 0;          ///< bit i set: plan.criteria[i] matched (the first word of matched_set)
    std::vector<std::uint64_t> matched_set;  ///< plan.match_words() words: bit i % 64 of word i / 64 for
                                             ///< criterion i; out_of_scope_bit in the last word

    const criterion_match* winner() const noexcept { return matches.empty() ? nullptr : &matches.front(); }
    /// Clause ids joined by ';', the winner first ("" when nothing matched).
    std::string reasons() const;
};

/// The assessment as one JSON object (UTF-8): grade, computed grade, override, scope, and every
/// match with its clause, grade, the facts and bounds that decided, and the clause's text: the
/// assessment's fields of a classification (docs/json.md).
std::string to_json(const assessment& a);

/// Grade one cluster.
assessment classify(const plan& p, const fact_values& facts);
/// Grade one cluster given by the built-in facts' names (vigil/compat.hpp).
assessment classify(const plan& p, const cluster_facts& facts);

/// Record an expert determination on an assessment. Refused (errc::invalid_input) without a
/// person or a reason, or when the clause names no criterion of the plan.
result<assessment> apply_override(const plan& p, assessment a, grade_override o);

/// Columns of many clusters, one value per cluster in each column. An empty column means the
/// fact is absent (0 / false) for every cluster; a non-empty column must have `size` values.
/// The columns are given in the plan's fact order (`columns`, at most plan.facts.size() of them;
/// a sum fact's column is not read), or else by the built-in facts' names (`facts`, compatibility:
/// read when `columns` is empty).
struct fact_columns {
    std::size_t size = 0;
    gsl::span<const gsl::span<const std::uint32_t>> columns;        ///< indexed by plan::facts
    std::array<gsl::span<const std::uint32_t>, fact_count> facts{};  ///< indexed by vigil::fact (compatibility)
    gsl::span<const std::uint8_t> product;                          ///< vigil::product values; empty: all the plan's first product

    fact_columns& set(fact f, gsl::span<const std::uint32_t> column) {
        facts[static_cast<std::size_t>(f)] = column;
        return *this;
    }
};

/// Bit of the last word of a match set for a cluster whose product the plan does not cover.
inline constexpr std::uint64_t out_of_scope_bit = std::uint64_t{1} << 63;

enum class warning_colour : std::uint8_t;  // vigil/response.hpp

/// Where classify_batch writes. `grades` must hold `size` values; `matched` may be empty
/// (not wanted) or hold `size` × plan.match_words() values: row r's set is words
/// [r × w, (r + 1) × w), bit i % 64 of word i / 64 for criterion i, out_of_scope_bit in its last
/// word (one word a row, as before, for a plan of at most 63 criteria).
/// `warnings` and `responses` may be empty (not wanted) or hold `size` values each: the warning
/// colour and the response level (0 none, 1 … 4) that decide() / decide_levels() give for the
/// row's grade, its facts and its modifier facts (vigil/response.hpp). The modifiers are plan
/// facts: they are read from `columns`; with the compatibility columns (`facts`) they are absent.
struct batch_output {
    gsl::span<vigil::grade> grades;
    gsl::span<std::uint64_t> matched;
    gsl::span<warning_colour> warnings;
    gsl::span<std::uint8_t> responses;
};

/// Grade many clusters, and decide their warnings and responses when `out` asks for them.
/// errc::invalid_input when a column's length is not `size`, a product is not one of the plan's,
/// or (when deciding) a grade fact's value is above 4.
/// A boolean column reads any non-zero value as true.
/// No allocation; the work is a few vectorised passes over each chunk of columns: the plan's
/// criteria, then (when wanted) its warning and response rules, compiled with the plan.
result<void> classify_batch(const plan& p, const fact_columns& in, batch_output out);

/// classify_batch over `threads` threads (0: the hardware's), each grading a contiguous part of the
/// rows; the same results. The plan is shared read-only; the call returns when every part is done.
/// Small batches (under 32 K rows a thread) use fewer threads.
result<void> classify_batch_parallel(const plan& p, const fact_columns& in, batch_output out, unsigned threads = 0);

}  // namespace v0
}  // namespace vigil
