package org.multiverse.scramble.controller.router;

import java.util.Optional;
import org.multiverse.scramble.controller.net.Endpoint;
import org.multiverse.scramble.controller.net.InterfaceName;

/**
 * The nftables ruleset of each router, loaded with {@code nft -f} as one transaction
 * ({@code flush ruleset} first: the namespace is ours alone). Every chain's policy is drop;
 * each rule says what is let through and why.
 */
final class Rulesets {
    private Rulesets() {}

    static String forRouter(RouterName router, ChainLayout layout, InterfaceName uplink, Optional<Endpoint> endpoint) {
        return switch (router) {
            case UNIVERSE -> universe(layout, uplink);
            case GALAXY -> galaxy(layout, endpoint);
            case STAR -> star(layout);
        };
    }

    /** LAN router: forwards galaxy's traffic (only ever WireGuard UDP) to the LAN with NAT. */
    static String universe(ChainLayout l, InterfaceName uplink) {
        String ug = q(l.universeToGalaxy());
        String up = q(uplink);
        return "flush ruleset\n"
                + "table inet " + ChainLayout.TABLE + " {\n"
                + "\tchain input {\n"
                + "\t\ttype filter hook input priority filter; policy drop;\n"
                + "\t\tiif \"lo\" accept\n"
                + "\t\t# universe offers no service to anyone; only answers to what it sent\n"
                + "\t\tct state established,related accept\n"
                + "\t}\n"
                + "\tchain forward {\n"
                + "\t\ttype filter hook forward priority filter; policy drop;\n"
                + "\t\t# the only traffic universe forwards: from galaxy's link address to the LAN\n"
                + "\t\tiifname " + ug + " oifname " + up + " ip saddr " + ChainLayout.GALAXY_UNIVERSE_LINK.address()
                + " accept\n"
                + "\t\tiifname " + up + " oifname " + ug + " ct state established,related accept\n"
                + "\t}\n"
                + "\tchain output {\n"
                + "\t\ttype filter hook output priority filter; policy drop;\n"
                + "\t\toif \"lo\" accept\n"
                + "\t\t# ICMP errors about forwarded packets are 'related'\n"
                + "\t\tct state established,related accept\n"
                + "\t}\n"
                + "\tchain postrouting {\n"
                + "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
                + "\t\toifname " + up + " masquerade\n"
                + "\t}\n"
                + "}\n";
    }

    /**
     * VPN router with the kill switch: towards universe only UDP to the endpoints in the set
     * leaves, and only from galaxy itself (wireguard-go's socket); star's traffic is
     * forwarded into the tunnel and nowhere else.
     */
    static String galaxy(ChainLayout l, Optional<Endpoint> endpoint) {
        String gu = q(l.galaxyToUniverse());
        String gs = q(l.galaxyToStar());
        String wg = q(l.wireGuard());
        String elements = endpoint.map(e -> "\t\telements = { " + e.address() + " . " + e.port() + " }\n")
                .orElse("");
        return "flush ruleset\n"
                + "table inet " + ChainLayout.TABLE + " {\n"
                + "\tset " + ChainLayout.ENDPOINT_SET + " {\n"
                + "\t\ttype ipv4_addr . inet_service\n"
                + elements
                + "\t}\n"
                + "\tchain input {\n"
                + "\t\ttype filter hook input priority filter; policy drop;\n"
                + "\t\tiif \"lo\" accept\n"
                + "\t\tiifname " + gu + " ip saddr . udp sport @" + ChainLayout.ENDPOINT_SET + " accept\n"
                + "\t\tiifname " + wg + " ct state established,related accept\n"
                + "\t}\n"
                + "\tchain forward {\n"
                + "\t\ttype filter hook forward priority filter; policy drop;\n"
                + "\t\t# star's traffic goes into the tunnel, never straight to universe\n"
                + "\t\tiifname " + gs + " oifname " + wg + " accept\n"
                + "\t\tiifname " + wg + " oifname " + gs + " ct state established,related accept\n"
                + "\t}\n"
                + "\tchain output {\n"
                + "\t\ttype filter hook output priority filter; policy drop;\n"
                + "\t\toif \"lo\" accept\n"
                + "\t\t# the kill switch: towards universe only the tunnel's own UDP to its endpoint\n"
                + "\t\toifname " + gu + " meta mark 0x" + Integer.toHexString(ChainLayout.TUNNEL_MARK)
                + " ip daddr . udp dport @" + ChainLayout.ENDPOINT_SET + " accept\n"
                + "\t\toifname " + wg + " ct state established,related accept\n"
                + "\t\toifname " + gs + " ct state established,related accept\n"
                + "\t}\n"
                + "\tchain postrouting {\n"
                + "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
                + "\t\toifname " + wg + " masquerade\n"
                + "\t}\n"
                + "}\n";
    }

    /** Tor router: all TCP from the controller into TransPort, all DNS into DNSPort, the rest dropped. */
    static String star(ChainLayout l) {
        String sc = q(l.starToController());
        String sg = q(l.starToGalaxy());
        return "flush ruleset\n"
                + "table inet " + ChainLayout.TABLE + " {\n"
                + "\tchain prerouting {\n"
                + "\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
                + "\t\tiifname " + sc + " meta l4proto tcp redirect to :" + ChainLayout.TRANS_PORT + "\n"
                + "\t\tiifname " + sc + " udp dport 53 redirect to :" + ChainLayout.DNS_PORT + "\n"
                + "\t}\n"
                + "\tchain input {\n"
                + "\t\ttype filter hook input priority filter; policy drop;\n"
                + "\t\tiif \"lo\" accept\n"
                + "\t\tct state established,related accept\n"
                + "\t\tiifname " + sc + " tcp dport " + ChainLayout.TRANS_PORT + " accept\n"
                + "\t\tiifname " + sc + " udp dport " + ChainLayout.DNS_PORT + " accept\n"
                + "\t}\n"
                + "\tchain forward {\n"
                + "\t\ttype filter hook forward priority filter; policy drop;\n"
                + "\t}\n"
                + "\tchain output {\n"
                + "\t\ttype filter hook output priority filter; policy drop;\n"
                + "\t\toif \"lo\" accept\n"
                + "\t\t# Tor's own circuits leave towards galaxy (and so through the tunnel)\n"
                + "\t\toifname " + sg + " accept\n"
                + "\t\toifname " + sc + " ct state established,related accept\n"
                + "\t}\n"
                + "}\n";
    }

    private static String q(InterfaceName name) {
        return "\"" + name.value() + "\"";
    }
}
