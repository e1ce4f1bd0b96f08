package org.multiverse.scramble.controller.tor;

/**
 * Tor refused a command (a 4xx/5xx reply; {@link #status()} is its code) or the control
 * connection failed or spoke something that is not the control protocol ({@link #status()} 0).
 */
public class TorControlException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    public TorControlException(int status, String message) {
        super(message);
        this.status = status;
    }

    public TorControlException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** Tor's reply code, or 0 for a transport or protocol failure. */
    public int status() {
        return status;
    }
}
