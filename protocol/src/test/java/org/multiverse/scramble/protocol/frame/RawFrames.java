package org.multiverse.scramble.protocol.frame;

import java.io.ByteArrayOutputStream;

/** Builds frames byte by byte, including ones the encoder refuses to make. */
final class RawFrames {
    private RawFrames() {}

    /**
     * A frame with the given header fields and correct CRCs, so the decoder can only refuse
     * it for the field under test.
     */
    static byte[] frame(int version, int typeCode, long lengthField, byte[] payload) {
        byte[] out = new byte[FrameFormat.OVERHEAD + payload.length];
        System.arraycopy(FrameFormat.MAGIC, 0, out, 0, 4);
        out[FrameFormat.VERSION_OFFSET] = (byte) version;
        out[FrameFormat.TYPE_OFFSET] = (byte) typeCode;
        FrameFormat.putInt(out, FrameFormat.LENGTH_OFFSET, (int) lengthField);
        FrameFormat.putInt(
                out, FrameFormat.HEADER_CRC_OFFSET, FrameFormat.crc32c(out, 0, FrameFormat.HEADER_CRC_OFFSET));
        System.arraycopy(payload, 0, out, FrameFormat.HEADER_LENGTH, payload.length);
        int crcOffset = FrameFormat.HEADER_LENGTH + payload.length;
        FrameFormat.putInt(out, crcOffset, FrameFormat.crc32c(out, 0, crcOffset));
        return out;
    }

    /** A header only (magic .. header CRC) claiming {@code lengthField} payload bytes. */
    static byte[] header(long lengthField) {
        byte[] whole = frame(FrameFormat.VERSION, FrameType.ENVELOPE.code(), lengthField, new byte[0]);
        byte[] header = new byte[FrameFormat.HEADER_LENGTH];
        System.arraycopy(whole, 0, header, 0, header.length);
        return header;
    }

    static byte[] encode(FrameType type, String payload) {
        return FrameEncoder.encode(new Frame(type, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
