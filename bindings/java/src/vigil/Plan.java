package vigil;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A loaded, validated, compiled emergency plan. Immutable: share one instance between threads.
 * Close it (try-with-resources) to release the native plan.
 */
public final class Plan implements AutoCloseable {
    /** The facts, in vigil.h's enum vigil_fact order (the index of a column in classifyBatch). */
    public static final List<String> FACTS = List.of("rare_cases", "severe_cases", "deaths", "similar_cases_nearby",
            "provinces_with_II", "prefectures_with_III", "counties_with_III", "counties_with_IV", "streets_with_IV");
    /** The modifiers, in vigil.h's enum vigil_modifier order. */
    public static final List<String> MODIFIERS = List.of("possible_grade", "sensitive", "key_period", "spreading",
            "wide_or_complex", "controlled");

    private long handle;
    private final String id;
    private final String[] clauses;

    private Plan(long handle) {
        this.handle = handle;
        this.id = Native.planId(handle);
        this.clauses = Native.planClauses(handle);
    }

    /** The ids of the plans built into the library. */
    public static List<String> builtinPlans() {
        return List.of(Native.builtinPlans());
    }

    public static Plan builtin(String name) {
        return new Plan(Native.planBuiltin(name));
    }

    public static Plan fromFile(String path) {
        return new Plan(Native.planLoadFile(path));
    }

    public static Plan fromJson(String text, String source) {
        return new Plan(Native.planLoadBuffer(text.getBytes(StandardCharsets.UTF_8), source));
    }

    /** The library's version, e.g. "0.1.0". */
    public static String libraryVersion() {
        return Native.versionString();
    }

    public String id() {
        return id;
    }

    /** The clause of each grading criterion; criterion i is bit i of a matched set. */
    public List<String> criteria() {
        return List.of(clauses);
    }

    /** The plan's info and criteria as JSON. */
    public String infoJson() {
        return Native.planInfoJson(live());
    }

    /** Grade one cluster: facts by name (similar_cases_nearby: 0 / 1), product "drug" or "device". */
    public Assessment classify(Map<String, Integer> facts, String product) {
        return classify(facts, product, Map.of());
    }

    /** Grade one cluster with the assessment's modifiers (possible_grade: 0 none … 4 I; the others 0 / 1). */
    public Assessment classify(Map<String, Integer> facts, String product, Map<String, Integer> modifiers) {
        int[] f = new int[FACTS.size()];
        for (var e : facts.entrySet()) {
            int i = FACTS.indexOf(e.getKey());
            if (i < 0) throw new IllegalArgumentException("unknown fact " + e.getKey() + "; the facts are " + FACTS);
            f[i] = e.getValue();
        }
        int[] m = null;
        if (!modifiers.isEmpty()) {
            m = new int[MODIFIERS.size()];
            for (var e : modifiers.entrySet()) {
                int i = MODIFIERS.indexOf(e.getKey());
                if (i < 0) throw new IllegalArgumentException("unknown modifier " + e.getKey() + "; the modifiers are " + MODIFIERS);
                m[i] = e.getValue();
            }
        }
        int p = switch (product) {
            case "drug" -> 0;
            case "device" -> 1;
            default -> throw new IllegalArgumentException("product: expected drug or device, got " + product);
        };
        int[] o = new int[10];
        long[] matched = new long[1];
        String json = Native.classify(live(), f, p, m, o, matched);
        return new Assessment(Assessment.GRADES[o[0]], Assessment.GRADES[o[1]], o[2] != 0,
                o[3] >= 0 ? clauses[o[3]] : null, o[4], matched[0], Assessment.WARNINGS[o[6]], o[7], o[8], o[9], json);
    }

    /**
     * Grade {@code count} clusters from columns (the fast path: one native call). columns[f] is null
     * (the fact is 0) or holds {@code count} values of fact f (FACTS order); products is null (all
     * drug) or {@code count} values 0 / 1. Writes {@code count} grades (0 none … 4 I) and, when
     * matchedOut is not null, {@code count} matched sets.
     */
    public void classifyBatch(int count, int[][] columns, byte[] products, byte[] gradesOut, long[] matchedOut) {
        Native.classifyBatch(live(), count, columns, products, gradesOut, matchedOut);
    }

    long live() {
        if (handle == 0) throw new IllegalStateException("the plan is closed");
        return handle;
    }

    @Override
    public void close() {
        if (handle != 0) {
            Native.planFree(handle);
            handle = 0;
        }
    }
}
