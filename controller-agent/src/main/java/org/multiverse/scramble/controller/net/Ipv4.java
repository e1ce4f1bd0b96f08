package org.multiverse.scramble.controller.net;

import java.util.Arrays;

/**
 * A strictly parsed IPv4 address: four dotted decimal octets 0-255, no leading zeros, no
 * host names (a name would need a DNS lookup, which could leak outside the chain).
 */
public final class Ipv4 {
    /** "255.255.255.255" is the longest valid form; anything longer is refused unread. */
    static final int MAX_TEXT_LENGTH = 15;

    private final byte[] octets;

    private Ipv4(byte[] octets) {
        this.octets = octets;
    }

    /**
     * Parses dotted-quad text.
     *
     * @throws IllegalArgumentException with the reason, for anything else
     */
    public static Ipv4 parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("IPv4 address is empty");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("IPv4 address is too long (" + text.length() + " characters)");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("IPv4 address '" + text + "' must have four dotted parts");
        }
        byte[] octets = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("IPv4 address '" + text + "' has a non-numeric part '" + part + "'");
            }
            if (part.length() > 1 && part.charAt(0) == '0') {
                throw new IllegalArgumentException("IPv4 address '" + text + "' has a leading zero (ambiguous octal)");
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                throw new IllegalArgumentException("IPv4 address '" + text + "' has an octet above 255");
            }
            octets[i] = (byte) value;
        }
        return new Ipv4(octets);
    }

    /** The address as a 32-bit unsigned value in an int (network order). */
    public int toInt() {
        return ((octets[0] & 0xff) << 24) | ((octets[1] & 0xff) << 16) | ((octets[2] & 0xff) << 8) | (octets[3] & 0xff);
    }

    static Ipv4 fromInt(int value) {
        return new Ipv4(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4 other && Arrays.equals(octets, other.octets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(octets);
    }

    @Override
    public String toString() {
        return (octets[0] & 0xff) + "." + (octets[1] & 0xff) + "." + (octets[2] & 0xff) + "." + (octets[3] & 0xff);
    }
}
