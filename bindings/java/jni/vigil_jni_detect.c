/* bindings/java/jni/vigil_jni_detect.c — the JNI functions of vigil.NativeDetect over vigil.h: the
 * streaming detector (vigil_detector_*), fed case reports in batches. A batch crosses as columns —
 * the text fields as UTF-8 byte[] (9 a report, NULL for an absent optional field), the product
 * indexes, the two instants a report in seconds since the epoch, the flag bits — and becomes one
 * array of vigil_case_report; the alerts and clusters come back as the library's JSON Lines bytes. */
#include "jni_support.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text fields of a report, in the order of the byte[][] column (Detector.java TEXT_FIELDS). */
#define TEXT_FIELDS 9
static const char *const text_field[TEXT_FIELDS] = {"report_id", "patient_id", "product_id",  "product_name", "batch",
                                                    "maker",     "dosage_form", "strength", "area_code"};

static vigil_plan *plan_of(jlong h) { return (vigil_plan *)(intptr_t)h; }
static vigil_detector *detector_of(jlong h) { return (vigil_detector *)(intptr_t)h; }

static void throw_oom(JNIEnv *env) {
    jclass cls = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
    if (cls) (*env)->ThrowNew(env, cls, "vigil: copying a batch of reports");
}

JNIEXPORT jlong JNICALL Java_vigil_NativeDetect_detectorCreate(JNIEnv *env, jclass cls, jlong plan, jint max_delay_days,
                                                              jint level_mask) {
    vigil_detector *d = NULL;
    int rc;
    (void)cls;
    rc = vigil_detector_create(&d, plan_of(plan), (int32_t)max_delay_days, (uint32_t)level_mask);
    if (rc != VIGIL_OK) throw_status(env, rc);
    return (jlong)(intptr_t)d;
}

JNIEXPORT void JNICALL Java_vigil_NativeDetect_detectorFree(JNIEnv *env, jclass cls, jlong d) {
    (void)env;
    (void)cls;
    vigil_detector_free(detector_of(d));
}

/* Copy the 9 * count text fields into one block of NUL-terminated strings; out[k] points into it
 * (NULL for a NULL element). A field holding U+0000 would be cut short in C: refused, naming it.
 * Returns the block (free() it), or NULL with a Java exception pending. */
static char *copy_texts(JNIEnv *env, jobjectArray texts, jsize count, const char **out) {
    jsize total = TEXT_FIELDS * count, k;
    size_t bytes = 1, at = 0;
    char *block;
    for (k = 0; k < total; ++k) {
        jbyteArray a = (jbyteArray)(*env)->GetObjectArrayElement(env, texts, k);
        if ((*env)->ExceptionCheck(env)) return NULL;
        if (a) {
            bytes += (size_t)(*env)->GetArrayLength(env, a) + 1;
            (*env)->DeleteLocalRef(env, a);
        }
    }
    if (!(block = (char *)malloc(bytes))) {
        throw_oom(env);
        return NULL;
    }
    for (k = 0; k < total; ++k) {
        jbyteArray a = (jbyteArray)(*env)->GetObjectArrayElement(env, texts, k);
        jsize n;
        if ((*env)->ExceptionCheck(env)) {
            free(block);
            return NULL;
        }
        if (!a) {
            out[k] = NULL;
            continue;
        }
        n = (*env)->GetArrayLength(env, a);
        if (at + (size_t)n + 1 > bytes) { /* the array changed under us: another thread wrote it */
            (*env)->DeleteLocalRef(env, a);
            free(block);
            throw_iae(env, "reports: a batch changed while it was being fed");
            return NULL;
        }
        (*env)->GetByteArrayRegion(env, a, 0, n, (jbyte *)(block + at));
        (*env)->DeleteLocalRef(env, a);
        block[at + (size_t)n] = '\0';
        if (memchr(block + at, '\0', (size_t)n)) {
            char what[96];
            snprintf(what, sizeof what, "reports[%ld].%s: contains U+0000; expected text without it",
                     (long)(k / TEXT_FIELDS), text_field[k % TEXT_FIELDS]);
            free(block);
            throw_iae(env, what);
            return NULL;
        }
        out[k] = block + at;
        at += (size_t)n + 1;
    }
    return block;
}

JNIEXPORT jbyteArray JNICALL Java_vigil_NativeDetect_detectorFeed(JNIEnv *env, jclass cls, jlong d, jobjectArray texts,
                                                                 jintArray kinds, jlongArray times, jintArray flags,
                                                                 jlongArray out_count) {
    jsize count, i;
    const char **fields = NULL;
    char *block = NULL, *alerts = NULL;
    vigil_case_report *batch = NULL;
    jint *k = NULL, *f = NULL;
    jlong *t = NULL;
    size_t n = 0;
    int rc;
    (void)cls;
    if (!texts || !kinds || !times || !flags || !out_count) {
        throw_npe(env, "detectorFeed: a column is null");
        return NULL;
    }
    count = (*env)->GetArrayLength(env, kinds);
    if ((*env)->GetArrayLength(env, texts) != TEXT_FIELDS * count || (*env)->GetArrayLength(env, times) != 2 * count ||
        (*env)->GetArrayLength(env, flags) != count || (*env)->GetArrayLength(env, out_count) < 1) {
        throw_iae(env, "detectorFeed: columns of different lengths");
        return NULL;
    }
    if (count > 0) {
        fields = (const char **)calloc((size_t)TEXT_FIELDS * (size_t)count, sizeof *fields);
        batch = (vigil_case_report *)calloc((size_t)count, sizeof *batch);
        if (!fields || !batch) {
            free(fields);
            free(batch);
            throw_oom(env);
            return NULL;
        }
        if (!(block = copy_texts(env, texts, count, fields))) {
            free(fields);
            free(batch);
            return NULL;
        }
        k = (*env)->GetIntArrayElements(env, kinds, NULL);
        t = k ? (*env)->GetLongArrayElements(env, times, NULL) : NULL;
        f = t ? (*env)->GetIntArrayElements(env, flags, NULL) : NULL;
        if (f) {
            for (i = 0; i < count; ++i) {
                const char **s = fields + (size_t)TEXT_FIELDS * (size_t)i;
                vigil_case_report *r = batch + i;
                r->report_id = s[0];
                r->patient_id = s[1];
                r->product_id = s[2];
                r->product_name = s[3];
                r->batch = s[4];
                r->maker = s[5];
                r->dosage_form = s[6];
                r->strength = s[7];
                r->area_code = s[8];
                r->product_kind = (int32_t)k[i];
                r->onset_time = (int64_t)t[2 * i];
                r->received_time = (int64_t)t[2 * i + 1];
                r->flags = (uint32_t)f[i];
            }
        }
        if (f) (*env)->ReleaseIntArrayElements(env, flags, f, JNI_ABORT);
        if (t) (*env)->ReleaseLongArrayElements(env, times, t, JNI_ABORT);
        if (k) (*env)->ReleaseIntArrayElements(env, kinds, k, JNI_ABORT);
        if (!f) { /* OutOfMemoryError pending */
            free(block);
            free(fields);
            free(batch);
            return NULL;
        }
    }
    rc = vigil_detector_feed(&alerts, &n, detector_of(d), batch, (size_t)count);
    free(block);
    free(fields);
    free(batch);
    if (rc != VIGIL_OK) {
        throw_status(env, rc);
        return NULL;
    }
    {
        jlong c = (jlong)n;
        (*env)->SetLongArrayRegion(env, out_count, 0, 1, &c);
    }
    return take_bytes(env, alerts);
}

JNIEXPORT jbyteArray JNICALL Java_vigil_NativeDetect_detectorClustersJson(JNIEnv *env, jclass cls, jlong d, jboolean all) {
    char *json = NULL;
    int rc;
    (void)cls;
    rc = vigil_detector_clusters_json(&json, detector_of(d), all ? 1 : 0);
    if (rc != VIGIL_OK) {
        throw_status(env, rc);
        return NULL;
    }
    return take_bytes(env, json);
}

/* taken, duplicates, too_late, alerts, kept */
JNIEXPORT jlongArray JNICALL Java_vigil_NativeDetect_detectorStats(JNIEnv *env, jclass cls, jlong d) {
    vigil_detector_counts c;
    jlong v[5];
    jlongArray out;
    int rc;
    (void)cls;
    rc = vigil_detector_stats(&c, detector_of(d));
    if (rc != VIGIL_OK) {
        throw_status(env, rc);
        return NULL;
    }
    v[0] = (jlong)c.taken;
    v[1] = (jlong)c.duplicates;
    v[2] = (jlong)c.too_late;
    v[3] = (jlong)c.alerts;
    v[4] = (jlong)c.kept;
    out = (*env)->NewLongArray(env, 5);
    if (out) (*env)->SetLongArrayRegion(env, out, 0, 5, v);
    return out;
}
