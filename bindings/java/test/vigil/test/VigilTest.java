package vigil.test;

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
    private static int checks = 0;
    private static int failures = 0;

    private static void check(boolean ok, String what) {
        ++checks;
        if (!ok) {
            ++failures;
            System.err.println("FAILED: " + what);
        }
    }

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

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: VigilTest TEST_DATA_DIR");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        grading(data);
        responses(data);
        randomBatch();
        errors();
        System.out.println("VigilTest: " + checks + " checks, " + failures + " failed");
        System.exit(failures == 0 ? 0 : 1);
    }
}
