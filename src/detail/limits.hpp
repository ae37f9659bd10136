// Internal: the most bytes each text format is read with (the parsers refuse more; the edge's
// readers read no more).
#pragma once

#include <cstddef>

namespace vigil {
inline namespace v0 {
namespace detail {
inline constexpr std::size_t max_calendar_bytes = 1u << 20;
inline constexpr std::size_t max_timeline_bytes = 16u << 20;
}  // namespace detail
}  // namespace v0
}  // namespace vigil
