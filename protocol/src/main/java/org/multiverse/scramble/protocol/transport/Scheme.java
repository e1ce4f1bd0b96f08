package org.multiverse.scramble.protocol.transport;

import java.util.Locale;
import java.util.Optional;

/** The transports a {@link TransportUri} can name. */
public enum Scheme {
    /** Guest side of virtio-serial: a character device under /dev/virtio-ports. */
    VIRTIO,
    /** Host side of virtio-serial: the unix socket QEMU listens on for a chardev. */
    CHARDEV,
    /** A unix domain socket this process listens on, or connects to. */
    UNIX,
    /** TCP, for other machines of the cluster. */
    TCP,
    /** The in-memory simulated link with fault injection, for tests. */
    SIM;

    /** The lower-case name used in URIs. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Scheme> fromToken(String token) {
        for (Scheme s : values()) {
            if (s.token().equals(token)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
