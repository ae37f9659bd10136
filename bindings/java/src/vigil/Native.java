package vigil;

/**
 * The JNI functions over libvigil_c (bindings/java/jni/vigil_jni.c): one per vigil.h function used,
 * handles as longs, failures thrown as VigilException with vigil_last_error()'s message.
 * Internal: use {@link Plan}.
 */
final class Native {
    static {
        String path = System.getProperty("vigil.jni.library");
        if (path == null) path = System.getenv("VIGIL_JNI_LIBRARY");
        if (path != null) System.load(path);
        else System.loadLibrary("vigil_jni");
    }

    private Native() {}

    static native String versionString();
    static native int versionNumber();
    static native int abiVersion();
    static native String statusString(int status);
    static native String[] builtinPlans();

    static native long planBuiltin(String name);
    static native long planLoadFile(String path);
    static native long planLoadBuffer(byte[] utf8, String source);
    static native void planFree(long plan);
    static native String planId(long plan);
    static native String[] planClauses(long plan);
    static native String planInfoJson(long plan);

    /** facts: up to VIGIL_FACT_COUNT values in enum vigil_fact order; out: the 10 int32 fields of vigil_assessment, then matched. */
    static native String classify(long plan, int[] facts, int product, int[] modifiers, int[] outInts, long[] outMatched);

    static native void classifyBatch(long plan, int count, int[][] columns, byte[] products, byte[] gradesOut, long[] matchedOut);

    // A plan's declared facts and products (jni/vigil_jni_facts.c); names and labels as UTF-8 bytes.

    /** name, Chinese label, English label of each fact, in the plan's order (3 a fact). */
    static native byte[][] planFactStrings(long plan);
    /** enum vigil_fact_kind of each fact: 0 count, 1 boolean, 2 grade, 3 sum. */
    static native int[] planFactKinds(long plan);
    static native String[] planProducts(long plan);
    static native int planMatchWords(long plan);
    /** The index of the fact named (or labelled in Chinese) by {@code nameUtf8}; VigilException when none. */
    static native int planFactIndex(long plan, byte[] nameUtf8);
    /** values[i]: fact i (the plan's order); out as classify; returns the explanation JSON (UTF-8). */
    static native byte[] classifyValues(long plan, int[] values, int product, int[] outInts, long[] outMatched);
    static native byte[] rollupValues(long plan, int[] products, byte[][] productIds, byte[][] areas, int[] grades,
                                      int product, byte[] productId, byte[] target);
    static native void classifyColumns(long plan, int count, int[][] columns, byte[] products, byte[] gradesOut,
                                       long[] matchedOut, byte[] warningsOut, byte[] responsesOut);
}
