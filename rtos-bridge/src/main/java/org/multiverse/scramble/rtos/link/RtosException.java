package org.multiverse.scramble.rtos.link;

import org.multiverse.scramble.protocol.rtos.v1.ErrorCode;

/** A bridge operation that failed, with the kind the agent maps to an error reply. */
public final class RtosException extends Exception {

    /** What went wrong, from the person's point of view. */
    public enum Kind {
        /** No such node or channel. */
        NOT_FOUND,
        /** The request is malformed or contradicts its signed command. */
        INVALID_ARGUMENT,
        /** The node refused: bad signature or certificate, replay, expired, read-only... */
        REFUSED_BY_NODE,
        /** A deadline-tagged command arrived after its time. */
        DEADLINE_MISSED,
        /** The node's line is down or its handshake failed. */
        UNAVAILABLE,
        /** The node did not answer in time. */
        TIMEOUT
    }

    private final Kind kind;
    private final ErrorCode nodeCode;

    public RtosException(Kind kind, String message) {
        this(kind, message, ErrorCode.ERROR_UNSPECIFIED);
    }

    /** An exception for a node's Error, keeping its wire code (WIRE.md section 6). */
    public RtosException(Kind kind, String message, ErrorCode nodeCode) {
        super(message);
        this.kind = kind;
        this.nodeCode = java.util.Objects.requireNonNull(nodeCode, "nodeCode");
    }

    /** The node's error code if the node refused, else {@code ERROR_UNSPECIFIED}. */
    public ErrorCode nodeCode() {
        return nodeCode;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String toString() {
        return kind + ": " + getMessage();
    }
}
