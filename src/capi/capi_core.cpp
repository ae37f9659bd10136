// The C ABI: versions, status codes, the thread's last error, strings, enum names.
#include "capi.hpp"

#include <vigil/classify.hpp>
#include <vigil/response.hpp>

#include <cstdlib>
#include <iterator>
#include <cstring>
#include <exception>

static_assert(VIGIL_VERSION_NUMBER == vigil::version_number, "vigil.h and vigil/version.hpp disagree");
static_assert(static_cast<int>(VIGIL_FACT_COUNT) == static_cast<int>(vigil::fact_count),
              "vigil.h's facts and vigil::fact disagree");
static_assert(VIGIL_OUT_OF_SCOPE_BIT == vigil::out_of_scope_bit);
static_assert(static_cast<int>(VIGIL_GRADE_I) == static_cast<int>(vigil::grade::I));
static_assert(static_cast<int>(VIGIL_WARNING_RED) == static_cast<int>(vigil::warning_colour::red));
static_assert(static_cast<int>(VIGIL_PRODUCT_DEVICE) == static_cast<int>(vigil::product::device));
static_assert(static_cast<int>(VIGIL_FACT_STREETS_WITH_IV) == static_cast<int>(vigil::fact::streets_with_IV));
static_assert(static_cast<int>(VIGIL_FACT_SIMILAR_CASES_NEARBY) == static_cast<int>(vigil::fact::similar_cases_nearby));

namespace vigil::capi {

namespace {

struct thread_error {
    int status = VIGIL_OK;
    std::string message;
};

thread_error& last() noexcept {
    thread_local thread_error e;
    return e;
}

}  // namespace

int status_of(errc code) noexcept {
    switch (code) {
    case errc::ok: return VIGIL_OK;
    case errc::parse_error: return VIGIL_EPARSE;
    case errc::invalid_plan: return VIGIL_EINVALID_PLAN;
    case errc::invalid_input: return VIGIL_EINVALID_INPUT;
    case errc::unknown_name: return VIGIL_EUNKNOWN_NAME;
    case errc::io_error: return VIGIL_EIO;
    case errc::out_of_range: return VIGIL_EOUT_OF_RANGE;
    case errc::refused: return VIGIL_EREFUSED;
    case errc::tampered: return VIGIL_ETAMPERED;
    case errc::too_large: return VIGIL_ETOO_LARGE;
    }
    return VIGIL_EINTERNAL;  // a code vigil.h does not list yet: a bug, reported as one
}

void clear_error() noexcept {
    auto& e = last();
    e.status = VIGIL_OK;
    e.message.clear();  // keeps the capacity; never throws
}

int fail(int status, std::string_view message) noexcept {
    auto& e = last();
    e.status = status;
    try {
        e.message.assign(message);
    } catch (...) {
        e.message.clear();  // out of memory: the status still tells what happened
    }
    return status;
}

int fail(const vigil::error& err) noexcept {
    int status = status_of(err.code);
    if (status == VIGIL_OK) status = VIGIL_EINTERNAL;  // an error that says "ok" is a bug
    try {
        return fail(status, err.message());
    } catch (...) {
        return fail(status, {});
    }
}

int null_argument(const char* function, const char* name) noexcept {
    try {
        return fail(VIGIL_EINVALID_INPUT, std::string(function) + ": `" + name + "` is NULL");
    } catch (...) {
        return fail(VIGIL_EINVALID_INPUT, {});
    }
}

char* dup_string(std::string_view s) {
    auto* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (!p) throw std::bad_alloc();
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

int on_exception(const char* function) noexcept {
    try {
        throw;
    } catch (const vigil::exception& ex) {
        return fail(ex.error());
    } catch (const std::bad_alloc&) {
        return fail(VIGIL_ENOMEM, "out of memory");
    } catch (const std::exception& ex) {
        try {
            return fail(VIGIL_EINTERNAL, std::string(function) + ": internal error: " + ex.what());
        } catch (...) {
            return fail(VIGIL_EINTERNAL, {});
        }
    } catch (...) {
        try {
            return fail(VIGIL_EINTERNAL, std::string(function) + ": internal error: unknown exception");
        } catch (...) {
            return fail(VIGIL_EINTERNAL, {});
        }
    }
}

}  // namespace vigil::capi

using namespace vigil::capi;

extern "C" {

int32_t vigil_version_number(void) { return vigil::version_number; }
const char* vigil_version_string(void) { return vigil::version_string; }
int32_t vigil_abi_version(void) { return VIGIL_ABI_VERSION; }

const char* vigil_status_string(int status) {
    switch (status) {
    case VIGIL_OK: return "ok";
    case VIGIL_EPARSE: return "malformed text";
    case VIGIL_EINVALID_PLAN: return "invalid plan";
    case VIGIL_EINVALID_INPUT: return "invalid input";
    case VIGIL_EUNKNOWN_NAME: return "unknown name";
    case VIGIL_EIO: return "input/output error";
    case VIGIL_EOUT_OF_RANGE: return "out of range";
    case VIGIL_EREFUSED: return "refused";
    case VIGIL_ETAMPERED: return "tampered";
    case VIGIL_ETOO_LARGE: return "too large";
    case VIGIL_ENOMEM: return "out of memory";
    case VIGIL_EBUFFER_TOO_SMALL: return "buffer too small";
    case VIGIL_EINTERNAL: return "internal error";
    default: return "unknown status";
    }
}

const char* vigil_last_error(void) { return last().message.c_str(); }
int vigil_last_status(void) { return last().status; }

int vigil_last_error_copy(char* buf, size_t size, size_t* needed) {
    const auto& m = last().message;
    const std::size_t n = m.size() + 1;
    if (needed) *needed = n;
    if (!buf && size != 0) return VIGIL_EINVALID_INPUT;
    if (size < n) return VIGIL_EBUFFER_TOO_SMALL;
    std::memcpy(buf, m.c_str(), n);
    return VIGIL_OK;
}

void vigil_string_free(char* s) { std::free(s); }

// Own tables of NUL-terminated names (the C++ functions give string_views); tests/capi checks them
// against the C++ names.
const char* vigil_grade_string(int32_t g) {
    static const char* const names[] = {"none", "IV", "III", "II", "I"};
    static_assert(std::size(names) == vigil::grade_count);
    return g >= 0 && g < vigil::grade_count ? names[g] : nullptr;
}

const char* vigil_product_string(int32_t p) {
    static const char* const names[] = {"drug", "device"};
    return p >= 0 && p < 2 ? names[p] : nullptr;
}

const char* vigil_warning_string(int32_t w) {
    static const char* const names[] = {"none", "blue", "yellow", "orange", "red"};
    return w >= 0 && w < 5 ? names[w] : nullptr;
}

const char* vigil_fact_string(int32_t f) {
    static const char* const names[] = {"rare_cases",        "severe_cases",      "deaths",
                                        "similar_cases_nearby", "provinces_with_II", "prefectures_with_III",
                                        "counties_with_III", "counties_with_IV",  "streets_with_IV"};
    static_assert(std::size(names) == vigil::fact_count);
    return f >= 0 && f < VIGIL_FACT_COUNT ? names[f] : nullptr;
}

}  // extern "C"
