// Internal: reading actor patterns ("unit" or "unit/role") in plan sections, checked against the
// plan's organisation (src/organisation_load.cpp).
#pragma once

#include "detail/loader.hpp"

#include <vigil/organisation.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {
namespace detail {

std::optional<actor_pattern> parse_actor_pattern(const json::value& v, const std::string& ptr, loader& ld,
                                                 const plan& p);
std::vector<actor_pattern> parse_actor_patterns(const json::object& o, std::string_view key, const std::string& ptr,
                                                loader& ld, const plan& p, bool required);

}  // namespace detail
}  // namespace v0
}  // namespace vigil
