package org.multiverse.scramble.controller.router;

import java.util.List;
import org.multiverse.scramble.controller.net.LinkInfo;

/** {@code router status NAME}: up or down, interfaces with addresses and byte counters, chain check, DNS. */
public record RouterStatus(RouterName router, boolean up, List<LinkInfo> interfaces, ChainCheck chain, DnsHealth dns) {
    public RouterStatus {
        interfaces = List.copyOf(interfaces);
    }
}
