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

/// One term of a warning or response rule, compiled: the subject's value v (slot 0 the grade,
/// 1 + i plan fact i) meets it when (v - lo) <= span. A boolean `true` term reads any non-zero value.
struct decision_term {
    std::uint32_t slot;
    std::uint32_t lo;
    std::uint32_t span;
};

/// One warning or response rule, compiled: it holds when any of its alternatives (runs of terms
/// alts[first_alt … first_alt + alt_count), each [alt_first[a], alt_first[a + 1]) of terms) holds.
struct decision_prog_rule {
    enum kind_t : std::uint8_t { warning, set, raise, lower } kind;
    std::uint8_t value;  ///< warning: the colour; set: the level; raise / lower: the step
    std::uint32_t first_alt, alt_count;
};

/// A decision that depends only on a few subjects of small domain (the grade, grade facts,
/// booleans): its answer for every combination of their values, looked up by a row's key
/// (sum over the subjects of digit × stride; a boolean's digit is 0 / 1, a grade's 0 … 4).
struct decision_table {
    struct subject {
        std::uint32_t slot;    ///< 0 the grade, 1 + i plan fact i
        std::uint32_t stride;  ///< the digit's weight in the key
        bool boolean;          ///< any non-zero value is digit 1
    };
    std::vector<subject> subjects;
    std::vector<std::uint8_t> answers;  ///< by key; empty: no table (the rules run as passes)
};

/// The warning and response rules compiled for the batch (classify_batch's warnings and responses).
struct decision_program {
    decision_table warning_table, response_table;
    std::vector<decision_prog_rule> warnings, responses;
    std::vector<std::uint32_t> alt_first;  ///< alternative a's terms: [alt_first[a], alt_first[a + 1])
    std::vector<decision_term> terms;
    bool has_responses = false;  ///< the plan has response levels (else every response is 0)
    int highest = 1, lowest = 4;  ///< the response levels' range (responses.levels front and back)
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
    decision_program decisions;
};

/// The compatibility slots of a plan (vigil/compat.hpp; src/compat.cpp).
std::array<std::int32_t, legacy_slot_count> legacy_slots(const plan& p);

}  // namespace detail
}  // namespace v0
}  // namespace vigil
