package org.multiverse.scramble.controller.net;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the JSON that iproute2 prints with {@code -j}. Strict about what it uses (names
 * must be valid interface names, counters non-negative integers), tolerant of fields it
 * does not use, since iproute2 adds fields between releases.
 */
public final class IpJson {
    /** iproute2 output nests four levels; anything deeper is not iproute2. */
    static final int MAX_NESTING = 16;
    /** A namespace with thousands of links is not one of ours. */
    static final int MAX_ENTRIES = 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxStringLength(4096)
                    .build())
            .build());

    private IpJson() {}

    /**
     * Joins {@code ip -s -j link show} and {@code ip -j addr show} output into one entry per
     * interface, in link order.
     *
     * @throws IllegalArgumentException if either text is not the JSON iproute2 prints
     */
    public static List<LinkInfo> links(String linkJson, String addrJson) {
        Map<String, List<Cidr>> addresses = new LinkedHashMap<>();
        for (JsonNode entry : array(addrJson, "ip addr")) {
            String name = text(entry, "ifname", "ip addr");
            List<Cidr> list = addresses.computeIfAbsent(name, k -> new ArrayList<>());
            JsonNode infos = entry.path("addr_info");
            if (!infos.isMissingNode() && !infos.isArray()) {
                throw new IllegalArgumentException("ip addr: addr_info of " + Printable.of(name) + " is not a list");
            }
            for (JsonNode info : infos) {
                if (!"inet".equals(info.path("family").asText())) {
                    continue; // IPv6 is disabled in our namespaces; ignore link-local leftovers.
                }
                String local = text(info, "local", "ip addr");
                JsonNode prefix = info.path("prefixlen");
                if (!prefix.canConvertToInt()) {
                    throw new IllegalArgumentException(
                            "ip addr: prefixlen of " + Printable.of(name) + " is not a number");
                }
                list.add(new Cidr(Ipv4.parse(local), prefix.asInt()));
            }
        }
        List<LinkInfo> result = new ArrayList<>();
        for (JsonNode entry : array(linkJson, "ip link")) {
            String name = text(entry, "ifname", "ip link");
            JsonNode flags = entry.path("flags");
            boolean up = false;
            for (JsonNode flag : flags) {
                up |= "UP".equals(flag.asText());
            }
            JsonNode stats = entry.path("stats64");
            long rx = counter(stats.path("rx").path("bytes"), name, "rx");
            long tx = counter(stats.path("tx").path("bytes"), name, "tx");
            result.add(new LinkInfo(InterfaceName.of(name), up, addresses.getOrDefault(name, List.of()), rx, tx));
        }
        return result;
    }

    /**
     * Parses {@code ip -j route show} output.
     *
     * @throws IllegalArgumentException if the text is not the JSON iproute2 prints
     */
    public static List<RouteInfo> routes(String json) {
        List<RouteInfo> routes = new ArrayList<>();
        for (JsonNode entry : array(json, "ip route")) {
            String dst = text(entry, "dst", "ip route");
            Optional<Ipv4> gateway = entry.has("gateway")
                    ? Optional.of(Ipv4.parse(entry.get("gateway").asText()))
                    : Optional.empty();
            Optional<InterfaceName> dev = entry.has("dev")
                    ? Optional.of(InterfaceName.of(entry.get("dev").asText()))
                    : Optional.empty();
            routes.add(new RouteInfo(dst, gateway, dev));
        }
        return routes;
    }

    /** Parses {@code ip -j netns list}: the namespace names. */
    public static List<String> namespaces(String json) {
        List<String> names = new ArrayList<>();
        for (JsonNode entry : array(json, "ip netns")) {
            names.add(text(entry, "name", "ip netns"));
        }
        return names;
    }

    private static JsonNode array(String json, String what) {
        if (json == null || json.isBlank()) {
            return MAPPER.createArrayNode(); // iproute2 prints nothing at all for an empty list
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + ": output is not valid JSON: " + e.getOriginalMessage());
        }
        if (!root.isArray()) {
            throw new IllegalArgumentException(what + ": expected a JSON list, got " + root.getNodeType());
        }
        if (root.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(what + ": " + root.size() + " entries, more than " + MAX_ENTRIES);
        }
        return root;
    }

    private static String text(JsonNode entry, String field, String what) {
        JsonNode node = entry.path(field);
        if (!node.isTextual()) {
            throw new IllegalArgumentException(what + ": entry without a text field '" + field + "'");
        }
        return node.asText();
    }

    private static long counter(JsonNode node, String name, String direction) {
        if (node.isMissingNode()) {
            return 0; // a link without statistics (rare, e.g. being deleted) has moved nothing we can count
        }
        if (!node.isIntegralNumber() || node.asLong() < 0) {
            throw new IllegalArgumentException(
                    "ip link: " + direction + " bytes of " + Printable.of(name) + " is not a non-negative integer");
        }
        return node.asLong();
    }
}
