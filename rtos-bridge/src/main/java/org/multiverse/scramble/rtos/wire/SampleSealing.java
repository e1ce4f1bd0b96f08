package org.multiverse.scramble.rtos.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * How a telemetry sample is sealed (WIRE.md section 7): the HPKE stream id, the associated
 * data that binds the clear fields, and the 4-byte plaintext.
 */
public final class SampleSealing {

    /** Associated data: stream_id u32 BE, sequence u32 BE, node_time u64 BE, last u8. */
    public static final int AAD_BYTES = 17;

    private SampleSealing() {}

    /** The HPKE stream id: ASCII "rtos/" + node id + "/" + decimal stream id. */
    public static byte[] hpkeStreamId(String nodeId, int streamId) {
        return ("rtos/" + nodeId + "/" + Integer.toUnsignedString(streamId)).getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] aad(int streamId, int sequence, long nodeTimeMicros, boolean last) {
        return ByteBuffer.allocate(AAD_BYTES)
                .putInt(streamId)
                .putInt(sequence)
                .putLong(nodeTimeMicros)
                .put((byte) (last ? 1 : 0))
                .array();
    }

    /** The value as IEEE 754 binary32, little-endian (what an MCU has in memory). */
    public static byte[] plaintext(float value) {
        return ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(value)
                .array();
    }

    public static float value(byte[] plaintext) {
        if (plaintext.length != 4) {
            throw new IllegalArgumentException("a sample plaintext is 4 bytes, not " + plaintext.length);
        }
        return ByteBuffer.wrap(plaintext).order(ByteOrder.LITTLE_ENDIAN).getFloat();
    }
}
