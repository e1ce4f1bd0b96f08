package org.multiverse.scramble.rtos.link;

/** The outcome of one time sync: node minus bridge, the drift, the best round trip. */
public record TimeSyncResult(long offsetMicros, double driftPpm, long roundTripMicros) {}
