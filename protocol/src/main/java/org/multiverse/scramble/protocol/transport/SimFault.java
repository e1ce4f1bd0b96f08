package org.multiverse.scramble.protocol.transport;

/** The kinds of fault a simulated link injects; {@link SimNetwork#injected} counts each. */
public enum SimFault {
    DROP,
    DELAY,
    DUPLICATE,
    REORDER,
    CORRUPT,
    CUT,
    STALL
}
