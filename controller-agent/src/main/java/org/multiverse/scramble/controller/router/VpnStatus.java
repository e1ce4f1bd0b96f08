package org.multiverse.scramble.controller.router;

import java.time.Instant;
import java.util.Optional;
import org.multiverse.scramble.controller.net.Endpoint;

/**
 * galaxy's tunnel: the profile in use, the endpoint WireGuard talks to, the latest
 * handshake and bytes moved ({@code wg show IFACE dump}), and whether the kill switch table
 * is loaded.
 */
public record VpnStatus(
        Optional<String> profile,
        String interfaceName,
        String implementation,
        Optional<Endpoint> endpoint,
        Optional<Instant> latestHandshake,
        long rxBytes,
        long txBytes,
        boolean killSwitchArmed) {}
