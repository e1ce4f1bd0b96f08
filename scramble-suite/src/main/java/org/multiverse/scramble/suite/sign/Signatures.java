package org.multiverse.scramble.suite.sign;

import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Ed25519 signatures with domain separation: the signed bytes are
 * {@code len(ctx) ‖ ctx ‖ message} (see {@link SignatureContext}).
 */
public final class Signatures {

    /** Length of an Ed25519 signature in bytes. */
    public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_LENGTH;

    private Signatures() {}

    /**
     * Signs {@code message} under {@code context}. Used by identities and session
     * keys; nothing else should hold an Ed25519 private key.
     */
    public static byte[] sign(Ed25519PrivateKeyParameters key, SignatureContext context, byte[] message) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(message, "message");
        return Ed25519.sign(key, context.frame(message));
    }

    /**
     * Verifies a signature made by {@link #sign} under the same context.
     *
     * @return true only for a valid signature by that key over that message in
     *         that context; false for anything else, including null or wrongly
     *         sized arguments and keys that are not curve points. Never throws on
     *         attacker-controlled input.
     */
    public static boolean verify(byte[] ed25519Public, SignatureContext context, byte[] message, byte[] signature) {
        if (context == null || message == null) {
            return false;
        }
        return Ed25519.verifyRaw(ed25519Public, context.frame(message), signature);
    }
}
