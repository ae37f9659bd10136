// tests/capi/header_cpp.cpp — vigil.h compiled as C++ (-Wall -Wextra -Wpedantic -Werror), together
// with the C++ headers: the version macros of vigil.h and vigil/version.hpp must be token-for-token
// identical (a different redefinition is a warning, hence an error here), and the C names and
// values must equal the C++ ones. Exits 0 when they all agree.
#include <vigil/version.hpp>
#include <vigil/vigil.h>  // after version.hpp: redefines the same macros
#include <vigil/classify.hpp>
#include <vigil/plan.hpp>
#include <vigil/response.hpp>

#include <cstdio>
#include <cstring>
#include <type_traits>

static_assert(VIGIL_VERSION_NUMBER == vigil::version_number);
static_assert(std::is_standard_layout_v<vigil_facts> && std::is_trivial_v<vigil_facts>);
static_assert(std::is_standard_layout_v<vigil_assessment> && std::is_trivial_v<vigil_assessment>);
static_assert(VIGIL_OUT_OF_SCOPE_BIT == vigil::out_of_scope_bit);
static_assert(VIGIL_FACT_COUNT == vigil::fact_count);
static_assert(VIGIL_GRADE_I == static_cast<int>(vigil::grade::I));
static_assert(VIGIL_GRADE_NONE == static_cast<int>(vigil::grade::none));
static_assert(VIGIL_WARNING_RED == static_cast<int>(vigil::warning_colour::red));
static_assert(VIGIL_PRODUCT_DEVICE == static_cast<int>(vigil::product::device));
// -1 .. -9 mirror vigil::errc
static_assert(VIGIL_EPARSE == -static_cast<int>(vigil::errc::parse_error));
static_assert(VIGIL_EINVALID_PLAN == -static_cast<int>(vigil::errc::invalid_plan));
static_assert(VIGIL_EINVALID_INPUT == -static_cast<int>(vigil::errc::invalid_input));
static_assert(VIGIL_EUNKNOWN_NAME == -static_cast<int>(vigil::errc::unknown_name));
static_assert(VIGIL_EIO == -static_cast<int>(vigil::errc::io_error));
static_assert(VIGIL_EOUT_OF_RANGE == -static_cast<int>(vigil::errc::out_of_range));
static_assert(VIGIL_EREFUSED == -static_cast<int>(vigil::errc::refused));
static_assert(VIGIL_ETAMPERED == -static_cast<int>(vigil::errc::tampered));
static_assert(VIGIL_ETOO_LARGE == -static_cast<int>(vigil::errc::too_large));

int main() {
    int failures = 0;
    auto same = [&](const char* what, const char* c, std::string_view cpp) {
        if (!c || cpp != c) {
            std::printf("%s: C says \"%s\", C++ says \"%.*s\"\n", what, c ? c : "(null)", int(cpp.size()), cpp.data());
            ++failures;
        }
    };
    for (int g = 0; g < vigil::grade_count; ++g) same("grade", vigil_grade_string(g), vigil::to_string(vigil::grade(g)));
    for (int p = 0; p < 2; ++p) same("product", vigil_product_string(p), vigil::to_string(vigil::product(p)));
    for (int w = 0; w <= VIGIL_WARNING_RED; ++w)
        same("warning", vigil_warning_string(w), vigil::to_string(vigil::warning_colour(w)));
    for (int f = 0; f < VIGIL_FACT_COUNT; ++f) same("fact", vigil_fact_string(f), vigil::to_string(vigil::fact(f)));
    for (int e = 1; e <= 9; ++e) {
        // the status strings say what the C++ error category says
        same("status", vigil_status_string(-e), vigil::make_error_code(vigil::errc(e)).message());
    }
    if (vigil_version_number() != vigil::version_number || std::strcmp(vigil_version_string(), vigil::version_string) != 0) {
        std::printf("library version %s, C++ header %s\n", vigil_version_string(), vigil::version_string);
        ++failures;
    }
    // the built-in plans the C ABI lists are the C++ library's
    auto names = vigil::builtin_plan_names();
    if (static_cast<std::size_t>(vigil_builtin_plan_count()) != names.size()) ++failures;
    for (std::size_t i = 0; i < names.size(); ++i) same("builtin plan", vigil_builtin_plan_name(int32_t(i)), names[i]);
    std::printf("header_cpp: %s\n", failures ? "DISAGREE" : "C and C++ agree");
    return failures ? 1 : 0;
}
