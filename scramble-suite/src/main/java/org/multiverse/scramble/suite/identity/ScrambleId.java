package org.multiverse.scramble.suite.identity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * A public identity: a 32-byte Ed25519 public key, for a person (their root ID)
 * or for an agent.
 *
 * <p>Its text form is self-checking in the style of a Tor v3 onion address:
 * {@code "scr1" + base32(pubkey(32) ‖ checksum(2) ‖ version(1))}, lower case, no padding,
 * where {@code checksum} is the first two bytes of
 * {@code SHA3-256(".scramble checksum" ‖ pubkey ‖ version)}. That is exactly
 * {@value #TEXT_LENGTH} characters. A mistyped character is caught with
 * probability 1 - 2<sup>-16</sup> by the checksum, and in addition the key must
 * decode to a point of the curve.
 *
 * <p>Instances are immutable; equality is by public key (no secrets here, so a
 * plain comparison is fine).
 */
public final class ScrambleId {

    /** Text prefix: "scr" and the text-form generation 1. */
    public static final String PREFIX = "scr1";
    /** Length of an Ed25519 public key in bytes. */
    public static final int PUBLIC_KEY_LENGTH = 32;
    /** The only text-form version this code writes and reads. */
    public static final byte VERSION = 0x01;
    /** Base32 characters after the prefix: (32 + 2 + 1) bytes * 8 / 5. */
    static final int BODY_LENGTH = 56;
    /** Length of the whole text form, prefix included. */
    public static final int TEXT_LENGTH = 4 + BODY_LENGTH;
    /** Characters of the body kept by {@link #shortForm()}: 40 bits, enough to tell IDs apart in a prompt. */
    static final int SHORT_FORM_CHARS = 8;

    private static final byte[] CHECKSUM_LABEL = ".scramble checksum".getBytes(StandardCharsets.US_ASCII);
    private static final int CHECKSUM_LENGTH = 2;

    private final byte[] publicKey;
    private final String text;

    private ScrambleId(byte[] publicKey) {
        this.publicKey = publicKey;
        byte[] raw = new byte[PUBLIC_KEY_LENGTH + CHECKSUM_LENGTH + 1];
        System.arraycopy(publicKey, 0, raw, 0, PUBLIC_KEY_LENGTH);
        byte[] checksum = checksum(publicKey, VERSION);
        raw[PUBLIC_KEY_LENGTH] = checksum[0];
        raw[PUBLIC_KEY_LENGTH + 1] = checksum[1];
        raw[PUBLIC_KEY_LENGTH + 2] = VERSION;
        this.text = PREFIX + Base32.encode(raw);
    }

    /**
     * The ID of an Ed25519 public key.
     *
     * @throws IllegalArgumentException if the key is not 32 bytes or is not the
     *         encoding of a point of the curve
     */
    public static ScrambleId of(byte[] ed25519Public) {
        Objects.requireNonNull(ed25519Public, "ed25519Public");
        if (ed25519Public.length != PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "an Ed25519 public key is " + PUBLIC_KEY_LENGTH + " bytes, not " + ed25519Public.length);
        }
        if (!isCurvePoint(ed25519Public)) {
            throw new IllegalArgumentException("not a valid Ed25519 public key (not a point of the curve)");
        }
        return new ScrambleId(ed25519Public.clone());
    }

    /**
     * Parses the text form exactly as {@link #text()} writes it (lower case, no
     * surrounding spaces).
     *
     * @throws InvalidScrambleIdException naming the first problem found
     */
    public static ScrambleId parse(String text) throws InvalidScrambleIdException {
        if (text == null || text.isEmpty()) {
            throw new InvalidScrambleIdException("empty Scramble ID");
        }
        if (!text.startsWith(PREFIX)) {
            throw new InvalidScrambleIdException("not a Scramble ID: it must start with \"" + PREFIX + "\"");
        }
        if (text.length() != TEXT_LENGTH) {
            throw new InvalidScrambleIdException(
                    "wrong length: a Scramble ID has " + TEXT_LENGTH + " characters, this one has " + text.length());
        }
        for (int i = PREFIX.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            if (Base32.valueOf(c) < 0) {
                throw new InvalidScrambleIdException("bad character " + describe(c) + " at position " + (i + 1)
                        + ": only a-z and 2-7 are used"
                        + (Character.isUpperCase(c) ? " (Scramble IDs are lower case)" : ""));
            }
        }
        byte[] raw = Base32.decode(text.substring(PREFIX.length()));
        byte version = raw[PUBLIC_KEY_LENGTH + CHECKSUM_LENGTH];
        if (version != VERSION) {
            throw new InvalidScrambleIdException("unknown Scramble ID version " + (version & 0xff)
                    + " (this program knows version " + VERSION + "): is the last character mistyped?");
        }
        byte[] key = Arrays.copyOf(raw, PUBLIC_KEY_LENGTH);
        byte[] expected = checksum(key, version);
        if (expected[0] != raw[PUBLIC_KEY_LENGTH] || expected[1] != raw[PUBLIC_KEY_LENGTH + 1]) {
            throw new InvalidScrambleIdException("checksum mismatch: a character is mistyped");
        }
        if (!isCurvePoint(key)) {
            throw new InvalidScrambleIdException("not a valid Ed25519 public key: a character is mistyped");
        }
        return new ScrambleId(key);
    }

    /** The full text form, e.g. {@code scr1…} ({@value #TEXT_LENGTH} characters). */
    public String text() {
        return text;
    }

    /** Prefix and the first 8 characters, for prompts and logs where the full ID is too long. */
    public String shortForm() {
        return text.substring(0, PREFIX.length() + SHORT_FORM_CHARS);
    }

    /** A copy of the 32-byte Ed25519 public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScrambleId other && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return text;
    }

    private static byte[] checksum(byte[] key, byte version) {
        SHA3Digest sha3 = new SHA3Digest(256);
        sha3.update(CHECKSUM_LABEL, 0, CHECKSUM_LABEL.length);
        sha3.update(key, 0, key.length);
        sha3.update(version);
        byte[] digest = new byte[sha3.getDigestSize()];
        sha3.doFinal(digest, 0);
        return Arrays.copyOf(digest, CHECKSUM_LENGTH);
    }

    private static boolean isCurvePoint(byte[] key) {
        try {
            new Ed25519PublicKeyParameters(key, 0);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String describe(char c) {
        if (c >= 0x21 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }
}
