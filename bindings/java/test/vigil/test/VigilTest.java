package vigil.test;

import static vigil.test.Checks.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import vigil.Assessment;
import vigil.Plan;
import vigil.VigilException;

/**
 * The Java (JNI) binding against the conformance tables the C++ tests use:
 * tests/data/grading/*.txt (grade, winner, every match) and tests/data/response_decisions.csv
 * (warning and response), batch answers equal to single answers, and the error paths.
 * Usage: VigilTest TEST_DATA_DIR. Exits 1 when a check fails.
 */
public final class VigilTest {
    private static Map<String, Integer> facts(String text, String[] product) {
        Map<String, Integer> f = new HashMap<>();
        for (String tok : text.trim().split("\\s+|;")) {
            if (tok.isEmpty()) continue;
            String[] kv = tok.split("=");
            if (kv[0].equals("product")) product[0] = kv[1];
            else if (kv[1].equals("true") || kv[1].equals("false")) f.put(kv[0], kv[1].equals("true") ? 1 : 0);
            else f.put(kv[0], (int) Long.parseLong(kv[1]));  // 4000000000 wraps to the same uint32
        }
        return f;
    }

    private static void grading(Path data) throws Exception {
        for (String id : List.of("yuzhong", "guiyang")) {
            try (Plan plan = Plan.builtin(id)) {
                List<String> lines = Files.readAllLines(data.resolve("grading").resolve(id + ".txt"), StandardCharsets.UTF_8);
                List<int[]> columns = new ArrayList<>();
                List<String> products = new ArrayList<>();
                List<Assessment> singles = new ArrayList<>();
                int rows = 0;
                for (String line : lines) {
                    if (line.startsWith("#") || line.isBlank()) continue;
                    String[] c = line.split("\\|", -1);
                    String[] product = {"drug"};
                    Map<String, Integer> f = facts(c[0], product);
                    String grade = c[1].trim();
                    List<String> matches = new ArrayList<>();
                    for (String m : c[2].trim().split(";")) if (!m.isEmpty()) matches.add(m);
                    Assessment a = plan.classify(f, product[0]);
                    String where = id + ": " + line.trim();
                    if (grade.equals("out_of_scope")) {
                        check(!a.inScope() && a.grade().equals("none"), where + ": out of scope");
                    } else {
                        check(a.grade().equals(grade), where + ": grade " + a.grade());
                    }
                    check(a.matchCount() == matches.size(), where + ": " + a.matchCount() + " matches");
                    check(matches.isEmpty() ? a.winner() == null : matches.get(0).equals(a.winner()), where + ": winner " + a.winner());
                    for (String m : matches) {
                        int i = plan.criteria().indexOf(m);
                        check(i >= 0 && (a.matched() >> i & 1) == 1, where + ": bit of " + m);
                        check(a.explanationJson().contains("\"clause\":\"" + m + "\""), where + ": explanation cites " + m);
                    }
                    int[] row = new int[Plan.FACTS.size()];
                    for (var e : f.entrySet()) row[Plan.FACTS.indexOf(e.getKey())] = e.getValue();
                    columns.add(row);
                    products.add(product[0]);
                    singles.add(a);
                    ++rows;
                }
                check(rows > 20, id + ": table rows");
                // the same rows as one batch
                int n = rows;
                int[][] cols = new int[Plan.FACTS.size()][n];
                byte[] prod = new byte[n];
                for (int i = 0; i < n; ++i) {
                    for (int f = 0; f < Plan.FACTS.size(); ++f) cols[f][i] = columns.get(i)[f];
                    prod[i] = (byte) (products.get(i).equals("device") ? 1 : 0);
                }
                byte[] grades = new byte[n];
                long[] matched = new long[n];
                plan.classifyBatch(n, cols, prod, grades, matched);
                for (int i = 0; i < n; ++i) {
                    Assessment a = singles.get(i);
                    check(Assessment_grade(grades[i]).equals(a.computedGrade()) && matched[i] == a.matched(),
                          id + ": batch row " + i);
                }
            }
        }
    }

    private static String Assessment_grade(byte g) {
        return new String[] {"none", "IV", "III", "II", "I"}[g];
    }

    private static void responses(Path data) throws Exception {
        int rows = 0;
        Map<String, Plan> plans = new HashMap<>();
        try {
            for (String line : Files.readAllLines(data.resolve("response_decisions.csv"), StandardCharsets.UTF_8)) {
                if (line.startsWith("#") || line.startsWith("plan,")) continue;
                String[] c = line.split(",", -1);
                Plan plan = plans.computeIfAbsent(c[0], Plan::builtin);
                String[] product = {"drug"};
                Map<String, Integer> f = facts(c[1], product);
                Map<String, Integer> m = new HashMap<>();
                for (String kv : c[2].split(";")) {
                    if (kv.isEmpty()) continue;
                    String[] p = kv.split("=");
                    m.put(p[0], p[0].equals("possible_grade") ? List.of("none", "IV", "III", "II", "I").indexOf(p[1])
                                                              : (p[1].equals("true") ? 1 : 0));
                }
                Assessment a = plan.classify(f, product[0], m);
                String where = line;
                check(a.grade().equals(c[3]), where + ": grade " + a.grade());
                check(a.warning().equals(c[4]), where + ": warning " + a.warning());
                check((a.response() == 0 ? "none" : Integer.toString(a.response())).equals(c[7]), where + ": response " + a.response());
                if (!c[5].isEmpty()) check(a.explanationJson().contains("\"clause\":\"" + c[5] + "\""), where + ": cites " + c[5]);
                ++rows;
            }
        } finally {
            for (Plan p : plans.values()) p.close();
        }
        check(rows > 30, "response table rows");
    }

    private static void randomBatch() {
        try (Plan plan = Plan.builtin("yuzhong")) {
            Random rng = new Random(7);
            int n = 2500;
            int[][] cols = new int[Plan.FACTS.size()][n];
            for (int f = 0; f < cols.length; ++f)
                for (int i = 0; i < n; ++i) cols[f][i] = f == 3 ? rng.nextInt(2) : rng.nextInt(f < 3 ? 60 : 4);
            byte[] grades = new byte[n];
            long[] matched = new long[n];
            plan.classifyBatch(n, cols, null, grades, matched);
            int mismatches = 0;
            for (int i = 0; i < n; ++i) {
                Map<String, Integer> f = new HashMap<>();
                for (int k = 0; k < cols.length; ++k) f.put(Plan.FACTS.get(k), cols[k][i]);
                Assessment a = plan.classify(f, "drug");
                if (!Assessment_grade(grades[i]).equals(a.computedGrade()) || matched[i] != a.matched()) ++mismatches;
            }
            check(mismatches == 0, "random batch == single (" + mismatches + " differ)");
        }
    }

    /**
     * Facts by name: the third plan (examples/plans/tianjin-vaccine.json), its own facts and product,
     * graded by its conformance table (tests/data/grading/tianjin.txt) one cluster at a time
     * (classifyFacts, facts by name) and as columns keyed by Chinese label (classifyColumns); guiyang
     * by name against classifyBatch, and the errors a name can meet.
     */
    private static void declaredFacts(Path data) throws Exception {
        Path example = data.toAbsolutePath().getParent().getParent().resolve("examples/plans/tianjin-vaccine.json");
        try (Plan plan = Plan.fromFile(example.toString())) {
            check(plan.products().equals(List.of("vaccine")), "tianjin products " + plan.products());
            List<String> names = new ArrayList<>();
            for (Plan.Fact f : plan.facts()) names.add(f.name());
            check(names.equals(List.of("deaths", "rare_cases", "severe_cases", "suspected_quality", "quality_confirmed",
                                       "provinces_involved")), "tianjin facts " + names);
            check(plan.facts().get(3).kind().equals("boolean") && plan.facts().get(3).labelZh().equals("疑似与质量相关"),
                  "a fact's kind and Chinese label: " + plan.facts().get(3));
            check(plan.factIndex("涉及省份数") == 5 && plan.factIndex("provinces_involved") == 5, "factIndex by label and name");
            List<Map<String, Object>> rows = new ArrayList<>();
            List<String> grades = new ArrayList<>();
            List<List<String>> matches = new ArrayList<>();
            for (String line : Files.readAllLines(data.resolve("grading/tianjin.txt"), StandardCharsets.UTF_8)) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] c = line.split("\\|", -1);
                Map<String, Object> v = new HashMap<>();
                for (String tok : c[0].trim().split("\\s+")) {
                    if (tok.isEmpty()) continue;
                    String[] kv = tok.split("=");
                    if (kv[1].equals("true") || kv[1].equals("false")) v.put(kv[0], kv[1].equals("true"));
                    else v.put(kv[0], Long.parseLong(kv[1]));
                }
                List<String> m = new ArrayList<>();
                for (String x : c[2].trim().split(";")) if (!x.isEmpty()) m.add(x);
                rows.add(v);
                grades.add(c[1].trim());
                matches.add(m);
            }
            check(rows.size() > 20, "tianjin table rows " + rows.size());
            int n = rows.size();
            Map<String, int[]> columns = new HashMap<>();
            for (Plan.Fact f : plan.facts()) columns.put(f.labelZh(), new int[n]);  // keyed by the Chinese labels
            for (int r = 0; r < n; ++r) {
                Assessment a = plan.classifyFacts(rows.get(r), "vaccine");
                String where = "tianjin row " + r + " " + rows.get(r);
                check(a.grade().equals(grades.get(r)), where + ": grade " + a.grade());
                check(a.matchCount() == matches.get(r).size(), where + ": " + a.matchCount() + " matches");
                check(matches.get(r).isEmpty() ? a.winner() == null : matches.get(r).get(0).equals(a.winner()),
                      where + ": winner " + a.winner());
                for (String m : matches.get(r)) check(a.explanationJson().contains("\"clause\":\"" + m + "\""), where + ": cites " + m);
                for (var e : rows.get(r).entrySet()) {
                    Object x = e.getValue();
                    int value = x instanceof Boolean b ? (b ? 1 : 0) : (int) (long) (Long) x;
                    columns.get(plan.facts().get(plan.factIndex(e.getKey())).labelZh())[r] = value;
                }
            }
            Plan.Columns out = plan.classifyColumns(n, columns, null, false);
            for (int r = 0; r < n; ++r)
                check(Assessment_grade(out.grades()[r]).equals(grades.get(r)), "tianjin columns row " + r + ": " + out.grades()[r]);
            try {
                plan.classifyFacts(Map.of("rare_cases", 1, "罕见或非预期的不良事件人数", 2), null);
                check(false, "a fact given twice accepted");
            } catch (IllegalArgumentException e) {
                check(e.getMessage().contains("given twice"), "a fact given twice: " + e.getMessage());
            }
            try {
                plan.classifyFacts(Map.of("similar_cases_nearby", true), null);
                check(false, "a fact the plan does not declare accepted");
            } catch (VigilException e) {
                check(e.getMessage().contains("similar_cases_nearby") && e.getMessage().contains("suspected_quality"),
                      "unknown fact names the plan's facts: " + e.getMessage());
            }
            try {
                plan.classifyFacts(Map.of("suspected_quality", 3), null);
                check(false, "a count for a boolean accepted");
            } catch (IllegalArgumentException e) {
                check(e.getMessage().contains("suspected_quality: a boolean, expected 0 … 1, got 3"), "a count for a boolean: " + e.getMessage());
            }
            try {
                plan.classifyFacts(Map.of("deaths", 1), "drug");
                check(false, "a product the plan does not declare accepted");
            } catch (IllegalArgumentException e) {
                check(e.getMessage().contains("[vaccine]"), "bad product: " + e.getMessage());
            }
        }
        // guiyang by name, with a modifier, equals the built-in-facts batch and single answers
        try (Plan plan = Plan.builtin("guiyang")) {
            check(plan.facts().size() == 15 && plan.facts().get(0).name().equals("rare_cases"), "guiyang declares 15 facts");
            int n = 64;
            Random rnd = new Random(11);
            Map<String, int[]> byName = new HashMap<>();
            int[][] cols = new int[Plan.FACTS.size()][n];
            for (int f = 0; f < Plan.FACTS.size(); ++f) {
                for (int r = 0; r < n; ++r) cols[f][r] = f == 3 ? rnd.nextInt(2) : rnd.nextInt(f < 3 ? 60 : 3);
                byName.put(Plan.FACTS.get(f), cols[f]);
            }
            int[] sensitive = new int[n];
            for (int r = 0; r < n; ++r) sensitive[r] = rnd.nextInt(2);
            byName.put("sensitive", sensitive);
            byte[] grades = new byte[n];
            long[] matched = new long[n];
            plan.classifyBatch(n, cols, null, grades, matched);
            Plan.Columns out = plan.classifyColumns(n, byName, null, true);
            for (int r = 0; r < n; ++r) {
                check(out.grades()[r] == grades[r] && out.matched()[r] == matched[r], "guiyang columns by name, row " + r);
                Map<String, Integer> f = new HashMap<>();
                for (int k = 0; k < Plan.FACTS.size(); ++k) f.put(Plan.FACTS.get(k), cols[k][r]);
                Assessment a = plan.classify(f, "drug", Map.of("sensitive", sensitive[r]));
                check(out.responses()[r] == a.response()
                      && Assessment_warning(out.warnings()[r]).equals(a.warning()), "guiyang decided by name, row " + r);
            }
        }
    }

    private static String Assessment_warning(byte w) {
        return new String[] {"none", "blue", "yellow", "orange", "red"}[w];
    }

    private static void errors() {
        check(Plan.builtinPlans().containsAll(List.of("yuzhong", "guiyang")), "built-in plans");
        check(Plan.libraryVersion().matches("\\d+\\.\\d+\\.\\d+"), "version " + Plan.libraryVersion());
        try {
            Plan.builtin("atlantis");
            check(false, "unknown plan accepted");
        } catch (VigilException e) {
            check(e.status() == -4 && e.getMessage().contains("atlantis") && e.getMessage().contains("unknown name"),
                  "unknown plan: " + e.getMessage());
        }
        try {
            Plan.fromJson("{\"id\": ", "broken.json");
            check(false, "broken JSON accepted");
        } catch (VigilException e) {
            check(e.status() == -1 && e.getMessage().contains("broken.json"), "broken JSON: " + e.getMessage());
        }
        try {
            Plan.fromFile("no-such-plan.json");
            check(false, "missing file accepted");
        } catch (VigilException e) {
            check(e.status() == -5, "missing file: " + e.getMessage());
        }
        Plan p = Plan.builtin("guiyang");
        check(p.infoJson().contains("\"id\":\"guiyang\""), "info JSON");
        try {
            p.classify(Map.of("rare_cases", 1), "vaccine");
            check(false, "bad product accepted");
        } catch (IllegalArgumentException e) {
            check(true, "bad product");
        }
        try {
            p.classifyBatch(3, new int[][] {{1, 2, 3}}, new byte[] {0, 1, 2}, new byte[3], null);
            check(false, "product 2 accepted");
        } catch (VigilException e) {
            check(e.status() == -3 && e.getMessage().contains("product[2]"), "product 2: " + e.getMessage());
        }
        try {
            p.classifyBatch(3, new int[][] {{1, 2}}, null, new byte[3], null);
            check(false, "short column accepted");
        } catch (IllegalArgumentException e) {
            check(true, "short column");
        }
        p.close();
        p.close();  // twice is harmless
        try {
            p.infoJson();
            check(false, "closed plan used");
        } catch (IllegalStateException e) {
            check(true, "closed plan");
        }
    }

    /**
     * The roll-up of a plan's own spread fact (tests/data/plans/declared.json: cities_with_III,
     * prefectures of the province with a grade >= III event of the same product; products vaccine
     * and cosmetic), and its errors.
     */
    private static void rollup(Path data) throws Exception {
        try (Plan plan = Plan.fromFile(data.resolve("plans/declared.json").toString())) {
            List<Plan.LocalEvent> ev = List.of(new Plan.LocalEvent("cosmetic", "P1", "120101", "III"),
                    new Plan.LocalEvent("cosmetic", "P1", "120201", "II"), new Plan.LocalEvent("cosmetic", "P1", "130101", "III"),
                    new Plan.LocalEvent("cosmetic", "P1", "120302", "IV"), new Plan.LocalEvent("cosmetic", "P2", "120401", "I"),
                    new Plan.LocalEvent("vaccine", "P1", "120501", "I"));
            String json = plan.rollupJson(ev, "cosmetic", "P1", "120101");
            check(json.startsWith("{\"plan\":\"declared\""), "the roll-up names the plan: " + json);
            check(json.contains("\"cities_with_III\":2") && json.contains("\"product\":\"cosmetic\""), "two prefectures: " + json);
            check(json.contains("\"areas\":[\"120100\",\"120200\"]"), "the prefectures counted: " + json);
            check(plan.rollupJson(ev, "vaccine", "P1", "120101").contains("\"cities_with_III\":1"), "the vaccine's events alone");
            check(message(() -> plan.rollupJson(ev, "drug", "P1", "120101")).startsWith("IllegalArgumentException"),
                  "a product the plan does not declare");
            check(status(() -> plan.rollupJson(ev, "cosmetic", "P1", "12x101")) == -3, "a bad target: VIGIL_EINVALID_INPUT");
            String m = message(() -> plan.rollupJson(List.of(new Plan.LocalEvent("cosmetic", "P1", "5001", "IV")), "cosmetic", "P1", "120101"));
            check(m.contains("events[0].area"), "a bad event area is named: " + m);
            check(message(() -> plan.rollupJson(List.of(new Plan.LocalEvent("cosmetic", null, "120101", "IV")), "cosmetic", "P1", "120101"))
                          .startsWith("NullPointerException"), "a null product id");
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: VigilTest TEST_DATA_DIR");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        grading(data);
        responses(data);
        randomBatch();
        declaredFacts(data);
        rollup(data);
        errors();
        finish("VigilTest");
    }
}
