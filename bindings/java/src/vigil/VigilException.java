package vigil;

/** A vigil call failed: {@code status} is a VIGIL_E* code of vigil.h (negative), the message says what and where. */
public final class VigilException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public VigilException(int status, String message) {
        super(Native.statusString(status) + " (" + status + "): " + message);
        this.status = status;
    }

    /** The VIGIL_E* status code. */
    public int status() {
        return status;
    }
}
