package vigil;

/**
 * The JNI functions over libvigil_c for the streaming detector (bindings/java/jni/vigil_jni_detect.c).
 * A batch crosses as columns; text as UTF-8 byte[] both ways. Internal: use {@link Detector}.
 */
final class NativeDetect {
    static {
        Native.abiVersion(); // loads the JNI library (Native's static initialiser)
    }

    private NativeDetect() {}

    static native long detectorCreate(long plan, int maxDelayDays, int levelMask);
    static native void detectorFree(long detector);

    /**
     * texts: 9 a report (report_id, patient_id, product_id, product_name, batch, maker, dosage_form,
     * strength, area_code; null: absent); kinds: product indexes; times: onset, receipt a report
     * (seconds since the epoch); flags: bits of enum vigil_report_flag; outCount[0]: the alerts'
     * number. Returns the alerts as JSON Lines.
     */
    static native byte[] detectorFeed(long detector, byte[][] texts, int[] kinds, long[] times, int[] flags, long[] outCount);
    static native byte[] detectorClustersJson(long detector, boolean all);
    /** taken, duplicates, too_late, alerts, kept. */
    static native long[] detectorStats(long detector);
}
