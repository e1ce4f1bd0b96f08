package org.multiverse.scramble.controller.router;

/** A router command failed; {@link #kind()} classifies it, the message is for a person. */
public class RouterException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Error classes the agent maps onto its reply status. */
    public enum Kind {
        /** No such router or profile. */
        NOT_FOUND,
        /** A name, profile, key or endpoint is malformed. */
        INVALID_ARGUMENT,
        /** The command does not fit the current state (router down, no profile in use). */
        FAILED_PRECONDITION,
        /** A component the router needs is not running or not reachable (Tor, wireguard-go, a tool). */
        UNAVAILABLE,
        /** Something that should not fail did; the chain was left closed. */
        INTERNAL
    }

    private final Kind kind;

    public RouterException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RouterException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String toString() {
        return kind + ": " + getMessage();
    }
}
