package org.multiverse.scramble.rtos.wire;

/**
 * Turns one payload into the bytes of one frame: COBS(payload || CRC-32C LE) 0x00
 * (WIRE.md section 2). Stateless and thread-safe.
 */
public final class FrameEncoder {

    private FrameEncoder() {}

    /**
     * Encodes one frame.
     *
     * @param payload 1 to {@link FrameLimits#MAX_PAYLOAD} bytes
     * @return the frame, delimiter included, at most {@link FrameLimits#MAX_ON_WIRE} bytes
     * @throws IllegalArgumentException if the payload is empty or too long
     */
    public static byte[] encode(byte[] payload) {
        if (payload.length == 0 || payload.length > FrameLimits.MAX_PAYLOAD) {
            throw new IllegalArgumentException(
                    "frame payload must be 1.." + FrameLimits.MAX_PAYLOAD + " bytes, got " + payload.length);
        }
        byte[] raw = new byte[payload.length + FrameLimits.CRC_BYTES];
        System.arraycopy(payload, 0, raw, 0, payload.length);
        int crc = Crc32c.of(payload, 0, payload.length);
        raw[payload.length] = (byte) crc;
        raw[payload.length + 1] = (byte) (crc >>> 8);
        raw[payload.length + 2] = (byte) (crc >>> 16);
        raw[payload.length + 3] = (byte) (crc >>> 24);
        byte[] out = new byte[Cobs.maxEncodedLength(raw.length) + 1];
        int n = Cobs.encode(raw, raw.length, out);
        out[n] = 0;
        return java.util.Arrays.copyOf(out, n + 1);
    }
}
