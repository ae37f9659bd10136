// src/capi/capi.hpp — the internals shared by the C ABI's sources (not installed).
//
// Every status-returning extern "C" function has the shape
//
//     int vigil_x(...) { return vigil::capi::guard("vigil_x", [&]() -> int { ...; return VIGIL_OK; }); }
//
// guard() clears the thread's last error, runs the body and turns every exception into a status
// and a message: no exception crosses the ABI. Bodies report data errors with fail().
#pragma once

#include <vigil/error.hpp>
#include <vigil/version.hpp>  // before vigil.h: its macros must be identical
#include <vigil/plan.hpp>
#include <vigil/vigil.h>

#include <cstddef>
#include <new>
#include <string>
#include <string_view>

/// The handle behind vigil_plan: a shared reference to an immutable plan.
struct vigil_plan {
    vigil::plan_ptr plan;
};

namespace vigil::capi {

/// The C status of a C++ error code.
int status_of(errc code) noexcept;

/// Record a failure for the calling thread and return `status`.
int fail(int status, std::string_view message) noexcept;
/// Record a vigil::error (its code and every diagnostic) and return its status.
int fail(const vigil::error& e) noexcept;
/// Clear the calling thread's last error (a call starts).
void clear_error() noexcept;

/// "vigil_x: `name` is NULL" as VIGIL_EINVALID_INPUT.
int null_argument(const char* function, const char* name) noexcept;

/// A malloc'ed NUL-terminated copy of `s`, for the caller to release with vigil_string_free.
/// Throws std::bad_alloc (caught by guard()).
char* dup_string(std::string_view s);

/// Hand a string to a `char **` out-parameter: nothing when `out` is NULL.
inline void give_string(char** out, std::string_view s) {
    if (out) *out = dup_string(s);
}

int on_exception(const char* function) noexcept;  // the catch-all, for guard()

template <class Body>
int guard(const char* function, Body&& body) noexcept {
    clear_error();
    try {
        int rc = body();
        return rc;
    } catch (...) {
        return on_exception(function);
    }
}

}  // namespace vigil::capi
