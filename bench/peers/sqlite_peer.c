/* SQLite (the Debian library) in memory: the columns are loaded into a table (not timed), then
   CREATE TABLE graded AS SELECT id, <CASE from plan_rules.js> FROM clusters is timed; the grades
   are read back (not timed). Usage: sqlite_peer DATA.csv RULES.sql OUT.grades [ROWS]. */
#include <sqlite3.h>

#include <time.h>

#include "csv_columns.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void check(sqlite3* db, int rc, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "sqlite_peer: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

int main(int argc, char** argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: sqlite_peer DATA.csv RULES.sql OUT.grades [ROWS]\n");
        return 2;
    }
    size_t limit = argc > 4 ? strtoull(argv[4], NULL, 10) : 0;
    bench_columns c = bench_read_csv(argv[1], limit);
    char* rules = bench_slurp(argv[2]);

    sqlite3* db;
    check(db, sqlite3_open(":memory:", &db), "open");
    check(db, sqlite3_exec(db,
                           "CREATE TABLE clusters (id INTEGER PRIMARY KEY, rare_cases INTEGER, severe_cases INTEGER, "
                           "deaths INTEGER, similar_cases_nearby INTEGER, provinces_with_II INTEGER, "
                           "prefectures_with_III INTEGER, counties_with_III INTEGER, counties_with_IV INTEGER, "
                           "streets_with_IV INTEGER, product TEXT)",
                           0, 0, 0),
          "create");
    check(db, sqlite3_exec(db, "BEGIN", 0, 0, 0), "begin");
    sqlite3_stmt* ins;
    check(db, sqlite3_prepare_v2(db, "INSERT INTO clusters VALUES (?,?,?,?,?,?,?,?,?,?,?)", -1, &ins, 0), "prepare");
    for (size_t i = 0; i < c.n; ++i) {
        sqlite3_bind_int64(ins, 1, (sqlite3_int64)i);
        for (int k = 0; k < BENCH_FACTS; ++k) sqlite3_bind_int64(ins, 2 + k, c.fact[k][i]);
        sqlite3_bind_text(ins, 11, c.product[i] ? "device" : "drug", -1, SQLITE_STATIC);
        check(db, sqlite3_step(ins), "insert");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    check(db, sqlite3_exec(db, "COMMIT", 0, 0, 0), "commit");

    size_t qn = strlen(rules) + 128;
    char* q = (char*)malloc(qn);
    snprintf(q, qn, "CREATE TABLE graded AS SELECT id, %s AS grade FROM clusters", rules);
    double t0 = now();
    check(db, sqlite3_exec(db, q, 0, 0, 0), "classify");
    double secs = now() - t0;

    uint8_t* g = (uint8_t*)calloc(c.n ? c.n : 1, 1);
    sqlite3_stmt* sel;
    check(db, sqlite3_prepare_v2(db, "SELECT id, grade FROM graded", -1, &sel, 0), "select");
    int rc;
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) g[sqlite3_column_int64(sel, 0)] = (uint8_t)sqlite3_column_int(sel, 1);
    check(db, rc, "read");
    sqlite3_finalize(sel);
    bench_write_grades(argv[3], g, c.n);
    printf("{\"peer\":\"SQLite %s\",\"mode\":\"in memory, CREATE TABLE AS SELECT CASE\",\"rows\":%zu,\"seconds\":%.6f,"
           "\"threads\":1}\n",
           sqlite3_libversion(), c.n, secs);
    sqlite3_close(db);
    return 0;
}
