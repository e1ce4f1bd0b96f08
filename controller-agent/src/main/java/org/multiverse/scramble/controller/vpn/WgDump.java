package org.multiverse.scramble.controller.vpn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.Endpoint;

/**
 * Parses {@code wg show IFACE dump}: a first line "private-key public-key listen-port
 * fwmark" and one line per peer "public-key preshared-key endpoint allowed-ips
 * latest-handshake rx tx keepalive", tab-separated. The private and preshared keys are
 * skipped, never stored.
 */
public final class WgDump {
    static final int MAX_PEERS = 256;

    private WgDump() {}

    /** The interface's listen port and its peers. */
    public record Dump(int listenPort, List<PeerStatus> peers) {
        public Dump {
            peers = List.copyOf(peers);
        }
    }

    /**
     * Parses the dump text.
     *
     * @throws IllegalArgumentException naming the line and field that is wrong
     */
    public static Dump parse(String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || lines[0].isEmpty()) {
            throw new IllegalArgumentException("wg dump: empty output");
        }
        if (lines.length - 1 > MAX_PEERS) {
            throw new IllegalArgumentException("wg dump: more than " + MAX_PEERS + " peers");
        }
        String[] head = lines[0].split("\t", -1);
        if (head.length != 4) {
            throw new IllegalArgumentException("wg dump: line 1 has " + head.length + " fields, expected 4");
        }
        int listenPort = (int) number(head[2], 1, "listen-port", 65535);
        List<PeerStatus> peers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", -1);
            int lineNo = i + 1;
            if (f.length != 8) {
                throw new IllegalArgumentException(
                        "wg dump: line " + lineNo + " has " + f.length + " fields, expected 8");
            }
            WireGuardKey.parse(f[0]); // validates the format; the public key is not secret
            Optional<Endpoint> endpoint =
                    f[2].equals("(none)") ? Optional.empty() : Optional.of(parseEndpoint(f[2], lineNo));
            List<Cidr> allowed = new ArrayList<>();
            if (!f[3].equals("(none)")) {
                for (String c : f[3].split(",")) {
                    try {
                        allowed.add(Cidr.parse(c));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                "wg dump: line " + lineNo + " allowed-ips: " + e.getMessage());
                    }
                }
            }
            long handshake = number(f[4], lineNo, "latest-handshake", Long.MAX_VALUE);
            peers.add(new PeerStatus(
                    f[0],
                    endpoint,
                    allowed,
                    handshake == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(handshake)),
                    number(f[5], lineNo, "transfer-rx", Long.MAX_VALUE),
                    number(f[6], lineNo, "transfer-tx", Long.MAX_VALUE)));
        }
        return new Dump(listenPort, peers);
    }

    private static Endpoint parseEndpoint(String text, int lineNo) {
        try {
            return Endpoint.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("wg dump: line " + lineNo + " endpoint: " + e.getMessage());
        }
    }

    private static long number(String text, int lineNo, String field, long max) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("wg dump: line " + lineNo + " " + field + " is not a number");
        }
        long value = Long.parseLong(text);
        if (value > max) {
            throw new IllegalArgumentException("wg dump: line " + lineNo + " " + field + " is out of range");
        }
        return value;
    }
}
