package org.multiverse.scramble.rtos.link;

import java.util.List;

/**
 * What {@code rtos info} shows.
 *
 * @param capabilities names of the Hello capability bits the node set
 * @param publicKey the node's pinned X25519 key (telemetry is sealed by it)
 */
public record NodeDescription(
        NodeStatus status,
        long clockHz,
        List<ChannelDescription> channels,
        List<String> capabilities,
        byte[] publicKey,
        long deadlineMisses) {}
