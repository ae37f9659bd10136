package vigil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

    /** A fact the plan declares: its name (the key in conditions, CSV headers, JSON), its kind
     *  ("count", "boolean", "grade" or "sum") and its labels. */
    public record Fact(String name, String kind, String labelZh, String labelEn) {}

    private static final String[] KINDS = {"count", "boolean", "grade", "sum"};

    private long handle;
    private final String id;
    private final String[] clauses;
    private final List<Fact> facts;
    private final List<String> products;

    private Plan(long handle) {
        this.handle = handle;
        this.id = Native.planId(handle);
        this.clauses = Native.planClauses(handle);
        byte[][] s = Native.planFactStrings(handle);
        int[] kinds = Native.planFactKinds(handle);
        List<Fact> f = new ArrayList<>();
        for (int i = 0; i < kinds.length; ++i)
            f.add(new Fact(utf8(s[3 * i]), KINDS[kinds[i]], utf8(s[3 * i + 1]), utf8(s[3 * i + 2])));
        this.facts = List.copyOf(f);
        this.products = List.of(Native.planProducts(handle));
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
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

    /** The facts the plan declares, in its order (the position of a column in classifyColumns). */
    public List<Fact> facts() {
        return facts;
    }

    /** The ids of the products the plan declares, in its order (a product is its position). */
    public List<String> products() {
        return products;
    }

    /** 64-bit words in one cluster's matched set (criterion i: bit i % 64 of word i / 64). */
    public int matchWords() {
        return Native.planMatchWords(live());
    }

    /** The position of the fact named {@code name}, or whose Chinese label is {@code name} (死亡人数);
     *  a VigilException naming the plan's facts when there is none. */
    public int factIndex(String name) {
        return Native.planFactIndex(live(), name.getBytes(StandardCharsets.UTF_8));
    }

    private int productIndex(String product) {
        if (product == null) return 0;
        int p = products.indexOf(product);
        if (p < 0) throw new IllegalArgumentException("product: expected one of " + products + ", got " + product);
        return p;
    }

    // A value of a declared fact: a count (Integer / Long, 0 … 4294967295), a boolean (Boolean, or
    // 0 / 1), a grade ("none", "IV" … "I", or 0 … 4).
    private static int value(Fact f, Object v) {
        if (f.kind().equals("sum")) throw new IllegalArgumentException(f.name() + " is a sum of other facts: give its parts");
        if (v instanceof Boolean b) {
            if (!f.kind().equals("boolean")) throw new IllegalArgumentException(f.name() + ": expected a " + f.kind() + ", got " + v);
            return b ? 1 : 0;
        }
        if (v instanceof String g) {
            if (!f.kind().equals("grade")) throw new IllegalArgumentException(f.name() + ": expected a " + f.kind() + ", got " + v);
            for (int i = 0; i < Assessment.GRADES.length; ++i)
                if (Assessment.GRADES[i].equals(g)) return i;
            throw new IllegalArgumentException(f.name() + ": expected a grade (none, IV, III, II, I), got " + g);
        }
        if (v instanceof Integer || v instanceof Long) {
            long x = ((Number) v).longValue();
            long max = f.kind().equals("boolean") ? 1 : f.kind().equals("grade") ? 4 : 0xFFFFFFFFL;
            if (x < 0 || x > max)
                throw new IllegalArgumentException(f.name() + ": a " + f.kind() + ", expected 0 … " + max + ", got " + x);
            return (int) x;
        }
        throw new IllegalArgumentException(f.name() + ": expected an Integer, Long, Boolean or grade name, got " + v);
    }

    /**
     * Grade one cluster given by the plan's declared facts: {@code values} keyed by fact name or
     * Chinese label (counts as Integer or Long, booleans as Boolean, a grade fact as "none" … "I");
     * a fact not given is 0 / false / none. {@code product}: one of products(), null for the first.
     * The answer's {@code matched} is the first word of the matched set.
     */
    public Assessment classifyFacts(Map<String, ?> values, String product) {
        int[] v = new int[facts.size()];
        boolean[] given = new boolean[facts.size()];
        for (var e : values.entrySet()) {
            int i = factIndex(e.getKey());
            if (given[i]) throw new IllegalArgumentException("fact " + facts.get(i).name() + " is given twice (by its name and its label)");
            given[i] = true;
            v[i] = value(facts.get(i), e.getValue());
        }
        int[] o = new int[10];
        long[] matched = new long[1];
        String json = utf8(Native.classifyValues(live(), v, productIndex(product), o, matched));
        return new Assessment(Assessment.GRADES[o[0]], Assessment.GRADES[o[1]], o[2] != 0,
                o[3] >= 0 ? clauses[o[3]] : null, o[4], matched[0], Assessment.WARNINGS[o[6]], o[7], o[8], o[9], json);
    }

    /** A local event already graded where it happened: a product of products(), its identity, a GB/T
     *  2260 area code (6 digits, or 9 for a street) and the grade ("none", "IV" … "I"). */
    public record LocalEvent(String product, String productId, String area, String grade) {}

    /**
     * The spread facts this plan declares (its facts with a "spread" definition), of area {@code
     * target} for one product, from graded local events (vigil_rollup_values): the JSON answer of
     * docs/json.md (roll-up): {"plan", "plan_version", "plan_sha256", "facts": {the plan's facts by
     * name, "product"}, "counts": [{"fact", "count", "areas"}]}.
     */
    public String rollupJson(List<LocalEvent> events, String product, String productId, String target) {
        int n = events.size();
        int[] prod = new int[n], grade = new int[n];
        byte[][] ids = new byte[n][], areas = new byte[n][];
        for (int k = 0; k < n; ++k) {
            LocalEvent e = events.get(k);
            prod[k] = productIndex(e.product());
            grade[k] = gradeIndex(e.grade());
            ids[k] = e.productId() == null ? null : e.productId().getBytes(StandardCharsets.UTF_8);
            areas[k] = e.area() == null ? null : e.area().getBytes(StandardCharsets.UTF_8);
        }
        return utf8(Native.rollupValues(live(), prod, ids, areas, grade, productIndex(product),
                productId == null ? null : productId.getBytes(StandardCharsets.UTF_8),
                target == null ? null : target.getBytes(StandardCharsets.UTF_8)));
    }

    private static int gradeIndex(String g) {
        for (int i = 0; i < Assessment.GRADES.length; ++i)
            if (Assessment.GRADES[i].equals(g)) return i;
        throw new IllegalArgumentException("grade: expected none, IV, III, II or I, got " + g);
    }

    /** The answers of classifyColumns: one grade (0 none … 4 I), warning (enum vigil_warning) and
     *  response level (0 none, 1 … 4) a cluster; matched: matchWords() words a cluster, row-major. */
    public record Columns(byte[] grades, long[] matched, byte[] warnings, byte[] responses) {}

    /**
     * Grade {@code count} clusters given by the plan's declared facts, in one native call:
     * {@code columns} keyed by fact name or Chinese label, each {@code count} values (booleans 0 / 1,
     * a grade fact 0 none … 4 I; the modifiers of warnings and responses are facts too); a fact
     * without a column is 0. {@code products}: null (all the plan's first product) or {@code count}
     * product ids. Warnings and responses are decided when {@code decide} is true.
     */
    public Columns classifyColumns(int count, Map<String, int[]> columns, List<String> products, boolean decide) {
        int[][] cols = new int[facts.size()][];
        for (var e : columns.entrySet()) {
            int i = factIndex(e.getKey());
            if (cols[i] != null) throw new IllegalArgumentException("fact " + facts.get(i).name() + " is given twice (by its name and its label)");
            if (facts.get(i).kind().equals("sum")) throw new IllegalArgumentException(e.getKey() + " is a sum of other facts: give its parts");
            cols[i] = e.getValue();
        }
        byte[] prod = null;
        if (products != null) {
            if (products.size() != count) throw new IllegalArgumentException("classifyColumns: " + products.size() + " products for " + count + " clusters");
            prod = new byte[count];
            for (int r = 0; r < count; ++r) prod[r] = (byte) productIndex(products.get(r));
        }
        byte[] grades = new byte[count];
        long[] matched = new long[count * matchWords()];
        byte[] warnings = decide ? new byte[count] : null;
        byte[] responses = decide ? new byte[count] : null;
        Native.classifyColumns(live(), count, cols, prod, grades, matched, warnings, responses);
        return new Columns(grades, matched, warnings, responses);
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
