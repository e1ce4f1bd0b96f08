package org.multiverse.scramble.suite.seal;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * ChaCha20-Poly1305 (RFC 8439) with a 32-byte key, a 12-byte nonce and a 16-byte tag appended
 * to the ciphertext. The stream sealer's AEAD; tested against Wycheproof.
 */
final class ChaChaPoly {
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;

    private ChaChaPoly() {}

    /**
     * @return {@code ciphertext ‖ tag}
     * @throws IllegalArgumentException if the key or nonce has the wrong length
     */
    static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        try {
            return process(true, key, nonce, aad, plaintext);
        } catch (InvalidCipherTextException impossible) {
            throw new IllegalStateException("ChaCha20-Poly1305 refused to encrypt", impossible);
        }
    }

    /**
     * @return the plaintext
     * @throws InvalidCipherTextException if the input is shorter than a tag or the tag is wrong
     * @throws IllegalArgumentException if the key or nonce has the wrong length
     */
    static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) throws InvalidCipherTextException {
        requireSizes(key, nonce);
        if (ciphertext.length < TAG_BITS / 8) {
            throw new InvalidCipherTextException("ciphertext shorter than the Poly1305 tag");
        }
        return process(false, key, nonce, aad, ciphertext);
    }

    private static void requireSizes(byte[] key, byte[] nonce) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be " + KEY_BYTES + " bytes");
        }
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 nonce must be " + NONCE_BYTES + " bytes");
        }
    }

    private static byte[] process(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] input)
            throws InvalidCipherTextException {
        requireSizes(key, nonce);
        ChaCha20Poly1305 cipher = new ChaCha20Poly1305();
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, aad));
        byte[] output = new byte[cipher.getOutputSize(input.length)];
        int written = cipher.processBytes(input, 0, input.length, output, 0);
        written += cipher.doFinal(output, written);
        if (written != output.length) {
            // getOutputSize is exact for this AEAD; a mismatch would be a library bug.
            throw new IllegalStateException("ChaCha20-Poly1305 output length mismatch");
        }
        return output;
    }
}
