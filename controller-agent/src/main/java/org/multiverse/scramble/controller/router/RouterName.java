package org.multiverse.scramble.controller.router;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.multiverse.scramble.controller.net.Printable;

/** The three routers of the chain, from the LAN inwards. */
public enum RouterName {
    UNIVERSE("universe", "the LAN: physical NICs, NAT, first firewall"),
    GALAXY("galaxy", "the VPN: all traffic through a WireGuard tunnel, with a kill switch"),
    STAR("star", "Tor: transparent proxy for TCP and DNS, everything else dropped");

    private final String id;
    private final String job;

    RouterName(String id, String job) {
        this.id = id;
        this.job = job;
    }

    /** The name a person types ("universe"). */
    public String id() {
        return id;
    }

    /** One line on what the router is for. */
    public String job() {
        return job;
    }

    /**
     * Looks a router up by the name a person typed.
     *
     * @throws RouterException NOT_FOUND for anything else
     */
    public static RouterName parse(String name) throws RouterException {
        for (RouterName r : values()) {
            if (r.id.equals(name)) {
                return r;
            }
        }
        throw new RouterException(
                RouterException.Kind.NOT_FOUND,
                "unknown router '"
                        + (name == null ? "" : Printable.of(name)) + "'; the routers are "
                        + Arrays.stream(values()).map(RouterName::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
