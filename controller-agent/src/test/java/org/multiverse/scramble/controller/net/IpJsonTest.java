package org.multiverse.scramble.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpJsonTest {
    static final String LINKS = "[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\",\"LOWER_UP\"],"
            + "\"stats64\":{\"rx\":{\"bytes\":10,\"packets\":1},\"tx\":{\"bytes\":10,\"packets\":1}}},"
            + "{\"ifindex\":5,\"ifname\":\"mv-ug\",\"flags\":[\"BROADCAST\",\"MULTICAST\"],"
            + "\"stats64\":{\"rx\":{\"bytes\":1234,\"packets\":3},\"tx\":{\"bytes\":5678,\"packets\":4}}}]";
    static final String ADDRS = "[{\"ifname\":\"lo\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"127.0.0.1\","
            + "\"prefixlen\":8}]},{\"ifname\":\"mv-ug\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.0.0.1\","
            + "\"prefixlen\":24},{\"family\":\"inet6\",\"local\":\"fe80::1\",\"prefixlen\":64}]}]";

    @Test
    void joinsLinksAndAddresses() {
        List<LinkInfo> links = IpJson.links(LINKS, ADDRS);
        assertEquals(2, links.size());
        LinkInfo ug = links.get(1);
        assertEquals("mv-ug", ug.name().value());
        assertFalse(ug.up());
        assertEquals(List.of(Cidr.parse("10.0.0.1/24")), ug.addresses());
        assertEquals(1234, ug.rxBytes());
        assertEquals(5678, ug.txBytes());
        assertTrue(links.get(0).up());
    }

    @Test
    void parsesRoutesAndNamespaces() {
        List<RouteInfo> routes = IpJson.routes("[{\"dst\":\"default\",\"gateway\":\"10.1.1.1\",\"dev\":\"mv-sg\"},"
                + "{\"dst\":\"10.1.1.0/24\",\"dev\":\"mv-sg\",\"protocol\":\"kernel\"}]");
        assertEquals(Optional.of(Ipv4.parse("10.1.1.1")), routes.get(0).gateway());
        assertEquals(Optional.empty(), routes.get(1).gateway());
        assertEquals(
                List.of("mv-star", "mv-galaxy"),
                IpJson.namespaces("[{\"name\":\"mv-star\",\"id\":1},{\"name\":\"mv-galaxy\"}]"));
        assertEquals(List.of(), IpJson.namespaces(""));
    }

    @Test
    void refusesMalformedOrHostileOutput() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IpJson.links("[{", "[]"))
                .getMessage()
                .startsWith("ip link: output is not valid JSON"));
        assertEquals(
                "ip link: expected a JSON list, got OBJECT",
                assertThrows(IllegalArgumentException.class, () -> IpJson.links("{}", "[]"))
                        .getMessage());
        assertEquals(
                "ip link: entry without a text field 'ifname'",
                assertThrows(IllegalArgumentException.class, () -> IpJson.links("[{\"ifname\":5}]", "[]"))
                        .getMessage());
        assertEquals(
                "ip link: rx bytes of x is not a non-negative integer",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> IpJson.links("[{\"ifname\":\"x\",\"stats64\":{\"rx\":{\"bytes\":-1}}}]", "[]"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> IpJson.links("[{\"ifname\":\"bad;name\"}]", "[]"));
        assertThrows(
                IllegalArgumentException.class,
                () -> IpJson.links(
                        "[]",
                        "[{\"ifname\":\"x\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"300.0.0.1\",\"prefixlen\":8}]}]"));
        String deep = "[".repeat(100) + "]".repeat(100);
        assertThrows(IllegalArgumentException.class, () -> IpJson.routes(deep));
        String many = "[" + "{\"name\":\"n\"},".repeat(IpJson.MAX_ENTRIES) + "{\"name\":\"n\"}]";
        assertEquals(
                "ip netns: 1025 entries, more than 1024",
                assertThrows(IllegalArgumentException.class, () -> IpJson.namespaces(many))
                        .getMessage());
    }
}
