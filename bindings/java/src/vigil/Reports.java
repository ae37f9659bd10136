package vigil;

import java.time.Instant;

/**
 * The reports an incident owes under a plan, and their audit, as the library's JSON (the shapes of
 * vigil.h's vigil_deadlines_json and vigil_audit_json; docs/deadlines.md). The timeline is the
 * timeline JSON ({"vigil_timeline": 1, …}) or an incident's lifecycle log as it is.
 */
public final class Reports {
    private Reports() {}

    /**
     * Every report owed: who reports to whom, by which channel, due when, with its clause and
     * explanation. {@code calendar} null: the built-in one; {@code asOf} null: the timeline's last event.
     */
    public static String deadlinesJson(Plan plan, Calendar calendar, String timeline, Instant asOf) {
        return NativeReporting.text(NativeReporting.deadlinesJson(plan.live(), calendar == null ? 0 : calendar.live(),
                NativeReporting.utf8(timeline), NativeReporting.seconds(asOf)));
    }

    /** The reports made, held against those deadlines as of {@code asOf} (required: the library has no clock). */
    public static String auditJson(Plan plan, Calendar calendar, String timeline, Instant asOf) {
        if (asOf == null) throw new NullPointerException("asOf");
        return NativeReporting.text(NativeReporting.auditJson(plan.live(), calendar == null ? 0 : calendar.live(),
                NativeReporting.utf8(timeline), asOf.getEpochSecond()));
    }
}
