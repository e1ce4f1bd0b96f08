package org.multiverse.scramble.host.portal;

import java.util.Objects;

/**
 * A portal operation was refused or failed. The message is written for the person at
 * the shell (it quotes their input safely and says what to do); the kind tells the
 * agent's handler which error status to send.
 */
public final class PortalException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why an operation did not happen; mirrors the status codes the agent replies with. */
    public enum Kind {
        /** No portal (or template, or snapshot) by that name. */
        NOT_FOUND,
        /** A portal (or snapshot) by that name exists already. */
        ALREADY_EXISTS,
        /** The request itself is malformed: a bad name, field, value or definition. */
        INVALID_ARGUMENT,
        /** The request is fine but the portal's state does not allow it now. */
        FAILED_PRECONDITION,
        /** A limit (portal count, memory) would be exceeded. */
        RESOURCE_EXHAUSTED,
        /** The VM or the backend does not answer. */
        UNAVAILABLE,
        /** Something broke on the host (disk, backend failure). */
        INTERNAL
    }

    private final Kind kind;

    public PortalException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public PortalException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
