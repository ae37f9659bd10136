package vigil.test;

import static vigil.test.Checks.*;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vigil.Detector;
import vigil.Plan;

/**
 * The Java binding's Detector gives the command's answers byte for byte: for every case report file
 * examples/reports*.csv under every built-in plan, `vigil detect [--all]` equals the clusters of a
 * detector that holds every report (Detector.archive) fed the file, and `vigil watch [--level
 * county]` equals the alerts of a detector fed the file in one batch and in batches of four. Then
 * the documented alerts and counts of examples/reports.csv, and the error paths: a bad report names
 * its index and field and feeds nothing of its batch.
 * Usage: DetectTest SOURCE_DIR VIGIL_CLI. Exits 1 when a check fails.
 */
public final class DetectTest {
    /** The command's standard output, as bytes; it must exit 0. */
    private static byte[] run(String cli, Path root, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(cli);
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        int rc = p.waitFor();
        check(rc == 0, String.join(" ", args) + ": exit " + rc);
        return out.toByteArray();
    }

    /** A case report CSV (no quoted fields in the examples: a quote is refused here) as reports. */
    private static List<Detector.Report> read(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        String[] head = lines.get(0).split(",", -1);
        List<Detector.Report> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isEmpty()) continue;
            if (line.indexOf('"') >= 0) throw new IllegalStateException(csv + ": a quoted field; extend this reader");
            String[] v = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < head.length; ++i) row.put(head[i], i < v.length ? v[i] : "");
            out.add(Detector.Report.fromFields(row));
        }
        return out;
    }

    private static boolean same(byte[] cli, String java) {
        return Arrays.equals(cli, java.getBytes(StandardCharsets.UTF_8));
    }

    private static void equality(Path root, String cli) throws Exception {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve("examples"), "reports*.csv")) {
            for (Path p : ds) files.add(p);
        }
        files.sort(null);
        check(files.size() >= 2, "examples/reports*.csv: " + files);
        int compared = 0, nonEmpty = 0;
        for (Path file : files) {
            List<Detector.Report> reports = read(file);
            String rel = root.relativize(file).toString();
            for (String name : Plan.builtinPlans()) {
                String what = name + " " + rel;
                try (Plan plan = Plan.builtin(name)) {
                    for (boolean all : new boolean[] {false, true}) {
                        byte[] want = all ? run(cli, root, "detect", "--plan", name, "--all", rel)
                                          : run(cli, root, "detect", "--plan", name, rel);
                        try (Detector d = Detector.archive(plan, null)) {
                            d.feed(reports);
                            String got = d.clustersJsonl(all);
                            check(same(want, got), what + ": detect" + (all ? " --all" : "") + " differs:\n" + got);
                            ++compared;
                            if (want.length > 0) ++nonEmpty;
                        }
                    }
                    byte[] want = run(cli, root, "watch", "--plan", name, rel);
                    try (Detector d = Detector.create(plan)) {
                        check(same(want, d.feedJsonl(reports)), what + ": watch differs (one batch)");
                        ++compared;
                        if (want.length > 0) ++nonEmpty;
                    }
                    want = run(cli, root, "watch", "--plan", name, "--level", "county", rel);
                    try (Detector d = Detector.create(plan, 90, EnumSet.of(Detector.Level.COUNTY))) {
                        StringBuilder got = new StringBuilder();
                        for (int i = 0; i < reports.size(); i += 4)
                            got.append(d.feedJsonl(reports.subList(i, Math.min(i + 4, reports.size()))));
                        check(same(want, got.toString()), what + ": watch --level county differs (batches of 4)");
                        ++compared;
                        if (want.length > 0) ++nonEmpty;
                    }
                }
            }
        }
        // the comparisons must compare answers, not empty outputs
        check(nonEmpty * 2 > compared, "most answers compared are not empty: " + nonEmpty + " of " + compared);
        System.out.println("DetectTest: " + compared + " answers compared with the command's (" + nonEmpty + " not empty)");
    }

    // docs/detect.md: guiyang over examples/reports.csv at county level alerts yellow, red, IV, III.
    private static void documented(Path root) throws Exception {
        List<Detector.Report> reports = read(root.resolve("examples/reports.csv"));
        try (Plan plan = Plan.builtin("guiyang"); Detector d = Detector.create(plan, 90, Set.of(Detector.Level.COUNTY))) {
            List<String> alerts = d.feed(reports);
            String[][] want = {{"warning yellow", "ADR2026-0003", "C260815"}, {"warning red", "ADR2026-0006", "C260815"},
                               {"grade IV", "ADR2026-0009", "C260815"}, {"grade III", "ADR2026-0012", "L2609A"}};
            check(alerts.size() == want.length, "four alerts: " + alerts);
            for (int i = 0; i < Math.min(alerts.size(), want.length); ++i) {
                String a = alerts.get(i);
                check(a.contains("\"alert\":\"" + want[i][0] + "\"") && a.contains("\"trigger\":\"" + want[i][1] + "\"")
                              && a.contains("\"batch\":\"" + want[i][2] + "\"") && a.contains("\"area_code\":\"5201"),
                      "alert " + i + " is " + String.join(" ", want[i]) + ": " + a);
            }
            Detector.Counts c = d.counts();
            check(c.equals(new Detector.Counts(35, 1, 0, 4, 35)), "counts taken 35, duplicates 1, alerts 4: " + c);
            // the plan's product names cross UTF-8 exactly
            check(alerts.size() > 0 && alerts.get(0).contains("\"product_name\":\"注射用头孢曲松钠\""), "the name is exact");
        }
    }

    private static Detector.Report good(String id) {
        Detector.Report r = new Detector.Report();
        r.reportId = id;
        r.patientId = "P-" + id;
        r.productKind = "drug";
        r.productId = "H20260001";
        r.productName = "某注射液";
        r.batch = "B1";
        r.onsetTime = java.time.Instant.parse("2026-09-01T00:00:00Z");
        r.receivedTime = java.time.Instant.parse("2026-09-02T00:00:00Z");
        r.areaCode = "520102";
        r.flags.add(Detector.Flag.DEATH);
        return r;
    }

    private static void errors(Path root) throws Exception {
        try (Plan plan = Plan.builtin("guiyang"); Detector d = Detector.create(plan)) {
            d.feed(List.of(good("A1")));
            Detector.Counts before = d.counts();
            check(before.taken() == 1, "one report taken: " + before);

            Detector.Report badArea = good("A2");
            badArea.areaCode = "12345";
            String m = message(() -> d.feed(List.of(good("A3"), badArea)));
            check(m.startsWith("VigilException") && m.contains("reports[1].area_code"), "a bad area code is named: " + m);
            check(status(() -> d.feed(List.of(good("A3"), badArea))) == -3, "a bad report: VIGIL_EINVALID_INPUT");

            Detector.Report noId = good("A4");
            noId.reportId = null;
            m = message(() -> d.feed(List.of(noId)));
            check(m.contains("reports[0].report_id"), "a missing report id is named: " + m);

            Detector.Report early = good("A5");
            early.receivedTime = java.time.Instant.parse("2026-08-01T00:00:00Z");
            m = message(() -> d.feed(List.of(early)));
            check(m.contains("reports[0].received_time"), "a receipt before the onset is named: " + m);

            Detector.Report noOnset = good("A6");
            noOnset.onsetTime = null;
            m = message(() -> d.feed(List.of(noOnset)));
            check(m.contains("reports[0].onset_time"), "a missing onset is named: " + m);

            Detector.Report vaccine = good("A7");
            vaccine.productKind = "vaccine";
            m = message(() -> d.feed(List.of(good("A8"), vaccine)));
            check(m.startsWith("IllegalArgumentException") && m.contains("reports[1].product_kind"),
                  "a product the plan lacks is named: " + m);

            Detector.Report noKind = good("A9");
            noKind.productKind = null;
            m = message(() -> d.feed(List.of(noKind)));
            check(m.contains("reports[0].product_kind"), "a missing product kind is named: " + m);

            Detector.Report nul = good("A10");
            nul.batch = "B\u00001";
            m = message(() -> d.feed(List.of(nul)));
            check(m.startsWith("IllegalArgumentException") && m.contains("reports[0].batch"), "U+0000 is refused: " + m);

            check(d.counts().equals(before), "nothing of a refused batch was fed: " + d.counts());
            check(d.feed(List.of()).isEmpty(), "an empty batch alerts nothing");

            d.feed(List.of(good("A1")));
            check(d.counts().duplicates() == 1, "a report id given again is a duplicate: " + d.counts());
        }
        try (Plan plan = Plan.fromFile(root.resolve("examples/plans/tianjin-vaccine.json").toString())) {
            check(status(() -> Detector.create(plan).close()) == -2, "a plan without detection: VIGIL_EINVALID_PLAN");
        }
        try (Plan plan = Plan.builtin("guiyang")) {
            check(status(() -> Detector.create(plan, 5000, null).close()) == -3, "max delay 5000 days: VIGIL_EINVALID_INPUT");
            Detector d = Detector.create(plan);
            d.close();
            d.close();
            check(message(() -> d.counts()).startsWith("IllegalStateException"), "a closed detector refuses");
        }
        // the detector keeps its plan alive
        Detector kept;
        try (Plan plan = Plan.builtin("guiyang")) {
            kept = Detector.create(plan);
        }
        try (Detector d = kept) {
            d.feed(List.of(good("K1"), good("K2")));
            check(d.counts().taken() == 2, "two reports taken after the plan was closed: " + d.counts());
        }
        Map<String, String> row = new LinkedHashMap<>();
        row.put("report_id", "X");
        row.put("death", "yes");
        check(message(() -> Detector.Report.fromFields(row)).contains("death: expected true, false, 1 or 0"), "a bad flag");
        row.put("death", "1");
        row.put("onset_time", "2026-09-01T08:00:00");
        check(message(() -> Detector.Report.fromFields(row)).contains("onset_time: \"2026-09-01T08:00:00\" is not ISO 8601"),
              "a time without an offset");
        row.remove("onset_time");
        row.put("colour", "red");
        check(message(() -> Detector.Report.fromFields(row)).contains("colour: not a field of a case report"),
              "an unknown field");
        row.remove("colour");
        Detector.Report r = Detector.Report.fromFields(row);
        check(r.flags.equals(EnumSet.of(Detector.Flag.DEATH)) && r.reportId.equals("X"), "fromFields reads flags and text");
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DetectTest SOURCE_DIR VIGIL_CLI");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        equality(root, args[1]);
        documented(root);
        errors(root);
        finish("DetectTest");
    }
}
