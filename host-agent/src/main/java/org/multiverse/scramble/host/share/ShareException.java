package org.multiverse.scramble.host.share;

import java.util.Objects;

/**
 * A share operation that was refused or failed. The message is written for the person at
 * the shell (it names the reason and, where there is one, the fix); {@link #kind()} is for
 * the code that maps it onto a protocol error.
 */
public final class ShareException extends Exception {

    /** What went wrong, coarsely; the message says exactly what. */
    public enum Kind {
        /** The request itself is malformed or hostile (bad path, bad name, bad option). */
        INVALID_ARGUMENT,
        /** The portal, the host folder or the link does not exist. */
        NOT_FOUND,
        /** A link with that name, or something else at its place in the share, exists already. */
        ALREADY_EXISTS,
        /** Policy forbids it, or the agent lacks the privilege to do it. */
        PERMISSION,
        /** The host failed underneath us (I/O error, mount(8) failed, corrupt state file). */
        INTERNAL
    }

    private final Kind kind;

    /**
     * @param kind the coarse category
     * @param message what happened, for a person; never contains secrets
     */
    public ShareException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * @param kind the coarse category
     * @param message what happened, for a person; never contains secrets
     * @param cause the underlying failure
     */
    public ShareException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** The coarse category of the failure. */
    public Kind kind() {
        return kind;
    }
}
