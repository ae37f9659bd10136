/* bindings/java/jni/vigil_jni.c — the JNI functions of vigil.Native over vigil.h.
 * Each calls one vigil_* function; a negative status becomes a thrown vigil.VigilException(status,
 * vigil_last_error()). Handles cross as jlong; strings from the library are UTF-8 JSON or names. */
#include "jni_support.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static jobjectArray string_array(JNIEnv *env, int32_t n, const char *(*get)(const void *, int32_t), const void *arg) {
    jclass cls = (*env)->FindClass(env, "java/lang/String");
    jobjectArray out;
    int32_t i;
    if (!cls) return NULL;
    out = (*env)->NewObjectArray(env, n, cls, NULL);
    for (i = 0; out && i < n; ++i) {
        jstring s = (*env)->NewStringUTF(env, get(arg, i));
        if (!s) return NULL;
        (*env)->SetObjectArrayElement(env, out, i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return out;
}

static const char *builtin_name(const void *unused, int32_t i) {
    (void)unused;
    return vigil_builtin_plan_name(i);
}

static const char *clause_of(const void *plan, int32_t i) {
    return vigil_plan_criterion_clause((const vigil_plan *)plan, i);
}

static vigil_plan *plan_of(jlong h) { return (vigil_plan *)(intptr_t)h; }

JNIEXPORT jstring JNICALL Java_vigil_Native_versionString(JNIEnv *env, jclass cls) {
    (void)cls;
    return (*env)->NewStringUTF(env, vigil_version_string());
}

JNIEXPORT jint JNICALL Java_vigil_Native_versionNumber(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return vigil_version_number();
}

JNIEXPORT jint JNICALL Java_vigil_Native_abiVersion(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return vigil_abi_version();
}

JNIEXPORT jstring JNICALL Java_vigil_Native_statusString(JNIEnv *env, jclass cls, jint status) {
    (void)cls;
    return (*env)->NewStringUTF(env, vigil_status_string(status));
}

JNIEXPORT jobjectArray JNICALL Java_vigil_Native_builtinPlans(JNIEnv *env, jclass cls) {
    (void)cls;
    return string_array(env, vigil_builtin_plan_count(), builtin_name, NULL);
}

/* Modified UTF-8 from GetStringUTFChars equals UTF-8 for every character but U+0000 and those
 * outside the BMP; names and paths in vigil are in the BMP. */
JNIEXPORT jlong JNICALL Java_vigil_Native_planBuiltin(JNIEnv *env, jclass cls, jstring name) {
    vigil_plan *plan = NULL;
    const char *s;
    int rc;
    (void)cls;
    if (!name) {
        throw_npe(env, "name");
        return 0;
    }
    s = (*env)->GetStringUTFChars(env, name, NULL);
    if (!s) return 0;
    rc = vigil_plan_builtin(&plan, s);
    (*env)->ReleaseStringUTFChars(env, name, s);
    if (rc != VIGIL_OK) throw_status(env, rc);
    return (jlong)(intptr_t)plan;
}

JNIEXPORT jlong JNICALL Java_vigil_Native_planLoadFile(JNIEnv *env, jclass cls, jstring path) {
    vigil_plan *plan = NULL;
    const char *s;
    int rc;
    (void)cls;
    if (!path) {
        throw_npe(env, "path");
        return 0;
    }
    s = (*env)->GetStringUTFChars(env, path, NULL);
    if (!s) return 0;
    rc = vigil_plan_load_file(&plan, s);
    (*env)->ReleaseStringUTFChars(env, path, s);
    if (rc != VIGIL_OK) throw_status(env, rc);
    return (jlong)(intptr_t)plan;
}

JNIEXPORT jlong JNICALL Java_vigil_Native_planLoadBuffer(JNIEnv *env, jclass cls, jbyteArray utf8, jstring source) {
    vigil_plan *plan = NULL;
    const char *src = NULL;
    jbyte *bytes;
    jsize n;
    int rc;
    (void)cls;
    if (!utf8) {
        throw_npe(env, "text");
        return 0;
    }
    n = (*env)->GetArrayLength(env, utf8);
    bytes = (*env)->GetByteArrayElements(env, utf8, NULL);
    if (!bytes) return 0;
    if (source) src = (*env)->GetStringUTFChars(env, source, NULL);
    rc = vigil_plan_load_buffer(&plan, (const char *)bytes, (size_t)n, src);
    if (src) (*env)->ReleaseStringUTFChars(env, source, src);
    (*env)->ReleaseByteArrayElements(env, utf8, bytes, JNI_ABORT);
    if (rc != VIGIL_OK) throw_status(env, rc);
    return (jlong)(intptr_t)plan;
}

JNIEXPORT void JNICALL Java_vigil_Native_planFree(JNIEnv *env, jclass cls, jlong plan) {
    (void)env;
    (void)cls;
    vigil_plan_free(plan_of(plan));
}

JNIEXPORT jstring JNICALL Java_vigil_Native_planId(JNIEnv *env, jclass cls, jlong plan) {
    (void)cls;
    return (*env)->NewStringUTF(env, vigil_plan_id(plan_of(plan)));
}

JNIEXPORT jobjectArray JNICALL Java_vigil_Native_planClauses(JNIEnv *env, jclass cls, jlong plan) {
    (void)cls;
    return string_array(env, vigil_plan_criterion_count(plan_of(plan)), clause_of, plan_of(plan));
}

JNIEXPORT jstring JNICALL Java_vigil_Native_planInfoJson(JNIEnv *env, jclass cls, jlong plan) {
    char *json = NULL;
    int rc;
    (void)cls;
    rc = vigil_plan_info_json(&json, plan_of(plan));
    if (rc != VIGIL_OK) {
        throw_status(env, rc);
        return NULL;
    }
    return take_string(env, json);
}

JNIEXPORT jstring JNICALL Java_vigil_Native_classify(JNIEnv *env, jclass cls, jlong plan, jintArray facts, jint product,
                                                     jintArray modifiers, jintArray out_ints, jlongArray out_matched) {
    vigil_facts f;
    vigil_modifiers m;
    vigil_assessment a;
    jint v[VIGIL_FACT_COUNT], mv[VIGIL_MODIFIER_COUNT];
    char *json = NULL;
    int rc;
    (void)cls;
    if (!facts || !out_ints || !out_matched) {
        throw_npe(env, "facts / out");
        return NULL;
    }
    if ((*env)->GetArrayLength(env, facts) != VIGIL_FACT_COUNT || (*env)->GetArrayLength(env, out_ints) != 10 ||
        (*env)->GetArrayLength(env, out_matched) != 1 ||
        (modifiers && (*env)->GetArrayLength(env, modifiers) != VIGIL_MODIFIER_COUNT)) {
        throw_iae(env, "array lengths");
        return NULL;
    }
    (*env)->GetIntArrayRegion(env, facts, 0, VIGIL_FACT_COUNT, v);
    memset(&f, 0, sizeof f);
    f.rare_cases = (uint32_t)v[0];
    f.severe_cases = (uint32_t)v[1];
    f.deaths = (uint32_t)v[2];
    f.similar_cases_nearby = v[3];
    f.provinces_with_II = (uint32_t)v[4];
    f.prefectures_with_III = (uint32_t)v[5];
    f.counties_with_III = (uint32_t)v[6];
    f.counties_with_IV = (uint32_t)v[7];
    f.streets_with_IV = (uint32_t)v[8];
    f.product = product;
    memset(&m, 0, sizeof m);
    if (modifiers) {
        (*env)->GetIntArrayRegion(env, modifiers, 0, VIGIL_MODIFIER_COUNT, mv);
        m.possible_grade = mv[0];
        m.sensitive = mv[1];
        m.key_period = mv[2];
        m.spreading = mv[3];
        m.wide_or_complex = mv[4];
        m.controlled = mv[5];
    }
    rc = vigil_classify_ex(&a, &json, plan_of(plan), &f, modifiers ? &m : NULL, NULL);
    if (rc != VIGIL_OK) {
        throw_status(env, rc);
        return NULL;
    }
    put_assessment(env, &a, out_ints, out_matched);
    return take_string(env, json);
}

JNIEXPORT void JNICALL Java_vigil_Native_classifyBatch(JNIEnv *env, jclass cls, jlong plan, jint count,
                                                       jobjectArray columns, jbyteArray products, jbyteArray grades_out,
                                                       jlongArray matched_out) {
    /* The columns are copied out of the Java heap once (GetIntArrayRegion), then one call grades
     * them all. Direct ByteBuffers would avoid the copy; arrays keep the example simple. */
    const uint32_t *ptrs[VIGIL_FACT_COUNT];
    uint32_t *copies[VIGIL_FACT_COUNT];
    uint8_t *prod = NULL, *grades = NULL;
    uint64_t *matched = NULL;
    jsize ncols = 0, k;
    int rc = VIGIL_OK, ok = 1;
    (void)cls;
    memset(ptrs, 0, sizeof ptrs);
    memset(copies, 0, sizeof copies);
    if (count < 0 || !grades_out || (*env)->GetArrayLength(env, grades_out) < count ||
        (matched_out && (*env)->GetArrayLength(env, matched_out) < count) ||
        (products && (*env)->GetArrayLength(env, products) != count)) {
        throw_iae(env, "classifyBatch: count and array lengths disagree");
        return;
    }
    if (columns) ncols = (*env)->GetArrayLength(env, columns);
    if (ncols > VIGIL_FACT_COUNT) {
        throw_iae(env, "classifyBatch: more columns than facts");
        return;
    }
    for (k = 0; ok && k < ncols; ++k) {
        jintArray col = (jintArray)(*env)->GetObjectArrayElement(env, columns, k);
        if (!col) continue;
        if ((*env)->GetArrayLength(env, col) != count) {
            throw_iae(env, "classifyBatch: a column's length is not count");
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
        if (matched_out) matched = (uint64_t *)malloc((size_t)count * 8 + 1);
        if (!grades || (matched_out && !matched)) ok = 0;
    }
    if (ok) {
        rc = vigil_classify_batch(grades, matched, plan_of(plan), (size_t)count, ptrs, (size_t)ncols, prod);
        if (rc == VIGIL_OK) {
            (*env)->SetByteArrayRegion(env, grades_out, 0, count, (const jbyte *)grades);
            if (matched) (*env)->SetLongArrayRegion(env, matched_out, 0, count, (const jlong *)matched);
        } else {
            throw_status(env, rc);
        }
    } else if (!(*env)->ExceptionCheck(env)) {
        jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
        if (oom) (*env)->ThrowNew(env, oom, "classifyBatch");
    }
    for (k = 0; k < VIGIL_FACT_COUNT; ++k) free(copies[k]);
    free(prod);
    free(grades);
    free(matched);
}
