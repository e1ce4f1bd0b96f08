package org.multiverse.scramble.rtos.wire;

/** The size limits of a frame on a node's serial line (WIRE.md section 2). */
public final class FrameLimits {

    /**
     * Largest payload (an encoded message). 252 + 4 CRC bytes = 256, a buffer a small MCU
     * can afford twice (one frame being received while one is handled).
     */
    public static final int MAX_PAYLOAD = 252;

    /** CRC-32C, little-endian, after the payload. */
    public static final int CRC_BYTES = 4;

    /** Payload and CRC before COBS: 256. */
    public static final int MAX_RAW = MAX_PAYLOAD + CRC_BYTES;

    /** Most bytes between two delimiters: COBS adds one byte per started 254. */
    public static final int MAX_ENCODED = MAX_RAW + MAX_RAW / 254 + 1;

    /** Most bytes on the line for one frame, delimiter included. */
    public static final int MAX_ON_WIRE = MAX_ENCODED + 1;

    private FrameLimits() {}
}
