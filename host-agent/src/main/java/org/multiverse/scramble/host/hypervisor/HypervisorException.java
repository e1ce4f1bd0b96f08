package org.multiverse.scramble.host.hypervisor;

/** A backend could not do what was asked; the message is written for a person. */
public final class HypervisorException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the backend failed, so callers can map it to the right error kind. */
    public enum Reason {
        /** The host lacks something the request needs (a bridge, a file). */
        PRECONDITION,
        /** The backend did not answer in time or is not reachable. */
        UNAVAILABLE,
        /** The backend failed. */
        FAILED
    }

    private final Reason reason;

    public HypervisorException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public HypervisorException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
