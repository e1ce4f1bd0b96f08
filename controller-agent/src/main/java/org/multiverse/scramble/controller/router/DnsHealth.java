package org.multiverse.scramble.controller.router;

/** DNS as the controller side sees it: answered by star's Tor DNSPort. */
public record DnsHealth(State state, String detail) {
    public enum State {
        OK,
        DEGRADED,
        DOWN,
        NOT_APPLICABLE
    }
}
