package vigil;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * From individual case reports to graded clusters (docs/detect.md): a detector under a plan, fed
 * case reports in batches in the order they were received. Each batch answers with the alerts it
 * caused — byte for byte the JSON Lines `vigil watch` prints — and at any time the detector answers
 * with the clusters of the reports it holds — byte for byte `vigil detect --out jsonl`. How facts
 * are counted from reports is the plan's "detection" section. One stream's state: use a detector
 * from one thread at a time (the plan may be shared; the detector keeps it alive).
 */
public final class Detector implements AutoCloseable {
    /** maxDelayDays of {@link #create(Plan, int, Set)}: hold every report (an archive). */
    public static final int KEEP_ALL = -1;

    /** Levels of the administrative tree (GB/T 2260), as enum vigil_area_level. */
    public enum Level {
        PROVINCE, PREFECTURE, COUNTY, STREET;

        /** The name `vigil detect --level` takes: "province" … "street". */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The yes/no fields of a case report, as enum vigil_report_flag (its bit is 1 << ordinal()). */
    public enum Flag {
        DEATH, LIFE_THREATENING, DISABILITY, ORGAN_DAMAGE, HOSPITALISATION, CONGENITAL_ANOMALY, OTHER_SERIOUS,
        /** 罕见或非预期: rare or unexpected. */
        RARE;

        /** The field's name in `vigil detect`'s CSV: "death" … "rare". */
        public String field() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One individual case report, as `vigil detect` reads a row. Required: reportId, patientId,
     * productKind (one of the plan's products), productId, productName, batch, onsetTime,
     * receivedTime (not before the onset), areaCode (GB/T 2260, 6 or 9 digits); maker, dosageForm,
     * strength may be null. A missing or bad field is refused when the batch is fed, naming it.
     */
    public static final class Report {
        public String reportId;
        public String patientId;
        public String productKind;
        public String productId;
        public String productName;
        public String batch;
        public String maker;
        public String dosageForm;
        public String strength;
        public Instant onsetTime;
        public Instant receivedTime;
        public String areaCode;
        public final EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);

        /** The fields of `vigil detect`'s CSV or JSONL header, as text. */
        public static final List<String> FIELDS = List.of("report_id", "patient_id", "product_kind", "product_id",
                "product_name", "batch", "onset_time", "received_time", "area_code", "rare", "death", "life_threatening",
                "disability", "organ_damage", "hospitalisation", "congenital_anomaly", "other_serious", "maker",
                "dosage_form", "strength");

        /**
         * A report from its fields by name (a CSV row read with its header): times ISO 8601 with an
         * offset, flags "true"/"false" or "1"/"0" (empty or absent: false), an empty optional field
         * absent. A name that is not one of {@link #FIELDS}, a bad time or a bad flag is an
         * IllegalArgumentException naming it.
         */
        public static Report fromFields(Map<String, String> row) {
            Report r = new Report();
            for (Map.Entry<String, String> e : row.entrySet()) {
                String k = e.getKey(), v = e.getValue();
                if (!FIELDS.contains(k))
                    throw new IllegalArgumentException(k + ": not a field of a case report; expected one of " + FIELDS);
                if (v == null) continue;
                switch (k) {
                    case "report_id": r.reportId = v; break;
                    case "patient_id": r.patientId = v; break;
                    case "product_kind": r.productKind = v; break;
                    case "product_id": r.productId = v; break;
                    case "product_name": r.productName = v; break;
                    case "batch": r.batch = v; break;
                    case "maker": r.maker = v.isEmpty() ? null : v; break;
                    case "dosage_form": r.dosageForm = v.isEmpty() ? null : v; break;
                    case "strength": r.strength = v.isEmpty() ? null : v; break;
                    case "area_code": r.areaCode = v; break;
                    case "onset_time": r.onsetTime = instant(k, v); break;
                    case "received_time": r.receivedTime = instant(k, v); break;
                    default: {
                        Flag f = Flag.valueOf(k.toUpperCase(Locale.ROOT));
                        if (v.equals("true") || v.equals("1")) r.flags.add(f);
                        else if (!(v.equals("false") || v.equals("0") || v.isEmpty()))
                            throw new IllegalArgumentException(k + ": expected true, false, 1 or 0, got \"" + v + "\"");
                    }
                }
            }
            return r;
        }

        private static Instant instant(String field, String v) {
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(field + ": \"" + v
                        + "\" is not ISO 8601 with an offset (2026-09-03T08:00:00+08:00, …Z)");
            }
        }
    }

    /** What a detector has done: reports placed, duplicates, too late, alerts given, reports held now. */
    public record Counts(long taken, long duplicates, long tooLate, long alerts, long kept) {}

    private long handle;
    private final List<String> products;

    private Detector(long handle, List<String> products) {
        this.handle = handle;
        this.products = products;
    }

    /** A detector as `vigil watch` runs it: 90 days' delay allowed, alerts at every level. */
    public static Detector create(Plan plan) {
        return create(plan, 90, null);
    }

    /**
     * A detector under {@code plan} (which must have a "detection" section: else VigilException
     * VIGIL_EINVALID_PLAN). {@code maxDelayDays}: how long after the plan's window a report may still
     * arrive, 0 … 3650 (`vigil watch --max-delay-days`), or {@link #KEEP_ALL}: every report is held,
     * and {@link #clustersJsonl} answers what `vigil detect` answers for the archive.
     * {@code levels}: alerts and clusters only at these levels; null or empty: every level.
     */
    public static Detector create(Plan plan, int maxDelayDays, Set<Level> levels) {
        int mask = 0;
        if (levels != null)
            for (Level l : levels) mask |= 1 << l.ordinal();
        return new Detector(NativeDetect.detectorCreate(plan.live(), maxDelayDays, mask), plan.products());
    }

    /** A detector that holds every report: an archive fed to it answers as `vigil detect` does. */
    public static Detector archive(Plan plan, Set<Level> levels) {
        return create(plan, KEEP_ALL, levels);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static long seconds(Instant t) {
        // none: a time the library refuses, naming the field (years 1970–2199 are taken)
        return t == null ? Long.MIN_VALUE : t.getEpochSecond();
    }

    /**
     * Feed a batch, in the order its reports were received; the alerts it caused as JSON Lines,
     * byte for byte what `vigil watch` prints ("" when none). The batch is checked whole first: a
     * bad report is a VigilException (VIGIL_EINVALID_INPUT) naming reports[i].field, or an
     * IllegalArgumentException for a product kind the plan does not have, and nothing of the batch
     * is fed.
     */
    public String feedJsonl(Collection<Report> batch) {
        long h = live();
        int n = batch.size(), i = 0;
        byte[][] texts = new byte[9 * n][];
        int[] kinds = new int[n];
        long[] times = new long[2 * n];
        int[] flags = new int[n];
        for (Report r : batch) {
            if (r == null) throw new NullPointerException("reports[" + i + "]");
            String[] t = {r.reportId, r.patientId, r.productId, r.productName, r.batch, r.maker, r.dosageForm, r.strength,
                          r.areaCode};
            for (int k = 0; k < t.length; ++k) texts[9 * i + k] = utf8(t[k]);
            if (r.productKind == null) kinds[i] = -1;
            else if ((kinds[i] = products.indexOf(r.productKind)) < 0)
                throw new IllegalArgumentException("reports[" + i + "].product_kind: \"" + r.productKind
                        + "\" is not one of the plan's products " + products);
            times[2 * i] = seconds(r.onsetTime);
            times[2 * i + 1] = seconds(r.receivedTime);
            for (Flag f : r.flags) flags[i] |= 1 << f.ordinal();
            ++i;
        }
        if (i != n) throw new IllegalArgumentException("reports: the batch changed while it was read");
        long[] count = new long[1];
        return NativeReporting.text(NativeDetect.detectorFeed(h, texts, kinds, times, flags, count));
    }

    /** Feed a batch; its alerts, one JSON object a line (as {@link #feedJsonl}). */
    public List<String> feed(Collection<Report> batch) {
        return lines(feedJsonl(batch));
    }

    /**
     * The clusters of the reports held, as JSON Lines, the gravest first: byte for byte `vigil
     * detect --out jsonl` ({@code all}: `--all`, also the clusters that reached neither a grade nor
     * a warning).
     */
    public String clustersJsonl(boolean all) {
        return NativeReporting.text(NativeDetect.detectorClustersJson(live(), all));
    }

    /** The clusters, one JSON object a line (as {@link #clustersJsonl}). */
    public List<String> clusters(boolean all) {
        return lines(clustersJsonl(all));
    }

    /** What the detector has done so far. */
    public Counts counts() {
        long[] c = NativeDetect.detectorStats(live());
        return new Counts(c[0], c[1], c[2], c[3], c[4]);
    }

    private static List<String> lines(String jsonl) {
        List<String> out = new ArrayList<>();
        for (String line : jsonl.split("\n"))
            if (!line.isEmpty()) out.add(line);
        return out;
    }

    private long live() {
        if (handle == 0) throw new IllegalStateException("the detector is closed");
        return handle;
    }

    @Override
    public void close() {
        if (handle != 0) {
            NativeDetect.detectorFree(handle);
            handle = 0;
        }
    }
}
