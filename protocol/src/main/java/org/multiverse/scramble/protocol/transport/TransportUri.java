package org.multiverse.scramble.protocol.transport;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a link goes, written {@code scheme:rest}:
 * <ul>
 *   <li>{@code virtio:/dev/virtio-ports/org.multiverse.host.0} (guest character device)
 *   <li>{@code chardev:/var/lib/multiverse/portal-1.sock} (QEMU's chardev socket, host side)
 *   <li>{@code unix:/run/multiverse/host.sock}
 *   <li>{@code tcp:host:port}, {@code tcp:[::1]:port}
 *   <li>{@code sim:name} (in-memory, see {@link SimNetwork})
 * </ul>
 *
 * @param scheme the transport
 * @param path absolute path for virtio/chardev/unix, the link name for sim, else {@code null}
 * @param host host name or address for tcp, else {@code null}
 * @param port tcp port (0 = any, when listening), else 0
 */
public record TransportUri(Scheme scheme, String path, String host, int port) {

    /** Linux {@code sun_path} is 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;
    /** Paths longer than PATH_MAX cannot name a file on Linux. */
    static final int MAX_DEVICE_PATH_BYTES = 4095;
    /** Sim names are test labels; a short bound keeps error messages readable. */
    static final int MAX_SIM_NAME = 64;
    /** DNS names are at most 253 characters. */
    static final int MAX_HOST = 253;

    private static final Pattern SIM_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final String FORMS =
            "expected virtio:/dev/virtio-ports/NAME, chardev:/PATH, unix:/PATH, tcp:HOST:PORT or sim:NAME";

    public TransportUri {
        Objects.requireNonNull(scheme, "scheme");
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException saying what is wrong and what was expected
     */
    public static TransportUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("transport URI is empty; " + FORMS);
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("transport URI '" + printable(text) + "' has no scheme; " + FORMS);
        }
        String token = text.substring(0, colon);
        String rest = text.substring(colon + 1);
        Scheme scheme = Scheme.fromToken(token)
                .orElseThrow(() -> new IllegalArgumentException("unknown transport scheme '" + printable(token)
                        + "' in '" + printable(text) + "'; known schemes: virtio, chardev, unix, tcp, sim"));
        return switch (scheme) {
            case VIRTIO -> new TransportUri(scheme, absolutePath(scheme, rest, MAX_DEVICE_PATH_BYTES), null, 0);
            case CHARDEV, UNIX -> new TransportUri(scheme, absolutePath(scheme, rest, MAX_SOCKET_PATH_BYTES), null, 0);
            case TCP -> parseTcp(rest);
            case SIM -> new TransportUri(scheme, simName(rest), null, 0);
        };
    }

    private static String absolutePath(Scheme scheme, String path, int maxBytes) {
        String example =
                scheme == Scheme.VIRTIO ? "/dev/virtio-ports/org.multiverse.host.0" : "/run/multiverse/host.sock";
        if (path.isEmpty()) {
            throw new IllegalArgumentException(
                    scheme.token() + ": needs an absolute path, e.g. " + scheme.token() + ":" + example);
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(scheme.token() + ": path contains a NUL character");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(scheme.token() + ": path '" + printable(path)
                    + "' is relative; give an absolute path, e.g. " + scheme.token() + ":" + example);
        }
        int bytes = path.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new IllegalArgumentException(scheme.token() + ": path is " + bytes
                    + " bytes long; at most " + maxBytes + " fit"
                    + (maxBytes == MAX_SOCKET_PATH_BYTES ? " in a unix socket address" : ""));
        }
        return path;
    }

    private static TransportUri parseTcp(String rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("tcp: needs HOST:PORT, e.g. tcp:10.0.0.2:7420");
        }
        String host;
        String portText;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(
                        "tcp: '" + printable(rest) + "' opens an IPv6 address with '[' but never closes it");
            }
            host = rest.substring(1, close);
            if (host.isEmpty() || !IPV6.matcher(host).matches()) {
                throw new IllegalArgumentException("tcp: '" + printable(host) + "' is not an IPv6 address");
            }
            if (close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
                throw new IllegalArgumentException(
                        "tcp: '" + printable(rest) + "' has no port; expected tcp:[ADDRESS]:PORT");
            }
            portText = rest.substring(close + 2);
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(
                        "tcp: '" + printable(rest) + "' has no port; expected tcp:HOST:PORT");
            }
            host = rest.substring(0, colon);
            portText = rest.substring(colon + 1);
            if (host.isEmpty()) {
                throw new IllegalArgumentException(
                        "tcp: host is empty in '" + printable(rest) + "'; expected tcp:HOST:PORT");
            }
            if (host.length() > MAX_HOST || !HOST_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("tcp: '" + printable(host)
                        + "' is not a host name or IPv4 address (IPv6 goes in brackets: tcp:[::1]:PORT)");
            }
        }
        if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("tcp: port '" + printable(portText) + "' is not a number 0-65535");
        }
        int port = Integer.parseInt(portText);
        if (port > 65535) {
            throw new IllegalArgumentException("tcp: port " + port + " is out of range 0-65535");
        }
        return new TransportUri(Scheme.TCP, null, host, port);
    }

    private static String simName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("sim: needs a link name, e.g. sim:host-agent");
        }
        if (name.length() > MAX_SIM_NAME || !SIM_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("sim: name '" + printable(name) + "' must be 1-" + MAX_SIM_NAME
                    + " characters of A-Z a-z 0-9 . _ -");
        }
        return name;
    }

    /** Keeps hostile input from garbling a log line: control characters shown as '?', long text cut. */
    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    /** This URI with another port (the one actually bound when port 0 was asked for). */
    TransportUri withPort(int newPort) {
        return new TransportUri(scheme, path, host, newPort);
    }

    /** The canonical text form, which {@link #parse} accepts. */
    @Override
    public String toString() {
        return switch (scheme) {
            case TCP -> "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
            default -> scheme.token() + ":" + path;
        };
    }
}
