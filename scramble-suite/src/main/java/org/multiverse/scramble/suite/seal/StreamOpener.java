package org.multiverse.scramble.suite.seal;

import java.util.Objects;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.multiverse.scramble.suite.replay.SlidingWindow;

/**
 * The receiving side of a stream sealed by {@link StreamSealer}. Messages open in any order;
 * each sequence number opens at most once (an RFC 4303-style {@link SlidingWindow} of
 * {@value SlidingWindow#WINDOW_SIZE} numbers), and a number more than the window below the
 * highest opened one is refused as too old. Gaps in the numbers are lost messages.
 *
 * <p>Thread-safe. {@link #close()} zeroes the key.
 */
public final class StreamOpener implements AutoCloseable {
    private final StreamKeys keys;
    /** Tracks {@code sequence + 1}: the window reserves 0 as "never valid". */
    private final SlidingWindow window = new SlidingWindow();

    private StreamOpener(StreamKeys keys) {
        this.keys = keys;
    }

    /**
     * Sets up the receiving side from the stream's encapsulated key.
     *
     * @param recipient the subscriber's X25519 private key
     * @param senderPublic the pinned agent's 32-byte X25519 public key
     * @param streamId the stream id (the subscribe command's request id)
     * @param enc the encapsulated key from the stream's first message
     * @throws SealException if {@code enc} or the sender key is malformed or low-order
     */
    public static StreamOpener create(
            X25519PrivateKeyParameters recipient, byte[] senderPublic, byte[] streamId, byte[] enc)
            throws SealException {
        Objects.requireNonNull(recipient, "recipient");
        if (!HpkeSuite.isValidKey(senderPublic) || !HpkeSuite.isValidId(streamId) || !HpkeSuite.isValidKey(enc)) {
            throw SealException.stream();
        }
        try {
            HPKEContext context = HpkeSuite.authMode()
                    .setupAuthR(
                            enc,
                            HpkeSuite.keyPair(recipient),
                            HpkeSuite.info(StreamKeys.INFO_LABEL, streamId),
                            new X25519PublicKeyParameters(senderPublic, 0));
            return new StreamOpener(new StreamKeys(context));
        } catch (IllegalStateException | IllegalArgumentException e) {
            // All-zero DH output from a low-order enc or sender key; malformed key bytes.
            throw SealException.stream();
        }
    }

    /**
     * Opens one message.
     *
     * @param sequence the message's unsigned sequence number
     * @param aad the additional authenticated data it was sealed with
     * @param ciphertext {@code ciphertext ‖ tag}
     * @return the plaintext
     * @throws SealException if the message is altered, not of this stream, already opened, too
     *     far below the highest opened sequence, or the opener is closed
     */
    public synchronized byte[] open(long sequence, byte[] aad, byte[] ciphertext) throws SealException {
        if (aad == null
                || !HpkeSuite.isPlausibleCiphertext(ciphertext)
                || Long.compareUnsigned(sequence, StreamKeys.MAX_SEQUENCE) > 0
                || keys.isClosed()
                || !window.check(sequence + 1)) {
            throw SealException.stream();
        }
        byte[] plaintext;
        try {
            plaintext = keys.open(sequence, aad, ciphertext);
        } catch (InvalidCipherTextException e) {
            throw SealException.stream();
        }
        // Marked only after authentication: a forged message must not burn a sequence number.
        window.accept(sequence + 1);
        return plaintext;
    }

    /** Zeroes the stream key; later {@link #open} calls fail. */
    @Override
    public synchronized void close() {
        keys.close();
    }
}
