package org.multiverse.scramble.protocol.frame;

import java.util.Arrays;
import java.util.Objects;

/**
 * One decoded (or to-be-encoded) frame: a type and an opaque payload.
 *
 * <p>The payload array is <em>not</em> copied: the decoder hands out a fresh array per
 * frame and the encoder only reads it, so a copy would cost a 64 KiB allocation per frame
 * for nothing. Callers must not mutate a payload after handing it over. Equality and
 * hash code compare payload contents, so frames can be compared in tests and sets.
 *
 * @param type what the payload is
 * @param payload the payload bytes (a serialized protobuf message, normally)
 */
public record Frame(FrameType type, byte[] payload) {

    /** Rejects null components. */
    public Frame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Frame that && type == that.type && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(payload);
    }

    /** Type and payload length only: payloads may hold ciphertext or certificates. */
    @Override
    public String toString() {
        return "Frame[" + type + ", " + payload.length + " bytes]";
    }
}
