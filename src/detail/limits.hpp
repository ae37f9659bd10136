// Internal: the most bytes each text format is read with (the parsers refuse more; the edge's
// readers read no more).
#pragma once

#include <vigil/obligations.hpp>

#include <cstddef>

namespace vigil {
inline namespace v0 {
namespace detail {
inline constexpr std::size_t max_calendar_bytes = 1u << 20;
using vigil::max_timeline_bytes;  // public, in vigil/obligations.hpp
}  // namespace detail
}  // namespace v0
}  // namespace vigil
