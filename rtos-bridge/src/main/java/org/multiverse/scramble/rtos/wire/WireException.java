package org.multiverse.scramble.rtos.wire;

/** A frame payload that is not a well-formed message within the bounds of WIRE.md. */
public final class WireException extends Exception {

    /** Why a message was refused. */
    public enum Reason {
        /** Not protobuf, or not this schema. */
        UNDECODABLE,
        /** A string, bytes or repeated field above its bound, or a number out of range. */
        OUT_OF_BOUNDS,
        /** No message in the oneof, or a fixed-length field of the wrong length. */
        MALFORMED,
        /** The encoding would not fit one frame. */
        TOO_LARGE
    }

    private final Reason reason;

    public WireException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
