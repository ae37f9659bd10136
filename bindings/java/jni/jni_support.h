/* bindings/java/jni/jni_support.h — what the JNI sources share: a failed status thrown as a
 * vigil.VigilException(status, vigil_last_error()), Java's own exceptions for bad arguments, and
 * library-owned strings handed to Java. */
#ifndef VIGIL_JNI_SUPPORT_H
#define VIGIL_JNI_SUPPORT_H

#include <jni.h>
#include <vigil/vigil.h>

static inline void throw_status(JNIEnv *env, int status) {
    jclass cls = (*env)->FindClass(env, "vigil/VigilException");
    jmethodID ctor;
    jstring msg;
    jobject ex;
    if (!cls) return; /* NoClassDefFoundError pending */
    ctor = (*env)->GetMethodID(env, cls, "<init>", "(ILjava/lang/String;)V");
    if (!ctor) return;
    msg = (*env)->NewStringUTF(env, vigil_last_error());
    if (!msg) return;
    ex = (*env)->NewObject(env, cls, ctor, (jint)status, msg);
    if (ex) (*env)->Throw(env, (jthrowable)ex);
}

static inline void throw_npe(JNIEnv *env, const char *what) {
    jclass cls = (*env)->FindClass(env, "java/lang/NullPointerException");
    if (cls) (*env)->ThrowNew(env, cls, what);
}

static inline void throw_iae(JNIEnv *env, const char *what) {
    jclass cls = (*env)->FindClass(env, "java/lang/IllegalArgumentException");
    if (cls) (*env)->ThrowNew(env, cls, what);
}

/* An assessment's ten int fields (grade, computed_grade, in_scope, winner, match_count, overridden,
 * warning, warning_number, response, response_base; the order vigil.Assessment reads) into
 * out_ints, and its first match word into out_matched[0]. */
static inline void put_assessment(JNIEnv *env, const vigil_assessment *a, jintArray out_ints, jlongArray out_matched) {
    const jint o[10] = {a->grade,   a->computed_grade, a->in_scope, a->winner,   a->match_count,
                        a->overridden, a->warning,     a->warning_number, a->response, a->response_base};
    const jlong matched = (jlong)a->matched;
    (*env)->SetIntArrayRegion(env, out_ints, 0, 10, o);
    (*env)->SetLongArrayRegion(env, out_matched, 0, 1, &matched);
}

/* A library-owned string as a Java string, then released. NULL in: NULL out. */
static inline jstring take_string(JNIEnv *env, char *s) {
    jstring out = s ? (*env)->NewStringUTF(env, s) : NULL;
    vigil_string_free(s);
    return out;
}

/* A UTF-8 string as a Java byte[] (decoded with UTF-8 on the Java side: exact for every character,
 * where NewStringUTF reads modified UTF-8). The string is not released. */
static inline jbyteArray utf8_bytes(JNIEnv *env, const char *s) {
    jsize n = 0;
    jbyteArray out;
    while (s[n]) ++n;
    out = (*env)->NewByteArray(env, n);
    if (out) (*env)->SetByteArrayRegion(env, out, 0, n, (const jbyte *)s);
    return out;
}

/* A library-owned UTF-8 string as a Java byte[] (utf8_bytes), then released. NULL in: NULL out. */
static inline jbyteArray take_bytes(JNIEnv *env, char *s) {
    jbyteArray out = s ? utf8_bytes(env, s) : NULL;
    vigil_string_free(s);
    return out;
}

#endif
