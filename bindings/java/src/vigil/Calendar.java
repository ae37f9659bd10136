package vigil;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The official working-day calendar (Asia/Shanghai): the State Council's holidays and make-up
 * working days. Immutable: share one instance between threads. A date outside the years it covers
 * is a {@link VigilException} (VIGIL_EOUT_OF_RANGE), never a guess.
 */
public final class Calendar implements AutoCloseable {
    /** The time zone the calendar's dates are in. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private long handle;

    private Calendar(long handle) {
        this.handle = handle;
    }

    /** The calendar built into the library. */
    public static Calendar builtin() {
        return new Calendar(NativeReporting.calendarBuiltin());
    }

    /** A calendar CSV file (date,kind,name,year,notice), as data/calendar/cn.csv. */
    public static Calendar fromFile(String path) {
        return new Calendar(NativeReporting.calendarLoadFile(NativeReporting.utf8(path)));
    }

    /** The same from CSV text; {@code source} names it in messages (null: "<buffer>"). */
    public static Calendar fromCsv(String csv, String source) {
        return new Calendar(NativeReporting.calendarLoadBuffer(NativeReporting.utf8(csv), NativeReporting.utf8(source)));
    }

    /**
     * This calendar, answering the days it lacks (a year without its notice, and the last week of
     * December before such a year) from weekends and the fixed-date statutory holidays (元旦 1月1日,
     * 劳动节 5月1日–2日, 国庆节 10月1日–3日); deadlines computed with it carry
     * {@code "provisional": true} where they rest on such days. Close it like any calendar.
     */
    public Calendar provisional() {
        return new Calendar(NativeReporting.calendarProvisional(live()));
    }

    /** Whether the local date (Asia/Shanghai) of {@code t} is a working day. */
    public boolean isWorkingDay(Instant t) {
        return NativeReporting.calendarIsWorkingDay(live(), t.getEpochSecond());
    }

    /** Whether {@code date} is a working day. */
    public boolean isWorkingDay(LocalDate date) {
        return isWorkingDay(date.atStartOfDay(ZONE).toInstant());
    }

    /** The n-th working day after (n > 0) or before (n < 0) {@code date}, or the date itself (n == 0). */
    public LocalDate addWorkingDays(LocalDate date, int n) {
        long s = NativeReporting.calendarAddWorkingDays(live(), date.atStartOfDay(ZONE).toEpochSecond(), n);
        return Instant.ofEpochSecond(s).atZone(ZONE).toLocalDate();
    }

    long live() {
        if (handle == 0) throw new IllegalStateException("the calendar is closed");
        return handle;
    }

    @Override
    public void close() {
        if (handle != 0) {
            NativeReporting.calendarFree(handle);
            handle = 0;
        }
    }
}
