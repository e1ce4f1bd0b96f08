package org.multiverse.scramble.protocol.frame;

/**
 * Pays for the decoder's parse work before it is done: bytes scanned for a magic and bytes run
 * through a CRC. A stream of overlapping frame headers that each claim a large payload makes
 * the decoder check one CRC over the claimed length per header, so its cost is not the bytes
 * received but this work; a meter lets the transport charge it to the sender's budget.
 */
@FunctionalInterface
public interface WorkMeter {

    /** A meter that admits everything (trusted streams, tests). */
    WorkMeter UNLIMITED = units -> true;

    /**
     * Charges {@code units} (bytes of work) if the budget has them; if not, charges nothing and
     * the decoder stops until it is fed again.
     */
    boolean tryCharge(long units);
}
