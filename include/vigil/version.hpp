// vigil/version.hpp — the library's version.
#pragma once

#define VIGIL_VERSION_MAJOR 0
#define VIGIL_VERSION_MINOR 1
#define VIGIL_VERSION_PATCH 0
/// MAJOR * 10000 + MINOR * 100 + PATCH
#define VIGIL_VERSION_NUMBER (VIGIL_VERSION_MAJOR * 10000 + VIGIL_VERSION_MINOR * 100 + VIGIL_VERSION_PATCH)
#define VIGIL_VERSION_STRING "0.1.0"

namespace vigil {
inline namespace v0 {
inline constexpr int version_number = VIGIL_VERSION_NUMBER;
inline constexpr const char* version_string = VIGIL_VERSION_STRING;
}  // namespace v0
}  // namespace vigil
