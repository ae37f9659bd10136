/* bindings/java/jni/vigil_jni_reporting.c — the JNI functions of vigil.NativeReporting over vigil.h:
 * the working-day calendar, deadlines and their audit, and incidents kept in their event log.
 * Text crosses as UTF-8 byte[] both ways (Java encodes and decodes it), so every character is exact;
 * instants as seconds since the epoch (Long.MIN_VALUE is VIGIL_TIME_NONE). */
#include "jni_support.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A Java byte[] of UTF-8 as a NUL-terminated copy (free() it). NULL in: NULL out, *size 0. */
static char *dup_utf8(JNIEnv *env, jbyteArray a, size_t *size) {
    jsize n;
    char *s;
    if (size) *size = 0;
    if (!a) return NULL;
    n = (*env)->GetArrayLength(env, a);
    s = (char *)malloc((size_t)n + 1);
    if (!s) {
        jclass cls = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
        if (cls) (*env)->ThrowNew(env, cls, "vigil: copying a string");
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, a, 0, n, (jbyte *)s);
    s[n] = '\0';
    if (size) *size = (size_t)n;
    return s;
}

static vigil_plan *plan_of(jlong h) { return (vigil_plan *)(intptr_t)h; }
static vigil_calendar *calendar_of(jlong h) { return (vigil_calendar *)(intptr_t)h; }
static vigil_incident *incident_of(jlong h) { return (vigil_incident *)(intptr_t)h; }

/* ------------------------------------------------------------------------------------ calendar */

JNIEXPORT jlong JNICALL Java_vigil_NativeReporting_calendarBuiltin(JNIEnv *env, jclass cls) {
    vigil_calendar *cal = NULL;
    int rc;
    (void)cls;
    rc = vigil_calendar_builtin(&cal);
    if (rc != VIGIL_OK) throw_status(env, rc);
    return (jlong)(intptr_t)cal;
}

JNIEXPORT jlong JNICALL Java_vigil_NativeReporting_calendarLoadFile(JNIEnv *env, jclass cls, jbyteArray path) {
    vigil_calendar *cal = NULL;
    char *p;
    int rc;
    (void)cls;
    if (!path) {
        throw_npe(env, "path");
        return 0;
    }
    if (!(p = dup_utf8(env, path, NULL))) return 0;
    rc = vigil_calendar_load_file(&cal, p);
    free(p);
    if (rc != VIGIL_OK) throw_status(env, rc);
    return (jlong)(intptr_t)cal;
}

JNIEXPORT jlong JNICALL Java_vigil_NativeReporting_calendarLoadBuffer(JNIEnv *env, jclass cls, jbyteArray csv,
                                                                     jbyteArray source) {
    vigil_calendar *cal = NULL;
    char *text, *src = NULL;
    size_t n = 0;
    int rc;
    (void)cls;
    if (!csv) {
        throw_npe(env, "csv");
        return 0;
    }
    if (!(text = dup_utf8(env, csv, &n))) return 0;
    if (source && !(src = dup_utf8(env, source, NULL))) {
        free(text);
        return 0;
    }
    rc = vigil_calendar_load_buffer(&cal, text, n, src);
    free(src);
    free(text);
    if (rc != VIGIL_OK) throw_status(env, rc);
    return (jlong)(intptr_t)cal;
}

JNIEXPORT jlong JNICALL Java_vigil_NativeReporting_calendarProvisional(JNIEnv *env, jclass cls, jlong cal) {
    vigil_calendar *out = NULL;
    int rc;
    (void)cls;
    rc = vigil_calendar_provisional(&out, calendar_of(cal));
    if (rc != VIGIL_OK) throw_status(env, rc);
    return (jlong)(intptr_t)out;
}

JNIEXPORT void JNICALL Java_vigil_NativeReporting_calendarFree(JNIEnv *env, jclass cls, jlong cal) {
    (void)env;
    (void)cls;
    vigil_calendar_free(calendar_of(cal));
}

JNIEXPORT jboolean JNICALL Java_vigil_NativeReporting_calendarIsWorkingDay(JNIEnv *env, jclass cls, jlong cal,
                                                                          jlong time) {
    int out = 0, rc;
    (void)cls;
    rc = vigil_calendar_is_working_day(&out, calendar_of(cal), (int64_t)time);
    if (rc != VIGIL_OK) throw_status(env, rc);
    return out ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jlong JNICALL Java_vigil_NativeReporting_calendarAddWorkingDays(JNIEnv *env, jclass cls, jlong cal,
                                                                         jlong time, jint n) {
    int64_t out = 0;
    int rc;
    (void)cls;
    rc = vigil_calendar_add_working_days(&out, calendar_of(cal), (int64_t)time, (int32_t)n);
    if (rc != VIGIL_OK) throw_status(env, rc);
    return (jlong)out;
}

/* ------------------------------------------------------------------------------------ deadlines */

typedef int (*report_fn)(char **, const vigil_plan *, const vigil_calendar *, const char *, size_t, int64_t);

static jbyteArray reports(JNIEnv *env, report_fn fn, jlong plan, jlong cal, jbyteArray timeline, jlong as_of) {
    char *json = NULL, *text;
    size_t n = 0;
    int rc;
    if (!timeline) {
        throw_npe(env, "timeline");
        return NULL;
    }
    if (!(text = dup_utf8(env, timeline, &n))) return NULL;
    rc = fn(&json, plan_of(plan), calendar_of(cal), text, n, (int64_t)as_of);
    free(text);
    if (rc != VIGIL_OK) {
        throw_status(env, rc);
        return NULL;
    }
    return take_bytes(env, json);
}

JNIEXPORT jbyteArray JNICALL Java_vigil_NativeReporting_deadlinesJson(JNIEnv *env, jclass cls, jlong plan, jlong cal,
                                                                     jbyteArray timeline, jlong as_of) {
    (void)cls;
    return reports(env, vigil_deadlines_json, plan, cal, timeline, as_of);
}

JNIEXPORT jbyteArray JNICALL Java_vigil_NativeReporting_auditJson(JNIEnv *env, jclass cls, jlong plan, jlong cal,
                                                                 jbyteArray timeline, jlong as_of) {
    (void)cls;
    return reports(env, vigil_audit_json, plan, cal, timeline, as_of);
}

/* ------------------------------------------------------------------------------------ incidents */

JNIEXPORT jlong JNICALL Java_vigil_NativeReporting_incidentCreate(JNIEnv *env, jclass cls, jlong plan, jbyteArray path,
                                                                 jbyteArray id, jlong time, jlong occurred_at,
                                                                 jbyteArray unit, jbyteArray role) {
    vigil_incident *inc = NULL;
    char *p = NULL, *i = NULL, *u = NULL, *r = NULL;
    int rc = VIGIL_OK;
    (void)cls;
    if (!path || !id || !unit) {
        throw_npe(env, !path ? "path" : !id ? "id" : "unit");
        return 0;
    }
    p = dup_utf8(env, path, NULL);
    i = p ? dup_utf8(env, id, NULL) : NULL;
    u = i ? dup_utf8(env, unit, NULL) : NULL;
    r = (u && role) ? dup_utf8(env, role, NULL) : NULL;
    if (u && (!role || r))
        rc = vigil_incident_create_v2(&inc, plan_of(plan), p, i, (int64_t)time, (int64_t)occurred_at, u, r);
    free(p);
    free(i);
    free(u);
    free(r);
    if (rc != VIGIL_OK) throw_status(env, rc);
    return (jlong)(intptr_t)inc;
}

JNIEXPORT jlong JNICALL Java_vigil_NativeReporting_incidentOpen(JNIEnv *env, jclass cls, jlong plan, jbyteArray path) {
    vigil_incident *inc = NULL;
    char *p;
    int rc;
    (void)cls;
    if (!path) {
        throw_npe(env, "path");
        return 0;
    }
    if (!(p = dup_utf8(env, path, NULL))) return 0;
    rc = vigil_incident_open(&inc, plan_of(plan), p);
    free(p);
    if (rc != VIGIL_OK) throw_status(env, rc);
    return (jlong)(intptr_t)inc;
}

JNIEXPORT jbyteArray JNICALL Java_vigil_NativeReporting_incidentPlanId(JNIEnv *env, jclass cls, jbyteArray path) {
    char *out = NULL, *p;
    int rc;
    (void)cls;
    if (!path) {
        throw_npe(env, "path");
        return NULL;
    }
    if (!(p = dup_utf8(env, path, NULL))) return NULL;
    rc = vigil_incident_plan_id(&out, p);
    free(p);
    if (rc != VIGIL_OK) {
        throw_status(env, rc);
        return NULL;
    }
    return take_bytes(env, out);
}

JNIEXPORT void JNICALL Java_vigil_NativeReporting_incidentFree(JNIEnv *env, jclass cls, jlong inc) {
    (void)env;
    (void)cls;
    vigil_incident_free(incident_of(inc));
}

/* A call that reads UTF-8 text and gives JSON: vigil_incident_apply, vigil_incident_replay_json. */
typedef int (*text_fn)(char **, void *, const char *, size_t);

static jbyteArray text_call(JNIEnv *env, text_fn fn, void *handle, jbyteArray in, const char *what) {
    char *json = NULL, *text;
    size_t n = 0;
    int rc;
    if (!in) {
        throw_npe(env, what);
        return NULL;
    }
    if (!(text = dup_utf8(env, in, &n))) return NULL;
    rc = fn(&json, handle, text, n);
    free(text);
    if (rc != VIGIL_OK) {
        throw_status(env, rc);
        return NULL;
    }
    return take_bytes(env, json);
}

static int apply_fn(char **out, void *inc, const char *text, size_t n) {
    return vigil_incident_apply(out, (vigil_incident *)inc, text, n);
}

static int replay_fn(char **out, void *plan, const char *text, size_t n) {
    return vigil_incident_replay_json(out, (const vigil_plan *)plan, text, n);
}

JNIEXPORT jbyteArray JNICALL Java_vigil_NativeReporting_incidentApply(JNIEnv *env, jclass cls, jlong inc,
                                                                     jbyteArray event) {
    (void)cls;
    return text_call(env, apply_fn, incident_of(inc), event, "event");
}

JNIEXPORT jbyteArray JNICALL Java_vigil_NativeReporting_incidentStateJson(JNIEnv *env, jclass cls, jlong inc) {
    char *json = NULL;
    int rc;
    (void)cls;
    rc = vigil_incident_state_json(&json, incident_of(inc));
    if (rc != VIGIL_OK) {
        throw_status(env, rc);
        return NULL;
    }
    return take_bytes(env, json);
}

JNIEXPORT jbyteArray JNICALL Java_vigil_NativeReporting_incidentReplayJson(JNIEnv *env, jclass cls, jlong plan,
                                                                          jbyteArray log) {
    (void)cls;
    return text_call(env, replay_fn, plan_of(plan), log, "log");
}
