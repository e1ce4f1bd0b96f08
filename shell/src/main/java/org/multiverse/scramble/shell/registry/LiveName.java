package org.multiverse.scramble.shell.registry;

/**
 * Kinds of names the agents know and completion offers: fetched with a signed list command
 * and cached briefly (see the interactive shell's live-name cache).
 */
public enum LiveName {
    PORTAL,
    TEMPLATE,
    SNAPSHOT,
    ROUTER,
    VPN_PROFILE,
    RTOS_NODE,
    RTOS_CHANNEL
}
