package org.multiverse.scramble.protocol.vectors;

import java.time.Duration;

/**
 * The fixed secrets, clocks and ids every vector is made from. Nothing here is random, so
 * every run of the generator writes the same bytes. Secrets are "counting" patterns (32
 * consecutive byte values from a documented first byte) so a reader can type them; they are
 * listed in {@code vectors/README.md} and repeated as hex in every file.
 */
final class FixedInputs {

    /** The person's root identity seed: 0x00..0x1f. Authorised on the agent with scope {@code all}. */
    static final byte[] ROOT_SEED = counting(0x00);
    /** The agent's identity seed: 0x20..0x3f. */
    static final byte[] AGENT_SEED = counting(0x20);
    /** A root no agent here authorises (a stranger, or an attacker with a valid key of their own): 0xc0..0xdf. */
    static final byte[] STRANGER_SEED = counting(0xc0);

    /**
     * The agent's clock for every envelope vector: 2026-01-01T00:00:00Z. A round value, so the
     * timestamps and validity windows in the files read easily.
     */
    static final long AGENT_NOW_MILLIS = 1_767_225_600_000L;
    /** Sessions in the files were unlocked an hour before the agent's "now". */
    static final long SESSION_ISSUED_MILLIS =
            AGENT_NOW_MILLIS - Duration.ofHours(1).toMillis();
    /** Envelopes are dated one second before the agent's "now": a normal network delay. */
    static final long ENVELOPE_SENT_MILLIS = AGENT_NOW_MILLIS - 1_000;

    private FixedInputs() {}

    /** 32 bytes {@code first, first+1, ..., first+31}, modulo 256. */
    static byte[] counting(int first) {
        byte[] out = new byte[32];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (first + i);
        }
        return out;
    }

    /**
     * Request id number {@code n}: ASCII {@code "req:"}, eleven zero bytes, then {@code n}. Fixed
     * and distinct per use, and recognisable in a hex dump.
     */
    static byte[] requestId(int n) {
        if (n < 0 || n > 0xff) {
            throw new IllegalArgumentException("request id numbers are 0..255");
        }
        byte[] id = new byte[16];
        id[0] = 'r';
        id[1] = 'e';
        id[2] = 'q';
        id[3] = ':';
        id[15] = (byte) n;
        return id;
    }
}
