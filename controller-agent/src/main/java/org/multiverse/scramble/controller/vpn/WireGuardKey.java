package org.multiverse.scramble.controller.vpn;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * A 32-byte WireGuard (Curve25519) key in its canonical base64 form: exactly 44 characters
 * ending in '=', decoding to 32 bytes and re-encoding to the same text. {@link #toString()}
 * never shows the key; private keys are zeroed with {@link #destroy()} when no longer needed.
 */
public final class WireGuardKey {
    public static final int LENGTH = 32;
    static final int BASE64_LENGTH = 44;

    private final byte[] bytes;

    private WireGuardKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Parses canonical base64.
     *
     * @throws IllegalArgumentException saying what is wrong (never echoing the text: it may be a secret)
     */
    public static WireGuardKey parse(String base64) {
        if (base64 == null || base64.isEmpty()) {
            throw new IllegalArgumentException("key is empty");
        }
        if (base64.length() != BASE64_LENGTH) {
            throw new IllegalArgumentException(
                    "key must be " + BASE64_LENGTH + " base64 characters, got " + base64.length());
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key is not valid base64");
        }
        if (decoded.length != LENGTH) {
            Arrays.fill(decoded, (byte) 0);
            throw new IllegalArgumentException("key must decode to " + LENGTH + " bytes");
        }
        if (!Base64.getEncoder().encodeToString(decoded).equals(base64)) {
            Arrays.fill(decoded, (byte) 0);
            throw new IllegalArgumentException("key is not in canonical base64 form");
        }
        boolean allZero = true;
        for (byte b : decoded) {
            allZero &= b == 0;
        }
        if (allZero) {
            throw new IllegalArgumentException("key is all zeros");
        }
        return new WireGuardKey(decoded);
    }

    /** The canonical base64 text (for the wg configuration file only; never log it). */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Overwrites the key bytes with zeros; the key is unusable afterwards. */
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }

    /** Constant-time comparison. */
    @Override
    public boolean equals(Object o) {
        return o instanceof WireGuardKey other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 0x5767; // constant: a hash would leak key bits through timing of collections
    }

    @Override
    public String toString() {
        return "WireGuardKey[redacted]";
    }
}
