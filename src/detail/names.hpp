// Internal: enums named by a table of strings, indexed by the enum's value.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace vigil {
inline namespace v0 {
namespace detail {

/// names[e], or "?" for a value outside the table.
template <class E, std::size_t N>
constexpr std::string_view enum_name(const std::string_view (&names)[N], E e) noexcept {
    const auto i = static_cast<std::size_t>(e);
    return i < N ? names[i] : std::string_view{"?"};
}

/// The enum whose name is `s`, if any.
template <class E, std::size_t N>
constexpr std::optional<E> enum_parse(const std::string_view (&names)[N], std::string_view s) noexcept {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == s) return static_cast<E>(i);
    return std::nullopt;
}

}  // namespace detail
}  // namespace v0
}  // namespace vigil
