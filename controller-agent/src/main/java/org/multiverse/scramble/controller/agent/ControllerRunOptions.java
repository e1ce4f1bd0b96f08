package org.multiverse.scramble.controller.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.InterfaceName;
import org.multiverse.scramble.controller.net.Ipv4;
import org.multiverse.scramble.controller.router.RouterConfig;
import org.multiverse.scramble.controller.vpn.ProfileStore;
import picocli.CommandLine.Option;

/**
 * The controller agent's own {@code run} options (a picocli mixin of the shared agent command
 * line). Option values are checked when the agent starts, by {@link #routerConfig(Path)}: a bad
 * value stops the agent with a message naming the option, before any router is touched.
 */
final class ControllerRunOptions {

    /** Where the routers live. */
    enum Backend {
        /** Linux network namespaces with nftables, WireGuard and Tor (needs root and the tools). */
        NETNS,
        /** The in-memory model: nothing is built, everything reported says "simulated". */
        SIM
    }

    /** Router state (profiles, Tor's data, generated files) lives here under the agent's state directory. */
    static final String ROUTER_STATE_DIR = "routers";
    /** The simulated backend's stand-in LAN side when none is given (nothing is configured on it). */
    static final String SIM_UPLINK = "eth0";

    static final String SIM_UPLINK_ADDRESS = "192.168.1.2/24";

    @Option(
            names = "--backend",
            defaultValue = "netns",
            paramLabel = "netns|sim",
            description = "netns: routers in network namespaces (root); sim: simulated (default: ${DEFAULT-VALUE})")
    String backend = "netns";

    @Option(
            names = "--prefix",
            defaultValue = RouterConfig.DEFAULT_PREFIX,
            paramLabel = "PREFIX",
            description = "prefix of every namespace and interface name (default: ${DEFAULT-VALUE})")
    String prefix = RouterConfig.DEFAULT_PREFIX;

    @Option(
            names = "--uplink",
            paramLabel = "IFACE",
            description = "the LAN interface universe takes (netns: required)")
    String uplink;

    @Option(
            names = "--uplink-address",
            paramLabel = "CIDR",
            description = "universe's address on the LAN, e.g. 192.168.1.2/24 (netns: required)")
    String uplinkAddress;

    @Option(names = "--gateway", paramLabel = "IP", description = "the LAN's router, for traffic beyond the LAN")
    String gateway;

    @Option(
            names = "--tor-offline",
            description = "start Tor with DisableNetwork 1 (tests: nothing leaves the machine)")
    boolean torOffline;

    @Option(
            names = "--profiles",
            paramLabel = "DIR",
            description = "directory of WireGuard profiles NAME.conf (default: STATE/routers/profiles; made 0700)")
    Path profiles;

    @Option(
            names = "--down-on-exit",
            description = "tear the routers down when the agent stops "
                    + "(default: they keep running across agent restarts)")
    boolean downOnExit;

    Backend backend() {
        return switch (backend) {
            case "netns" -> Backend.NETNS;
            case "sim" -> Backend.SIM;
            default -> throw new IllegalArgumentException("--backend must be netns or sim, not '" + backend + "'");
        };
    }

    /**
     * The router configuration these options describe, router state under {@code stateDir}.
     *
     * @throws IllegalArgumentException naming the option that is missing or malformed
     */
    RouterConfig routerConfig(Path stateDir) {
        boolean sim = backend() == Backend.SIM;
        InterfaceName uplinkName = option("--uplink", uplink, sim ? SIM_UPLINK : null, InterfaceName::of);
        Cidr address = option("--uplink-address", uplinkAddress, sim ? SIM_UPLINK_ADDRESS : null, Cidr::parse);
        Optional<Ipv4> gw =
                gateway == null ? Optional.empty() : Optional.of(option("--gateway", gateway, null, Ipv4::parse));
        try {
            return new RouterConfig(prefix, stateDir.resolve(ROUTER_STATE_DIR), uplinkName, address, gw, torOffline);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("router options: " + e.getMessage(), e);
        }
    }

    /** The profile store: {@code --profiles DIR}, or the router state directory. */
    ProfileStore profileStore(RouterConfig config) throws IOException {
        if (profiles == null) {
            return new ProfileStore(config.stateDir());
        }
        return new ProfileStore(profiles, config.stateDir().resolve("active-profile"));
    }

    private static <T> T option(String name, String value, String fallback, Function<String, T> parse) {
        String text = value != null ? value : fallback;
        if (text == null) {
            throw new IllegalArgumentException(name + " is required with --backend netns");
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }
}
