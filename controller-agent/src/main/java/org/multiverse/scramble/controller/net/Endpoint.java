package org.multiverse.scramble.controller.net;

/**
 * A UDP endpoint "a.b.c.d:port". Host names are refused on purpose: resolving one would
 * send a DNS query around the chain before the tunnel is up.
 */
public record Endpoint(Ipv4 address, int port) {
    /** "255.255.255.255:65535". */
    static final int MAX_TEXT_LENGTH = 21;

    public Endpoint {
        if (address == null) {
            throw new IllegalArgumentException("endpoint address is missing");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint port " + port + " is outside 1..65535");
        }
    }

    /**
     * Parses "a.b.c.d:port".
     *
     * @throws IllegalArgumentException naming the first offending character or part
     */
    public static Endpoint parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("endpoint is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == ':')) {
                throw new IllegalArgumentException(
                        "endpoint '" + Printable.of(text) + "' contains the forbidden character '"
                                + Printable.of(String.valueOf(c)) + "' at position " + (i + 1)
                                + " (only an IPv4 address and a port are accepted)");
            }
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("endpoint is too long (" + text.length() + " characters)");
        }
        int colon = text.indexOf(':');
        if (colon < 0 || colon != text.lastIndexOf(':')) {
            throw new IllegalArgumentException("endpoint '" + text + "' must be ADDRESS:PORT");
        }
        String port = text.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5 || (port.length() > 1 && port.charAt(0) == '0')) {
            throw new IllegalArgumentException("endpoint '" + text + "' has an invalid port '" + port + "'");
        }
        return new Endpoint(Ipv4.parse(text.substring(0, colon)), Integer.parseInt(port));
    }

    @Override
    public String toString() {
        return address + ":" + port;
    }
}
