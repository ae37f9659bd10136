package vigil;

/**
 * The JNI functions over libvigil_c for the calendar, deadlines, the audit and incidents
 * (bindings/java/jni/vigil_jni_reporting.c). Text crosses as UTF-8 byte[]; instants as seconds since
 * the epoch, {@link #TIME_NONE} for none. Internal: use {@link Calendar}, {@link Reports}, {@link Incident}.
 */
final class NativeReporting {
    /** VIGIL_TIME_NONE. */
    static final long TIME_NONE = Long.MIN_VALUE;

    static {
        Native.abiVersion(); // loads the JNI library (Native's static initialiser)
    }

    private NativeReporting() {}

    static native long calendarBuiltin();
    static native long calendarLoadFile(byte[] path);
    static native long calendarLoadBuffer(byte[] csv, byte[] source);
    static native void calendarFree(long calendar);
    static native long calendarProvisional(long calendar);
    static native boolean calendarIsWorkingDay(long calendar, long time);
    static native long calendarAddWorkingDays(long calendar, long time, int n);

    static native byte[] deadlinesJson(long plan, long calendar, byte[] timeline, long asOf);
    static native byte[] auditJson(long plan, long calendar, byte[] timeline, long asOf);

    static native long incidentCreate(long plan, byte[] path, byte[] id, long time, long occurredAt, byte[] unit, byte[] role);
    static native long incidentOpen(long plan, byte[] path);
    static native byte[] incidentPlanId(byte[] path);
    static native void incidentFree(long incident);
    static native byte[] incidentApply(long incident, byte[] event);
    static native byte[] incidentStateJson(long incident);
    static native byte[] incidentReplayJson(long plan, byte[] log);

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    static long seconds(java.time.Instant t) {
        return t == null ? TIME_NONE : t.getEpochSecond();
    }
}
