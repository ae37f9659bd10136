package vigil;

import java.time.Instant;

/**
 * An incident kept in an append-only, hash-chained event log file: each event is checked against the
 * plan's lifecycle and appended durably, or refused ({@link VigilException} with status
 * VIGIL_EREFUSED, the log unchanged) saying why. One writer's handle: use it from one thread at a
 * time. States are the library's JSON (vigil_incident_state_json).
 */
public final class Incident implements AutoCloseable {
    private long handle;

    private Incident(long handle) {
        this.handle = handle;
    }

    /**
     * Open a new log at {@code path} (refused when the file exists) on receipt of the report at
     * {@code time}, by {@code unit} (and {@code role}, may be null); {@code occurredAt} (may be null)
     * is when the incident occurred, the anchor of the 事发后 reporting clocks.
     */
    public static Incident create(Plan plan, String path, String id, Instant time, Instant occurredAt, String unit,
                                  String role) {
        return new Incident(NativeReporting.incidentCreate(plan.live(), NativeReporting.utf8(path), NativeReporting.utf8(id),
                time.getEpochSecond(), NativeReporting.seconds(occurredAt), NativeReporting.utf8(unit),
                NativeReporting.utf8(role)));
    }

    /** Open an existing log, which must be for {@code plan}; a broken chain is refused. */
    public static Incident open(Plan plan, String path) {
        return new Incident(NativeReporting.incidentOpen(plan.live(), NativeReporting.utf8(path)));
    }

    /** The id of the plan a log's opening record names. */
    public static String planId(String path) {
        return NativeReporting.text(NativeReporting.incidentPlanId(NativeReporting.utf8(path)));
    }

    /** Replay a log's text under {@code plan} (no file): the state JSON. */
    public static String replayJson(Plan plan, String logText) {
        return NativeReporting.text(NativeReporting.incidentReplayJson(plan.live(), NativeReporting.utf8(logText)));
    }

    /**
     * Fire one event, JSON {"event", "time", "actor": {"unit", "role"}, "payload": {…}}; returns the
     * new state.
     */
    public String apply(String eventJson) {
        return NativeReporting.text(NativeReporting.incidentApply(live(), NativeReporting.utf8(eventJson)));
    }

    /** The incident: state, grade, warning, response, history, the events allowed next. */
    public String stateJson() {
        return NativeReporting.text(NativeReporting.incidentStateJson(live()));
    }

    private long live() {
        if (handle == 0) throw new IllegalStateException("the incident is closed");
        return handle;
    }

    @Override
    public void close() {
        if (handle != 0) {
            NativeReporting.incidentFree(handle);
            handle = 0;
        }
    }
}
