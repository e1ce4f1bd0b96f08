package org.multiverse.scramble.suite.seal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKEContext;

/**
 * The per-stream ChaCha20-Poly1305 key and base nonce, exported from an HPKE auth-mode
 * context, and the per-message nonce.
 *
 * <p>Why not the HPKE context's own {@code Seal}: it numbers messages implicitly, so a lost
 * or reordered event would desynchronise the receiver. Exporting the key and numbering
 * messages explicitly lets any message be opened on its own, in any order, and makes loss
 * visible as a gap. The construction is HPKE's own nonce rule with an explicit sequence,
 * simple enough for the RTOS firmware:
 *
 * <pre>
 *   key        = Export("scramble stream key", 32)
 *   base_nonce = Export("scramble stream nonce", 12)
 *   nonce(seq) = base_nonce XOR (0x00000000 ‖ uint64_be(seq))
 * </pre>
 */
final class StreamKeys implements AutoCloseable {
    /** The fixed {@code info} prefix of a stream's HPKE setup; ASCII, fixed length. */
    static final String INFO_LABEL = "scramble-stream-v1:";

    static final byte[] KEY_EXPORT_CONTEXT = "scramble stream key".getBytes(StandardCharsets.US_ASCII);
    static final byte[] NONCE_EXPORT_CONTEXT = "scramble stream nonce".getBytes(StandardCharsets.US_ASCII);

    /**
     * The largest usable sequence number, as unsigned 64-bit: 2^64 - 2. The receiver's replay
     * window counts from 1, so it tracks {@code seq + 1}, and 2^64 - 1 has no successor.
     */
    static final long MAX_SEQUENCE = -2L;

    private final byte[] key;
    private final byte[] baseNonce;
    private boolean closed;

    StreamKeys(HPKEContext context) {
        this(
                context.export(KEY_EXPORT_CONTEXT, ChaChaPoly.KEY_BYTES),
                context.export(NONCE_EXPORT_CONTEXT, ChaChaPoly.NONCE_BYTES));
    }

    /** Takes ownership of (and later zeroes) both arrays. */
    StreamKeys(byte[] key, byte[] baseNonce) {
        if (key.length != ChaChaPoly.KEY_BYTES || baseNonce.length != ChaChaPoly.NONCE_BYTES) {
            throw new IllegalArgumentException("stream key or base nonce of the wrong length");
        }
        this.key = key;
        this.baseNonce = baseNonce;
    }

    byte[] seal(long sequence, byte[] aad, byte[] plaintext) {
        requireOpen();
        byte[] nonce = nonce(sequence);
        try {
            return ChaChaPoly.seal(key, nonce, aad, plaintext);
        } finally {
            Arrays.fill(nonce, (byte) 0);
        }
    }

    byte[] open(long sequence, byte[] aad, byte[] ciphertext) throws InvalidCipherTextException {
        requireOpen();
        byte[] nonce = nonce(sequence);
        try {
            return ChaChaPoly.open(key, nonce, aad, ciphertext);
        } finally {
            Arrays.fill(nonce, (byte) 0);
        }
    }

    /** {@code base_nonce XOR (4 zero bytes ‖ big-endian sequence)}. */
    byte[] nonce(long sequence) {
        byte[] nonce = baseNonce.clone();
        for (int i = 0; i < Long.BYTES; i++) {
            nonce[ChaChaPoly.NONCE_BYTES - 1 - i] ^= (byte) (sequence >>> (8 * i));
        }
        return nonce;
    }

    boolean isClosed() {
        return closed;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("stream is closed");
        }
    }

    /** Zeroes the key and the base nonce. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(key, (byte) 0);
        Arrays.fill(baseNonce, (byte) 0);
    }
}
