package org.multiverse.scramble.protocol.vectors;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * The Scramble ID text form written out from its specification, independently of
 * {@code ScrambleId}: {@code "scr1" + base32(publicKey ‖ checksum ‖ version)}, RFC 4648 base32
 * in lower case without padding, {@code checksum} the first two bytes of
 * {@code SHA3-256(".scramble checksum" ‖ publicKey ‖ version)}. The generator uses it to make
 * texts the product would never write (another version, a key off the curve); the checks use it
 * to confirm every valid text from the specification alone.
 */
final class ScrambleIdSpec {

    static final String PREFIX = "scr1";
    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    static final String CHECKSUM_LABEL = ".scramble checksum";
    /** Bytes of the checksum kept. */
    static final int CHECKSUM_BYTES = 2;

    private ScrambleIdSpec() {}

    /** The first two bytes of {@code SHA3-256(label ‖ key ‖ version)}. */
    static byte[] checksum(byte[] publicKey, int version) {
        SHA3Digest sha3 = new SHA3Digest(256);
        byte[] label = CHECKSUM_LABEL.getBytes(StandardCharsets.US_ASCII);
        sha3.update(label, 0, label.length);
        sha3.update(publicKey, 0, publicKey.length);
        sha3.update((byte) version);
        byte[] digest = new byte[32];
        sha3.doFinal(digest, 0);
        return Arrays.copyOf(digest, CHECKSUM_BYTES);
    }

    /** {@code publicKey ‖ checksum ‖ version}: the 35 bytes the text encodes. */
    static byte[] raw(byte[] publicKey, int version) {
        byte[] raw = Arrays.copyOf(publicKey, publicKey.length + CHECKSUM_BYTES + 1);
        System.arraycopy(checksum(publicKey, version), 0, raw, publicKey.length, CHECKSUM_BYTES);
        raw[raw.length - 1] = (byte) version;
        return raw;
    }

    /** The text form of a key under {@code version}, with a correct checksum. */
    static String text(byte[] publicKey, int version) {
        return PREFIX + base32(raw(publicKey, version));
    }

    /** RFC 4648 base32, lower case, no padding; whole multiples of 5 bytes only. */
    static String base32(byte[] data) {
        if (data.length % 5 != 0) {
            throw new IllegalArgumentException("base32 of whole 5-byte groups only");
        }
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 0x1f));
                bits -= 5;
            }
        }
        return out.toString();
    }

    /** {@code text} with the character at 1-based {@code position} replaced. */
    static String replaceAt(String text, int position, char c) {
        return text.substring(0, position - 1) + c + text.substring(position);
    }

    /**
     * The first key {@code (i, 0, ..., 0)} that is not an Ed25519 point, by the product's own
     * test ({@code ScrambleId.of} refuses it).
     */
    static byte[] offCurveKey() {
        for (int i = 0; i < 256; i++) {
            byte[] candidate = new byte[32];
            candidate[0] = (byte) i;
            try {
                ScrambleId.of(candidate);
            } catch (IllegalArgumentException notAPoint) {
                return candidate;
            }
        }
        throw new IllegalStateException("no off-curve key of the form (i, 0, ..., 0)");
    }
}
