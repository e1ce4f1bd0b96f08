package org.multiverse.scramble.controller.net;

import java.util.List;

/** One interface inside a namespace as {@code ip -s -j link} and {@code ip -j addr} report it. */
public record LinkInfo(InterfaceName name, boolean up, List<Cidr> addresses, long rxBytes, long txBytes) {
    public LinkInfo {
        addresses = List.copyOf(addresses);
    }
}
