/* tests/capi/header_c99.c — vigil.h alone, compiled as strict C99 with every warning an error
 * (-std=c99 -Wall -Wextra -pedantic -Werror), and its layout checked at compile time. */
#include <vigil/vigil.h>

#include <stdio.h>

/* C99 has no _Static_assert: a negative array size fails the build. */
#define STATIC_CHECK(name, cond) typedef char static_check_##name[(cond) ? 1 : -1]

STATIC_CHECK(facts_size, sizeof(vigil_facts) == 10 * 4);
STATIC_CHECK(assessment_size, sizeof(vigil_assessment) == 10 * 4 + 8);
STATIC_CHECK(modifiers_size, sizeof(vigil_modifiers) == 6 * 4);
STATIC_CHECK(grade_order, VIGIL_GRADE_NONE < VIGIL_GRADE_IV && VIGIL_GRADE_IV < VIGIL_GRADE_III &&
                              VIGIL_GRADE_III < VIGIL_GRADE_II && VIGIL_GRADE_II < VIGIL_GRADE_I);
STATIC_CHECK(fact_count, VIGIL_FACT_COUNT == 9);
STATIC_CHECK(version_number, VIGIL_VERSION_NUMBER ==
                                 VIGIL_VERSION_MAJOR * 10000 + VIGIL_VERSION_MINOR * 100 + VIGIL_VERSION_PATCH);

int main(void) {
    /* Each function's address, so that a declaration without a definition fails the link. */
    int ok = vigil_version_number() == VIGIL_VERSION_NUMBER && vigil_abi_version() == VIGIL_ABI_VERSION;
    printf("vigil.h %s as C99: library %s, ABI %d: %s\n", VIGIL_VERSION_STRING, vigil_version_string(),
           (int)vigil_abi_version(), ok ? "agree" : "DISAGREE");
    return ok ? 0 : 1;
}
