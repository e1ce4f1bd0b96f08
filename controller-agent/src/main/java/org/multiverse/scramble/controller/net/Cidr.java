package org.multiverse.scramble.controller.net;

/**
 * An IPv4 address with a prefix length, as written on an interface ("10.0.0.1/24") or in
 * a route ("0.0.0.0/0"). Host bits may be set: an interface address carries them.
 */
public record Cidr(Ipv4 address, int prefixLength) {
    /** Longest accepted text: "255.255.255.255/32". */
    static final int MAX_TEXT_LENGTH = 18;

    public Cidr {
        if (address == null) {
            throw new IllegalArgumentException("CIDR address is missing");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("CIDR prefix length " + prefixLength + " is outside 0..32");
        }
    }

    /**
     * Parses "a.b.c.d/n".
     *
     * @throws IllegalArgumentException with the reason
     */
    public static Cidr parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("CIDR is empty");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("CIDR is too long (" + text.length() + " characters)");
        }
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            throw new IllegalArgumentException("CIDR '" + text + "' must be ADDRESS/PREFIX");
        }
        String prefix = text.substring(slash + 1);
        if (prefix.isEmpty()
                || prefix.length() > 2
                || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')
                || (prefix.length() == 2 && prefix.charAt(0) == '0')) {
            throw new IllegalArgumentException("CIDR '" + text + "' has an invalid prefix length '" + prefix + "'");
        }
        return new Cidr(Ipv4.parse(text.substring(0, slash)), Integer.parseInt(prefix));
    }

    /** True when {@code other} lies inside this network. */
    public boolean contains(Ipv4 other) {
        if (prefixLength == 0) {
            return true;
        }
        int mask = -1 << (32 - prefixLength);
        return (address.toInt() & mask) == (other.toInt() & mask);
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
