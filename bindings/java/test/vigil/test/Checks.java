package vigil.test;

import vigil.VigilException;

/**
 * What the Java binding's tests share: a check counted and, when it fails, named on stderr; the
 * status of a call expected to throw VigilException; the message of a call expected to throw; and
 * the summary line with the exit status (1 when a check failed).
 */
final class Checks {
    private static int checks = 0;
    private static int failures = 0;

    private Checks() {}

    static void check(boolean ok, String what) {
        ++checks;
        if (!ok) {
            ++failures;
            System.err.println("FAILED: " + what);
        }
    }

    /** The status a call threw as VigilException; 0 when it returned. */
    static int status(Runnable r) {
        try {
            r.run();
        } catch (VigilException e) {
            return e.status();
        }
        return 0;
    }

    /** "ExceptionClass: message" of what a call threw; "" when it returned. */
    static String message(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return "";
    }

    /** Prints "NAME: N checks, M failed" and exits 0 when none failed, else 1. */
    static void finish(String name) {
        System.out.println(name + ": " + checks + " checks, " + failures + " failed");
        System.exit(failures == 0 ? 0 : 1);
    }
}
