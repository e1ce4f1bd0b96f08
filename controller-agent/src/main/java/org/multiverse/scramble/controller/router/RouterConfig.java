package org.multiverse.scramble.controller.router;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.InterfaceName;
import org.multiverse.scramble.controller.net.Ipv4;

/**
 * What the routers are built from.
 *
 * @param prefix           prepended to every namespace and interface name ("mv-" in production;
 *                         tests use "mvt&lt;random&gt;-" so parallel or leftover runs never collide)
 * @param stateDir         the service's directory: profiles, Tor's data, generated files
 * @param uplink           the host interface universe takes as its LAN side
 * @param uplinkAddress    universe's address on the LAN
 * @param uplinkGateway    the LAN's router, if universe should route beyond the LAN
 * @param torDisableNetwork keep Tor offline (tests: no traffic leaves the machine)
 */
public record RouterConfig(
        String prefix,
        Path stateDir,
        InterfaceName uplink,
        Cidr uplinkAddress,
        Optional<Ipv4> uplinkGateway,
        boolean torDisableNetwork) {
    /** Interface names are prefix + 2 characters and Linux allows 15. */
    public static final int MAX_PREFIX_LENGTH = 12;

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9-]{0," + (MAX_PREFIX_LENGTH - 1) + "}");
    public static final String DEFAULT_PREFIX = "mv-";

    public RouterConfig {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("name prefix must match " + PREFIX.pattern());
        }
        if (stateDir == null || uplink == null || uplinkAddress == null || uplinkGateway == null) {
            throw new IllegalArgumentException("router configuration is incomplete");
        }
        uplinkGateway.ifPresent(gw -> {
            if (!uplinkAddress.contains(gw)) {
                throw new IllegalArgumentException("uplink gateway " + gw + " is outside " + uplinkAddress);
            }
        });
        if (uplink.value().startsWith(prefix)
                && ChainLayout.isChainSuffix(uplink.value().substring(prefix.length()))) {
            throw new IllegalArgumentException("uplink " + uplink + " collides with a chain interface name");
        }
    }
}
