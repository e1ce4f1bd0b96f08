package org.multiverse.scramble.suite.seal;

import java.util.Objects;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * The sending side of a sealed stream (events, telemetry): one HPKE auth-mode setup per
 * stream, then cheap per-message ChaCha20-Poly1305 with a nonce derived from an explicit
 * sequence number (see {@link StreamOpener} for the receiving side).
 *
 * <p>{@code info = "scramble-stream-v1:" ‖ streamId} (the stream id is the request id of the
 * subscribe command). Key and base nonce are HPKE exports:
 *
 * <pre>
 *   key        = Export("scramble stream key", 32)
 *   base_nonce = Export("scramble stream nonce", 12)
 *   nonce(seq) = base_nonce XOR (0x00000000 ‖ uint64_be(seq))
 * </pre>
 *
 * <p>Sequence numbers are unsigned 64-bit, start anywhere from 0 and must strictly increase
 * (gaps are allowed): a nonce is never reused, because a second message under the same
 * ChaCha20-Poly1305 nonce would reveal the XOR of the plaintexts and let the Poly1305 key be
 * recovered. The largest usable number is 2^64 - 2.
 *
 * <p>Thread-safe. {@link #close()} zeroes the key.
 */
public final class StreamSealer implements AutoCloseable {
    private final byte[] enc;
    private final StreamKeys keys;
    /** Lowest sequence number (unsigned) still allowed. */
    private long nextAllowed;

    private boolean exhausted;

    private StreamSealer(byte[] enc, StreamKeys keys) {
        this.enc = enc;
        this.keys = keys;
    }

    /**
     * Sets up a stream from the agent to the recipient.
     *
     * @param senderStatic the agent's static X25519 private key
     * @param recipientPublic the subscriber's 32-byte X25519 public key
     * @param streamId the stream id, 1..64 bytes
     * @throws IllegalArgumentException on wrong lengths or a low-order recipient key
     */
    public static StreamSealer create(
            X25519PrivateKeyParameters senderStatic, byte[] recipientPublic, byte[] streamId) {
        Objects.requireNonNull(senderStatic, "senderStatic");
        X25519PublicKeyParameters recipient = HpkeSuite.requirePublicKey(recipientPublic, "recipient public key");
        HpkeSuite.requireId(streamId, "stream id");
        HPKEContextWithEncapsulation context;
        try {
            context = HpkeSuite.authMode()
                    .setupAuthS(
                            recipient,
                            HpkeSuite.info(StreamKeys.INFO_LABEL, streamId),
                            HpkeSuite.keyPair(senderStatic));
        } catch (IllegalStateException zeroSharedSecret) {
            throw new IllegalArgumentException(
                    "recipient public key is a low-order X25519 point (all-zero shared secret)");
        }
        return new StreamSealer(context.getEncapsulation(), new StreamKeys(context));
    }

    /** @return a copy of the encapsulated key, sent once with the stream's first message */
    public byte[] enc() {
        return enc.clone();
    }

    /**
     * Seals one message.
     *
     * @param sequence unsigned, greater than every sequence sealed before on this stream
     * @param aad additional authenticated data (may be empty, not null)
     * @param plaintext at most 16 MiB
     * @return {@code ciphertext ‖ tag}
     * @throws IllegalStateException if {@code sequence} is not above every earlier one (reuse),
     *     or the stream is closed
     */
    public synchronized byte[] seal(long sequence, byte[] aad, byte[] plaintext) {
        Objects.requireNonNull(aad, "aad");
        HpkeSuite.requirePlaintext(plaintext);
        if (exhausted || Long.compareUnsigned(sequence, nextAllowed) < 0) {
            throw new IllegalStateException(
                    "stream sequence " + Long.toUnsignedString(sequence) + " reused or out of order");
        }
        if (Long.compareUnsigned(sequence, StreamKeys.MAX_SEQUENCE) > 0) {
            throw new IllegalArgumentException(
                    "stream sequence above " + Long.toUnsignedString(StreamKeys.MAX_SEQUENCE));
        }
        byte[] ciphertext = keys.seal(sequence, aad, plaintext);
        if (sequence == StreamKeys.MAX_SEQUENCE) {
            exhausted = true;
        } else {
            nextAllowed = sequence + 1;
        }
        return ciphertext;
    }

    /** Zeroes the stream key; later {@link #seal} calls fail. */
    @Override
    public synchronized void close() {
        keys.close();
    }
}
