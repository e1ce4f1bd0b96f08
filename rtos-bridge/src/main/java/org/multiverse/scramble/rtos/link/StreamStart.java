package org.multiverse.scramble.rtos.link;

/**
 * What a subscriber needs to open a stream's samples.
 *
 * @param nodePublicKey the node's pinned X25519 key (HPKE auth-mode sender)
 * @param hpkeStreamId the HPKE stream id ({@code rtos/NODE_ID/STREAM_ID})
 * @param encapsulatedKey HPKE enc
 */
public record StreamStart(
        int streamId,
        byte[] nodePublicKey,
        byte[] hpkeStreamId,
        byte[] encapsulatedKey,
        long startNodeMicros,
        int periodMicros) {}
