package org.multiverse.scramble.protocol.client;

/** The state of an {@link AgentClient}'s link, for the shell's status line. */
public enum LinkState {
    /** Connected, and heartbeats are answered. */
    UP,
    /** Not connected; a reconnect is scheduled. */
    DOWN,
    /** A connection attempt is under way. */
    CONNECTING
}
