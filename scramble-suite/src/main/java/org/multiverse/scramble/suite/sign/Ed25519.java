package org.multiverse.scramble.suite.sign;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Plain RFC 8032 Ed25519 without a {@link SignatureContext}. Package-private on
 * purpose: product code signs and verifies only through {@link Signatures}, which
 * adds domain separation. These raw forms exist for {@code Signatures} itself and
 * for the RFC 8032 and Wycheproof vector tests.
 */
final class Ed25519 {

    static final int SEED_LENGTH = 32;
    static final int PUBLIC_KEY_LENGTH = 32;
    static final int SIGNATURE_LENGTH = 64;

    private Ed25519() {}

    /** The public key of a 32-byte secret seed. */
    static byte[] publicKeyFromSeed(byte[] seed) {
        return new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
    }

    static byte[] signRaw(byte[] seed, byte[] message) {
        return sign(new Ed25519PrivateKeyParameters(seed, 0), message);
    }

    static byte[] sign(Ed25519PrivateKeyParameters key, byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /**
     * Verifies a plain Ed25519 signature. Returns false, never throws, on any
     * malformed input: null, wrong lengths, a key that is not a curve point, a
     * non-canonical signature scalar.
     */
    static boolean verifyRaw(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null
                || message == null
                || signature == null
                || publicKey.length != PUBLIC_KEY_LENGTH
                || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Ed25519PublicKeyParameters key = new Ed25519PublicKeyParameters(publicKey, 0);
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, key);
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            // Bouncy Castle refuses a key that is not a point with IllegalArgumentException;
            // for attacker-supplied bytes any such refusal simply means "not valid".
            return false;
        }
    }
}
