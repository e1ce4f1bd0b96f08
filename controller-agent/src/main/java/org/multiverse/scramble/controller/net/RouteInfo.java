package org.multiverse.scramble.controller.net;

import java.util.Optional;

/** One IPv4 route as {@code ip -j route} reports it; {@code destination} is "default" or a CIDR. */
public record RouteInfo(String destination, Optional<Ipv4> gateway, Optional<InterfaceName> device) {}
