package org.multiverse.scramble.protocol.frame;

import java.util.zip.CRC32C;

/**
 * The wire layout shared by {@link FrameEncoder} and {@link FrameDecoder}; see
 * {@code protocol/FRAMES.md} for the reasoning.
 *
 * <pre>
 * offset size
 *  0     4   magic F5 53 43 52
 *  4     1   version (1)
 *  5     1   type (FrameType code)
 *  6     4   payload length, unsigned big-endian
 * 10     4   header CRC-32C over bytes 0..9, big-endian
 * 14     n   payload
 * 14+n   4   frame CRC-32C over bytes 0..13+n (header, header CRC, payload), big-endian
 * </pre>
 */
final class FrameFormat {
    /**
     * 0xF5 is never a valid UTF-8 byte, and as the start of a protobuf tag (continuation bit
     * set, so F5 53 is field 1342, wire type 5) it is no field a message here uses; "SCR"
     * makes the frame recognisable in a hex dump.
     */
    static final byte[] MAGIC = {(byte) 0xF5, 0x53, 0x43, 0x52};

    static final int VERSION = 1;

    static final int VERSION_OFFSET = 4;
    static final int TYPE_OFFSET = 5;
    static final int LENGTH_OFFSET = 6;
    static final int HEADER_CRC_OFFSET = 10;
    /** Magic, version, type, length and header CRC. */
    static final int HEADER_LENGTH = 14;

    static final int TRAILER_LENGTH = 4;
    static final int OVERHEAD = HEADER_LENGTH + TRAILER_LENGTH;

    /**
     * Largest maximum payload a decoder accepts as configuration: keeps the frame length
     * well inside an int and the buffered input of one stream small.
     */
    static final int MAX_CONFIGURABLE_PAYLOAD = 16 * 1024 * 1024;

    private FrameFormat() {}

    static int crc32c(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    static void putInt(byte[] out, int offset, int value) {
        out[offset] = (byte) (value >>> 24);
        out[offset + 1] = (byte) (value >>> 16);
        out[offset + 2] = (byte) (value >>> 8);
        out[offset + 3] = (byte) value;
    }

    static int getInt(byte[] in, int offset) {
        return ((in[offset] & 0xFF) << 24)
                | ((in[offset + 1] & 0xFF) << 16)
                | ((in[offset + 2] & 0xFF) << 8)
                | (in[offset + 3] & 0xFF);
    }
}
