package org.multiverse.scramble.rtos.link;

/**
 * What {@code rtos list} shows of one node.
 *
 * @param clockOffsetMicros node clock minus bridge clock at the last time sync
 * @param lastError why the link is down, or empty
 */
public record NodeStatus(
        String name,
        boolean linkUp,
        String nodeId,
        String board,
        String firmware,
        long clockOffsetMicros,
        boolean failsafe,
        String lastError) {}
