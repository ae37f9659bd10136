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

/* A library-owned string as a Java string, then released. NULL in: NULL out. */
static inline jstring take_string(JNIEnv *env, char *s) {
    jstring out = s ? (*env)->NewStringUTF(env, s) : NULL;
    vigil_string_free(s);
    return out;
}

/* A library-owned UTF-8 string as a Java byte[] (decoded with UTF-8 on the Java side: exact for
 * every character, where NewStringUTF reads modified UTF-8), then released. NULL in: NULL out. */
static inline jbyteArray take_bytes(JNIEnv *env, char *s) {
    jbyteArray out = NULL;
    if (s) {
        jsize n = 0;
        while (s[n]) ++n;
        out = (*env)->NewByteArray(env, n);
        if (out) (*env)->SetByteArrayRegion(env, out, 0, n, (const jbyte *)s);
    }
    vigil_string_free(s);
    return out;
}

#endif
