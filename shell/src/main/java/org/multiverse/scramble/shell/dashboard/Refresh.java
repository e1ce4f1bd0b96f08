package org.multiverse.scramble.shell.dashboard;

/** One group of read-only queries the dashboard sends to fill a section. */
enum Refresh {
    /** portal list (host). */
    PORTALS,
    /** router list, router status of each, vpn status, tor status (router). */
    ROUTERS,
    /** agent status of every reachable agent, plus the link state the client sees. */
    AGENTS,
    /** rtos list, and rtos info of the node the sparkline follows (rtos). */
    RTOS,
    /** audit tail of every reachable agent. */
    AUDIT
}
