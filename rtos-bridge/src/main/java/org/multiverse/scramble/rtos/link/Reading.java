package org.multiverse.scramble.rtos.link;

/** A value read from a channel, stamped with the node's clock. */
public record Reading(String channel, float value, long nodeTimeMicros) {}
