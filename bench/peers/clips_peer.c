/* CLIPS 6.30 through its C API (libclips.a): rules from plan_rules.js (rules.clp), facts built with
   EnvCreateFact/EnvPutFactSlot (no parsing), asserted in batches of BATCH, then (run), then (reset).
   Usage: clips_peer DATA.csv RULES.clp OUT.grades [ROWS]. Prints one JSON line. */
#include <clips/clips.h>

#include <time.h>

#include "csv_columns.h"

static uint8_t* grades;

/* (grade ?id N): keep the highest grade of row ?id */
static void grade_fn(void* env) {
    long long id = EnvRtnLong(env, 1);
    long long g = EnvRtnLong(env, 2);
    if (g > grades[id]) grades[id] = (uint8_t)g;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char** argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: clips_peer DATA.csv RULES.clp OUT.grades [ROWS]\n");
        return 2;
    }
    size_t limit = argc > 4 ? strtoull(argv[4], NULL, 10) : 0;
    bench_columns c = bench_read_csv(argv[1], limit);
    grades = (uint8_t*)calloc(c.n ? c.n : 1, 1);

    void* env = CreateEnvironment();
    EnvDefineFunction2(env, "grade", 'v', PTIEF grade_fn, "grade_fn", "22i");
    if (!EnvLoad(env, argv[2])) {
        fprintf(stderr, "clips_peer: cannot load %s\n", argv[2]);
        return 1;
    }
    EnvReset(env);
    void* tmpl = EnvFindDeftemplate(env, "cluster");
    static const char* const names[BENCH_FACTS] = {"rare_cases", "severe_cases", "deaths", "similar_cases_nearby",
                                                   "provinces_with_II", "prefectures_with_III", "counties_with_III",
                                                   "counties_with_IV", "streets_with_IV"};
    void* drug = EnvAddSymbol(env, "drug");
    void* device = EnvAddSymbol(env, "device");
    IncrementSymbolCount(drug);  /* keep them from CLIPS's garbage collection */
    IncrementSymbolCount(device);
    enum { batch = 1000 };
    void* asserted[batch];

    double t0 = now();
    for (size_t base = 0; base < c.n; base += batch) {
        size_t end = base + batch < c.n ? base + batch : c.n;
        for (size_t i = base; i < end; ++i) {
            struct fact* f = EnvCreateFact(env, tmpl);
            DATA_OBJECT v;
            v.type = INTEGER;
            v.value = EnvAddLong(env, (long long)i);
            if (!EnvPutFactSlot(env, f, "id", &v)) bench_die("id slot", "clips", 0);
            for (int k = 0; k < BENCH_FACTS; ++k) {
                v.type = INTEGER;
                v.value = EnvAddLong(env, c.fact[k][i]);
                EnvPutFactSlot(env, f, names[k], &v);
            }
            v.type = SYMBOL;
            v.value = c.product[i] ? device : drug;
            EnvPutFactSlot(env, f, "product", &v);
            asserted[i - base] = EnvAssert(env, f);
        }
        EnvRun(env, -1);
        for (size_t i = base; i < end; ++i) EnvRetract(env, asserted[i - base]);
    }
    double secs = now() - t0;
    bench_write_grades(argv[3], grades, c.n);
    printf("{\"peer\":\"CLIPS %s\",\"mode\":\"C API, assert %d facts, run, retract them\",\"rows\":%zu,\"seconds\":%.6f,"
           "\"threads\":1}\n",
           VERSION_STRING, batch, c.n, secs);
    DestroyEnvironment(env);
    return 0;
}
