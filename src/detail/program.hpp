// Internal: a plan's grading criteria compiled into a flat program over fact columns.
//
// Each alternative of each criterion is a row: a run of conditions (fact, lo, hi - lo), all of
// which must hold. A value v meets a condition when (v - lo) <= span in unsigned arithmetic:
// one compare per fact, no branch, so the column loops vectorise.
#pragma once

#include <vigil/plan.hpp>

#include <cstdint>
#include <vector>

namespace vigil {
inline namespace v0 {
namespace detail {

struct program_condition {
    std::uint32_t fact;  ///< index into the fact columns
    std::uint32_t lo;
    std::uint32_t span;  ///< hi - lo
};

struct program_row {
    std::uint8_t grade;       ///< vigil::grade value
    std::uint8_t criterion;   ///< bit index in the matched set
    std::uint16_t count;      ///< number of conditions
    std::uint32_t first;      ///< index of the first condition in program::conditions
};

struct program {
    std::vector<program_row> rows;
    std::vector<program_condition> conditions;
    bool covers[2] = {false, false};  ///< by vigil::product
    /// grade_mask[g]: the matched-set bits of the criteria of grade g. The batch derives a row's
    /// grade from its matched set: the gravest grade whose mask meets it.
    std::uint64_t grade_mask[grade_count] = {};
    /// every criterion index is below 32: the batch accumulates 32-bit sets (twice the lanes)
    bool narrow = true;
};

}  // namespace detail
}  // namespace v0
}  // namespace vigil
