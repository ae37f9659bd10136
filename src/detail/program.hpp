// Internal: a plan's grading criteria compiled into a flat program over fact columns.
//
// Each alternative of each criterion is a row: a run of conditions (fact, lo, hi - lo), all of
// which must hold. A value v meets a condition when (v - lo) <= span in unsigned arithmetic:
// one compare per fact, no branch, so the column loops vectorise.
#pragma once

#include <vigil/plan.hpp>

#include <array>
#include <cstdint>
#include <vector>

namespace vigil {
inline namespace v0 {
namespace detail {

struct program_condition {
    std::uint32_t fact;  ///< index into plan::facts (the column read)
    std::uint32_t lo;
    std::uint32_t span;  ///< hi - lo
};

struct program_row {
    std::uint8_t grade;       ///< vigil::grade value
    std::uint8_t criterion;   ///< bit index in its word of the matched set
    std::uint16_t count;      ///< number of conditions
    std::uint32_t first;      ///< index of the first condition in program::conditions
    bool has_sum = false;     ///< a condition reads a sum fact (computed per chunk)
};

/// How many facts and modifiers vigil_plan 1 names in C++ (vigil/compat.hpp): 9 + 6.
inline constexpr std::size_t legacy_slot_count = 15;

struct program {
    std::vector<program_row> rows;  ///< by word of the matched set, then in the criteria's order
    std::vector<program_condition> conditions;
    std::size_t words = 1;               ///< plan::match_words()
    std::vector<std::uint32_t> word_rows;  ///< rows of word w: [word_rows[w], word_rows[w + 1])
    /// grade_mask[w][g]: the bits of word w of the criteria of grade g. The batch derives a row's
    /// grade from its matched set: the gravest grade whose mask meets it.
    std::vector<std::array<std::uint64_t, grade_count>> grade_mask;
    /// every criterion index is below 32: the batch accumulates 32-bit sets (twice the lanes)
    bool narrow = true;
    std::array<std::uint8_t, 256> covered{};  ///< by product value: the plan covers it
    std::size_t products = 0;                 ///< product values 0 … products - 1 are valid
    std::vector<std::vector<std::uint32_t>> sums;  ///< by plan fact: the parts of a sum (else empty)
    /// compatibility (vigil/compat.hpp): legacy[k] is the plan's index of the built-in fact k
    /// (k < 9) or modifier k - 9, -1 when the plan does not declare it; legacy_column[i] is the
    /// built-in fact whose fact_columns::facts column plan fact i reads, -1 none.
    std::array<std::int32_t, legacy_slot_count> legacy{};
    std::vector<std::int32_t> legacy_column;
};

/// The compatibility slots of a plan (vigil/compat.hpp; src/compat.cpp).
std::array<std::int32_t, legacy_slot_count> legacy_slots(const plan& p);

}  // namespace detail
}  // namespace v0
}  // namespace vigil
