package org.multiverse.scramble.rtos.link;

/**
 * The statistics of one telemetry stream, computed by the bridge from the clear fields
 * (it cannot open the sealed values).
 *
 * @param expected samples the node was asked for (hz * seconds)
 * @param received distinct samples that arrived intact
 * @param lost {@code expected - received}: sequence gaps and a missing tail
 * @param jitterP50Micros median transit-time variation between consecutive samples
 *     (RFC 3550: |(arrival_i - arrival_j) - (node_i - node_j)|)
 * @param jitterP99Micros its 99th percentile
 * @param scheduleLateP99Micros 99th percentile of how late the node stamped a sample
 *     against its own schedule (start + sequence * period)
 * @param deadlineMisses samples stamped more than one period late on the node's schedule
 */
public record StreamReport(
        long expected,
        long received,
        long lost,
        double jitterP50Micros,
        double jitterP99Micros,
        double scheduleLateP99Micros,
        long deadlineMisses) {}
