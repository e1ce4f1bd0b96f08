package org.multiverse.scramble.suite.seal;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * The one HPKE ciphersuite of the product (RFC 9180 auth mode, DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, ChaCha20-Poly1305) and the small checks shared by the reply and stream sealers.
 */
final class HpkeSuite {
    /** X25519 public keys, private keys and encapsulated keys are all 32 bytes. */
    static final int KEY_BYTES = 32;

    /** Poly1305 tag length. */
    static final int TAG_BYTES = 16;

    /**
     * Largest plaintext sealed or opened: the largest frame payload the protocol can be
     * configured to carry (16 MiB). Anything bigger cannot have come over the wire, so it is
     * refused before any cryptography runs.
     */
    static final int MAX_PLAINTEXT_BYTES = 16 * 1024 * 1024;

    /**
     * Longest request or stream id bound into {@code info}. Ids on the wire are 16 random bytes;
     * 64 leaves room for other id schemes while keeping {@code info} small (RFC 9180 lets
     * implementations bound it, and the RTOS firmware has fixed buffers).
     */
    static final int MAX_ID_BYTES = 64;

    private HpkeSuite() {}

    /**
     * A fresh HPKE instance in auth mode. Not shared: Bouncy Castle's DHKEM keeps per-call
     * agreement state in fields, so one instance must not be used by two threads at once.
     */
    static HPKE authMode() {
        return new HPKE(HPKE.mode_auth, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_CHACHA20_POLY1305);
    }

    /** The key pair Bouncy Castle's HPKE wants for a static private key. */
    static AsymmetricCipherKeyPair keyPair(X25519PrivateKeyParameters privateKey) {
        return new AsymmetricCipherKeyPair(privateKey.generatePublicKey(), privateKey);
    }

    /** {@code label ‖ id}: the label has a fixed length, so the concatenation is unambiguous. */
    static byte[] info(String label, byte[] id) {
        byte[] prefix = label.getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[prefix.length + id.length];
        System.arraycopy(prefix, 0, info, 0, prefix.length);
        System.arraycopy(id, 0, info, prefix.length, id.length);
        return info;
    }

    static boolean isValidId(byte[] id) {
        return id != null && id.length >= 1 && id.length <= MAX_ID_BYTES;
    }

    static boolean isValidKey(byte[] key) {
        return key != null && key.length == KEY_BYTES;
    }

    /** Parses a public key the caller supplies (not attacker input): wrong length is a bug. */
    static X25519PublicKeyParameters requirePublicKey(byte[] raw, String what) {
        if (!isValidKey(raw)) {
            throw new IllegalArgumentException(what + " must be a " + KEY_BYTES + "-byte X25519 key");
        }
        return new X25519PublicKeyParameters(raw, 0);
    }

    static void requireId(byte[] id, String what) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException(what + " must be 1.." + MAX_ID_BYTES + " bytes");
        }
    }

    static void requirePlaintext(byte[] plaintext) {
        if (plaintext == null) {
            throw new IllegalArgumentException("plaintext must not be null");
        }
        if (plaintext.length > MAX_PLAINTEXT_BYTES) {
            throw new IllegalArgumentException(
                    "plaintext of " + plaintext.length + " bytes exceeds " + MAX_PLAINTEXT_BYTES);
        }
    }

    /** True if a ciphertext could have come from a plaintext this suite accepts to seal. */
    static boolean isPlausibleCiphertext(byte[] ciphertext) {
        return ciphertext != null
                && ciphertext.length >= TAG_BYTES
                && ciphertext.length - TAG_BYTES <= MAX_PLAINTEXT_BYTES;
    }
}
