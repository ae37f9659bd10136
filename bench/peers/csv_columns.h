/* Reads the data set of bench/peers/gen.js (a CSV with the fixed header below) into columns.
   Header-only C99, shared by the C and C++ drivers of the peer benchmark. Not timed. */
#ifndef VIGIL_BENCH_CSV_COLUMNS_H
#define VIGIL_BENCH_CSV_COLUMNS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BENCH_FACTS 9
static const char* const bench_header =
    "id,rare_cases,severe_cases,deaths,similar_cases_nearby,provinces_with_II,prefectures_with_III,"
    "counties_with_III,counties_with_IV,streets_with_IV,product";

typedef struct {
    size_t n;
    uint32_t* fact[BENCH_FACTS]; /* in the header's order; similar_cases_nearby as 0/1 */
    uint8_t* product;            /* 0 drug, 1 device */
} bench_columns;

static void bench_die(const char* what, const char* file, size_t line) {
    fprintf(stderr, "%s:%zu: %s\n", file, line, what);
    exit(1);
}

/* The whole file, NUL-terminated (free it). Exits with a message when it cannot be read. */
static char* bench_slurp(const char* path) {
    FILE* f = fopen(path, "rb");
    if (!f) bench_die("cannot open", path, 0);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char* buf = (char*)malloc((size_t)size + 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) bench_die("cannot read", path, 0);
    fclose(f);
    buf[size] = '\0';
    return buf;
}

/* Reads at most `limit` rows (0: all). Exits with a message on a malformed file. */
static bench_columns bench_read_csv(const char* path, size_t limit) {
    bench_columns c;
    char* buf = bench_slurp(path);
    size_t hl = strlen(bench_header);
    if (strncmp(buf, bench_header, hl) != 0 || buf[hl] != '\n') bench_die("unexpected header", path, 1);
    size_t rows = 0;
    for (const char* p = buf + hl + 1; *p; ++p) rows += *p == '\n';
    if (limit && rows > limit) rows = limit;
    c.n = rows;
    for (int k = 0; k < BENCH_FACTS; ++k) c.fact[k] = (uint32_t*)malloc(rows * sizeof(uint32_t) + 64);
    c.product = (uint8_t*)malloc(rows + 64);
    const char* p = buf + hl + 1;
    for (size_t i = 0; i < rows; ++i) {
        char* end;
        unsigned long id = strtoul(p, &end, 10);
        if (*end != ',' || id != i) bench_die("expected the row index as id", path, i + 2);
        p = end + 1;
        for (int k = 0; k < BENCH_FACTS; ++k) {
            if (k == 3) {
                if (strncmp(p, "true,", 5) == 0) { c.fact[k][i] = 1; p += 5; }
                else if (strncmp(p, "false,", 6) == 0) { c.fact[k][i] = 0; p += 6; }
                else bench_die("expected true or false", path, i + 2);
                continue;
            }
            unsigned long v = strtoul(p, &end, 10);
            if (*end != ',' || end == p) bench_die("expected a count", path, i + 2);
            c.fact[k][i] = (uint32_t)v;
            p = end + 1;
        }
        if (strncmp(p, "drug\n", 5) == 0) { c.product[i] = 0; p += 5; }
        else if (strncmp(p, "device\n", 7) == 0) { c.product[i] = 1; p += 7; }
        else bench_die("expected drug or device", path, i + 2);
    }
    free(buf);
    return c;
}

static void bench_write_grades(const char* path, const uint8_t* g, size_t n) {
    FILE* f = fopen(path, "wb");
    if (!f || fwrite(g, 1, n, f) != n || fclose(f) != 0) bench_die("cannot write", path, 0);
}

#endif
