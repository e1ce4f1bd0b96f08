package org.multiverse.scramble.controller.router;

import java.util.Set;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.InterfaceName;
import org.multiverse.scramble.controller.net.NamespaceName;

/**
 * Names and addresses of the chain, derived from the prefix:
 * <pre>
 * LAN --uplink-- universe [ug 10.0.0.1] == [gu 10.0.0.2] galaxy [gs 10.1.1.1] == [sg 10.1.1.2] star
 *                star [sc 10.2.2.1] == [cs 10.2.2.2] controller;   galaxy [wg] -- WireGuard
 * </pre>
 */
public final class ChainLayout {
    /** Tor's transparent TCP port and DNS port on star's controller-side address. */
    public static final int TRANS_PORT = 9040;

    public static final int DNS_PORT = 5353;
    /** The nftables table every router's rules live in (one per namespace). */
    public static final String TABLE = "multiverse";

    public static final String ENDPOINT_SET = "wg_endpoints";
    /**
     * Mark on the tunnel's own UDP packets ("MV"). Only marked packets are routed towards
     * universe (table {@link #UPLINK_TABLE}); everything else, even traffic addressed to
     * the endpoint's IP, follows the main table into the tunnel.
     */
    public static final int TUNNEL_MARK = 0x4d56;

    public static final int UPLINK_TABLE = 200;
    static final int UPLINK_RULE_PRIORITY = 100;
    private static final Set<String> SUFFIXES = Set.of("ug", "gu", "gs", "sg", "sc", "cs", "wg");

    private final String prefix;

    public ChainLayout(String prefix) {
        this.prefix = prefix;
    }

    static boolean isChainSuffix(String suffix) {
        return SUFFIXES.contains(suffix);
    }

    public NamespaceName namespace(RouterName router) {
        return new NamespaceName(prefix + router.id());
    }

    public NamespaceName controllerNamespace() {
        return new NamespaceName(prefix + "controller");
    }

    private InterfaceName iface(String suffix) {
        return InterfaceName.of(prefix + suffix);
    }

    public InterfaceName universeToGalaxy() {
        return iface("ug");
    }

    public InterfaceName galaxyToUniverse() {
        return iface("gu");
    }

    public InterfaceName galaxyToStar() {
        return iface("gs");
    }

    public InterfaceName starToGalaxy() {
        return iface("sg");
    }

    public InterfaceName starToController() {
        return iface("sc");
    }

    public InterfaceName controllerToStar() {
        return iface("cs");
    }

    public InterfaceName wireGuard() {
        return iface("wg");
    }

    public static final Cidr UNIVERSE_LINK = Cidr.parse("10.0.0.1/24");
    public static final Cidr GALAXY_UNIVERSE_LINK = Cidr.parse("10.0.0.2/24");
    public static final Cidr GALAXY_STAR_LINK = Cidr.parse("10.1.1.1/24");
    public static final Cidr STAR_GALAXY_LINK = Cidr.parse("10.1.1.2/24");
    public static final Cidr STAR_CONTROLLER_LINK = Cidr.parse("10.2.2.1/24");
    public static final Cidr CONTROLLER_LINK = Cidr.parse("10.2.2.2/24");

    /** "10.2.2.1:9040" */
    public static String transPort() {
        return STAR_CONTROLLER_LINK.address() + ":" + TRANS_PORT;
    }

    /** "10.2.2.1:5353" */
    public static String dnsPort() {
        return STAR_CONTROLLER_LINK.address() + ":" + DNS_PORT;
    }
}
