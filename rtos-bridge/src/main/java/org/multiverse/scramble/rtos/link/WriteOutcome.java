package org.multiverse.scramble.rtos.link;

/**
 * A write the node executed.
 *
 * @param executedAtNodeMicros when it ran, node clock
 * @param executedAtUnixMicros when it ran, by the node's synced Unix clock
 * @param lateByMicros how far after its deadline it ran (0 if on time or untimed)
 */
public record WriteOutcome(
        String channel, float value, long executedAtNodeMicros, long executedAtUnixMicros, long lateByMicros) {}
