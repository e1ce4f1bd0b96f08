package org.multiverse.scramble.suite.identity;

/**
 * RFC 4648 base32 in lower case without padding, as Tor v3 onion addresses use it.
 * Only whole multiples of 5 bytes are supported: a Scramble ID is 35 bytes, so
 * every character carries exactly 5 bits and there are no padding bits to leak
 * a second spelling of the same ID.
 */
final class Base32 {

    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

    private Base32() {}

    static String encode(byte[] data) {
        if (data.length % 5 != 0) {
            throw new IllegalArgumentException("base32 input must be a multiple of 5 bytes");
        }
        StringBuilder out = new StringBuilder(data.length / 5 * 8);
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

    /** Value of one character, or -1 if it is not in the (lower-case) alphabet. */
    static int valueOf(char c) {
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= '2' && c <= '7') {
            return 26 + (c - '2');
        }
        return -1;
    }

    /** Decodes text already checked character by character with {@link #valueOf}; length a multiple of 8. */
    static byte[] decode(CharSequence text) {
        if (text.length() % 8 != 0) {
            throw new IllegalArgumentException("base32 text must be a multiple of 8 characters");
        }
        byte[] out = new byte[text.length() / 8 * 5];
        int buffer = 0;
        int bits = 0;
        int pos = 0;
        for (int i = 0; i < text.length(); i++) {
            int v = valueOf(text.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("not a base32 character at index " + i);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[pos++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }
}
