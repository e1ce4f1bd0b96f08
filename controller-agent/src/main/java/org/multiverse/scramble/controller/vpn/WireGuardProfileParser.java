package org.multiverse.scramble.controller.vpn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.Endpoint;
import org.multiverse.scramble.controller.net.Printable;

/**
 * Parses the wg-quick-like subset galaxy accepts:
 * <pre>
 * [Interface]
 * PrivateKey = base64
 * Address = 10.66.0.2/32[, ...]
 * [Peer]
 * PublicKey = base64
 * Endpoint = a.b.c.d:port
 * AllowedIPs = 0.0.0.0/0[, ...]
 * PersistentKeepalive = 25          (optional)
 * </pre>
 * Strict: exactly one of each section, every key once, no unknown keys (wg-quick's
 * PostUp/DNS/Table would run commands or change routing behind our back), comments with
 * '#' or ';' on their own line. Every error names file and line.
 */
public final class WireGuardProfileParser {
    /** A real profile is a few hundred bytes. */
    public static final int MAX_BYTES = 16 * 1024;

    static final int MAX_LINE_LENGTH = 512;
    static final int MAX_LIST_ENTRIES = 32;
    static final int MAX_KEEPALIVE_SECONDS = 65535;

    private WireGuardProfileParser() {}

    /**
     * Parses {@code text}; {@code file} names it in errors, {@code name} becomes the profile's name.
     *
     * @throws ProfileFormatException with "file:line: reason"
     */
    public static WireGuardProfile parse(String name, String file, String text) throws ProfileFormatException {
        if (text.length() > MAX_BYTES) {
            throw new ProfileFormatException(file, 0, "profile is larger than " + MAX_BYTES + " bytes");
        }
        Map<String, Value> iface = new HashMap<>();
        Map<String, Value> peer = new HashMap<>();
        Map<String, Value> current = null;
        boolean seenInterface = false;
        boolean seenPeer = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String raw = lines[i];
            if (raw.endsWith("\r")) {
                raw = raw.substring(0, raw.length() - 1);
            }
            if (raw.length() > MAX_LINE_LENGTH) {
                throw new ProfileFormatException(file, lineNo, "line longer than " + MAX_LINE_LENGTH + " characters");
            }
            for (int c = 0; c < raw.length(); c++) {
                char ch = raw.charAt(c);
                if ((ch < 0x20 && ch != '\t') || ch >= 0x7f) {
                    throw new ProfileFormatException(
                            file, lineNo, "non-printable or non-ASCII character at column " + (c + 1));
                }
            }
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (line.equals("[Interface]")) {
                    if (seenInterface) {
                        throw new ProfileFormatException(file, lineNo, "second [Interface] section");
                    }
                    seenInterface = true;
                    current = iface;
                } else if (line.equals("[Peer]")) {
                    if (seenPeer) {
                        throw new ProfileFormatException(
                                file, lineNo, "second [Peer] section: galaxy uses exactly one peer");
                    }
                    seenPeer = true;
                    current = peer;
                } else {
                    throw new ProfileFormatException(file, lineNo, "unknown section " + Printable.of(line));
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ProfileFormatException(file, lineNo, "expected KEY = VALUE");
            }
            if (current == null) {
                throw new ProfileFormatException(file, lineNo, "key outside of a section");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            List<String> allowed = current == iface
                    ? List.of("PrivateKey", "Address")
                    : List.of("PublicKey", "Endpoint", "AllowedIPs", "PersistentKeepalive");
            if (!allowed.contains(key)) {
                throw new ProfileFormatException(
                        file,
                        lineNo,
                        "unknown key '" + Printable.of(key) + "' in " + (current == iface ? "[Interface]" : "[Peer]")
                                + " (allowed: " + String.join(", ", allowed) + ")");
            }
            if (current.containsKey(key)) {
                throw new ProfileFormatException(
                        file, lineNo, "duplicate key '" + key + "' (first on line " + current.get(key).line + ")");
            }
            if (value.isEmpty()) {
                throw new ProfileFormatException(file, lineNo, "empty value for '" + key + "'");
            }
            current.put(key, new Value(value, lineNo));
        }
        if (!seenInterface) {
            throw new ProfileFormatException(file, 0, "missing [Interface] section");
        }
        if (!seenPeer) {
            throw new ProfileFormatException(file, 0, "missing [Peer] section");
        }
        WireGuardKey privateKey = key(file, iface, "PrivateKey", "[Interface]");
        try {
            List<Cidr> addresses = cidrs(file, iface, "Address", "[Interface]");
            WireGuardKey publicKey = key(file, peer, "PublicKey", "[Peer]");
            Value ep = required(file, peer, "Endpoint", "[Peer]");
            Endpoint endpoint;
            try {
                endpoint = Endpoint.parse(ep.text);
            } catch (IllegalArgumentException e) {
                throw new ProfileFormatException(file, ep.line, "Endpoint: " + e.getMessage());
            }
            List<Cidr> allowedIps = cidrs(file, peer, "AllowedIPs", "[Peer]");
            OptionalInt keepalive = OptionalInt.empty();
            Value ka = peer.get("PersistentKeepalive");
            if (ka != null) {
                if (ka.text.length() > 5
                        || !ka.text.chars().allMatch(Character::isDigit)
                        || Integer.parseInt(ka.text) > MAX_KEEPALIVE_SECONDS) {
                    throw new ProfileFormatException(
                            file, ka.line, "PersistentKeepalive must be 0.." + MAX_KEEPALIVE_SECONDS + " seconds");
                }
                keepalive = OptionalInt.of(Integer.parseInt(ka.text));
            }
            return new WireGuardProfile(name, privateKey, addresses, publicKey, endpoint, allowedIps, keepalive);
        } catch (ProfileFormatException | RuntimeException e) {
            privateKey.destroy();
            throw e;
        }
    }

    private static WireGuardKey key(String file, Map<String, Value> section, String key, String sectionName)
            throws ProfileFormatException {
        Value v = required(file, section, key, sectionName);
        try {
            return WireGuardKey.parse(v.text);
        } catch (IllegalArgumentException e) {
            throw new ProfileFormatException(file, v.line, key + ": " + e.getMessage());
        }
    }

    private static List<Cidr> cidrs(String file, Map<String, Value> section, String key, String sectionName)
            throws ProfileFormatException {
        Value v = required(file, section, key, sectionName);
        String[] parts = v.text.split(",", -1);
        if (parts.length > MAX_LIST_ENTRIES) {
            throw new ProfileFormatException(file, v.line, key + ": more than " + MAX_LIST_ENTRIES + " entries");
        }
        List<Cidr> result = new ArrayList<>();
        for (String part : parts) {
            try {
                result.add(Cidr.parse(part.strip()));
            } catch (IllegalArgumentException e) {
                throw new ProfileFormatException(
                        file, v.line, key + ": " + e.getMessage() + " (IPv4 only: the chain disables IPv6)");
            }
        }
        return result;
    }

    private static Value required(String file, Map<String, Value> section, String key, String sectionName)
            throws ProfileFormatException {
        Value v = section.get(key);
        if (v == null) {
            throw new ProfileFormatException(file, 0, sectionName + " is missing " + key);
        }
        return v;
    }

    private record Value(String text, int line) {}
}
