/*
 * vigil.h — the C ABI of vigil. This header is the whole contract: what is not in it is not API.
 *
 * Strict C99 (also valid C++). Conventions, everywhere:
 *  - Every name is prefixed `vigil_` / `VIGIL_`; functions are `vigil_<object>_<verb>`.
 *  - Functions that can fail return an `int` status: VIGIL_OK (0) or a negative VIGIL_E* code.
 *    On failure, vigil_last_error() holds a message for the calling thread (also when a
 *    create function fails), and out-parameters are left NULL / zeroed.
 *  - Out-parameters come first. Objects are opaque handles created through an out-parameter and
 *    released by the matching `_free`, which accepts NULL.
 *  - Strings are UTF-8. Strings the library returns through `char **` are owned by the caller
 *    and released with vigil_string_free() (never free(): do not mix allocators). Strings returned
 *    as `const char *` belong to the library and live as long as documented.
 *  - Only fixed-width types; booleans are `int` (0 false, anything else true); enumerations cross
 *    as `int32_t` (in column arrays as `uint8_t`, see vigil_classify_batch).
 *  - Times are `int64_t` seconds since the Unix epoch, UTC. Local time in the plans is Asia/Shanghai.
 *  - No C++ exception ever crosses this ABI; no function aborts on bad input.
 *  - The ABI evolves by addition only: a changed signature or struct becomes a new `_v2` name.
 */
#ifndef VIGIL_H
#define VIGIL_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && !defined(VIGIL_STATIC)
#  if defined(VIGIL_C_BUILDING)
#    define VIGIL_API __declspec(dllexport)
#  else
#    define VIGIL_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define VIGIL_API __attribute__((visibility("default")))
#else
#  define VIGIL_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------ version */

/* These must stay token-for-token identical to include/vigil/version.hpp (a test checks them
 * against that header, CMake's project version and the library's run-time answers). */
#define VIGIL_VERSION_MAJOR 0
#define VIGIL_VERSION_MINOR 1
#define VIGIL_VERSION_PATCH 0
#define VIGIL_VERSION_NUMBER (VIGIL_VERSION_MAJOR * 10000 + VIGIL_VERSION_MINOR * 100 + VIGIL_VERSION_PATCH)
#define VIGIL_VERSION_STRING "0.1.0"
/* The ABI version: the SOVERSION of libvigil_c. Raised only when a function or struct of this
 * header changes incompatibly (which the rule above is meant to make never happen). */
#define VIGIL_ABI_VERSION 0

/* The library's VIGIL_VERSION_NUMBER (MAJOR * 10000 + MINOR * 100 + PATCH). */
VIGIL_API int32_t vigil_version_number(void);
/* The library's VIGIL_VERSION_STRING; static storage. */
VIGIL_API const char *vigil_version_string(void);
/* The library's VIGIL_ABI_VERSION. */
VIGIL_API int32_t vigil_abi_version(void);

/* ------------------------------------------------------------------------------------ status */

/* Status codes. Values are explicit and never reused. -1 .. -63 mirror the C++ vigil::errc
 * (code = -errc); -64 and below belong to the C ABI. */
enum vigil_status {
    VIGIL_OK = 0,
    VIGIL_EPARSE = -1,          /* text is not well-formed JSON / CSV / JSONL */
    VIGIL_EINVALID_PLAN = -2,   /* a plan is well-formed but breaks the plan format */
    VIGIL_EINVALID_INPUT = -3,  /* facts, an argument (also a NULL one), a timeline or an event is wrong */
    VIGIL_EUNKNOWN_NAME = -4,   /* no built-in plan (or other named thing) of that name */
    VIGIL_EIO = -5,             /* a file could not be read or written */
    VIGIL_EOUT_OF_RANGE = -6,   /* a date outside the calendar's years, a number too large, an index */
    VIGIL_EREFUSED = -7,        /* a lifecycle event refused by a guard or an authority */
    VIGIL_ETAMPERED = -8,       /* an event log whose chain does not verify */
    VIGIL_ETOO_LARGE = -9,      /* input over the size or nesting bound */
    VIGIL_ENOMEM = -64,         /* out of memory */
    VIGIL_EBUFFER_TOO_SMALL = -65, /* a caller's buffer cannot hold the answer; nothing written but the size */
    VIGIL_EINTERNAL = -66       /* a bug in vigil (an unexpected exception); please report it */
};

/* A short English name of a status ("ok", "invalid plan", ...); static storage. An unknown
 * code gives "unknown status". */
VIGIL_API const char *vigil_status_string(int status);

/* The message of the last status-returning vigil_ call in the calling thread: every problem found,
 * one per line, each with where it is (file:line:col, JSON pointer) and what was expected; "" when
 * that call succeeded. Functions that return a status set it; the others (getters, _free, the
 * functions below) leave it alone. Owned by the library; valid until the thread's next
 * status-returning vigil_ call. Never NULL. */
VIGIL_API const char *vigil_last_error(void);
/* The status of the last status-returning vigil_ call in the calling thread. */
VIGIL_API int vigil_last_status(void);
/* Copy vigil_last_error() into `buf` (`size` bytes), NUL-terminated, for callers that own their
 * memory. `needed`, when not NULL, receives the bytes the message needs (with its NUL).
 * VIGIL_EBUFFER_TOO_SMALL when it does not fit: then nothing but `needed` is written (so `size` 0,
 * `buf` NULL asks for the size). VIGIL_EINVALID_INPUT for a NULL `buf` with a non-zero `size`.
 * Leaves the last error and status as they were. */
VIGIL_API int vigil_last_error_copy(char *buf, size_t size, size_t *needed);

/* Release a string the library returned through a `char **` out-parameter. NULL is a no-op. */
VIGIL_API void vigil_string_free(char *s);

/* ------------------------------------------------------------------------------------ enums */

/* Severity grades. The order is the severity: a larger value is a graver grade. */
enum vigil_grade {
    VIGIL_GRADE_NONE = 0,
    VIGIL_GRADE_IV = 1,   /* 一般 */
    VIGIL_GRADE_III = 2,  /* 较大 */
    VIGIL_GRADE_II = 3,   /* 重大 */
    VIGIL_GRADE_I = 4     /* 特别重大 */
};
/* "none", "IV", "III", "II", "I"; NULL for a value out of range. Static storage. */
VIGIL_API const char *vigil_grade_string(int32_t grade);

/* What an incident's product is. */
enum vigil_product {
    VIGIL_PRODUCT_DRUG = 0,
    VIGIL_PRODUCT_DEVICE = 1
};
/* "drug", "device"; NULL for a value out of range. Static storage. */
VIGIL_API const char *vigil_product_string(int32_t product);

/* Warning colours, in order of gravity. */
enum vigil_warning {
    VIGIL_WARNING_NONE = 0,
    VIGIL_WARNING_BLUE = 1,
    VIGIL_WARNING_YELLOW = 2,
    VIGIL_WARNING_ORANGE = 3,
    VIGIL_WARNING_RED = 4
};
/* "none", "blue", "yellow", "orange", "red"; NULL for a value out of range. Static storage. */
VIGIL_API const char *vigil_warning_string(int32_t warning);

/* The named facts of a cluster; the index of a column in vigil_classify_batch. */
enum vigil_fact {
    VIGIL_FACT_RARE_CASES = 0,           /* people with rare / unexpected similar reactions */
    VIGIL_FACT_SEVERE_CASES = 1,         /* people with 特别严重 reactions */
    VIGIL_FACT_DEATHS = 2,               /* deaths from the same batch in a short period */
    VIGIL_FACT_SIMILAR_CASES_NEARBY = 3, /* boolean (0 / 1): similar cases at the same time and place */
    VIGIL_FACT_PROVINCES_WITH_II = 4,    /* distinct provinces with a grade >= II event */
    VIGIL_FACT_PREFECTURES_WITH_III = 5, /* distinct prefectures of the province with a grade >= III event */
    VIGIL_FACT_COUNTIES_WITH_III = 6,    /* distinct counties of the province with a grade >= III event */
    VIGIL_FACT_COUNTIES_WITH_IV = 7,     /* distinct counties of the prefecture with a grade >= IV event */
    VIGIL_FACT_STREETS_WITH_IV = 8,      /* distinct streets of the county with a grade >= IV event */
    VIGIL_FACT_COUNT = 9
};
/* The fact's name as used in CSV headers and JSON keys ("rare_cases", ...); NULL out of range. */
VIGIL_API const char *vigil_fact_string(int32_t fact);

/* ------------------------------------------------------------------------------------ plans */

/* A loaded, validated, compiled emergency plan.
 * Thread rule: a vigil_plan is immutable. One handle may be used by any number of threads at once
 * (classify from all of them); free it once, after every thread is done with it. */
typedef struct vigil_plan vigil_plan;

/* A built-in plan by id ("yuzhong", "guiyang"). VIGIL_EUNKNOWN_NAME lists the ids there are. */
VIGIL_API int vigil_plan_builtin(vigil_plan **out, const char *name);
/* Read, validate and compile a plan file (JSON). VIGIL_EIO when it cannot be read; otherwise
 * every problem found is in vigil_last_error(), with line, column and JSON pointer. */
VIGIL_API int vigil_plan_load_file(vigil_plan **out, const char *path);
/* The same from `size` bytes of JSON text (need not be NUL-terminated). `source` names the text in
 * messages; NULL gives "<buffer>". */
VIGIL_API int vigil_plan_load_buffer(vigil_plan **out, const char *data, size_t size, const char *source);
/* Release a plan. NULL is a no-op. */
VIGIL_API void vigil_plan_free(vigil_plan *plan);

/* The number of built-in plans, and the id of the i-th (0-based; NULL out of range; static storage). */
VIGIL_API int32_t vigil_builtin_plan_count(void);
VIGIL_API const char *vigil_builtin_plan_name(int32_t i);

/* The plan's id ("yuzhong"); owned by the plan. NULL for a NULL plan. */
VIGIL_API const char *vigil_plan_id(const vigil_plan *plan);
/* The number of grading criteria (0 for a NULL plan); criterion i is bit i of a matched set. */
VIGIL_API int32_t vigil_plan_criterion_count(const vigil_plan *plan);
/* The clause id of criterion i ("yuzhong 1.5.2(1)"); owned by the plan; NULL out of range. */
VIGIL_API const char *vigil_plan_criterion_clause(const vigil_plan *plan, int32_t i);
/* The plan as JSON (docs/json.md): {"plan", "plan_version", "plan_sha256", "info":{id, name_zh, name_en, issuer, level, scope[], scope_clause, effective,
 * source, version}, "grade_names_zh":[...], "facts":[{index, name, kind, label_zh, label_en, optional,
 * sum?, spread?}], "products":[{id, label_zh, label_en}], "match_words", "criteria":[{index, clause,
 * grade, expert, text, reading, any:[[bound, ...], ...]}]}. Release with vigil_string_free. */
VIGIL_API int vigil_plan_info_json(char **out_json, const vigil_plan *plan);

/* ------------------------------------------------------------------------------------ declared facts */

/* A plan declares its facts and products (docs/plan-format.md); vigil_classify_columns and
 * vigil_classify_values take values in the plan's fact order. The two built-in plans declare the
 * facts of enum vigil_fact first, in that order, then the modifiers. */

/* What kind of value a declared fact holds. */
enum vigil_fact_kind {
    VIGIL_FACT_KIND_COUNT = 0,   /* 0 .. 4294967295 */
    VIGIL_FACT_KIND_BOOLEAN = 1, /* 0 / non-zero */
    VIGIL_FACT_KIND_GRADE = 2,   /* enum vigil_grade values (e.g. the grade the event may reach) */
    VIGIL_FACT_KIND_SUM = 3      /* derived: the sum of other counts; its column is not read */
};

/* The number of facts the plan declares (0 for a NULL plan). */
VIGIL_API size_t vigil_plan_fact_count(const vigil_plan *plan);
/* The name of fact `index` ("deaths"); owned by the plan; NULL for a NULL plan or out of range. */
VIGIL_API const char *vigil_plan_fact_name(const vigil_plan *plan, size_t index);
/* The fact's label: `lang` "zh" (死亡人数) or "en"; owned by the plan; NULL for a NULL plan, an
 * index out of range or another `lang`. */
VIGIL_API const char *vigil_plan_fact_label(const vigil_plan *plan, size_t index, const char *lang);
/* The fact's kind (enum vigil_fact_kind); -1 for a NULL plan or out of range. */
VIGIL_API int32_t vigil_plan_fact_kind(const vigil_plan *plan, size_t index);
/* The index of the fact named `name`, or whose Chinese label is `name`. VIGIL_EUNKNOWN_NAME (the
 * message lists the plan's facts) when there is none. */
VIGIL_API int vigil_plan_fact_index(size_t *out, const vigil_plan *plan, const char *name);
/* The number of products the plan declares (0 for a NULL plan); a product is its index. */
VIGIL_API size_t vigil_plan_product_count(const vigil_plan *plan);
/* The id of product `index` ("drug", "cosmetic"); owned by the plan; NULL out of range. */
VIGIL_API const char *vigil_plan_product_id(const vigil_plan *plan, size_t index);
/* Whether the plan covers product `index` (its scope); 0 for a NULL plan or out of range. */
VIGIL_API int vigil_plan_covers(const vigil_plan *plan, size_t index);
/* 64-bit words in a matched set of this plan: bit i % 64 of word i / 64 for criterion i, and
 * VIGIL_OUT_OF_SCOPE_BIT in the last word (1 for a plan of at most 63 criteria; 0 for NULL). */
VIGIL_API size_t vigil_plan_match_words(const vigil_plan *plan);

/* ------------------------------------------------------------------------------------ classify */

/* What is known about one cluster. Zero-initialise it (`vigil_facts f = {0};`): absent facts are 0. */
typedef struct vigil_facts {
    uint32_t rare_cases;
    uint32_t severe_cases;
    uint32_t deaths;
    int32_t similar_cases_nearby; /* boolean */
    uint32_t provinces_with_II;
    uint32_t prefectures_with_III;
    uint32_t counties_with_III;
    uint32_t counties_with_IV;
    uint32_t streets_with_IV;
    int32_t product; /* enum vigil_product */
} vigil_facts;

/* Bit of a matched set for a cluster whose product the plan does not cover. */
#define VIGIL_OUT_OF_SCOPE_BIT (((uint64_t)1) << 63)

/* The answer for one cluster. Its reasons in full (clauses, facts, bounds, texts) are in the
 * explanation JSON; here the numbers, with criteria named by their index in the plan. */
typedef struct vigil_assessment {
    int32_t grade;          /* enum vigil_grade: final, an expert override's if there is one */
    int32_t computed_grade; /* enum vigil_grade: from the criteria alone */
    int32_t in_scope;       /* boolean: 0 when the plan does not cover the product (not graded) */
    int32_t winner;         /* index of the winning criterion (vigil_plan_criterion_clause), -1: none */
    int32_t match_count;    /* the number of criteria that matched */
    int32_t overridden;     /* boolean: an expert override set `grade` */
    int32_t warning;        /* enum vigil_warning: the warning to issue (plan's warning rules) */
    int32_t warning_number; /* the plan's number of that warning (一级 = 1 … 四级 = 4); 0: none / unnumbered */
    int32_t response;       /* the response level to start: 1 (the highest) … 4; 0: none */
    int32_t response_base;  /* the level before the plan's raising / lowering modifiers */
    uint64_t matched;       /* bit i: criterion i matched; VIGIL_OUT_OF_SCOPE_BIT */
} vigil_assessment;

/* Grade one cluster, and decide its warning and response (no modifiers: see vigil_classify_ex).
 * `out_json`, when not NULL, receives the explanation (UTF-8 JSON: the plan's id, version and
 * SHA-256; grade, computed grade, scope, every match with its clause, grade, the facts and bounds
 * that decided, and the clause's text; "warning" and "response": the level, every rule that
 * applied with its clause and the terms that decided, and who issues / starts it), to release with
 * vigil_string_free. Every JSON answer of this header is specified in docs/json.md, the same
 * bytes the `vigil` command gives for the same question. */
VIGIL_API int vigil_classify(vigil_assessment *out, char **out_json, const vigil_plan *plan,
                             const vigil_facts *facts);

/* The assessment's inputs beyond the cluster's facts. Zero-initialise it: absent is none / false. */
typedef struct vigil_modifiers {
    int32_t possible_grade;  /* enum vigil_grade: the grade the assessment says the event may grow into */
    int32_t sensitive;       /* boolean: sensitive people, time or place, or a sensitive event */
    int32_t key_period;      /* boolean: important area, major holiday, major activity or meeting */
    int32_t spreading;       /* boolean: harm spreading, hard to control */
    int32_t wide_or_complex; /* boolean: wide in scope, or complex */
    int32_t controlled;      /* boolean: harm controlled below the level's standard */
} vigil_modifiers;

/* An expert determination (e.g. a plan's "其他…事件" catch-all): a grade set by a named person,
 * with a reason. It never hides the computed grade. */
typedef struct vigil_override {
    int32_t grade;      /* enum vigil_grade */
    const char *by;     /* who decided (name and role); required */
    const char *reason; /* why; required */
    const char *at;     /* when (ISO 8601), as given; may be NULL */
    const char *clause; /* the clause relied on, e.g. "guiyang A1 重大(4)"; may be NULL */
} vigil_override;

/* vigil_classify with the assessment's modifiers (NULL: none) and an expert determination
 * recorded on the answer (NULL: none); the warning and response follow the final grade.
 * VIGIL_EINVALID_INPUT for an override without a person or a reason, or whose clause names no
 * criterion of the plan (or one of another grade), or for an out-of-scope cluster. */
VIGIL_API int vigil_classify_ex(vigil_assessment *out, char **out_json, const vigil_plan *plan,
                                const vigil_facts *facts, const vigil_modifiers *modifiers,
                                const vigil_override *override_);

/* Grade `count` clusters from columns: the fast path for other languages.
 *  - fact_columns[f], for f < fact_column_count, is NULL (the fact is 0 for every cluster) or
 *    points to `count` values of fact f (enum vigil_fact order). Facts from fact_column_count on
 *    are absent. fact_columns may be NULL when fact_column_count is 0.
 *  - products: NULL (all drug) or `count` enum vigil_product values.
 *  - grades_out: `count` bytes, each an enum vigil_grade (uint8_t: a byte per cluster is what
 *    arrays in other languages want); required unless count is 0.
 *  - matched_out: NULL (not wanted) or `count` matched sets (bit i: criterion i matched;
 *    VIGIL_OUT_OF_SCOPE_BIT).
 * The answers equal vigil_classify()'s computed grade and matched set, cluster by cluster (the
 * batch grades only: warnings and responses come from vigil_classify). A product value
 * out of range, or fact_column_count > VIGIL_FACT_COUNT with a non-NULL extra column, is
 * VIGIL_EINVALID_INPUT and nothing is written. */
VIGIL_API int vigil_classify_batch(uint8_t *grades_out, uint64_t *matched_out, const vigil_plan *plan,
                                   size_t count, const uint32_t *const *fact_columns,
                                   size_t fact_column_count, const uint8_t *products);

/* Grade `count` clusters given by the plan's facts:
 *  - columns[i], for i < column_count (at most vigil_plan_fact_count), is NULL (fact i is 0 /
 *    false / none for every cluster) or `count` values of fact i; a sum fact's column is not read.
 *  - products: NULL (all the plan's product 0) or `count` product indices.
 *  - grades_out: `count` grades; matched_out: NULL or count × vigil_plan_match_words(plan) words,
 *    row r's set at [r × words, (r + 1) × words); warnings_out, responses_out: NULL or `count`
 *    values each (enum vigil_warning; the response level 1 .. 4, 0 none), decided with the
 *    columns of the plan's modifier facts in the same pass over the columns as the grades (the
 *    plan's warning and response rules are compiled with it; no row goes through vigil_classify).
 * The same answers as vigil_classify_values row by row. VIGIL_EINVALID_INPUT names a product or
 * grade value out of range (then what was written is not to be read). */
VIGIL_API int vigil_classify_columns(uint8_t *grades_out, uint64_t *matched_out, uint8_t *warnings_out,
                                     uint8_t *responses_out, const vigil_plan *plan, size_t count,
                                     const uint32_t *const *columns, size_t column_count, const uint8_t *products);

/* Grade one cluster given by the plan's facts: values[i] for fact i, i < value_count (the others
 * 0); `product` a product index. `out` as vigil_classify_ex (matched: the first word of the set);
 * `out_json` (NULL: not wanted) as vigil_classify's, reasons of sum facts with their parts. */
VIGIL_API int vigil_classify_values(vigil_assessment *out, char **out_json, const vigil_plan *plan,
                                    const uint32_t *values, size_t value_count, int32_t product);

/* The assessment's modifiers; the index of a column in vigil_classify_batch_ex. */
enum vigil_modifier {
    VIGIL_MODIFIER_POSSIBLE_GRADE = 0,  /* enum vigil_grade values */
    VIGIL_MODIFIER_SENSITIVE = 1,       /* booleans (0 / non-zero), as in vigil_modifiers */
    VIGIL_MODIFIER_KEY_PERIOD = 2,
    VIGIL_MODIFIER_SPREADING = 3,
    VIGIL_MODIFIER_WIDE_OR_COMPLEX = 4,
    VIGIL_MODIFIER_CONTROLLED = 5,
    VIGIL_MODIFIER_COUNT = 6
};

/* vigil_classify_batch, and the warning and response of each cluster (as vigil_classify_ex gives
 * them without an override):
 *  - warnings_out: NULL or `count` enum vigil_warning values; responses_out: NULL or `count`
 *    response levels (0 none, 1 … 4).
 *  - modifier_columns[m], for m < modifier_column_count, is NULL (none / false for every cluster)
 *    or `count` values of modifier m (enum vigil_modifier order); modifier_columns may be NULL
 *    when modifier_column_count is 0. A possible_grade above 4 is VIGIL_EINVALID_INPUT.
 * The warnings and responses are decided block by block in the same pass as the grades (as
 * vigil_classify_columns). With both warnings_out and responses_out NULL this is
 * vigil_classify_batch. */
VIGIL_API int vigil_classify_batch_ex(uint8_t *grades_out, uint64_t *matched_out, uint8_t *warnings_out,
                                      uint8_t *responses_out, const vigil_plan *plan, size_t count,
                                      const uint32_t *const *fact_columns, size_t fact_column_count,
                                      const uint8_t *products, const uint8_t *const *modifier_columns,
                                      size_t modifier_column_count);

/* ------------------------------------------------------------------------------------ roll-up */

/* A local event already graded where it happened. */
typedef struct vigil_local_event {
    int32_t product;        /* enum vigil_product */
    const char *product_id; /* the product's identity (name / registration no.) */
    const char *area;       /* GB/T 2260 code: 6 digits ("500103") or 9 for a street ("500103001") */
    int32_t grade;          /* enum vigil_grade */
} vigil_local_event;

/* The spread facts of the area `target_area` for one product (product, product_id) from `count`
 * graded local events: for each spread fact, the distinct areas of its level, inside the enclosing
 * area of its scope, with an event of at least its grade from the same product. `facts_out`
 * receives the spread facts (all others 0, product set); `out_json`, when not NULL, receives
 * {"facts":{...},"counts":[{"fact","count","areas":[...]}]}. A bad area code is
 * VIGIL_EINVALID_INPUT naming the event. */
VIGIL_API int vigil_rollup(vigil_facts *facts_out, char **out_json, const vigil_local_event *events,
                           size_t count, int32_t product, const char *product_id, const char *target_area);

/* vigil_rollup over the spread facts the plan declares (its facts with a "spread" definition, any
 * names: a plan file's own as the built-in plans'), products being the plan's product indices
 * (events[i].product and `product`: 0 .. vigil_plan_product_count - 1):
 *  - values_out: NULL or value_count values in the plan's fact order (value_count at most
 *    vigil_plan_fact_count; the spread facts set, every other fact 0), as vigil_classify_values
 *    takes them; a larger value_count is VIGIL_EINVALID_INPUT with nothing written;
 *  - out_json, when not NULL: {"plan","plan_version","plan_sha256","facts":{the plan's facts by
 *    name (not sums), "product": the product's id},"counts":[{"fact","count","areas":[...]}]}.
 * A bad area code, product or grade is VIGIL_EINVALID_INPUT naming the event. */
VIGIL_API int vigil_rollup_values(uint32_t *values_out, size_t value_count, char **out_json, const vigil_plan *plan,
                                  const vigil_local_event *events, size_t count, int32_t product,
                                  const char *product_id, const char *target_area);

/* ------------------------------------------------------------------------------------ calendar */

/* "No time given", where a time is optional. */
#define VIGIL_TIME_NONE INT64_MIN

/* The official working-day calendar (Asia/Shanghai): weekends, holidays and the weekend days made
 * working days by the State Council's yearly notices. Dates cross the ABI as instants: a date is
 * the local (Asia/Shanghai) date of an instant, and answers are local midnights.
 * Thread rule: a vigil_calendar is immutable; share one between any number of threads. */
typedef struct vigil_calendar vigil_calendar;

/* The calendar built into the library. */
VIGIL_API int vigil_calendar_builtin(vigil_calendar **out);
/* A calendar CSV file (date,kind,name,year,notice); every bad row is reported. */
VIGIL_API int vigil_calendar_load_file(vigil_calendar **out, const char *path);
/* The same from `size` bytes of CSV text; `source` names it in messages (NULL: "<buffer>"). */
VIGIL_API int vigil_calendar_load_buffer(vigil_calendar **out, const char *data, size_t size, const char *source);
/* Release a calendar. NULL is a no-op. */
VIGIL_API void vigil_calendar_free(vigil_calendar *calendar);
/* Whether the local date of `time` is a working day. VIGIL_EOUT_OF_RANGE when the calendar does
 * not cover its year (never a guess from weekends alone). */
VIGIL_API int vigil_calendar_is_working_day(int *out, const vigil_calendar *calendar, int64_t time);
/* The local midnight (as an instant) of the n-th working day after (n > 0) or before (n < 0) the
 * local date of `time`, or of that date itself (n == 0). VIGIL_EOUT_OF_RANGE outside the years. */
VIGIL_API int vigil_calendar_add_working_days(int64_t *out, const vigil_calendar *calendar, int64_t time, int32_t n);
/* A copy of `calendar` that answers the days it lacks (a year without its notice, and the last week
 * of December before such a year) provisionally: weekends and the fixed-date statutory holidays of
 * 全国年节及纪念日放假办法 (元旦 1月1日, 劳动节 5月1日–2日, 国庆节 10月1日–3日); the lunar holidays are
 * unknown. Deadlines computed with it carry "provisional": true where they rest on such a day.
 * Free it with vigil_calendar_free. */
VIGIL_API int vigil_calendar_provisional(vigil_calendar **out, const vigil_calendar *calendar);

/* ------------------------------------------------------------------------------------ deadlines */

/* The reports an incident's timeline makes owed under the plan's obligations: who reports to whom,
 * by which channel, due when, each with its clause and explanation.
 *  - timeline: `size` bytes of timeline JSON ({"vigil_timeline": 1, "incident": …, "events": […]}),
 *    or an incident's lifecycle log as it is (JSON Lines, see vigil_incident_create): verified
 *    (VIGIL_ETAMPERED naming the first record that does not verify; nothing is answered) and
 *    replayed under the plan (a record it does not allow is refused, naming it), its history read:
 *    its opening's "occurred_at" is the occurrence; a torn last line is left out (docs/deadlines.md).
 *  - calendar: for working days; NULL: the built-in calendar.
 *  - as_of: the time the question is asked; VIGIL_TIME_NONE: the timeline's last event.
 * `out_json` receives (docs/json.md) {"plan", "plan_version", "plan_sha256", "incident",
 * "calendar": {"source", "years", "provisional"},
 * "not_final" (the rows refused or provisional), "deadlines": [{"id", "obligation", "clause",
 * "summary", "occurrence", "from", "to", "channel", "timing", "recurring", "deadline", "anchor",
 * "anchor_time", "anchor_local", "due_time" (seconds since the epoch; when timed), "due_local",
 * "restarted", "superseded", "superseded_by", "provisional" (the due time rests on provisional days),
 * "calendar_unknown" (null, or the year whose notice the calendar lacks: that row alone has no due
 * time), "explanation", and the plan and calendar fields again}]}.
 * A plan without obligations is VIGIL_EINVALID_INPUT. A due time the calendar cannot give refuses
 * only its own row (calendar_unknown); every other row is answered. */
VIGIL_API int vigil_deadlines_json(char **out_json, const vigil_plan *plan, const vigil_calendar *calendar,
                                   const char *timeline, size_t size, int64_t as_of);

/* The reports actually sent (in the timeline) held against those deadlines as of `as_of`
 * (required: the library has no clock). `out_json` receives (docs/json.md) {"plan",
 * "plan_version", "plan_sha256", "incident", "as_of", "as_of_local", "calendar", "not_final",
 * "counts", "entries": [the deadline's fields, and "status" (on_time, late, missing, not_yet_due,
 * superseded, reported, outstanding, calendar_unknown), "reported_utc", "reported_local",
 * "reported_time", "late_by_seconds", "elapsed_seconds", "reports", "missing_to", "finding",
 * "calendar"]}. */
VIGIL_API int vigil_audit_json(char **out_json, const vigil_plan *plan, const vigil_calendar *calendar,
                               const char *timeline, size_t size, int64_t as_of);

/* ------------------------------------------------------------------------------------ lifecycle */

/* An incident kept in an append-only, hash-chained event log file: each event is checked against
 * the plan's transition table (from + event [guards] / actions = to, with who may fire it) and the
 * state replayed from the log, then appended durably.
 * Thread rule: a vigil_incident is one writer's handle: use it from one thread at a time (give
 * each thread its own). Processes and handles may share the file; each append catches up first. */
typedef struct vigil_incident vigil_incident;

/* Create a new incident log at `path` (refused, VIGIL_EIO, when the file exists) whose opening
 * record names the plan, the incident's id, the time and who opened it (`actor_role` may be NULL).
 * The plan is kept alive by the incident. */
VIGIL_API int vigil_incident_create(vigil_incident **out, const vigil_plan *plan, const char *path,
                                    const char *incident_id, int64_t time, const char *actor_unit,
                                    const char *actor_role);
/* vigil_incident_create, recording also when the incident occurred (事发): `occurred_at` goes into
 * the opening record's payload as "occurred_at" (local time, Asia/Shanghai), so that the plan's
 * reporting clocks that run from the occurrence (事发后…) start from it when the log is read as a
 * timeline (vigil_deadlines_json, vigil_audit_json). The log is opened on receipt (接报), so the
 * occurrence cannot be after `time`: VIGIL_EINVALID_INPUT saying so, and no file is written.
 * VIGIL_TIME_NONE: not known (then this is vigil_incident_create, and no 事发后 report is owed). */
VIGIL_API int vigil_incident_create_v2(vigil_incident **out, const vigil_plan *plan, const char *path,
                                       const char *incident_id, int64_t time, int64_t occurred_at,
                                       const char *actor_unit, const char *actor_role);
/* Open an existing log; it must be for `plan` (see vigil_incident_plan_id; a log of a plan file
 * records the plan's content hash, and a plan with another hash is refused). VIGIL_ETAMPERED when
 * its chain does not verify, or when it ends before a record its acknowledgement mark (path.ack)
 * says was acknowledged (damage: nothing is changed). A torn last line after the acknowledged
 * records (a crash mid-write) is moved aside to path.torn-N, never deleted. A symbolic link, FIFO
 * or directory is refused (VIGIL_EIO). Logs are created 0600. */
VIGIL_API int vigil_incident_open(vigil_incident **out, const vigil_plan *plan, const char *path);
/* The id of the plan a log's opening record names (the log is read and verified). It is an id,
 * never a path: load a built-in plan by it (vigil_plan_builtin) or the file you keep. */
VIGIL_API int vigil_incident_plan_id(char **out_plan_id, const char *path);
/* Release an incident handle (the file stays). NULL is a no-op. */
VIGIL_API void vigil_incident_free(vigil_incident *incident);

/* Fire one event: `size` bytes of JSON {"event", "time" (ISO 8601 with an offset),
 * "actor": {"unit", "role"}, "payload": {…}}. On success it is durable in the log and
 * `out_state_json` (may be NULL) receives the new state, as vigil_incident_state_json.
 * VIGIL_EREFUSED when the plan does not allow it — the incident and the log are unchanged and
 * vigil_last_error() says why (no row for the event in this state, the guard that failed, the
 * authority or endorsement missing); VIGIL_EINVALID_INPUT / VIGIL_EPARSE for a malformed event. */
VIGIL_API int vigil_incident_apply(char **out_state_json, vigil_incident *incident, const char *event,
                                   size_t size);
/* The incident as JSON (docs/json.md): the plan, state, grade, warning, response, history, and the
 * events allowed next with who may fire them. */
VIGIL_API int vigil_incident_state_json(char **out_json, const vigil_incident *incident);
/* Replay `size` bytes of a log's text (no file, no lock) under `plan`: the state JSON as above.
 * VIGIL_ETAMPERED when the chain does not verify. */
VIGIL_API int vigil_incident_replay_json(char **out_json, const vigil_plan *plan, const char *log_text,
                                         size_t size);

/* ------------------------------------------------------------------------------------ detection */

/* From individual case reports to graded clusters (docs/detect.md). A detector is fed case reports
 * in batches, in the order they were received, and answers with an alert the moment a cluster
 * reaches a graver grade or warning than it had — what `vigil watch` prints — and, at any time,
 * with the clusters of the reports it holds — what `vigil detect` prints. How facts are counted
 * from reports is the plan's "detection" section: no threshold is in the detector.
 * Thread rule: a vigil_detector is one stream's state; use it from one thread at a time (the plan
 * it keeps alive may be shared). */
typedef struct vigil_detector vigil_detector;

/* The yes/no fields of a case report: bit (1 << value) of vigil_case_report.flags. */
enum vigil_report_flag {
    VIGIL_REPORT_DEATH = 0,
    VIGIL_REPORT_LIFE_THREATENING = 1,
    VIGIL_REPORT_DISABILITY = 2,
    VIGIL_REPORT_ORGAN_DAMAGE = 3,
    VIGIL_REPORT_HOSPITALISATION = 4,
    VIGIL_REPORT_CONGENITAL_ANOMALY = 5,
    VIGIL_REPORT_OTHER_SERIOUS = 6,
    VIGIL_REPORT_RARE = 7 /* 罕见或非预期: rare or unexpected */
};

/* Levels of the administrative tree (GB/T 2260): bit (1 << value) of a level mask. */
enum vigil_area_level {
    VIGIL_LEVEL_PROVINCE = 0,
    VIGIL_LEVEL_PREFECTURE = 1,
    VIGIL_LEVEL_COUNTY = 2,
    VIGIL_LEVEL_STREET = 3
};

/* One individual case report (an ICSR), as `vigil detect` reads a row. Zero-initialise it. */
typedef struct vigil_case_report {
    const char *report_id;    /* required; a report id already held counts once (a duplicate) */
    const char *patient_id;   /* required; people are counted, not reports */
    int32_t product_kind;     /* the index of one of the plan's products (vigil_plan_product_id) */
    const char *product_id;   /* required: the product's identity (e.g. its approval number) */
    const char *product_name; /* required */
    const char *batch;        /* required: the batch (lot) number */
    const char *maker;        /* optional (NULL): 同一药品 = same maker, name, dosage form, strength */
    const char *dosage_form;  /* optional (NULL) */
    const char *strength;     /* optional (NULL) */
    int64_t onset_time;       /* seconds since the Unix epoch, UTC */
    int64_t received_time;    /* the same; not before onset_time */
    const char *area_code;    /* GB/T 2260: 6 digits, or 9 with the street */
    uint32_t flags;           /* bits (1 << enum vigil_report_flag) */
} vigil_case_report;

/* max_delay_days of vigil_detector_create: keep every report (an archive read in arrival order). */
#define VIGIL_DETECTOR_KEEP_ALL (-1)

/* A detector under `plan` (which it keeps alive).
 *  - max_delay_days: how long after the plan's window a report may still arrive, 0 .. 3650
 *    (`vigil watch --max-delay-days`, 90 by default there): a report is held while its onset is
 *    within the window plus that of the latest receipt, and one older is not placed (too late), so
 *    memory is bounded. VIGIL_DETECTOR_KEEP_ALL: every report is held (nothing is too late), and
 *    vigil_detector_clusters_json answers what `vigil detect` answers for the archive.
 *  - level_mask: alerts and clusters only of these levels (bits 1 << enum vigil_area_level); 0:
 *    every level (`--level`).
 * VIGIL_EINVALID_PLAN when the plan has no "detection" section; VIGIL_EINVALID_INPUT for a
 * max_delay_days or level_mask out of range. */
VIGIL_API int vigil_detector_create(vigil_detector **out, const vigil_plan *plan, int32_t max_delay_days,
                                    uint32_t level_mask);
/* Release a detector. NULL is a no-op. */
VIGIL_API void vigil_detector_free(vigil_detector *detector);

/* Feed `count` reports (`reports` may be NULL when count is 0), in the order they were received.
 * The whole batch is checked first: a NULL or empty required field, a product index out of range,
 * a bad area code, a receipt before the onset, a time outside years 1970–2199 or an unknown flag
 * bit is VIGIL_EINVALID_INPUT naming the report's index and field, and no report of the batch is
 * fed. Then each is placed as `vigil watch` places it. `out_alerts` (NULL: not wanted) receives
 * the alerts as JSON Lines, one alert a line as `vigil watch` prints it ("alert", "trigger",
 * "late", then the cluster's fields: docs/detect.md), "" when there is none; `out_alert_count`
 * (NULL: not wanted) receives their number. */
VIGIL_API int vigil_detector_feed(char **out_alerts, size_t *out_alert_count, vigil_detector *detector,
                                  const vigil_case_report *reports, size_t count);

/* The clusters of the reports the detector holds, as JSON Lines: one cluster a line as
 * `vigil detect --out jsonl` prints it, the gravest first; `all` non-zero: also those that reached
 * neither a grade nor a warning (`--all`). "" when there is none. */
VIGIL_API int vigil_detector_clusters_json(char **out_jsonl, const vigil_detector *detector, int all);

/* What a detector has done so far. */
typedef struct vigil_detector_counts {
    uint64_t taken;      /* reports placed */
    uint64_t duplicates; /* reports whose id was held already (not counted again) */
    uint64_t too_late;   /* reports older than the window plus max_delay_days (not placed) */
    uint64_t alerts;     /* alerts given */
    uint64_t kept;       /* reports held now */
} vigil_detector_counts;

/* The detector's counts. */
VIGIL_API int vigil_detector_stats(vigil_detector_counts *out, const vigil_detector *detector);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* VIGIL_H */
