package org.multiverse.scramble.suite.seal;

import java.util.Objects;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * Seals an agent's reply to the person's session key, and opens it at the shell.
 *
 * <p>RFC 9180 HPKE in <b>auth mode</b> (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
 * ChaCha20-Poly1305): the agent's static X25519 key authenticates the reply, so a reply that
 * opens under the pinned agent key came from that agent. One HPKE context per reply, one
 * {@code Seal} at sequence 0.
 *
 * <p>The request id is bound twice: {@code info = "scramble-reply-v1:" ‖ requestId} (so the
 * key schedule differs per request) and {@code aad = requestId}. A reply moved to another
 * request, or to another recipient, does not open.
 *
 * <p>Thread-safe: every call builds its own HPKE instance.
 */
public final class ReplySealer {
    /** The fixed {@code info} prefix; ASCII, fixed length. */
    static final String INFO_LABEL = "scramble-reply-v1:";

    private ReplySealer() {}

    /**
     * Seals {@code plaintext} from the agent to the recipient.
     *
     * @param senderStatic the agent's static X25519 private key
     * @param recipientPublic the recipient's 32-byte X25519 public key (the session key)
     * @param requestId the request id, 1..{@value HpkeSuite#MAX_ID_BYTES} bytes
     * @param plaintext at most 16 MiB
     * @return the encapsulated key and ciphertext
     * @throws IllegalArgumentException on wrong lengths, or if the recipient key is a low-order
     *     point (its shared secret would be all zero, RFC 9180 §7.1.4): the caller must not have
     *     accepted such a key from a certificate in the first place
     */
    public static SealedReply seal(
            X25519PrivateKeyParameters senderStatic, byte[] recipientPublic, byte[] requestId, byte[] plaintext) {
        Objects.requireNonNull(senderStatic, "senderStatic");
        X25519PublicKeyParameters recipient = HpkeSuite.requirePublicKey(recipientPublic, "recipient public key");
        HpkeSuite.requireId(requestId, "request id");
        HpkeSuite.requirePlaintext(plaintext);
        HPKE hpke = HpkeSuite.authMode();
        HPKEContextWithEncapsulation context;
        try {
            context =
                    hpke.setupAuthS(recipient, HpkeSuite.info(INFO_LABEL, requestId), HpkeSuite.keyPair(senderStatic));
        } catch (IllegalStateException zeroSharedSecret) {
            throw new IllegalArgumentException(
                    "recipient public key is a low-order X25519 point (all-zero shared secret)");
        }
        try {
            return new SealedReply(context.getEncapsulation(), context.seal(requestId, plaintext));
        } catch (InvalidCipherTextException impossible) {
            // ChaCha20-Poly1305 encryption has no failure mode for in-range input.
            throw new IllegalStateException("ChaCha20-Poly1305 refused to encrypt", impossible);
        }
    }

    /**
     * Opens a reply sealed by {@link #seal}.
     *
     * <p>All of {@code senderPublic}, {@code requestId}, {@code enc} and {@code ciphertext} may
     * come from an attacker: any failure, including wrong lengths, null, a garbage or low-order
     * {@code enc}, or a truncated ciphertext, is the one {@link SealException}.
     *
     * @param recipient the session's X25519 private key
     * @param senderPublic the pinned agent's 32-byte X25519 public key
     * @param requestId the id of the request this reply must answer
     * @param enc the encapsulated key (32 bytes)
     * @param ciphertext the ciphertext with its tag
     * @return the plaintext
     * @throws SealException if the reply is not authentic for these keys and this request
     */
    public static byte[] open(
            X25519PrivateKeyParameters recipient, byte[] senderPublic, byte[] requestId, byte[] enc, byte[] ciphertext)
            throws SealException {
        Objects.requireNonNull(recipient, "recipient");
        if (!HpkeSuite.isValidKey(senderPublic)
                || !HpkeSuite.isValidId(requestId)
                || !HpkeSuite.isValidKey(enc)
                || !HpkeSuite.isPlausibleCiphertext(ciphertext)) {
            throw SealException.reply();
        }
        return openWith(recipient, senderPublic, HpkeSuite.info(INFO_LABEL, requestId), requestId, enc, ciphertext);
    }

    /**
     * The HPKE part of {@link #open}, with {@code info} and {@code aad} given: SetupAuthR, then
     * the context's first Open. Separate so the RFC 9180 auth-mode vectors run this very code.
     */
    static byte[] openWith(
            X25519PrivateKeyParameters recipient,
            byte[] senderPublic,
            byte[] info,
            byte[] aad,
            byte[] enc,
            byte[] ciphertext)
            throws SealException {
        try {
            HPKEContext context = HpkeSuite.authMode()
                    .setupAuthR(
                            enc, HpkeSuite.keyPair(recipient), info, new X25519PublicKeyParameters(senderPublic, 0));
            return context.open(aad, ciphertext);
        } catch (InvalidCipherTextException | IllegalStateException | IllegalArgumentException e) {
            // Bad tag; all-zero DH output from a low-order enc or sender key; malformed key bytes.
            throw SealException.reply();
        }
    }
}
