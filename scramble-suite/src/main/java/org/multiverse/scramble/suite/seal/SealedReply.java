package org.multiverse.scramble.suite.seal;

import java.util.Arrays;
import java.util.Objects;

/**
 * A reply sealed by {@link ReplySealer#seal}: the HPKE encapsulated key ({@code enc}, 32 bytes
 * for X25519) and the ChaCha20-Poly1305 ciphertext with its 16-byte tag appended. Both map
 * one-to-one onto the {@code enc} and {@code ciphertext} fields of the wire {@code Reply}.
 * Immutable: the accessors return copies.
 */
public final class SealedReply {
    private final byte[] enc;
    private final byte[] ciphertext;

    /**
     * @param enc the encapsulated key
     * @param ciphertext the AEAD ciphertext including its tag
     */
    public SealedReply(byte[] enc, byte[] ciphertext) {
        this.enc = Objects.requireNonNull(enc, "enc").clone();
        this.ciphertext = Objects.requireNonNull(ciphertext, "ciphertext").clone();
    }

    /** @return a copy of the encapsulated key */
    public byte[] enc() {
        return enc.clone();
    }

    /** @return a copy of the ciphertext (tag included) */
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedReply other
                && Arrays.equals(enc, other.enc)
                && Arrays.equals(ciphertext, other.ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(enc) + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "SealedReply[enc=" + enc.length + " bytes, ciphertext=" + ciphertext.length + " bytes]";
    }
}
