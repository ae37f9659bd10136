/* tests/capi/test_capi.c — every function of vigil.h called from C, with every error path:
 * NULL arguments, bad plan text, unknown names, a too-small buffer, _free(NULL), values out of
 * range, and the agreement of the header's and the library's versions.
 *
 *   test_capi ROOT SCRATCH    ROOT: the source tree (data/, examples/); SCRATCH: a writable directory
 *
 * Prints one line per failed check and a summary; exits 0 only when every check passed. */
#define _POSIX_C_SOURCE 200809L /* pthreads */
#include <vigil/vigil.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks = 0;
static int failures = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        ++checks;                                                                    \
        if (!(cond)) {                                                               \
            ++failures;                                                              \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

/* A failed call: the status, and a non-empty last error that mentions `needle`. */
#define CHECK_FAIL(call, status, needle)                                                              \
    do {                                                                                              \
        int rc_ = (call);                                                                             \
        CHECK(rc_ == (status));                                                                       \
        CHECK(vigil_last_status() == (status));                                                       \
        CHECK(vigil_last_error()[0] != '\0');                                                         \
        if (strstr(vigil_last_error(), (needle)) == NULL) {                                           \
            ++failures;                                                                               \
            fprintf(stderr, "%s:%d: last error lacks \"%s\": %s\n", __FILE__, __LINE__, (needle),     \
                    vigil_last_error());                                                              \
        }                                                                                             \
    } while (0)

#define CHECK_OK(call)                                                                        \
    do {                                                                                      \
        int rc_ = (call);                                                                     \
        CHECK(rc_ == VIGIL_OK);                                                               \
        if (rc_ != VIGIL_OK) fprintf(stderr, "  status %d: %s\n", rc_, vigil_last_error());   \
        CHECK(vigil_last_status() == VIGIL_OK);                                               \
        CHECK(strcmp(vigil_last_error(), "") == 0);                                           \
    } while (0)

static void test_versions(void) {
    char buf[32];
    CHECK(vigil_version_number() == VIGIL_VERSION_NUMBER);
    CHECK(strcmp(vigil_version_string(), VIGIL_VERSION_STRING) == 0);
    CHECK(vigil_abi_version() == VIGIL_ABI_VERSION);
    snprintf(buf, sizeof buf, "%d.%d.%d", VIGIL_VERSION_MAJOR, VIGIL_VERSION_MINOR, VIGIL_VERSION_PATCH);
    CHECK(strcmp(buf, VIGIL_VERSION_STRING) == 0);
    CHECK(VIGIL_VERSION_NUMBER == VIGIL_VERSION_MAJOR * 10000 + VIGIL_VERSION_MINOR * 100 + VIGIL_VERSION_PATCH);
}

static void test_status_and_names(void) {
    static const int codes[] = {VIGIL_OK,        VIGIL_EPARSE,   VIGIL_EINVALID_PLAN, VIGIL_EINVALID_INPUT,
                                VIGIL_EUNKNOWN_NAME, VIGIL_EIO,  VIGIL_EOUT_OF_RANGE, VIGIL_EREFUSED,
                                VIGIL_ETAMPERED, VIGIL_ETOO_LARGE, VIGIL_ENOMEM,      VIGIL_EBUFFER_TOO_SMALL,
                                VIGIL_EINTERNAL};
    size_t i, j;
    for (i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
        CHECK(strcmp(vigil_status_string(codes[i]), "unknown status") != 0);
        for (j = 0; j < i; ++j) CHECK(codes[i] != codes[j]);                   /* never reused */
        CHECK(codes[i] <= 0);
    }
    CHECK(strcmp(vigil_status_string(VIGIL_OK), "ok") == 0);
    CHECK(strcmp(vigil_status_string(VIGIL_EINVALID_PLAN), "invalid plan") == 0);
    CHECK(strcmp(vigil_status_string(12345), "unknown status") == 0);
    CHECK(strcmp(vigil_status_string(-63), "unknown status") == 0);

    CHECK(strcmp(vigil_grade_string(VIGIL_GRADE_NONE), "none") == 0);
    CHECK(strcmp(vigil_grade_string(VIGIL_GRADE_IV), "IV") == 0);
    CHECK(strcmp(vigil_grade_string(VIGIL_GRADE_III), "III") == 0);
    CHECK(strcmp(vigil_grade_string(VIGIL_GRADE_II), "II") == 0);
    CHECK(strcmp(vigil_grade_string(VIGIL_GRADE_I), "I") == 0);
    CHECK(vigil_grade_string(5) == NULL);
    CHECK(vigil_grade_string(-1) == NULL);
    CHECK(strcmp(vigil_product_string(VIGIL_PRODUCT_DRUG), "drug") == 0);
    CHECK(strcmp(vigil_product_string(VIGIL_PRODUCT_DEVICE), "device") == 0);
    CHECK(vigil_product_string(2) == NULL);
    CHECK(strcmp(vigil_warning_string(VIGIL_WARNING_NONE), "none") == 0);
    CHECK(strcmp(vigil_warning_string(VIGIL_WARNING_BLUE), "blue") == 0);
    CHECK(strcmp(vigil_warning_string(VIGIL_WARNING_RED), "red") == 0);
    CHECK(vigil_warning_string(5) == NULL);
    CHECK(strcmp(vigil_fact_string(VIGIL_FACT_RARE_CASES), "rare_cases") == 0);
    CHECK(strcmp(vigil_fact_string(VIGIL_FACT_SIMILAR_CASES_NEARBY), "similar_cases_nearby") == 0);
    CHECK(strcmp(vigil_fact_string(VIGIL_FACT_STREETS_WITH_IV), "streets_with_IV") == 0);
    CHECK(vigil_fact_string(VIGIL_FACT_COUNT) == NULL);
    CHECK(vigil_fact_string(-1) == NULL);

    vigil_string_free(NULL);
    vigil_plan_free(NULL);
}

static void test_last_error_copy(void) {
    vigil_plan *plan = NULL;
    size_t needed = 0;
    char small[4];
    char *big;
    CHECK_FAIL(vigil_plan_builtin(&plan, "atlantis"), VIGIL_EUNKNOWN_NAME, "atlantis");
    CHECK(plan == NULL);
    /* size only */
    CHECK(vigil_last_error_copy(NULL, 0, &needed) == VIGIL_EBUFFER_TOO_SMALL);
    CHECK(needed == strlen(vigil_last_error()) + 1);
    /* too small: nothing written */
    memcpy(small, "xyz", 4);
    CHECK(vigil_last_error_copy(small, sizeof small, &needed) == VIGIL_EBUFFER_TOO_SMALL);
    CHECK(memcmp(small, "xyz", 4) == 0);
    CHECK(vigil_last_error_copy(NULL, 10, &needed) == VIGIL_EINVALID_INPUT);
    /* the copy does not change the last error */
    CHECK(vigil_last_status() == VIGIL_EUNKNOWN_NAME);
    big = (char *)malloc(needed);
    CHECK(big != NULL);
    if (big) {
        CHECK(vigil_last_error_copy(big, needed, NULL) == VIGIL_OK);
        CHECK(strcmp(big, vigil_last_error()) == 0);
        free(big);
    }
    /* a success clears it */
    CHECK_OK(vigil_plan_builtin(&plan, "yuzhong"));
    CHECK(vigil_last_error_copy(small, sizeof small, &needed) == VIGIL_OK);
    CHECK(needed == 1 && small[0] == '\0');
    vigil_plan_free(plan);
}

static void test_plans(const char *plan_dir) {
    vigil_plan *plan = NULL;
    char path[4096];
    char *json = NULL;
    int32_t i, n;
    static const char minimal[] =
        "{\"vigil_plan\":1,\"id\":\"minimal\",\"name\":{\"zh\":\"最小预案\",\"en\":\"A minimal plan\"},"
        "\"issuer\":\"测试\",\"level\":\"county\",\"scope\":{\"products\":[\"drug\"],\"clause\":\"minimal 1\"},"
        "\"source\":\"tests\",\"grading\":{\"criteria\":[{\"clause\":\"minimal 2(1)\",\"grade\":\"IV\","
        "\"text\":\"不良反应10人（含）以上\",\"any\":[{\"rare_cases\":{\"ge\":10}}]}]}}";

    /* built-in names */
    n = vigil_builtin_plan_count();
    CHECK(n >= 2);
    for (i = 0; i < n; ++i) {
        const char *name = vigil_builtin_plan_name(i);
        CHECK(name != NULL);
        if (!name) continue;
        CHECK_OK(vigil_plan_builtin(&plan, name));
        CHECK(plan != NULL);
        CHECK(strcmp(vigil_plan_id(plan), name) == 0);
        CHECK(vigil_plan_criterion_count(plan) > 0);
        vigil_plan_free(plan);
        plan = NULL;
    }
    CHECK(vigil_builtin_plan_name(n) == NULL);
    CHECK(vigil_builtin_plan_name(-1) == NULL);

    /* error paths of the built-in loader */
    CHECK_FAIL(vigil_plan_builtin(NULL, "yuzhong"), VIGIL_EINVALID_INPUT, "out");
    CHECK_FAIL(vigil_plan_builtin(&plan, NULL), VIGIL_EINVALID_INPUT, "name");
    CHECK(plan == NULL);
    CHECK_FAIL(vigil_plan_builtin(&plan, "no-such-plan"), VIGIL_EUNKNOWN_NAME, "yuzhong"); /* lists the ids */
    CHECK(plan == NULL);

    /* a file */
    snprintf(path, sizeof path, "%s/yuzhong.json", plan_dir);
    CHECK_OK(vigil_plan_load_file(&plan, path));
    CHECK(plan != NULL && strcmp(vigil_plan_id(plan), "yuzhong") == 0);
    vigil_plan_free(plan);
    plan = NULL;
    snprintf(path, sizeof path, "%s/no-such-file.json", plan_dir);
    CHECK_FAIL(vigil_plan_load_file(&plan, path), VIGIL_EIO, "no-such-file.json");
    CHECK(plan == NULL);
    CHECK_FAIL(vigil_plan_load_file(NULL, path), VIGIL_EINVALID_INPUT, "out");
    CHECK_FAIL(vigil_plan_load_file(&plan, NULL), VIGIL_EINVALID_INPUT, "path");

    /* a buffer */
    CHECK_OK(vigil_plan_load_buffer(&plan, minimal, strlen(minimal), "minimal.json"));
    CHECK(plan != NULL);
    if (plan) {
        CHECK(strcmp(vigil_plan_id(plan), "minimal") == 0);
        CHECK(vigil_plan_criterion_count(plan) == 1);
        CHECK(strcmp(vigil_plan_criterion_clause(plan, 0), "minimal 2(1)") == 0);
        CHECK(vigil_plan_criterion_clause(plan, 1) == NULL);
        CHECK(vigil_plan_criterion_clause(plan, -1) == NULL);
        CHECK_OK(vigil_plan_info_json(&json, plan));
        CHECK(json != NULL && strstr(json, "\"clause\":\"minimal 2(1)\"") != NULL);
        CHECK(json != NULL && strstr(json, "\"id\":\"minimal\"") != NULL);
        vigil_string_free(json);
        json = NULL;
    }
    vigil_plan_free(plan);
    plan = NULL;
    /* not NUL-terminated: only `size` bytes are read */
    {
        size_t len = strlen(minimal);
        char *copy = (char *)malloc(len);
        CHECK(copy != NULL);
        if (copy) {
            memcpy(copy, minimal, len);
            CHECK_OK(vigil_plan_load_buffer(&plan, copy, len, NULL));
            vigil_plan_free(plan);
            plan = NULL;
            free(copy);
        }
    }
    CHECK_FAIL(vigil_plan_load_buffer(&plan, "{\"id\": ", 7, "broken.json"), VIGIL_EPARSE, "broken.json");
    CHECK(plan == NULL);
    CHECK_FAIL(vigil_plan_load_buffer(&plan, "{}", 2, NULL), VIGIL_EINVALID_PLAN, "<buffer>");
    CHECK(plan == NULL);
    CHECK_FAIL(vigil_plan_load_buffer(&plan, "[1,2]", 5, "array.json"), VIGIL_EINVALID_PLAN, "array.json");
    CHECK_FAIL(vigil_plan_load_buffer(&plan, NULL, 0, NULL), VIGIL_EPARSE, "<buffer>");
    CHECK_FAIL(vigil_plan_load_buffer(&plan, NULL, 5, NULL), VIGIL_EINVALID_INPUT, "data");
    CHECK_FAIL(vigil_plan_load_buffer(NULL, "{}", 2, NULL), VIGIL_EINVALID_INPUT, "out");

    /* getters on NULL */
    CHECK(vigil_plan_id(NULL) == NULL);
    CHECK(vigil_plan_criterion_count(NULL) == 0);
    CHECK(vigil_plan_criterion_clause(NULL, 0) == NULL);
    CHECK_FAIL(vigil_plan_info_json(&json, NULL), VIGIL_EINVALID_INPUT, "plan");
    CHECK(json == NULL);
    CHECK_OK(vigil_plan_builtin(&plan, "guiyang"));
    CHECK_FAIL(vigil_plan_info_json(NULL, plan), VIGIL_EINVALID_INPUT, "out_json");
    vigil_plan_free(plan);
}

static void test_classify(void) {
    vigil_plan *plan = NULL;
    vigil_facts facts;
    vigil_assessment a;
    vigil_override ov;
    char *json = NULL;
    int32_t i, n;

    CHECK_OK(vigil_plan_builtin(&plan, "yuzhong"));
    if (!plan) return;
    n = vigil_plan_criterion_count(plan);

    /* nothing known: no grade */
    memset(&facts, 0, sizeof facts);
    CHECK_OK(vigil_classify(&a, NULL, plan, &facts));
    CHECK(a.grade == VIGIL_GRADE_NONE && a.computed_grade == VIGIL_GRADE_NONE);
    CHECK(a.in_scope == 1 && a.winner == -1 && a.match_count == 0 && a.matched == 0 && a.overridden == 0);

    /* the winner is a criterion of the plan, its bit is set, and the explanation cites it */
    facts.deaths = 2;
    facts.similar_cases_nearby = 1;
    facts.severe_cases = 2;
    CHECK_OK(vigil_classify(&a, &json, plan, &facts));
    CHECK(a.grade != VIGIL_GRADE_NONE && a.grade == a.computed_grade);
    CHECK(a.winner >= 0 && a.winner < n);
    CHECK(a.match_count >= 2);
    CHECK(a.winner >= 0 && ((a.matched >> a.winner) & 1u) != 0);
    CHECK(json != NULL);
    if (json && a.winner >= 0) {
        char quoted[256];
        snprintf(quoted, sizeof quoted, "\"clause\":\"%s\"", vigil_plan_criterion_clause(plan, a.winner));
        CHECK(strstr(json, quoted) != NULL);
        CHECK(strstr(json, "\"fact\":\"deaths\"") != NULL);
    }
    vigil_string_free(json);
    json = NULL;
    {
        /* bits: one per match */
        int bits = 0;
        for (i = 0; i < 64; ++i) bits += (int)((a.matched >> i) & 1u);
        CHECK(bits == a.match_count);
    }

    /* an override: recorded, the computed grade kept */
    memset(&ov, 0, sizeof ov);
    ov.grade = VIGIL_GRADE_I;
    ov.by = "专家组 组长";
    ov.reason = "研判";
    CHECK_OK(vigil_classify_ex(&a, &json, plan, &facts, NULL, &ov));
    CHECK(a.grade == VIGIL_GRADE_I && a.overridden == 1 && a.computed_grade != VIGIL_GRADE_I);
    /* the warning and the response follow the final grade: the gravest for grade I */
    CHECK(a.warning == VIGIL_WARNING_RED && a.response == 1);
    CHECK(json != NULL && strstr(json, "\"override\"") != NULL);
    vigil_string_free(json);
    json = NULL;
    ov.reason = NULL;
    CHECK_FAIL(vigil_classify_ex(&a, &json, plan, &facts, NULL, &ov), VIGIL_EINVALID_INPUT, "reason");
    CHECK(json == NULL && a.grade == VIGIL_GRADE_NONE && a.winner == -1);
    ov.reason = "研判";
    ov.clause = "no such clause";
    CHECK_FAIL(vigil_classify_ex(&a, NULL, plan, &facts, NULL, &ov), VIGIL_EINVALID_INPUT, "no such clause");
    ov.clause = NULL;
    ov.grade = 9;
    CHECK_FAIL(vigil_classify_ex(&a, NULL, plan, &facts, NULL, &ov), VIGIL_EINVALID_INPUT, "grade");
    /* no modifiers, no override: the same as vigil_classify */
    {
        vigil_assessment b;
        CHECK_OK(vigil_classify_ex(&a, NULL, plan, &facts, NULL, NULL));
        CHECK_OK(vigil_classify(&b, NULL, plan, &facts));
        CHECK(memcmp(&a, &b, sizeof a) == 0);
    }

    /* warnings and responses (tests/data/response_decisions.csv: yuzhong, possible_grade=III gives a
     * yellow warning by 3.2.1 三级 and a level-3 response; nothing known gives neither) */
    {
        vigil_modifiers mods;
        vigil_facts none;
        memset(&none, 0, sizeof none);
        memset(&mods, 0, sizeof mods);
        CHECK_OK(vigil_classify_ex(&a, &json, plan, &none, &mods, NULL));
        CHECK(a.warning == VIGIL_WARNING_NONE && a.warning_number == 0 && a.response == 0);
        vigil_string_free(json);
        json = NULL;
        mods.possible_grade = VIGIL_GRADE_III;
        CHECK_OK(vigil_classify_ex(&a, &json, plan, &none, &mods, NULL));
        CHECK(a.grade == VIGIL_GRADE_NONE && a.warning == VIGIL_WARNING_YELLOW && a.warning_number == 3);
        CHECK(a.response == 3);
        CHECK(json != NULL && strstr(json, "\"clause\":\"yuzhong 3.2.1 三级\"") != NULL);
        CHECK(json != NULL && strstr(json, "\"response\":{") != NULL);
        vigil_string_free(json);
        json = NULL;
        mods.possible_grade = 7;
        CHECK_FAIL(vigil_classify_ex(&a, NULL, plan, &none, &mods, NULL), VIGIL_EINVALID_INPUT, "possible_grade");
    }

    /* error paths */
    CHECK_FAIL(vigil_classify(NULL, NULL, plan, &facts), VIGIL_EINVALID_INPUT, "out");
    CHECK_FAIL(vigil_classify(&a, &json, NULL, &facts), VIGIL_EINVALID_INPUT, "plan");
    CHECK(json == NULL);
    CHECK_FAIL(vigil_classify(&a, NULL, plan, NULL), VIGIL_EINVALID_INPUT, "facts");
    facts.product = 7;
    CHECK_FAIL(vigil_classify(&a, NULL, plan, &facts), VIGIL_EINVALID_INPUT, "product");
    facts.product = VIGIL_PRODUCT_DRUG;
    vigil_plan_free(plan);

    /* out of scope: guiyang covers drugs only */
    CHECK_OK(vigil_plan_builtin(&plan, "guiyang"));
    if (!plan) return;
    memset(&facts, 0, sizeof facts);
    facts.rare_cases = 50;
    facts.product = VIGIL_PRODUCT_DEVICE;
    CHECK_OK(vigil_classify(&a, &json, plan, &facts));
    CHECK(a.in_scope == 0 && a.grade == VIGIL_GRADE_NONE && a.matched == VIGIL_OUT_OF_SCOPE_BIT);
    CHECK(json != NULL && strstr(json, "\"in_scope\":false") != NULL);
    vigil_string_free(json);
    vigil_plan_free(plan);
}

static void test_batch(void) {
    enum { N = 3000 };
    vigil_plan *plan = NULL;
    static uint32_t cols[VIGIL_FACT_COUNT][N];
    static uint8_t products[N], grades[N];
    static uint64_t matched[N];
    const uint32_t *ptrs[VIGIL_FACT_COUNT + 1];
    size_t i, f;
    int mismatches = 0;
    unsigned seed = 12345u;

    CHECK_OK(vigil_plan_builtin(&plan, "yuzhong"));
    if (!plan) return;
    for (i = 0; i < N; ++i) {
        for (f = 0; f < VIGIL_FACT_COUNT; ++f) {
            seed = seed * 1103515245u + 12345u;
            cols[f][i] = (seed >> 16) % (f == VIGIL_FACT_SIMILAR_CASES_NEARBY ? 2u : (f < 3 ? 60u : 4u));
        }
        products[i] = (uint8_t)(i % 2);
    }
    for (f = 0; f < VIGIL_FACT_COUNT; ++f) ptrs[f] = cols[f];
    ptrs[VIGIL_FACT_COUNT] = NULL;

    CHECK_OK(vigil_classify_batch(grades, matched, plan, N, ptrs, VIGIL_FACT_COUNT, products));
    for (i = 0; i < N; ++i) {
        vigil_facts facts;
        vigil_assessment a;
        facts.rare_cases = cols[0][i];
        facts.severe_cases = cols[1][i];
        facts.deaths = cols[2][i];
        facts.similar_cases_nearby = (int32_t)cols[3][i];
        facts.provinces_with_II = cols[4][i];
        facts.prefectures_with_III = cols[5][i];
        facts.counties_with_III = cols[6][i];
        facts.counties_with_IV = cols[7][i];
        facts.streets_with_IV = cols[8][i];
        facts.product = products[i];
        if (vigil_classify(&a, NULL, plan, &facts) != VIGIL_OK || a.computed_grade != grades[i] ||
            a.matched != matched[i])
            ++mismatches;
    }
    CHECK(mismatches == 0);

    /* fewer columns than facts, an extra NULL column, no products, no matched output */
    CHECK_OK(vigil_classify_batch(grades, NULL, plan, N, ptrs, 1, NULL));
    for (i = 0; i < N; ++i) {
        vigil_facts facts;
        vigil_assessment a;
        memset(&facts, 0, sizeof facts);
        facts.rare_cases = cols[0][i];
        if (vigil_classify(&a, NULL, plan, &facts) != VIGIL_OK || a.grade != grades[i]) ++mismatches;
    }
    CHECK(mismatches == 0);
    CHECK_OK(vigil_classify_batch(grades, matched, plan, N, ptrs, VIGIL_FACT_COUNT + 1, NULL));
    CHECK_OK(vigil_classify_batch(grades, matched, plan, 0, NULL, 0, NULL));
    CHECK_OK(vigil_classify_batch(NULL, NULL, plan, 0, NULL, 0, NULL));
    CHECK_OK(vigil_classify_batch(grades, NULL, plan, N, NULL, 0, NULL));
    CHECK(grades[0] == VIGIL_GRADE_NONE && grades[N - 1] == VIGIL_GRADE_NONE);

    /* with warnings and responses: equal to vigil_classify_ex, cluster by cluster */
    {
        static uint8_t mcols[VIGIL_MODIFIER_COUNT][N], warnings[N], responses[N], grades2[N];
        const uint8_t *mptrs[VIGIL_MODIFIER_COUNT + 1];
        size_t m;
        ptrs[VIGIL_FACT_COUNT] = NULL;
        for (i = 0; i < N; ++i) {
            products[i] = (uint8_t)(i % 2);
            for (m = 0; m < VIGIL_MODIFIER_COUNT; ++m) {
                seed = seed * 1103515245u + 12345u;
                mcols[m][i] = (uint8_t)((seed >> 16) % (m == VIGIL_MODIFIER_POSSIBLE_GRADE ? 5u : 2u));
            }
        }
        for (m = 0; m < VIGIL_MODIFIER_COUNT; ++m) mptrs[m] = mcols[m];
        mptrs[VIGIL_MODIFIER_COUNT] = NULL;
        CHECK_OK(vigil_classify_batch_ex(grades2, matched, warnings, responses, plan, N, ptrs, VIGIL_FACT_COUNT,
                                         products, mptrs, VIGIL_MODIFIER_COUNT + 1));
        for (i = 0; i < N; ++i) {
            vigil_facts facts;
            vigil_modifiers mods;
            vigil_assessment a;
            facts.rare_cases = cols[0][i];
            facts.severe_cases = cols[1][i];
            facts.deaths = cols[2][i];
            facts.similar_cases_nearby = (int32_t)cols[3][i];
            facts.provinces_with_II = cols[4][i];
            facts.prefectures_with_III = cols[5][i];
            facts.counties_with_III = cols[6][i];
            facts.counties_with_IV = cols[7][i];
            facts.streets_with_IV = cols[8][i];
            facts.product = products[i];
            mods.possible_grade = mcols[0][i];
            mods.sensitive = mcols[1][i];
            mods.key_period = mcols[2][i];
            mods.spreading = mcols[3][i];
            mods.wide_or_complex = mcols[4][i];
            mods.controlled = mcols[5][i];
            if (vigil_classify_ex(&a, NULL, plan, &facts, &mods, NULL) != VIGIL_OK || a.grade != grades2[i] ||
                a.matched != matched[i] || a.warning != warnings[i] || a.response != responses[i])
                ++mismatches;
        }
        CHECK(mismatches == 0);
        {
            /* decisions of more than one kind were compared (the equality above is the test) */
            int seen_w = 0, seen_r = 0, kinds_w = 0, kinds_r = 0, k;
            for (i = 0; i < N; ++i) {
                seen_w |= 1 << warnings[i];
                seen_r |= 1 << responses[i];
            }
            for (k = 0; k < 5; ++k) {
                kinds_w += (seen_w >> k) & 1;
                kinds_r += (seen_r >> k) & 1;
            }
            CHECK(kinds_w >= 2 && kinds_r >= 3);
        }
        /* no decisions wanted: the same as vigil_classify_batch */
        CHECK_OK(vigil_classify_batch_ex(grades2, NULL, NULL, NULL, plan, N, ptrs, 2, NULL, NULL, 0));
        CHECK_OK(vigil_classify_batch(grades, NULL, plan, N, ptrs, 2, NULL));
        CHECK(memcmp(grades, grades2, N) == 0);
        /* warnings only, no modifier columns */
        CHECK_OK(vigil_classify_batch_ex(grades2, NULL, warnings, NULL, plan, N, ptrs, 2, NULL, NULL, 0));
        /* error paths */
        CHECK_FAIL(vigil_classify_batch_ex(grades2, NULL, warnings, NULL, plan, N, ptrs, 2, NULL, NULL, 3),
                   VIGIL_EINVALID_INPUT, "modifier_columns");
        mptrs[VIGIL_MODIFIER_COUNT] = mcols[0];
        CHECK_FAIL(vigil_classify_batch_ex(grades2, NULL, warnings, NULL, plan, N, ptrs, 2, NULL, mptrs,
                                           VIGIL_MODIFIER_COUNT + 1),
                   VIGIL_EINVALID_INPUT, "modifier column 6");
        mcols[0][99] = 5;
        CHECK_FAIL(vigil_classify_batch_ex(grades2, NULL, warnings, NULL, plan, N, ptrs, 2, NULL, mptrs, 1),
                   VIGIL_EINVALID_INPUT, "possible_grade[99]");
        CHECK_FAIL(vigil_classify_batch_ex(grades2, NULL, warnings, NULL, NULL, N, ptrs, 2, NULL, NULL, 0),
                   VIGIL_EINVALID_INPUT, "plan");
        CHECK_FAIL(vigil_classify_batch_ex(NULL, NULL, warnings, NULL, plan, N, ptrs, 2, NULL, NULL, 0),
                   VIGIL_EINVALID_INPUT, "grades_out");
    }

    /* error paths */
    CHECK_FAIL(vigil_classify_batch(grades, NULL, NULL, N, ptrs, 1, NULL), VIGIL_EINVALID_INPUT, "plan");
    CHECK_FAIL(vigil_classify_batch(NULL, NULL, plan, N, ptrs, 1, NULL), VIGIL_EINVALID_INPUT, "grades_out");
    CHECK_FAIL(vigil_classify_batch(grades, NULL, plan, N, NULL, 3, NULL), VIGIL_EINVALID_INPUT, "fact_columns");
    ptrs[VIGIL_FACT_COUNT] = cols[0];
    CHECK_FAIL(vigil_classify_batch(grades, NULL, plan, N, ptrs, VIGIL_FACT_COUNT + 1, NULL), VIGIL_EINVALID_INPUT,
               "fact column 9");
    products[17] = 2;
    CHECK_FAIL(vigil_classify_batch(grades, NULL, plan, N, ptrs, 1, products), VIGIL_EINVALID_INPUT, "product[17]");
    vigil_plan_free(plan);
}

static void test_rollup(void) {
    vigil_local_event events[3];
    vigil_facts facts;
    char *json = NULL;

    events[0].product = VIGIL_PRODUCT_DRUG;
    events[0].product_id = "P1";
    events[0].area = "500103001";
    events[0].grade = VIGIL_GRADE_IV;
    events[1] = events[0];
    events[1].area = "500103002";
    events[2] = events[0];
    events[2].product_id = "P2";
    events[2].area = "500103003";

    CHECK_OK(vigil_rollup(&facts, &json, events, 3, VIGIL_PRODUCT_DRUG, "P1", "500103"));
    CHECK(facts.streets_with_IV == 2 && facts.rare_cases == 0 && facts.product == VIGIL_PRODUCT_DRUG);
    {
        /* a built-in plan's spread facts by vigil_rollup_values: the same counts, in the plan's fact order */
        vigil_plan *y = NULL;
        uint32_t v[VIGIL_FACT_COUNT];
        CHECK_OK(vigil_plan_builtin(&y, "yuzhong"));
        CHECK_OK(vigil_rollup_values(v, VIGIL_FACT_COUNT, NULL, y, events, 3, VIGIL_PRODUCT_DRUG, "P1", "500103"));
        CHECK(v[VIGIL_FACT_STREETS_WITH_IV] == facts.streets_with_IV && v[VIGIL_FACT_COUNTIES_WITH_IV] == facts.counties_with_IV);
        CHECK(v[VIGIL_FACT_RARE_CASES] == 0 && v[VIGIL_FACT_PROVINCES_WITH_II] == facts.provinces_with_II);
        vigil_plan_free(y);
    }
    CHECK(json != NULL && strstr(json, "\"500103001\"") != NULL && strstr(json, "\"500103003\"") == NULL);
    vigil_string_free(json);
    json = NULL;
    CHECK_OK(vigil_rollup(&facts, NULL, NULL, 0, VIGIL_PRODUCT_DEVICE, "P1", "500103"));
    CHECK(facts.streets_with_IV == 0 && facts.product == VIGIL_PRODUCT_DEVICE);

    CHECK_FAIL(vigil_rollup(NULL, NULL, events, 3, 0, "P1", "500103"), VIGIL_EINVALID_INPUT, "facts_out");
    CHECK_FAIL(vigil_rollup(&facts, &json, NULL, 3, 0, "P1", "500103"), VIGIL_EINVALID_INPUT, "events");
    CHECK(json == NULL);
    CHECK_FAIL(vigil_rollup(&facts, NULL, events, 3, 0, NULL, "500103"), VIGIL_EINVALID_INPUT, "product_id");
    CHECK_FAIL(vigil_rollup(&facts, NULL, events, 3, 0, "P1", NULL), VIGIL_EINVALID_INPUT, "target_area");
    CHECK_FAIL(vigil_rollup(&facts, NULL, events, 3, 3, "P1", "500103"), VIGIL_EINVALID_INPUT, "product");
    CHECK_FAIL(vigil_rollup(&facts, NULL, events, 3, 0, "P1", "5001"), VIGIL_EINVALID_INPUT, "target_area");
    events[1].area = "50x103002";
    CHECK_FAIL(vigil_rollup(&facts, NULL, events, 3, 0, "P1", "500103"), VIGIL_EINVALID_INPUT, "events[1].area");
    events[1].area = NULL;
    CHECK_FAIL(vigil_rollup(&facts, NULL, events, 3, 0, "P1", "500103"), VIGIL_EINVALID_INPUT, "events[1].area");
    events[1].area = "500103002";
    events[2].grade = 5;
    CHECK_FAIL(vigil_rollup(&facts, NULL, events, 3, 0, "P1", "500103"), VIGIL_EINVALID_INPUT, "events[2].grade");
    events[2].grade = VIGIL_GRADE_IV;
    events[0].product_id = NULL;
    CHECK_FAIL(vigil_rollup(&facts, NULL, events, 3, 0, "P1", "500103"), VIGIL_EINVALID_INPUT, "events[0].product_id");
    events[0].product_id = "P1";
    events[0].product = -1;
    CHECK_FAIL(vigil_rollup(&facts, NULL, events, 3, 0, "P1", "500103"), VIGIL_EINVALID_INPUT, "events[0].product");
}

/* A whole file, malloc'ed and NUL-terminated; NULL when it cannot be read. */
static char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = (char *)malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            buf[n] = '\0';
            *size = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

/* Instants used below (seconds since the epoch, UTC), each with its Beijing time. */
#define T_2026_09_30_1200 INT64_C(1790740800) /* 2026-09-30T12:00:00+08:00, a Wednesday */
#define T_2026_10_01_1200 INT64_C(1790827200) /* 2026-10-01T12:00:00+08:00, 国庆节 */
#define T_2026_10_08_0000 INT64_C(1791388800) /* 2026-10-08T00:00:00+08:00 */
#define T_2026_10_10_0900 INT64_C(1791594000) /* 2026-10-10T09:00:00+08:00, a Saturday made a working day */
#define T_2026_03_02_0900 INT64_C(1772413200) /* 2026-03-02T09:00:00+08:00 */
#define T_2100_01_01_0000 INT64_C(4102416000) /* 2100-01-01T00:00:00+08:00, beyond the calendar */

static void test_calendar(const char *root) {
    vigil_calendar *cal = NULL, *bad = NULL;
    char path[4096];
    int working = -1;
    int64_t day = 0;
    static const char csv[] = "date,kind,name,year,notice\n2026-10-01,holiday,国庆节,2026,notice\n";

    CHECK_OK(vigil_calendar_builtin(&cal));
    CHECK(cal != NULL);
    if (!cal) return;
    CHECK_OK(vigil_calendar_is_working_day(&working, cal, T_2026_10_01_1200));
    CHECK(working == 0);
    CHECK_OK(vigil_calendar_is_working_day(&working, cal, T_2026_10_10_0900));
    CHECK(working == 1);
    CHECK_OK(vigil_calendar_is_working_day(&working, cal, T_2026_09_30_1200));
    CHECK(working == 1);
    /* the first working day after Wednesday 30 September 2026 is Thursday 8 October */
    CHECK_OK(vigil_calendar_add_working_days(&day, cal, T_2026_09_30_1200, 1));
    CHECK(day == T_2026_10_08_0000);
    CHECK_FAIL(vigil_calendar_is_working_day(&working, cal, T_2100_01_01_0000), VIGIL_EOUT_OF_RANGE, "2100");
    CHECK_FAIL(vigil_calendar_add_working_days(&day, cal, T_2100_01_01_0000, 1), VIGIL_EOUT_OF_RANGE, "2100");
    CHECK_FAIL(vigil_calendar_is_working_day(&working, cal, -5), VIGIL_EOUT_OF_RANGE, "time");
    CHECK_FAIL(vigil_calendar_is_working_day(NULL, cal, T_2026_09_30_1200), VIGIL_EINVALID_INPUT, "out");
    CHECK_FAIL(vigil_calendar_is_working_day(&working, NULL, T_2026_09_30_1200), VIGIL_EINVALID_INPUT, "calendar");
    CHECK_FAIL(vigil_calendar_add_working_days(NULL, cal, 0, 1), VIGIL_EINVALID_INPUT, "out");
    CHECK_FAIL(vigil_calendar_add_working_days(&day, NULL, 0, 1), VIGIL_EINVALID_INPUT, "calendar");
    vigil_calendar_free(cal);
    cal = NULL;

    snprintf(path, sizeof path, "%s/data/calendar/cn.csv", root);
    CHECK_OK(vigil_calendar_load_file(&cal, path));
    vigil_calendar_free(cal);
    cal = NULL;
    CHECK_OK(vigil_calendar_load_buffer(&cal, csv, strlen(csv), "mini.csv"));
    vigil_calendar_free(cal);
    CHECK_FAIL(vigil_calendar_load_file(&bad, "no-such-calendar.csv"), VIGIL_EIO, "no-such-calendar.csv");
    CHECK(bad == NULL);
    CHECK_FAIL(vigil_calendar_load_buffer(&bad, "date,kind\nyesterday,holiday\n", 27, "bad.csv"), VIGIL_EPARSE,
               "bad.csv");
    CHECK(bad == NULL);
    CHECK_FAIL(vigil_calendar_load_buffer(&bad, NULL, 3, NULL), VIGIL_EINVALID_INPUT, "data");
    CHECK_FAIL(vigil_calendar_load_buffer(NULL, csv, 3, NULL), VIGIL_EINVALID_INPUT, "out");
    CHECK_FAIL(vigil_calendar_load_file(&bad, NULL), VIGIL_EINVALID_INPUT, "path");
    CHECK_FAIL(vigil_calendar_load_file(NULL, path), VIGIL_EINVALID_INPUT, "out");
    CHECK_FAIL(vigil_calendar_builtin(NULL), VIGIL_EINVALID_INPUT, "out");
    vigil_calendar_free(NULL);
}

static void test_deadlines(const char *root) {
    vigil_plan *plan = NULL;
    vigil_calendar *cal = NULL;
    char path[4096];
    char *timeline, *json = NULL;
    size_t size = 0;

    snprintf(path, sizeof path, "%s/examples/timeline-guiyang-escalation.json", root);
    timeline = read_file(path, &size);
    CHECK(timeline != NULL);
    if (!timeline) return;
    CHECK_OK(vigil_plan_builtin(&plan, "guiyang"));
    CHECK_OK(vigil_calendar_builtin(&cal));

    /* tests/data/obligations/cases.json: the grade IV clock restarts at III (guiyang A5 备注) */
    CHECK_OK(vigil_deadlines_json(&json, plan, NULL, timeline, size, T_2026_10_01_1200));
    CHECK(json != NULL && strstr(json, "\"id\":\"gy-A5-III-phone\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"due_local\":\"2026-10-01T03:20:00+08:00\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"superseded_by\":\"gy-A5-III-phone\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"incident\":\"GY-2026-0917\"") != NULL);
    vigil_string_free(json);
    json = NULL;
    CHECK_OK(vigil_deadlines_json(&json, plan, cal, timeline, size, VIGIL_TIME_NONE));
    CHECK(json != NULL && strstr(json, "\"id\":\"gy-A5-III-phone\"") != NULL);
    vigil_string_free(json);
    json = NULL;

    /* an incident's lifecycle log as it is, read through the plan's log_events: its opening's
     * occurred_at (09:05) starts guiyang A5's 事发后20分钟 phone report (tests/data/obligations/lifecycle_logs.json) */
    {
        char log_path[4096];
        char *log;
        size_t log_size = 0;
        snprintf(log_path, sizeof log_path, "%s/tests/data/obligations/lifecycle-guiyang.jsonl", root);
        log = read_file(log_path, &log_size);
        CHECK(log != NULL);
        if (log) {
            CHECK_OK(vigil_deadlines_json(&json, plan, cal, log, log_size, VIGIL_TIME_NONE));
            CHECK(json != NULL && strstr(json, "\"id\":\"gy-A5-IV-phone\"") != NULL);
            CHECK(json != NULL && strstr(json, "\"anchor\":\"occurred\"") != NULL);
            CHECK(json != NULL && strstr(json, "\"due_local\":\"2026-05-11T09:25:00+08:00\"") != NULL);
            CHECK(json != NULL && strstr(json, "\"incident\":\"GY-2026-007\"") != NULL);
            vigil_string_free(json);
            json = NULL;
            CHECK_OK(vigil_audit_json(&json, plan, cal, log, log_size, T_2026_10_01_1200));
            CHECK(json != NULL && strstr(json, "\"id\":\"gy-A5-IV-phone\"") != NULL);
            vigil_string_free(json);
            json = NULL;
            /* the log is verified before it is audited: a changed byte is refused, naming its record */
            {
                char *at = strstr(log, "GY-2026-007");
                CHECK(at != NULL);
                if (at) at[3] = '9';
                CHECK_FAIL(vigil_audit_json(&json, plan, cal, log, log_size, T_2026_10_01_1200), VIGIL_ETAMPERED, "record 1");
                CHECK(json == NULL);
                CHECK_FAIL(vigil_deadlines_json(&json, plan, cal, log, log_size, VIGIL_TIME_NONE), VIGIL_ETAMPERED, "record 1");
                CHECK(json == NULL);
            }
            free(log);
        }
    }

    /* a December 2026 incident: every hour-based duty answered; the 7-working-day summary runs into
     * days the 2027 notice may move: refused on its own row, or with a provisional calendar given
     * and marked (tests/data/obligations/cases.json) */
    {
        char dec_path[4096];
        char *dec;
        size_t dec_size = 0;
        vigil_plan *yz = NULL;
        vigil_calendar *prov = NULL;
        snprintf(dec_path, sizeof dec_path, "%s/examples/timeline-yuzhong-december.json", root);
        dec = read_file(dec_path, &dec_size);
        CHECK(dec != NULL);
        CHECK_OK(vigil_plan_builtin(&yz, "yuzhong"));
        if (dec && yz) {
            CHECK_OK(vigil_deadlines_json(&json, yz, cal, dec, dec_size, VIGIL_TIME_NONE));
            CHECK(json != NULL && strstr(json, "\"due_local\":\"2026-12-15T10:00:00+08:00\"") != NULL);
            CHECK(json != NULL && strstr(json, "\"due_local\":\"2026-12-15T13:40:00+08:00\"") != NULL);
            CHECK(json != NULL && strstr(json, "\"provisional\":false,\"calendar_unknown\":2027") != NULL);
            CHECK(json != NULL && strstr(json, "\"not_final\":1") != NULL);
            CHECK(json != NULL && strstr(json, "\"calendar\":{\"source\":\"<builtin:calendar/cn.csv>\",\"years\":[2019,2020,2021,2022,2023,2024,2025,2026],\"provisional\":false}") != NULL);
            vigil_string_free(json);
            json = NULL;
            CHECK_OK(vigil_calendar_provisional(&prov, cal));
            CHECK(prov != NULL);
            CHECK_OK(vigil_deadlines_json(&json, yz, prov, dec, dec_size, VIGIL_TIME_NONE));
            CHECK(json != NULL && strstr(json, "\"due_local\":\"2027-01-01T00:00:00+08:00\"") != NULL);
            CHECK(json != NULL && strstr(json, "\"provisional\":true,\"calendar_unknown\":null") != NULL);
            CHECK(json != NULL && strstr(json, "\"due_local\":\"2026-12-15T10:00:00+08:00\"") != NULL);
            CHECK(json != NULL && strstr(json, "\"provisional\":true}") != NULL); /* the calendar says so */
            vigil_string_free(json);
            json = NULL;
            vigil_calendar_free(prov);
            prov = NULL;
            CHECK_OK(vigil_audit_json(&json, yz, cal, dec, dec_size, T_2026_10_01_1200 + 86400 * 84));
            CHECK(json != NULL && strstr(json, "\"status\":\"calendar_unknown\"") != NULL);
            vigil_string_free(json);
            json = NULL;
        }
        CHECK_FAIL(vigil_calendar_provisional(NULL, cal), VIGIL_EINVALID_INPUT, "out");
        CHECK_FAIL(vigil_calendar_provisional(&prov, NULL), VIGIL_EINVALID_INPUT, "calendar");
        CHECK(prov == NULL);
        vigil_calendar_free(prov);
        vigil_plan_free(yz);
        free(dec);
    }

    CHECK_OK(vigil_audit_json(&json, plan, cal, timeline, size, T_2026_10_01_1200));
    CHECK(json != NULL && strstr(json, "\"status\":\"superseded\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"as_of\":1790827200") != NULL);
    vigil_string_free(json);
    json = NULL;

    /* error paths */
    CHECK_FAIL(vigil_audit_json(&json, plan, cal, timeline, size, VIGIL_TIME_NONE), VIGIL_EINVALID_INPUT, "as_of");
    CHECK(json == NULL);
    CHECK_FAIL(vigil_audit_json(&json, plan, cal, timeline, size, -1), VIGIL_EOUT_OF_RANGE, "as_of");
    CHECK_FAIL(vigil_deadlines_json(&json, plan, cal, "{\"events\": [", 12, VIGIL_TIME_NONE), VIGIL_EPARSE,
               "<timeline>");
    {
        static const char unknown_field[] = "{\"vigil_timeline\": 1, \"colour\": 1, \"events\": []}";
        CHECK_FAIL(vigil_deadlines_json(&json, plan, cal, unknown_field, strlen(unknown_field), VIGIL_TIME_NONE),
                   VIGIL_EINVALID_INPUT, "/colour");
    }
    CHECK_FAIL(vigil_deadlines_json(NULL, plan, cal, timeline, size, VIGIL_TIME_NONE), VIGIL_EINVALID_INPUT, "out_json");
    CHECK_FAIL(vigil_deadlines_json(&json, NULL, cal, timeline, size, VIGIL_TIME_NONE), VIGIL_EINVALID_INPUT, "plan");
    CHECK_FAIL(vigil_deadlines_json(&json, plan, cal, NULL, 10, VIGIL_TIME_NONE), VIGIL_EINVALID_INPUT, "timeline");
    CHECK_FAIL(vigil_audit_json(NULL, plan, cal, timeline, size, 0), VIGIL_EINVALID_INPUT, "out_json");
    CHECK_FAIL(vigil_audit_json(&json, NULL, cal, timeline, size, 0), VIGIL_EINVALID_INPUT, "plan");
    {
        /* a plan without obligations */
        static const char minimal[] =
            "{\"vigil_plan\":1,\"id\":\"minimal\",\"name\":{\"zh\":\"最小\"},\"issuer\":\"测试\",\"level\":\"county\","
            "\"scope\":{\"products\":[\"drug\"],\"clause\":\"m 1\"},\"source\":\"tests\",\"grading\":{\"criteria\":["
            "{\"clause\":\"m 2\",\"grade\":\"IV\",\"text\":\"t\",\"any\":[{\"rare_cases\":{\"ge\":10}}]}]}}";
        vigil_plan *m = NULL;
        CHECK_OK(vigil_plan_load_buffer(&m, minimal, strlen(minimal), "minimal.json"));
        if (m) {
            CHECK_FAIL(vigil_deadlines_json(&json, m, cal, timeline, size, VIGIL_TIME_NONE), VIGIL_EINVALID_INPUT,
                       "obligations");
            CHECK_FAIL(vigil_incident_replay_json(&json, m, "", 0), VIGIL_EINVALID_INPUT, "");
        }
        vigil_plan_free(m);
    }
    free(timeline);
    vigil_calendar_free(cal);
    vigil_plan_free(plan);
}

/* One event as JSON. */
static size_t event_json(char *buf, size_t size, const char *event, const char *time, const char *unit,
                         const char *role, const char *payload) {
    int n = snprintf(buf, size, "{\"event\":\"%s\",\"time\":\"%s\",\"actor\":{\"unit\":\"%s\",\"role\":\"%s\"},\"payload\":%s}",
                     event, time, unit, role, payload);
    return n > 0 ? (size_t)n : 0;
}

#define T_2026_05_11_0905 INT64_C(1778461500) /* 2026-05-11T09:05:00+08:00 */
#define T_2026_05_11_0930 INT64_C(1778463000) /* 2026-05-11T09:30:00+08:00 */

/* vigil_incident_create_v2: the occurrence time (事发) in the opening, read back as the state's
 * occurred_at and as the log's timeline; refused after the opening; every argument checked. */
static void test_lifecycle_occurrence(const char *scratch) {
    vigil_plan *plan = NULL;
    vigil_incident *inc = NULL;
    char path[4096], path2[4096];
    char *state = NULL, *json = NULL, *log = NULL;
    size_t log_size = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/capi-occurred.jsonl", scratch);
    snprintf(path2, sizeof path2, "%s/capi-occurred-none.jsonl", scratch);
    remove(path);
    remove(path2);
    CHECK_OK(vigil_plan_builtin(&plan, "guiyang"));
    if (!plan) return;

    /* refused: the occurrence one second after the opening (the log is opened on receipt) */
    CHECK_FAIL(vigil_incident_create_v2(&inc, plan, path, "GY-2026-C01", T_2026_05_11_0930, T_2026_05_11_0930 + 1,
                                        "市指挥部办公室", "主任"),
               VIGIL_EINVALID_INPUT, "after the log was opened");
    CHECK(strstr(vigil_last_error(), "/payload/occurred_at") != NULL);
    CHECK(inc == NULL);
    f = fopen(path, "rb");
    CHECK(f == NULL); /* nothing written */
    if (f) fclose(f);

    /* accepted: before the opening, and kept in the log and the state */
    CHECK_OK(vigil_incident_create_v2(&inc, plan, path, "GY-2026-C01", T_2026_05_11_0930, T_2026_05_11_0905,
                                      "市指挥部办公室", "主任"));
    CHECK(inc != NULL);
    if (inc) {
        CHECK_OK(vigil_incident_state_json(&state, inc));
        CHECK(state != NULL && strstr(state, "\"occurred_at\":\"2026-05-11T09:05:00+08:00\"") != NULL);
        vigil_string_free(state);
        state = NULL;
    }
    vigil_incident_free(inc);
    inc = NULL;
    log = read_file(path, &log_size);
    CHECK(log != NULL && strstr(log, "\"occurred_at\":\"2026-05-11T09:05:00+08:00\"") != NULL);
    if (log) {
        /* the log as it is is a timeline: its opening's occurred_at is the "occurred" event */
        CHECK_OK(vigil_deadlines_json(&json, plan, NULL, log, log_size, T_2026_05_11_0930));
        CHECK(json != NULL && strstr(json, "\"incident\":\"GY-2026-C01\"") != NULL);
        vigil_string_free(json);
        json = NULL;
        CHECK_OK(vigil_incident_replay_json(&state, plan, log, log_size));
        CHECK(state != NULL && strstr(state, "\"occurred_at\":\"2026-05-11T09:05:00+08:00\"") != NULL);
        vigil_string_free(state);
        state = NULL;
        free(log);
    }
    /* reopened: the same occurrence */
    CHECK_OK(vigil_incident_open(&inc, plan, path));
    if (inc) {
        CHECK_OK(vigil_incident_state_json(&state, inc));
        CHECK(state != NULL && strstr(state, "\"occurred_at\":\"2026-05-11T09:05:00+08:00\"") != NULL);
        vigil_string_free(state);
        state = NULL;
    }
    vigil_incident_free(inc);
    inc = NULL;

    /* at the opening itself is allowed; VIGIL_TIME_NONE: not known, no occurred_at (as vigil_incident_create) */
    CHECK_OK(vigil_incident_create_v2(&inc, plan, path2, "GY-2026-C02", T_2026_05_11_0930, VIGIL_TIME_NONE,
                                      "市指挥部办公室", NULL));
    if (inc) {
        CHECK_OK(vigil_incident_state_json(&state, inc));
        CHECK(state != NULL && strstr(state, "occurred_at") == NULL);
        vigil_string_free(state);
        state = NULL;
    }
    vigil_incident_free(inc);
    inc = NULL;
    remove(path2);
    CHECK_OK(vigil_incident_create_v2(&inc, plan, path2, "GY-2026-C03", T_2026_05_11_0930, T_2026_05_11_0930,
                                      "市指挥部办公室", NULL));
    CHECK(inc != NULL);
    vigil_incident_free(inc);
    inc = NULL;

    /* the file exists now: refused */
    CHECK_FAIL(vigil_incident_create_v2(&inc, plan, path, "GY-2026-C01", T_2026_05_11_0930, T_2026_05_11_0905,
                                        "市指挥部办公室", "主任"),
               VIGIL_EIO, "capi-occurred.jsonl");
    CHECK(inc == NULL);
    /* NULL and out-of-range arguments */
    remove(path2);
    CHECK_FAIL(vigil_incident_create_v2(NULL, plan, path2, "x", 0, 0, "u", NULL), VIGIL_EINVALID_INPUT, "out");
    CHECK_FAIL(vigil_incident_create_v2(&inc, NULL, path2, "x", 0, 0, "u", NULL), VIGIL_EINVALID_INPUT, "plan");
    CHECK_FAIL(vigil_incident_create_v2(&inc, plan, NULL, "x", 0, 0, "u", NULL), VIGIL_EINVALID_INPUT, "path");
    CHECK_FAIL(vigil_incident_create_v2(&inc, plan, path2, NULL, 0, 0, "u", NULL), VIGIL_EINVALID_INPUT, "incident_id");
    CHECK_FAIL(vigil_incident_create_v2(&inc, plan, path2, "x", 0, 0, NULL, NULL), VIGIL_EINVALID_INPUT, "actor_unit");
    CHECK_FAIL(vigil_incident_create_v2(&inc, plan, path2, "x", -1, 0, "u", NULL), VIGIL_EOUT_OF_RANGE, "`time`");
    CHECK_FAIL(vigil_incident_create_v2(&inc, plan, path2, "x", T_2026_05_11_0930, -1, "u", NULL), VIGIL_EOUT_OF_RANGE,
               "`occurred_at`");
    CHECK_FAIL(vigil_incident_create_v2(&inc, plan, path2, "x", T_2026_05_11_0930, VIGIL_TIME_NONE + 1, "u", NULL),
               VIGIL_EOUT_OF_RANGE, "`occurred_at`");
    CHECK(inc == NULL);
    f = fopen(path2, "rb");
    CHECK(f == NULL);
    if (f) fclose(f);
    CHECK(strcmp(vigil_last_error(), "") != 0);
    vigil_plan_free(plan);
}

static void test_lifecycle(const char *scratch) {
    vigil_plan *plan = NULL, *other = NULL;
    vigil_incident *inc = NULL, *again = NULL;
    char path[4096], ev[1024];
    char *state = NULL, *state2 = NULL, *json = NULL, *id = NULL, *log = NULL;
    size_t n, log_size = 0;

    snprintf(path, sizeof path, "%s/capi-incident.jsonl", scratch);
    remove(path);
    CHECK_OK(vigil_plan_builtin(&plan, "yuzhong"));
    CHECK_OK(vigil_plan_builtin(&other, "guiyang"));
    if (plan && other)
        CHECK_OK(vigil_incident_create(&inc, plan, path, "YZ-2026-C01", T_2026_03_02_0900, "区市场监管局", "局长"));
    CHECK(inc != NULL);
    if (!inc) {
        vigil_plan_free(plan);
        vigil_plan_free(other);
        return;
    }
    /* the same file again is refused */
    CHECK_FAIL(vigil_incident_create(&again, plan, path, "YZ-2026-C01", T_2026_03_02_0900, "区市场监管局", NULL),
               VIGIL_EIO, "capi-incident.jsonl");
    CHECK(again == NULL);

    n = event_json(ev, sizeof ev, "issue_warning", "2026-03-02T09:05:00+08:00", "区市场监管局", "局长",
                   "{\"colour\": \"yellow\"}");
    CHECK_OK(vigil_incident_apply(&state, inc, ev, n));
    CHECK(state != NULL && strstr(state, "\"warning\":\"yellow\"") != NULL);
    vigil_string_free(state);
    state = NULL;
    n = event_json(ev, sizeof ev, "report", "2026-03-02T09:10:00+08:00", "区市场监管局", "局长",
                   "{\"report_ref\": \"渝中市监〔2026〕1号\"}");
    CHECK_OK(vigil_incident_apply(NULL, inc, ev, n));
    n = event_json(ev, sizeof ev, "assess", "2026-03-02T09:20:00+08:00", "区市场监管局", "局长", "{\"grade\": \"III\"}");
    CHECK_OK(vigil_incident_apply(&state, inc, ev, n));
    CHECK(state != NULL && strstr(state, "\"grade\":\"III\"") != NULL);
    vigil_string_free(state);
    state = NULL;

    /* refused: a level-1 response is the city HQ's to start, not the district bureau's */
    n = event_json(ev, sizeof ev, "start_response", "2026-03-02T09:30:00+08:00", "区市场监管局", "局长",
                   "{\"level\": 1}");
    CHECK_FAIL(vigil_incident_apply(&state, inc, ev, n), VIGIL_EREFUSED, "start_response");
    CHECK(state == NULL);
    /* malformed events */
    CHECK_FAIL(vigil_incident_apply(NULL, inc, "{\"event\": ", 10), VIGIL_EPARSE, "<event>");
    n = event_json(ev, sizeof ev, "report", "yesterday", "区市场监管局", "局长", "{}");
    CHECK_FAIL(vigil_incident_apply(NULL, inc, ev, n), VIGIL_EINVALID_INPUT, "yesterday");
    CHECK_FAIL(vigil_incident_apply(NULL, NULL, ev, n), VIGIL_EINVALID_INPUT, "incident");
    CHECK_FAIL(vigil_incident_apply(NULL, inc, NULL, 5), VIGIL_EINVALID_INPUT, "event");

    CHECK_OK(vigil_incident_state_json(&state, inc));
    CHECK(state != NULL && strstr(state, "\"state\":\"assessed\"") != NULL);

    /* reopened, and replayed from the text: the same state */
    CHECK_OK(vigil_incident_open(&again, plan, path));
    CHECK_OK(vigil_incident_state_json(&state2, again));
    CHECK(state != NULL && state2 != NULL && strcmp(state, state2) == 0);
    vigil_string_free(state2);
    state2 = NULL;
    log = read_file(path, &log_size);
    CHECK(log != NULL);
    if (log) {
        CHECK_OK(vigil_incident_replay_json(&state2, plan, log, log_size));
        CHECK(state != NULL && state2 != NULL && strcmp(state, state2) == 0);
        vigil_string_free(state2);
        state2 = NULL;
        /* a changed byte breaks the chain */
        {
            char *p = strstr(log, "渝中市监");
            if (p) p[0] = 'X';
            CHECK(p != NULL);
            CHECK_FAIL(vigil_incident_replay_json(&state2, plan, log, log_size), VIGIL_ETAMPERED, "");
            CHECK(state2 == NULL);
        }
        free(log);
    }
    CHECK_OK(vigil_incident_plan_id(&id, path));
    CHECK(id != NULL && strcmp(id, "yuzhong") == 0);
    vigil_string_free(id);
    id = NULL;

    /* error paths */
    vigil_incident_free(again);
    again = NULL;
    CHECK_FAIL(vigil_incident_open(&again, other, path), VIGIL_EINVALID_INPUT, "yuzhong");
    CHECK(again == NULL);
    CHECK_FAIL(vigil_incident_open(&again, plan, "no-such-log.jsonl"), VIGIL_EIO, "no-such-log.jsonl");
    CHECK_FAIL(vigil_incident_open(NULL, plan, path), VIGIL_EINVALID_INPUT, "out");
    CHECK_FAIL(vigil_incident_open(&again, NULL, path), VIGIL_EINVALID_INPUT, "plan");
    CHECK_FAIL(vigil_incident_open(&again, plan, NULL), VIGIL_EINVALID_INPUT, "path");
    CHECK_FAIL(vigil_incident_create(NULL, plan, path, "x", 0, "u", NULL), VIGIL_EINVALID_INPUT, "out");
    CHECK_FAIL(vigil_incident_create(&again, NULL, path, "x", 0, "u", NULL), VIGIL_EINVALID_INPUT, "plan");
    CHECK_FAIL(vigil_incident_create(&again, plan, NULL, "x", 0, "u", NULL), VIGIL_EINVALID_INPUT, "path");
    CHECK_FAIL(vigil_incident_create(&again, plan, path, NULL, 0, "u", NULL), VIGIL_EINVALID_INPUT, "incident_id");
    CHECK_FAIL(vigil_incident_create(&again, plan, path, "x", 0, NULL, NULL), VIGIL_EINVALID_INPUT, "actor_unit");
    CHECK_FAIL(vigil_incident_create(&again, plan, path, "x", -1, "u", NULL), VIGIL_EOUT_OF_RANGE, "time");
    CHECK_FAIL(vigil_incident_plan_id(&id, "no-such-log.jsonl"), VIGIL_EIO, "no-such-log.jsonl");
    CHECK(id == NULL);
    CHECK_FAIL(vigil_incident_plan_id(NULL, path), VIGIL_EINVALID_INPUT, "out_plan_id");
    CHECK_FAIL(vigil_incident_plan_id(&id, NULL), VIGIL_EINVALID_INPUT, "path");
    CHECK_FAIL(vigil_incident_state_json(NULL, inc), VIGIL_EINVALID_INPUT, "out_json");
    CHECK_FAIL(vigil_incident_state_json(&json, NULL), VIGIL_EINVALID_INPUT, "incident");
    CHECK_FAIL(vigil_incident_replay_json(NULL, plan, "", 0), VIGIL_EINVALID_INPUT, "out_json");
    CHECK_FAIL(vigil_incident_replay_json(&json, NULL, "", 0), VIGIL_EINVALID_INPUT, "plan");
    CHECK_FAIL(vigil_incident_replay_json(&json, plan, NULL, 3), VIGIL_EINVALID_INPUT, "log_text");
    CHECK(json == NULL);

    vigil_string_free(state);
    vigil_incident_free(inc);
    vigil_incident_free(NULL);
    vigil_plan_free(plan);
    vigil_plan_free(other);
    remove(path);
}

/* One plan shared by several threads; each thread has its own last error. */
struct thread_job {
    const vigil_plan *plan;
    int id;
    int ok;
};

static void *thread_main(void *arg) {
    struct thread_job *job = (struct thread_job *)arg;
    vigil_plan *none = NULL;
    vigil_facts facts;
    vigil_assessment a;
    char name[32];
    int round;
    job->ok = 1;
    snprintf(name, sizeof name, "missing-%d", job->id);
    for (round = 0; round < 200; ++round) {
        memset(&facts, 0, sizeof facts);
        facts.rare_cases = (uint32_t)(round % 60);
        if (vigil_classify(&a, NULL, job->plan, &facts) != VIGIL_OK) job->ok = 0;
        if (vigil_plan_builtin(&none, name) != VIGIL_EUNKNOWN_NAME) job->ok = 0;
        /* this thread's message, not another's */
        if (strstr(vigil_last_error(), name) == NULL) job->ok = 0;
    }
    return NULL;
}

static void test_threads(void) {
    enum { T = 4 };
    pthread_t threads[T];
    struct thread_job jobs[T];
    vigil_plan *plan = NULL;
    int i;
    CHECK_OK(vigil_plan_builtin(&plan, "guiyang"));
    if (!plan) return;
    for (i = 0; i < T; ++i) {
        jobs[i].plan = plan;
        jobs[i].id = i;
        jobs[i].ok = 0;
        CHECK(pthread_create(&threads[i], NULL, thread_main, &jobs[i]) == 0);
    }
    for (i = 0; i < T; ++i) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(jobs[i].ok == 1);
    }
    /* the main thread's last error is its own: the last call here succeeded */
    CHECK(vigil_last_status() == VIGIL_OK);
    vigil_plan_free(plan);
}

/* Facts the plan declares (tests/data/plans/declared.json: counts, a sum, a boolean, a grade fact,
 * a spread fact; products vaccine and cosmetic, cosmetic in scope), and the built-in plans' facts in
 * the order of enum vigil_fact. */
static void test_declared_facts(const char *root) {
    char path[4096];
    vigil_plan *plan = NULL, *y = NULL;
    size_t i = 99, k;
    vigil_assessment a;
    char *json = NULL;
    snprintf(path, sizeof path, "%s/tests/data/plans/declared.json", root);
    CHECK_OK(vigil_plan_load_file(&plan, path));
    if (!plan) return;
    CHECK(vigil_plan_fact_count(plan) == 7);
    CHECK(vigil_plan_fact_count(NULL) == 0);
    CHECK(strcmp(vigil_plan_fact_name(plan, 3), "deaths_and_critical") == 0);
    CHECK(vigil_plan_fact_name(plan, 7) == NULL);
    CHECK(vigil_plan_fact_name(NULL, 0) == NULL);
    CHECK(strcmp(vigil_plan_fact_label(plan, 3, "zh"), "死亡和危重病例合计") == 0);
    CHECK(strcmp(vigil_plan_fact_label(plan, 3, "en"), "deaths and critical cases") == 0);
    CHECK(vigil_plan_fact_label(plan, 3, "fr") == NULL);
    CHECK(vigil_plan_fact_kind(plan, 0) == VIGIL_FACT_KIND_COUNT);
    CHECK(vigil_plan_fact_kind(plan, 3) == VIGIL_FACT_KIND_SUM);
    CHECK(vigil_plan_fact_kind(plan, 4) == VIGIL_FACT_KIND_BOOLEAN);
    CHECK(vigil_plan_fact_kind(plan, 5) == VIGIL_FACT_KIND_GRADE);
    CHECK(vigil_plan_fact_kind(plan, 7) == -1);
    CHECK_OK(vigil_plan_fact_index(&i, plan, "critical_cases"));
    CHECK(i == 2);
    CHECK_OK(vigil_plan_fact_index(&i, plan, "伤亡人数"));
    CHECK(i == 0);
    CHECK_FAIL(vigil_plan_fact_index(&i, plan, "rare_cases"), VIGIL_EUNKNOWN_NAME, "its facts: casualties, deaths");
    CHECK_FAIL(vigil_plan_fact_index(NULL, plan, "deaths"), VIGIL_EINVALID_INPUT, "out");
    CHECK_FAIL(vigil_plan_fact_index(&i, NULL, "deaths"), VIGIL_EINVALID_INPUT, "plan");
    CHECK(vigil_plan_product_count(plan) == 2);
    CHECK(strcmp(vigil_plan_product_id(plan, 1), "cosmetic") == 0);
    CHECK(vigil_plan_product_id(plan, 2) == NULL);
    CHECK(vigil_plan_covers(plan, 1) == 1);
    CHECK(vigil_plan_covers(plan, 0) == 0);
    CHECK(vigil_plan_match_words(plan) == 1);
    {
        /* one cluster: deaths 2 + critical 4 = 6 (grade II by the sum), and on the other side 5 */
        uint32_t v[3] = {0, 2, 4};
        CHECK_OK(vigil_classify_values(&a, &json, plan, v, 3, 1));
        CHECK(a.grade == VIGIL_GRADE_II);
        CHECK(json && strstr(json, "死亡和危重病例合计 = 6: deaths 2 + critical_cases 4") != NULL);
        vigil_string_free(json);
        json = NULL;
        v[2] = 3;
        CHECK_OK(vigil_classify_values(&a, NULL, plan, v, 3, 1));
        CHECK(a.grade == VIGIL_GRADE_NONE); /* sum 5 without a cluster */
        CHECK_OK(vigil_classify_values(&a, NULL, plan, v, 3, 0));
        CHECK(a.in_scope == 0);
        CHECK_FAIL(vigil_classify_values(&a, NULL, plan, v, 3, 2), VIGIL_EINVALID_INPUT, "expected 0 to 1 (vaccine, cosmetic)");
        CHECK_FAIL(vigil_classify_values(&a, NULL, plan, v, 8, 1), VIGIL_EINVALID_INPUT, "declares 7 facts");
    }
    {
        /* columns in the plan's order agree with one cluster at a time */
        uint32_t cas[4] = {10, 30, 0, 0}, deaths[4] = {0, 0, 2, 1}, crit[4] = {0, 0, 4, 4}, cluster[4] = {0, 0, 0, 9};
        const uint32_t *cols[5] = {cas, deaths, crit, NULL, cluster};
        uint8_t prod[4] = {1, 1, 1, 1}, g[4];
        uint64_t m[4];
        CHECK_OK(vigil_classify_columns(g, m, NULL, NULL, plan, 4, cols, 5, prod));
        CHECK(g[0] == VIGIL_GRADE_IV && g[1] == VIGIL_GRADE_III && g[2] == VIGIL_GRADE_II && g[3] == VIGIL_GRADE_III);
        for (k = 0; k < 4; ++k) {
            uint32_t v[5];
            v[0] = cas[k];
            v[1] = deaths[k];
            v[2] = crit[k];
            v[3] = 0;
            v[4] = cluster[k];
            CHECK_OK(vigil_classify_values(&a, NULL, plan, v, 5, 1));
            CHECK(a.grade == g[k]);
            CHECK(a.matched == m[k]);
        }
        prod[2] = 5;
        CHECK_FAIL(vigil_classify_columns(g, m, NULL, NULL, plan, 4, cols, 5, prod), VIGIL_EINVALID_INPUT,
                   "product[2] = 5; expected 0 (vaccine) or 1 (cosmetic)");
        CHECK_FAIL(vigil_classify_columns(g, m, NULL, NULL, plan, 4, cols, 8, prod), VIGIL_EINVALID_INPUT, "declares 7 facts");
        CHECK_FAIL(vigil_classify_columns(g, m, NULL, NULL, NULL, 4, cols, 5, prod), VIGIL_EINVALID_INPUT, "plan");
    }
    {
        /* the plan's own spread fact (cities_with_III: prefectures of the province with a grade >= III
         * event of the same product), rolled up by the plan's products */
        vigil_local_event ev[6];
        uint32_t v[7] = {9, 9, 9, 9, 9, 9, 9};
        memset(ev, 0, sizeof ev);
        ev[0].product = 1, ev[0].product_id = "P1", ev[0].area = "120101", ev[0].grade = VIGIL_GRADE_III;
        ev[1].product = 1, ev[1].product_id = "P1", ev[1].area = "120201", ev[1].grade = VIGIL_GRADE_II;
        ev[2].product = 1, ev[2].product_id = "P1", ev[2].area = "130101", ev[2].grade = VIGIL_GRADE_III; /* another province */
        ev[3].product = 1, ev[3].product_id = "P1", ev[3].area = "120302", ev[3].grade = VIGIL_GRADE_IV;  /* below III */
        ev[4].product = 1, ev[4].product_id = "P2", ev[4].area = "120401", ev[4].grade = VIGIL_GRADE_I;   /* another product */
        ev[5].product = 0, ev[5].product_id = "P1", ev[5].area = "120501", ev[5].grade = VIGIL_GRADE_I;   /* a vaccine */
        CHECK_OK(vigil_rollup_values(v, 7, &json, plan, ev, 6, 1, "P1", "120101"));
        CHECK(v[6] == 2 && v[0] == 0 && v[1] == 0 && v[4] == 0 && v[5] == 0);
        CHECK(json != NULL && strstr(json, "\"plan\":\"declared\"") != NULL);
        CHECK(json != NULL && strstr(json, "\"cities_with_III\":2") != NULL && strstr(json, "\"product\":\"cosmetic\"") != NULL);
        CHECK(json != NULL && strstr(json, "\"may_reach\":\"none\"") != NULL && strstr(json, "\"cluster\":false") != NULL);
        CHECK(json != NULL && strstr(json, "\"areas\":[\"120100\",\"120200\"]") != NULL);
        CHECK(json != NULL && strstr(json, "deaths_and_critical") == NULL); /* a sum is not rolled up */
        vigil_string_free(json);
        json = NULL;
        /* the rolled-up values grade as the plan's facts (cities_with_III >= 2 is a criterion of declared.json or not: the same as by hand) */
        {
            vigil_assessment by_rollup, by_hand;
            uint32_t hand[7] = {0, 0, 0, 0, 0, 0, 2};
            CHECK_OK(vigil_classify_values(&by_rollup, NULL, plan, v, 7, 1));
            CHECK_OK(vigil_classify_values(&by_hand, NULL, plan, hand, 7, 1));
            CHECK(by_rollup.grade == by_hand.grade && by_rollup.matched == by_hand.matched);
        }
        CHECK_OK(vigil_rollup_values(v, 7, NULL, plan, ev, 6, 0, "P1", "120101"));
        CHECK(v[6] == 1); /* the vaccine's own province: 1205 only */
        CHECK_OK(vigil_rollup_values(NULL, 0, NULL, plan, ev, 6, 1, "P1", "120101"));
        CHECK_OK(vigil_rollup_values(v, 3, NULL, plan, ev, 6, 1, "P1", "120101")); /* fewer values: those only */
        CHECK(v[0] == 0 && v[6] == 1);
        CHECK_FAIL(vigil_rollup_values(v, 8, NULL, plan, ev, 6, 1, "P1", "120101"), VIGIL_EINVALID_INPUT, "declares 7 facts");
        CHECK(v[6] == 1); /* refused before anything is written */
        CHECK_FAIL(vigil_rollup_values(NULL, 7, NULL, plan, ev, 6, 1, "P1", "120101"), VIGIL_EINVALID_INPUT, "values_out");
        CHECK_FAIL(vigil_rollup_values(v, 7, &json, NULL, ev, 6, 1, "P1", "120101"), VIGIL_EINVALID_INPUT, "plan");
        CHECK(json == NULL);
        CHECK_FAIL(vigil_rollup_values(v, 7, NULL, plan, ev, 6, 2, "P1", "120101"), VIGIL_EINVALID_INPUT,
                   "product = 2; expected 0 to 1 (vaccine, cosmetic)");
        CHECK_FAIL(vigil_rollup_values(v, 7, NULL, plan, NULL, 6, 1, "P1", "120101"), VIGIL_EINVALID_INPUT, "events");
        CHECK_FAIL(vigil_rollup_values(v, 7, NULL, plan, ev, 6, 1, NULL, "120101"), VIGIL_EINVALID_INPUT, "product_id");
        CHECK_FAIL(vigil_rollup_values(v, 7, NULL, plan, ev, 6, 1, "P1", "12x101"), VIGIL_EINVALID_INPUT, "target_area");
        ev[3].product = 2;
        CHECK_FAIL(vigil_rollup_values(v, 7, NULL, plan, ev, 6, 1, "P1", "120101"), VIGIL_EINVALID_INPUT,
                   "events[3].product = 2; expected 0 to 1 (vaccine, cosmetic)");
        ev[3].product = 1;
        ev[3].grade = 7;
        CHECK_FAIL(vigil_rollup_values(v, 7, NULL, plan, ev, 6, 1, "P1", "120101"), VIGIL_EINVALID_INPUT, "events[3].grade");
    }
    vigil_plan_free(plan);

    /* the built-in plans declare the facts of enum vigil_fact first, in its order; the batch by the
     * plan's order and the batch by enum vigil_fact agree, warnings and responses included */
    CHECK_OK(vigil_plan_builtin(&y, "guiyang"));
    if (!y) return;
    for (k = 0; k < VIGIL_FACT_COUNT; ++k) CHECK(strcmp(vigil_plan_fact_name(y, k), vigil_fact_string((int32_t)k)) == 0);
    CHECK_OK(vigil_plan_fact_index(&i, y, "possible_grade"));
    CHECK(vigil_plan_fact_kind(y, i) == VIGIL_FACT_KIND_GRADE);
    {
        uint32_t rare[3] = {6, 3, 0}, severe[3] = {0, 0, 2}, pg[3] = {0, 1, 0};
        const uint32_t *legacy[VIGIL_FACT_COUNT] = {rare, severe};
        const uint32_t *cols[16] = {rare, severe};
        const uint8_t pg8[3] = {0, 1, 0};
        const uint8_t *mods[1] = {pg8};
        uint8_t g1[3], g2[3], w1[3], w2[3], r1[3], r2[3];
        uint64_t m1[3], m2[3];
        cols[i] = pg;
        CHECK_OK(vigil_classify_batch_ex(g1, m1, w1, r1, y, 3, legacy, 2, NULL, mods, 1));
        CHECK_OK(vigil_classify_columns(g2, m2, w2, r2, y, 3, cols, vigil_plan_fact_count(y), NULL));
        for (k = 0; k < 3; ++k) CHECK(g1[k] == g2[k] && m1[k] == m2[k] && w1[k] == w2[k] && r1[k] == r2[k]);
        CHECK(w2[0] != VIGIL_WARNING_NONE);
        pg[1] = 5;
        CHECK_FAIL(vigil_classify_columns(g2, m2, w2, r2, y, 3, cols, vigil_plan_fact_count(y), NULL), VIGIL_EINVALID_INPUT,
                   "possible_grade[1] = 5; expected 0 (none) to 4 (I)");
    }
    vigil_plan_free(y);
}

/* Case reports to clusters: a detector fed in batches, alerts and clusters out, every error path. */
static void test_detector(void) {
    vigil_plan *plan = NULL, *minimal = NULL;
    vigil_detector *det = NULL;
    vigil_detector_counts counts;
    vigil_case_report r[4];
    char *alerts = NULL, *clusters = NULL;
    size_t n = 99, i;
    const int64_t day = 86400, sept1 = 1788220800; /* 2026-09-01T00:00:00Z */
    static const char *ids[4] = {"R1", "R2", "R3", "R1"};
    static const char *patients[4] = {"P1", "P2", "P3", "P1"};
    static const char minimal_plan[] =
        "{\"vigil_plan\":1,\"id\":\"minimal\",\"name\":{\"zh\":\"最小预案\",\"en\":\"A minimal plan\"},"
        "\"issuer\":\"测试\",\"level\":\"county\",\"scope\":{\"products\":[\"drug\"],\"clause\":\"minimal 1\"},"
        "\"source\":\"tests\",\"grading\":{\"criteria\":[{\"clause\":\"minimal 2(1)\",\"grade\":\"IV\","
        "\"text\":\"不良反应10人（含）以上\",\"any\":[{\"rare_cases\":{\"ge\":10}}]}]}}";

    CHECK_OK(vigil_plan_builtin(&plan, "guiyang"));
    memset(r, 0, sizeof r);
    for (i = 0; i < 4; ++i) {
        r[i].report_id = ids[i];
        r[i].patient_id = patients[i];
        r[i].product_kind = VIGIL_PRODUCT_DRUG;
        r[i].product_id = "H1";
        r[i].product_name = "头孢";
        r[i].batch = "B1";
        r[i].onset_time = sept1 + (int64_t)i * day;
        r[i].received_time = sept1 + (int64_t)i * day + 2 * day;
        r[i].area_code = "520102";
        r[i].flags = 1u << VIGIL_REPORT_RARE;
    }

    /* NULL-safe, and arguments checked */
    vigil_detector_free(NULL);
    CHECK_FAIL(vigil_detector_create(NULL, plan, 90, 0), VIGIL_EINVALID_INPUT, "out");
    det = (vigil_detector *)&n;
    CHECK_FAIL(vigil_detector_create(&det, NULL, 90, 0), VIGIL_EINVALID_INPUT, "plan");
    CHECK(det == NULL);
    CHECK_FAIL(vigil_detector_create(&det, plan, 3651, 0), VIGIL_EINVALID_INPUT, "max_delay_days");
    CHECK_FAIL(vigil_detector_create(&det, plan, -2, 0), VIGIL_EINVALID_INPUT, "max_delay_days");
    CHECK_FAIL(vigil_detector_create(&det, plan, 90, 16), VIGIL_EINVALID_INPUT, "level_mask");
    CHECK_OK(vigil_plan_load_buffer(&minimal, minimal_plan, sizeof minimal_plan - 1, "minimal"));
    CHECK_FAIL(vigil_detector_create(&det, minimal, 90, 0), VIGIL_EINVALID_PLAN, "has no \"detection\" section");
    CHECK(det == NULL);
    vigil_plan_free(minimal);
    CHECK_FAIL(vigil_detector_feed(&alerts, &n, NULL, r, 1), VIGIL_EINVALID_INPUT, "detector");
    CHECK(alerts == NULL && n == 0);
    CHECK_FAIL(vigil_detector_clusters_json(&clusters, NULL, 0), VIGIL_EINVALID_INPUT, "detector");
    CHECK_FAIL(vigil_detector_stats(&counts, NULL), VIGIL_EINVALID_INPUT, "detector");

    CHECK_OK(vigil_detector_create(&det, plan, 90, 1u << VIGIL_LEVEL_COUNTY));
    if (!det) {
        vigil_plan_free(plan);
        return;
    }
    /* the plan is kept alive by the detector */
    vigil_plan_free(plan);
    CHECK_FAIL(vigil_detector_feed(&alerts, &n, det, NULL, 2), VIGIL_EINVALID_INPUT, "reports");
    CHECK_OK(vigil_detector_feed(&alerts, &n, det, NULL, 0));
    CHECK(alerts != NULL && strcmp(alerts, "") == 0 && n == 0);
    vigil_string_free(alerts);
    alerts = NULL;

    /* a bad report refuses the whole batch, naming its index and field; nothing of it is fed */
    r[1].area_code = "5201";
    CHECK_FAIL(vigil_detector_feed(&alerts, &n, det, r, 3), VIGIL_EINVALID_INPUT, "reports[1].area_code");
    r[1].area_code = "520102";
    r[2].batch = "";
    CHECK_FAIL(vigil_detector_feed(&alerts, &n, det, r, 3), VIGIL_EINVALID_INPUT, "reports[2].batch: empty");
    r[2].batch = NULL;
    CHECK_FAIL(vigil_detector_feed(&alerts, &n, det, r, 3), VIGIL_EINVALID_INPUT, "reports[2].batch: NULL");
    r[2].batch = "B1";
    r[0].received_time = r[0].onset_time - 1;
    CHECK_FAIL(vigil_detector_feed(&alerts, &n, det, r, 3), VIGIL_EINVALID_INPUT, "reports[0].received_time: received before the onset");
    r[0].received_time = r[0].onset_time + 2 * day;
    r[0].onset_time = -5;
    CHECK_FAIL(vigil_detector_feed(&alerts, &n, det, r, 3), VIGIL_EINVALID_INPUT, "reports[0].onset_time");
    r[0].onset_time = sept1;
    r[2].product_kind = 7;
    CHECK_FAIL(vigil_detector_feed(&alerts, &n, det, r, 3), VIGIL_EINVALID_INPUT, "reports[2].product_kind: 7");
    r[2].product_kind = VIGIL_PRODUCT_DRUG;
    r[2].flags = 1u << 8;
    CHECK_FAIL(vigil_detector_feed(&alerts, &n, det, r, 3), VIGIL_EINVALID_INPUT, "reports[2].flags");
    r[2].flags = 1u << VIGIL_REPORT_RARE;
    CHECK_OK(vigil_detector_stats(&counts, det));
    CHECK(counts.taken == 0 && counts.kept == 0 && counts.alerts == 0);

    /* two rare cases: no alert; the third: guiyang's yellow warning, at the county (the mask) */
    CHECK_OK(vigil_detector_feed(&alerts, &n, det, r, 2));
    CHECK(alerts != NULL && strcmp(alerts, "") == 0 && n == 0);
    vigil_string_free(alerts);
    CHECK_OK(vigil_detector_feed(&alerts, &n, det, r + 2, 2)); /* R3, and R1 again (a duplicate) */
    CHECK(n == 1);
    CHECK(alerts != NULL && strncmp(alerts, "{\"alert\":\"warning yellow\",\"trigger\":\"R3\",\"late\":false,", 54) == 0);
    CHECK(alerts != NULL && strstr(alerts, "\"area_code\":\"520102\",\"area_level\":\"county\"") != NULL);
    CHECK(alerts != NULL && strstr(alerts, "\"report_ids\":[\"R1\",\"R2\",\"R3\"]}\n") != NULL);
    vigil_string_free(alerts);
    CHECK_OK(vigil_detector_feed(NULL, NULL, det, r, 0));
    CHECK_OK(vigil_detector_stats(&counts, det));
    CHECK(counts.taken == 3 && counts.duplicates == 1 && counts.too_late == 0 && counts.alerts == 1 && counts.kept == 3);

    /* the clusters held: one, at the county (the mask); with all, the same here */
    CHECK_FAIL(vigil_detector_clusters_json(NULL, det, 0), VIGIL_EINVALID_INPUT, "out_jsonl");
    CHECK_OK(vigil_detector_clusters_json(&clusters, det, 0));
    CHECK(clusters != NULL && strncmp(clusters, "{\"plan\":\"guiyang\",\"plan_version\":", 32) == 0);
    CHECK(clusters != NULL && strstr(clusters, "\",\"product_kind\":\"drug\",\"product_id\":\"H1\",") != NULL);
    CHECK(clusters != NULL && strstr(clusters, "\"warning\":\"yellow\"") != NULL && strstr(clusters, "\"rare_cases\":3") != NULL);
    CHECK(clusters != NULL && strchr(clusters, '\n') == clusters + strlen(clusters) - 1);
    vigil_string_free(clusters);
    vigil_detector_free(det);
}

int main(int argc, char **argv) {
    char plans[4096];
    if (argc != 3) {
        fprintf(stderr, "usage: test_capi ROOT SCRATCH\n");
        return 2;
    }
    snprintf(plans, sizeof plans, "%s/data/plans", argv[1]);
    test_versions();
    test_status_and_names();
    test_last_error_copy();
    test_plans(plans);
    test_classify();
    test_batch();
    test_rollup();
    test_declared_facts(argv[1]);
    test_calendar(argv[1]);
    test_deadlines(argv[1]);
    test_lifecycle(argv[2]);
    test_lifecycle_occurrence(argv[2]);
    test_detector();
    test_threads();
    printf("test_capi: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
