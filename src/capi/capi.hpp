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
#include <vigil/calendar.hpp>
#include <vigil/detect.hpp>
#include <vigil/lifecycle.hpp>
#include <vigil/plan.hpp>
#include <vigil/time.hpp>
#include <vigil/vigil.h>

#include <cstddef>
#include <new>
#include <string>
#include <string_view>

/// The handle behind vigil_plan: a shared reference to an immutable plan.
struct vigil_plan {
    vigil::plan_ptr plan;
};

/// The handle behind vigil_calendar: an immutable calendar (copies share their data).
struct vigil_calendar {
    vigil::calendar calendar;
};

/// The handle behind vigil_incident: one writer's incident log, and the plan it keeps alive.
struct vigil_incident {
    vigil::plan_ptr plan;
    vigil::incident_log log;
};

/// The handle behind vigil_detector: one stream's detector (it holds the plan).
struct vigil_detector {
    vigil::detector det;
    std::uint32_t level_mask = 0;
};

namespace vigil::capi {

/// Seconds since the epoch (UTC) as an instant; errc::out_of_range outside years 1970..2199.
result<instant> to_instant(std::int64_t seconds, const char* function, const char* name);
/// An instant as seconds since the epoch (UTC).
std::int64_t to_seconds(instant t);

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
