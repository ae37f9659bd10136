// Internal: a number in decimal, zero-padded to a width (as printf's %0Nd / %0Nu), without <cstdio>.
#pragma once

#include <string>

namespace vigil {
inline namespace v0 {
namespace detail {
inline std::string digits(long long v, std::size_t width) {
    std::string s = std::to_string(v < 0 ? -v : v);
    if (s.size() < width) s.insert(0, width - s.size(), '0');
    return v < 0 ? "-" + s : s;
}
}  // namespace detail
}  // namespace v0
}  // namespace vigil
