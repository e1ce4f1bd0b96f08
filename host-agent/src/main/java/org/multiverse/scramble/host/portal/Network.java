package org.multiverse.scramble.host.portal;

/**
 * The network a portal's one NIC joins. Each (but {@link #NONE}) maps to a host bridge
 * named in the agent's configuration.
 */
public enum Network {
    /** The outermost network (towards the internet through the universe router). */
    UNIVERSE,
    /** The middle network (behind the galaxy router, e.g. Tor). */
    GALAXY,
    /** The innermost network (behind the star router, e.g. VPN). */
    STAR,
    /** No NIC at all. */
    NONE;

    /** The word used in definition files. */
    public String tomlName() {
        return name().toLowerCase();
    }
}
