package org.multiverse.scramble.rtos.link;

/** One channel of a node; {@code index} is also its position in the node's list. */
public record ChannelDescription(int index, String name, boolean writable, String unit, float safeValue) {}
