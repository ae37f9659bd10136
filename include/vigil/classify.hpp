// vigil/classify.hpp — grading an incident's facts against a plan.
//
// classify() answers with the grade and its reasons: every criterion that matched, the winner
// first (the highest grade wins), each with the facts and bounds that decided. classify_batch()
// grades columns of many clusters; it gives the same grade and the same matched set as classify().
#pragma once

#include <vigil/plan.hpp>

#include <gsl/span>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil {
inline namespace v0 {

/// What is known about one cluster. Absent facts are 0 / false.
struct cluster_facts {
    std::uint32_t rare_cases = 0;
    std::uint32_t severe_cases = 0;
    std::uint32_t deaths = 0;
    bool similar_cases_nearby = false;
    std::uint32_t provinces_with_II = 0;
    std::uint32_t prefectures_with_III = 0;
    std::uint32_t counties_with_III = 0;
    std::uint32_t counties_with_IV = 0;
    std::uint32_t streets_with_IV = 0;
    vigil::product product = product::drug;

    std::uint32_t value(fact f) const noexcept;
    void set(fact f, std::uint32_t v) noexcept;
};

/// A fact that took part in a match: its value and the bound it met.
struct fact_check {
    vigil::fact fact{};
    std::uint32_t value = 0;
    std::string bound;  ///< the condition as written, e.g. "30 <= rare_cases < 50"
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
    std::uint64_t matched_bits = 0;          ///< bit i set: plan.criteria[i] matched

    const criterion_match* winner() const noexcept { return matches.empty() ? nullptr : &matches.front(); }
    /// Clause ids joined by ';', the winner first ("" when nothing matched).
    std::string reasons() const;
};

/// The assessment as one JSON object (UTF-8): grade, computed grade, override, scope, and every
/// match with its clause, grade, the facts and bounds that decided, and the clause's text.
std::string to_json(const assessment& a);

/// Grade one cluster.
assessment classify(const plan& p, const cluster_facts& facts);

/// Record an expert determination on an assessment. Refused (errc::invalid_input) without a
/// person or a reason, or when the clause names no criterion of the plan.
result<assessment> apply_override(const plan& p, assessment a, grade_override o);

/// Columns of many clusters, one value per cluster in each column. An empty column means the
/// fact is absent (0 / false) for every cluster; a non-empty column must have `size` values.
struct fact_columns {
    std::size_t size = 0;
    std::array<gsl::span<const std::uint32_t>, fact_count> facts{};  ///< indexed by vigil::fact
    gsl::span<const std::uint8_t> product;                          ///< vigil::product values; empty: all drug

    fact_columns& set(fact f, gsl::span<const std::uint32_t> column) {
        facts[static_cast<std::size_t>(f)] = column;
        return *this;
    }
};

/// Bit of batch_output::matched set for a cluster whose product the plan does not cover.
inline constexpr std::uint64_t out_of_scope_bit = std::uint64_t{1} << 63;

/// Where classify_batch writes. `grades` must hold `size` values; `matched` may be empty
/// (not wanted) or hold `size` values (bit i: criterion i matched; out_of_scope_bit).
struct batch_output {
    gsl::span<vigil::grade> grades;
    gsl::span<std::uint64_t> matched;
};

/// Grade many clusters. errc::invalid_input when a column's length is not `size`.
/// A boolean column (similar_cases_nearby) reads any non-zero value as true.
/// No allocation; the work is a few vectorised passes over each chunk of columns.
result<void> classify_batch(const plan& p, const fact_columns& in, batch_output out);

/// classify_batch over `threads` threads (0: the hardware's), each grading a contiguous part of the
/// rows; the same results. The plan is shared read-only; the call returns when every part is done.
/// Small batches (under 32 K rows a thread) use fewer threads.
result<void> classify_batch_parallel(const plan& p, const fact_columns& in, batch_output out, unsigned threads = 0);

}  // namespace v0
}  // namespace vigil
