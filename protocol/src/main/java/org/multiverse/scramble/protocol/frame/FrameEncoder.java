package org.multiverse.scramble.protocol.frame;

/**
 * Writes frames in the format described in {@code protocol/FRAMES.md}. Stateless and
 * thread-safe.
 */
public final class FrameEncoder {

    /**
     * Default maximum payload, 64 KiB: the largest message (an envelope with a session
     * certificate and a command) is a few KiB, and virtio-serial's buffers are small, so a
     * bigger frame is a bug or an attack.
     */
    public static final int DEFAULT_MAX_PAYLOAD = 64 * 1024;

    /** Bytes a frame adds around its payload: 14 header bytes and a 4-byte CRC trailer. */
    public static final int OVERHEAD_BYTES = FrameFormat.OVERHEAD;

    private FrameEncoder() {}

    /**
     * Encodes a frame whose payload is at most {@link #DEFAULT_MAX_PAYLOAD} bytes.
     *
     * @param frame the frame to encode
     * @return a new array holding the whole frame, {@link #OVERHEAD_BYTES} longer than the payload
     * @throws FrameTooLargeException if the payload exceeds {@link #DEFAULT_MAX_PAYLOAD}
     */
    public static byte[] encode(Frame frame) {
        return encode(frame, DEFAULT_MAX_PAYLOAD);
    }

    /**
     * Encodes a frame with an explicit payload limit, for streams whose decoder was built
     * with {@link FrameDecoder#FrameDecoder(int)}.
     *
     * @param frame the frame to encode
     * @param maxPayloadBytes the largest payload allowed
     * @return a new array holding the whole frame
     * @throws FrameTooLargeException if the payload exceeds {@code maxPayloadBytes}
     */
    public static byte[] encode(Frame frame, int maxPayloadBytes) {
        byte[] payload = frame.payload();
        if (payload.length > maxPayloadBytes) {
            throw new FrameTooLargeException(payload.length, maxPayloadBytes);
        }
        byte[] out = new byte[FrameFormat.OVERHEAD + payload.length];
        System.arraycopy(FrameFormat.MAGIC, 0, out, 0, FrameFormat.MAGIC.length);
        out[FrameFormat.VERSION_OFFSET] = (byte) FrameFormat.VERSION;
        out[FrameFormat.TYPE_OFFSET] = (byte) frame.type().code();
        FrameFormat.putInt(out, FrameFormat.LENGTH_OFFSET, payload.length);
        FrameFormat.putInt(
                out, FrameFormat.HEADER_CRC_OFFSET, FrameFormat.crc32c(out, 0, FrameFormat.HEADER_CRC_OFFSET));
        System.arraycopy(payload, 0, out, FrameFormat.HEADER_LENGTH, payload.length);
        int crcOffset = FrameFormat.HEADER_LENGTH + payload.length;
        FrameFormat.putInt(out, crcOffset, FrameFormat.crc32c(out, 0, crcOffset));
        return out;
    }
}
