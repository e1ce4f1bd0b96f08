package org.multiverse.scramble.protocol.agent.audit;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A point in the audit chain: how many entries it has and the hash of the last one (32 zero
 * bytes for the empty chain). The hash covers every entry before it, so two chains with the
 * same head agree on all {@code count} entries.
 *
 * @param count entries in the chain
 * @param hash  the chain hash of entry {@code count}
 */
public record AuditHead(long count, byte[] hash) {

    /** Length of a chain hash (SHA-256). */
    public static final int HASH_BYTES = 32;

    public AuditHead {
        if (count < 0 || hash == null || hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("an audit head is a count >= 0 and a 32-byte hash");
        }
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** The first 12 hex digits of the hash, for messages. */
    public String shortHash() {
        return HexFormat.of().formatHex(hash).substring(0, 12);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditHead h && h.count == count && Arrays.equals(h.hash, hash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return count + "/" + shortHash();
    }
}
