/* bindings/java/jni/vigil_jni_facts.c — the JNI functions of vigil.Native for a plan's declared
 * facts and products (vigil_plan_fact_*, vigil_plan_product_*) and grading by them
 * (vigil_classify_values, vigil_classify_columns). Names and labels cross as UTF-8 byte[]
 * (exact for every character, where JNI's string functions use modified UTF-8). */
#include "jni_support.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static vigil_plan *plan_of(jlong h) { return (vigil_plan *)(intptr_t)h; }

/* name, zh label, en label of each fact, in the plan's order: 3 × vigil_plan_fact_count byte[]. */
JNIEXPORT jobjectArray JNICALL Java_vigil_Native_planFactStrings(JNIEnv *env, jclass cls, jlong plan) {
    size_t n = vigil_plan_fact_count(plan_of(plan)), i;
    jclass bytes = (*env)->FindClass(env, "[B");
    jobjectArray out;
    (void)cls;
    if (!bytes) return NULL;
    out = (*env)->NewObjectArray(env, (jsize)(3 * n), bytes, NULL);
    for (i = 0; out && i < n; ++i) {
        const char *s[3];
        int k;
        s[0] = vigil_plan_fact_name(plan_of(plan), i);
        s[1] = vigil_plan_fact_label(plan_of(plan), i, "zh");
        s[2] = vigil_plan_fact_label(plan_of(plan), i, "en");
        for (k = 0; k < 3; ++k) {
            jbyteArray b = utf8_bytes(env, s[k] ? s[k] : "");
            if (!b) return NULL;
            (*env)->SetObjectArrayElement(env, out, (jsize)(3 * i + (size_t)k), b);
            (*env)->DeleteLocalRef(env, b);
        }
    }
    return out;
}

/* enum vigil_fact_kind of each fact, in the plan's order. */
JNIEXPORT jintArray JNICALL Java_vigil_Native_planFactKinds(JNIEnv *env, jclass cls, jlong plan) {
    size_t n = vigil_plan_fact_count(plan_of(plan)), i;
    jintArray out = (*env)->NewIntArray(env, (jsize)n);
    (void)cls;
    for (i = 0; out && i < n; ++i) {
        jint k = vigil_plan_fact_kind(plan_of(plan), i);
        (*env)->SetIntArrayRegion(env, out, (jsize)i, 1, &k);
    }
    return out;
}

/* The ids of the plan's products, in its order (a product is its position). */
JNIEXPORT jobjectArray JNICALL Java_vigil_Native_planProducts(JNIEnv *env, jclass cls, jlong plan) {
    size_t n = vigil_plan_product_count(plan_of(plan)), i;
    jclass str = (*env)->FindClass(env, "java/lang/String");
    jobjectArray out;
    (void)cls;
    if (!str) return NULL;
    out = (*env)->NewObjectArray(env, (jsize)n, str, NULL);
    for (i = 0; out && i < n; ++i) {
        jstring s = (*env)->NewStringUTF(env, vigil_plan_product_id(plan_of(plan), i));
        if (!s) return NULL;
        (*env)->SetObjectArrayElement(env, out, (jsize)i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return out;
}

JNIEXPORT jint JNICALL Java_vigil_Native_planMatchWords(JNIEnv *env, jclass cls, jlong plan) {
    (void)env;
    (void)cls;
    return (jint)vigil_plan_match_words(plan_of(plan));
}

/* The index of the fact named (or labelled in Chinese) by the UTF-8 bytes `name`. */
JNIEXPORT jint JNICALL Java_vigil_Native_planFactIndex(JNIEnv *env, jclass cls, jlong plan, jbyteArray name) {
    size_t out = 0;
    jsize n;
    char *s;
    int rc;
    (void)cls;
    if (!name) {
        throw_npe(env, "name");
        return -1;
    }
    n = (*env)->GetArrayLength(env, name);
    s = (char *)malloc((size_t)n + 1);
    if (!s) {
        jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
        if (oom) (*env)->ThrowNew(env, oom, "planFactIndex");
        return -1;
    }
    (*env)->GetByteArrayRegion(env, name, 0, n, (jbyte *)s);
    s[n] = '\0';
    if (memchr(s, '\0', (size_t)n)) {
        free(s);
        throw_iae(env, "a fact name holds no NUL character");
        return -1;
    }
    rc = vigil_plan_fact_index(&out, plan_of(plan), s);
    free(s);
    if (rc != VIGIL_OK) {
        throw_status(env, rc);
        return -1;
    }
    return (jint)out;
}

/* One cluster by the plan's facts: values[i] for fact i; out: the 10 int32 fields of
 * vigil_assessment, then matched (its first word). Returns the explanation JSON as UTF-8 bytes. */
JNIEXPORT jbyteArray JNICALL Java_vigil_Native_classifyValues(JNIEnv *env, jclass cls, jlong plan, jintArray values,
                                                              jint product, jintArray out_ints, jlongArray out_matched) {
    vigil_assessment a;
    jint *v = NULL;
    jsize n;
    char *json = NULL;
    int rc;
    (void)cls;
    if (!values || !out_ints || !out_matched) {
        throw_npe(env, "values / out");
        return NULL;
    }
    if ((*env)->GetArrayLength(env, out_ints) != 10 || (*env)->GetArrayLength(env, out_matched) != 1) {
        throw_iae(env, "array lengths");
        return NULL;
    }
    n = (*env)->GetArrayLength(env, values);
    v = (jint *)malloc((size_t)n * sizeof(jint) + 1);
    if (!v) {
        jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
        if (oom) (*env)->ThrowNew(env, oom, "classifyValues");
        return NULL;
    }
    (*env)->GetIntArrayRegion(env, values, 0, n, v);
    rc = vigil_classify_values(&a, &json, plan_of(plan), (const uint32_t *)v, (size_t)n, product);
    free(v);
    if (rc != VIGIL_OK) {
        throw_status(env, rc);
        return NULL;
    }
    put_assessment(env, &a, out_ints, out_matched);
    return take_bytes(env, json);
}

/* Many clusters by the plan's facts (vigil_classify_columns): columns[i] null or `count` values of
 * fact i (at most the plan's fact count); products null or `count` indices; grades_out `count`;
 * matched_out null or count × match words; warnings_out, responses_out null or `count`. */
JNIEXPORT void JNICALL Java_vigil_Native_classifyColumns(JNIEnv *env, jclass cls, jlong plan, jint count,
                                                         jobjectArray columns, jbyteArray products, jbyteArray grades_out,
                                                         jlongArray matched_out, jbyteArray warnings_out,
                                                         jbyteArray responses_out) {
    const size_t facts = vigil_plan_fact_count(plan_of(plan)), words = vigil_plan_match_words(plan_of(plan));
    const uint32_t **ptrs = NULL;
    uint32_t **copies = NULL;
    uint8_t *prod = NULL, *grades = NULL, *warnings = NULL, *responses = NULL;
    uint64_t *matched = NULL;
    jsize ncols = 0, k;
    int rc = VIGIL_OK, ok = 1;
    (void)cls;
    if (count < 0 || !grades_out || (*env)->GetArrayLength(env, grades_out) < count ||
        (matched_out && (size_t)(*env)->GetArrayLength(env, matched_out) < (size_t)count * words) ||
        (warnings_out && (*env)->GetArrayLength(env, warnings_out) < count) ||
        (responses_out && (*env)->GetArrayLength(env, responses_out) < count) ||
        (products && (*env)->GetArrayLength(env, products) != count)) {
        throw_iae(env, "classifyColumns: count and array lengths disagree");
        return;
    }
    if (columns) ncols = (*env)->GetArrayLength(env, columns);
    if ((size_t)ncols > facts) {
        throw_iae(env, "classifyColumns: more columns than the plan has facts");
        return;
    }
    ptrs = (const uint32_t **)calloc((size_t)ncols + 1, sizeof *ptrs);
    copies = (uint32_t **)calloc((size_t)ncols + 1, sizeof *copies);
    if (!ptrs || !copies) ok = 0;
    for (k = 0; ok && k < ncols; ++k) {
        jintArray col = (jintArray)(*env)->GetObjectArrayElement(env, columns, k);
        if (!col) continue;
        if ((*env)->GetArrayLength(env, col) != count) {
            throw_iae(env, "classifyColumns: a column's length is not count");
            ok = 0;
        } else if (!(copies[k] = (uint32_t *)malloc((size_t)count * 4 + 1))) {
            ok = 0;
        } else {
            (*env)->GetIntArrayRegion(env, col, 0, count, (jint *)copies[k]);
            ptrs[k] = copies[k];
        }
        (*env)->DeleteLocalRef(env, col);
    }
    if (ok && products) {
        prod = (uint8_t *)malloc((size_t)count + 1);
        if (prod) (*env)->GetByteArrayRegion(env, products, 0, count, (jbyte *)prod);
        else ok = 0;
    }
    if (ok) {
        grades = (uint8_t *)malloc((size_t)count + 1);
        if (matched_out) matched = (uint64_t *)malloc((size_t)count * words * 8 + 1);
        if (warnings_out) warnings = (uint8_t *)malloc((size_t)count + 1);
        if (responses_out) responses = (uint8_t *)malloc((size_t)count + 1);
        if (!grades || (matched_out && !matched) || (warnings_out && !warnings) || (responses_out && !responses)) ok = 0;
    }
    if (ok) {
        rc = vigil_classify_columns(grades, matched, warnings, responses, plan_of(plan), (size_t)count, ptrs,
                                    (size_t)ncols, prod);
        if (rc == VIGIL_OK) {
            (*env)->SetByteArrayRegion(env, grades_out, 0, count, (const jbyte *)grades);
            if (matched) (*env)->SetLongArrayRegion(env, matched_out, 0, (jsize)((size_t)count * words), (const jlong *)matched);
            if (warnings) (*env)->SetByteArrayRegion(env, warnings_out, 0, count, (const jbyte *)warnings);
            if (responses) (*env)->SetByteArrayRegion(env, responses_out, 0, count, (const jbyte *)responses);
        } else {
            throw_status(env, rc);
        }
    } else if (!(*env)->ExceptionCheck(env)) {
        jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
        if (oom) (*env)->ThrowNew(env, oom, "classifyColumns");
    }
    for (k = 0; copies && k < ncols; ++k) free(copies[k]);
    free(copies);
    free((void *)ptrs);
    free(prod);
    free(grades);
    free(matched);
    free(warnings);
    free(responses);
}

/* A Java UTF-8 byte[] as a NUL-terminated C string (malloc'ed; the caller frees it); NULL with an
 * exception thrown when `b` is null, holds a NUL or memory runs out. */
static char *c_string(JNIEnv *env, jbyteArray b, const char *what) {
    jsize n;
    char *s;
    if (!b) {
        throw_npe(env, what);
        return NULL;
    }
    n = (*env)->GetArrayLength(env, b);
    s = (char *)malloc((size_t)n + 1);
    if (!s) {
        jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
        if (oom) (*env)->ThrowNew(env, oom, what);
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, b, 0, n, (jbyte *)s);
    s[n] = '\0';
    if (memchr(s, '\0', (size_t)n)) {
        free(s);
        throw_iae(env, what);
        return NULL;
    }
    return s;
}

/* The roll-up of the plan's own spread facts (vigil_rollup_values): the events as parallel arrays
 * (product indices, product ids and area codes as UTF-8, grades 0 none … 4 I); the JSON answer as
 * UTF-8 bytes (docs/json.md, roll-up). */
JNIEXPORT jbyteArray JNICALL Java_vigil_Native_rollupValues(JNIEnv *env, jclass cls, jlong plan, jintArray products,
                                                            jobjectArray product_ids, jobjectArray areas, jintArray grades,
                                                            jint product, jbyteArray product_id, jbyteArray target) {
    vigil_local_event *ev = NULL;
    char **texts = NULL;
    char *pid = NULL, *area = NULL, *json = NULL;
    jint *prod = NULL, *grade = NULL;
    jsize n, k, made = 0;
    int rc = VIGIL_OK, ok = 1;
    (void)cls;
    if (!products || !product_ids || !areas || !grades) {
        throw_npe(env, "rollupValues: events");
        return NULL;
    }
    n = (*env)->GetArrayLength(env, products);
    if ((*env)->GetArrayLength(env, product_ids) != n || (*env)->GetArrayLength(env, areas) != n ||
        (*env)->GetArrayLength(env, grades) != n) {
        throw_iae(env, "rollupValues: the events' arrays differ in length");
        return NULL;
    }
    ev = (vigil_local_event *)calloc((size_t)n + 1, sizeof *ev);
    texts = (char **)calloc(2 * (size_t)n + 1, sizeof *texts);
    prod = (jint *)malloc((size_t)n * sizeof(jint) + 1);
    grade = (jint *)malloc((size_t)n * sizeof(jint) + 1);
    if (!ev || !texts || !prod || !grade) {
        jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
        if (oom) (*env)->ThrowNew(env, oom, "rollupValues");
        ok = 0;
    }
    if (ok) {
        (*env)->GetIntArrayRegion(env, products, 0, n, prod);
        (*env)->GetIntArrayRegion(env, grades, 0, n, grade);
        for (k = 0; k < n && ok; ++k) {
            jbyteArray a = (jbyteArray)(*env)->GetObjectArrayElement(env, product_ids, k);
            jbyteArray b = (jbyteArray)(*env)->GetObjectArrayElement(env, areas, k);
            texts[made] = c_string(env, a, "rollupValues: an event's product id");
            if (texts[made]) ++made;
            else ok = 0;
            if (ok) {
                texts[made] = c_string(env, b, "rollupValues: an event's area");
                if (texts[made]) ++made;
                else ok = 0;
            }
            if (a) (*env)->DeleteLocalRef(env, a);
            if (b) (*env)->DeleteLocalRef(env, b);
            if (ok) {
                ev[k].product = prod[k];
                ev[k].product_id = texts[made - 2];
                ev[k].area = texts[made - 1];
                ev[k].grade = grade[k];
            }
        }
    }
    if (ok) pid = c_string(env, product_id, "rollupValues: productId");
    if (ok && pid) area = c_string(env, target, "rollupValues: target");
    if (ok && pid && area) {
        rc = vigil_rollup_values(NULL, 0, &json, plan_of(plan), ev, (size_t)n, product, pid, area);
        if (rc != VIGIL_OK) throw_status(env, rc);
    }
    for (k = 0; k < made; ++k) free(texts[k]);
    free(texts);
    free(ev);
    free(prod);
    free(grade);
    free(pid);
    free(area);
    return rc == VIGIL_OK && json ? take_bytes(env, json) : NULL;
}
