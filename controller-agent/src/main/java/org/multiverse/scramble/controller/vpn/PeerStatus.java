package org.multiverse.scramble.controller.vpn;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.Endpoint;

/** One peer line of {@code wg show IFACE dump}. {@code latestHandshake} is empty if there was none. */
public record PeerStatus(
        String publicKey,
        Optional<Endpoint> endpoint,
        List<Cidr> allowedIps,
        Optional<Instant> latestHandshake,
        long rxBytes,
        long txBytes) {
    public PeerStatus {
        allowedIps = List.copyOf(allowedIps);
    }
}
