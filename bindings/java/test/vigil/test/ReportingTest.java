package vigil.test;

import static vigil.test.Checks.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import vigil.Calendar;
import vigil.Incident;
import vigil.Plan;
import vigil.Reports;
import vigil.VigilException;

/**
 * The Java binding's calendar, deadlines, audit and incidents, as the Python binding's tests check
 * them: tests/data/calendar/add.txt (the n-th working day, hand-checked against the notices), the
 * example timelines' deadlines and audit, an incident walked through its log with a refusal, a
 * reopening, a replay and a tampered log, and the error paths.
 * Usage: ReportingTest SOURCE_DIR. Exits 1 when a check fails.
 */
public final class ReportingTest {
    private static Instant at(String iso) {
        return OffsetDateTime.parse(iso).toInstant();
    }

    private static void calendar(Path root) throws Exception {
        try (Calendar cal = Calendar.builtin()) {
            int rows = 0;
            for (String line : Files.readAllLines(root.resolve("tests/data/calendar/add.txt"), StandardCharsets.UTF_8)) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] c = line.trim().split("\\s+");
                LocalDate d = LocalDate.parse(c[0]);
                int n = Integer.parseInt(c[1]);
                ++rows;
                if (c[2].equals("out_of_range")) {
                    check(status(() -> cal.addWorkingDays(d, n)) == -6, "add.txt " + line + ": out of range");
                } else {
                    LocalDate got = cal.addWorkingDays(d, n);
                    check(got.equals(LocalDate.parse(c[2])), "add.txt " + line + ": got " + got);
                }
            }
            check(rows > 5, "add.txt has rows");
            check(!cal.isWorkingDay(LocalDate.of(2026, 10, 1)), "2026-10-01 (国庆节) is a holiday");
            check(cal.isWorkingDay(at("2026-10-10T09:00:00+08:00")), "2026-10-10, a make-up Saturday, is worked");
            // 17:00 UTC on 10-09 is already 10-10 in Beijing: the local date counts
            check(cal.isWorkingDay(at("2026-10-09T17:00:00Z")), "the local date counts");
        }
        try (Calendar file = Calendar.fromFile(root.resolve("data/calendar/cn.csv").toString())) {
            check(!file.isWorkingDay(LocalDate.of(2026, 2, 16)), "2026-02-16 (春节) from the file");
        }
        try {
            Calendar.fromCsv("date,kind\nyesterday,holiday\n", "bad.csv");
            check(false, "a bad calendar was accepted");
        } catch (VigilException e) {
            check(e.getMessage().contains("bad.csv"), "a bad calendar names its source: " + e.getMessage());
        }
        check(status(() -> Calendar.fromFile("no-such-calendar.csv")) == -5, "a missing calendar file is EIO");
    }

    private static void deadlines(Path root) throws Exception {
        String text = Files.readString(root.resolve("examples/timeline-guiyang-escalation.json"), StandardCharsets.UTF_8);
        Instant now = at("2026-10-01T12:00:00+08:00");
        try (Plan plan = Plan.builtin("guiyang"); Calendar cal = Calendar.builtin()) {
            String d = Reports.deadlinesJson(plan, null, text, now);
            check(d.equals(Reports.deadlinesJson(plan, cal, text, now)), "null calendar is the built-in one");
            check(d.contains("\"plan\":\"guiyang\""), "deadlines name the plan");
            check(d.contains("\"incident\":\"GY-2026-0917\""), "deadlines name the incident (UTF-8 both ways)");
            // guiyang A5: phone 20 minutes after the occurrence (2026-09-30 22:10)
            check(d.contains("\"id\":\"gy-A5-IV-phone\""), "the grade IV phone report is owed");
            check(d.contains("\"due_local\":\"2026-09-30T22:30:00+08:00\""), "due 20 minutes after the occurrence");
            String a = Reports.auditJson(plan, cal, text, now);
            check(a.contains("\"as_of\":" + now.getEpochSecond()), "the audit is as of the time asked");
            check(a.contains("\"status\":"), "the audit has statuses");
            check(status(() -> Reports.deadlinesJson(plan, null, "{\"events\": [", null)) == -1, "malformed timeline: EPARSE");
            check(status(() -> Reports.auditJson(plan, null, text, Instant.ofEpochSecond(-1))) == -6,
                    "an audit before the epoch: EOUT_OF_RANGE");
            try {
                Reports.auditJson(plan, null, text, null);
                check(false, "an audit without a time was accepted");
            } catch (NullPointerException e) {
                check(true, "an audit needs its time");
            }
        }
    }

    // A December 2026 incident: the hour-based duties answered; the 7-working-day summary refused
    // on its own row (calendar_unknown 2027) or, with a provisional calendar, given and marked.
    private static void december(Path root) throws Exception {
        String text = Files.readString(root.resolve("examples/timeline-yuzhong-december.json"), StandardCharsets.UTF_8);
        try (Plan plan = Plan.builtin("yuzhong"); Calendar cal = Calendar.builtin(); Calendar prov = cal.provisional()) {
            String d = Reports.deadlinesJson(plan, cal, text, null);
            check(d.contains("\"due_local\":\"2026-12-15T10:00:00+08:00\""), "the 1-hour report is answered");
            check(d.contains("\"provisional\":false,\"calendar_unknown\":2027"), "the summary is refused on its own row: " + d);
            check(d.contains("\"not_final\":1"), "one row is not final");
            String p = Reports.deadlinesJson(plan, prov, text, null);
            check(p.contains("\"due_local\":\"2027-01-01T00:00:00+08:00\""), "the provisional summary is due 2027-01-01 00:00");
            check(p.contains("\"provisional\":true,\"calendar_unknown\":null"), "and marked provisional");
            check(!prov.isWorkingDay(LocalDate.of(2027, 1, 1)), "2027-01-01 (元旦) is a fixed holiday");
            check(status(() -> cal.isWorkingDay(LocalDate.of(2026, 12, 30))) == -6, "2026-12-30 waits for the 2027 notice");
        }
    }

    private static String event(String name, String time, String unit, String role, String payload) {
        return "{\"event\": \"" + name + "\", \"time\": \"" + time + "\", \"actor\": {\"unit\": \"" + unit + "\", \"role\": \""
                + role + "\"}, \"payload\": " + payload + "}";
    }

    private static void incidents() throws Exception {
        Path dir = Files.createTempDirectory("vigil-java");
        Path log = dir.resolve("incident.jsonl");
        try (Plan plan = Plan.builtin("yuzhong")) {
            String s;
            try (Incident inc = Incident.create(plan, log.toString(), "YZ-2026-J01", at("2026-03-02T09:00:00+08:00"),
                    at("2026-03-02T08:30:00+08:00"), "区市场监管局", "局长")) {
                s = inc.apply(event("issue_warning", "2026-03-02T09:05:00+08:00", "区市场监管局", "局长", "{\"colour\": \"yellow\"}"));
                check(s.contains("\"warning\":\"yellow\""), "the warning is issued: " + s);
                inc.apply(event("report", "2026-03-02T09:10:00+08:00", "区市场监管局", "局长", "{\"report_ref\": \"渝中市监〔2026〕1号\"}"));
                s = inc.apply(event("assess", "2026-03-02T09:20:00+08:00", "区市场监管局", "局长", "{\"grade\": \"III\"}"));
                check(s.contains("\"grade\":\"III\""), "assessed grade III");
                long size = Files.size(log);
                // a level-1 response is not the district bureau's to start: refused, nothing written
                check(status(() -> inc.apply(event("start_response", "2026-03-02T09:30:00+08:00", "区市场监管局", "局长",
                        "{\"level\": 1}"))) == -7, "a start by the wrong authority is refused");
                check(Files.size(log) == size, "a refused event writes nothing");
                check(inc.stateJson().equals(s), "the state is unchanged by the refusal");
                check(status(() -> inc.apply("{\"event\": ")) == -1, "a malformed event is EPARSE");
            }
            check(Incident.planId(log.toString()).equals("yuzhong"), "the log names its plan");
            try (Incident again = Incident.open(plan, log.toString())) {
                check(again.stateJson().equals(s), "reopened: the same state");
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            check(Incident.replayJson(plan, text).equals(s), "a replay of the text: the same state");
            check(text.contains("\"occurred_at\""), "the opening records the occurrence");
            check(status(() -> Incident.replayJson(plan, text.replace("渝中市监", "X中市监"))) == -8, "a tampered log: ETAMPERED");
            try (Plan other = Plan.builtin("guiyang")) {
                check(status(() -> Incident.open(other, log.toString())) != 0, "a log opened under another plan is refused");
            }
            check(status(() -> Incident.create(plan, log.toString(), "again", Instant.ofEpochSecond(1772413200), null,
                    "区市场监管局", null)) == -5, "an existing log is not overwritten: EIO");
            // a deadlines question can read the log as it is
            String d = Reports.deadlinesJson(plan, null, text, at("2026-03-02T12:00:00+08:00"));
            check(d.contains("\"incident\":\"YZ-2026-J01\""), "deadlines read from the log");
            Incident closed = Incident.open(plan, log.toString());
            closed.close();
            closed.close();
            try {
                closed.stateJson();
                check(false, "a closed incident was used");
            } catch (IllegalStateException e) {
                check(true, "a closed incident");
            }
        } finally {
            Files.deleteIfExists(log);
            Files.deleteIfExists(log.resolveSibling(log.getFileName() + ".ack"));  // the log's acknowledgement mark
            Files.deleteIfExists(dir);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ReportingTest SOURCE_DIR");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        calendar(root);
        deadlines(root);
        december(root);
        incidents();
        finish("ReportingTest");
    }
}
