package org.multiverse.scramble.rtos.link;

/**
 * One telemetry sample as the bridge relays it: clear sequence and time, sealed value. The
 * person opens {@code sealed} with a StreamOpener (their session X25519 key, the node's
 * key, {@link StreamStart#hpkeStreamId()}, {@link StreamStart#encapsulatedKey()}) at
 * {@code sequence} with {@code aad}.
 */
public record SealedSample(int streamId, int sequence, long nodeTimeMicros, boolean last, byte[] aad, byte[] sealed) {}
