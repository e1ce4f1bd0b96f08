package org.multiverse.scramble.rtos.wire;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental decoder of the frames on one serial line (WIRE.md section 2).
 *
 * <p>Bytes go in through {@link #feed} in any pieces, one byte at a time included; every
 * intact payload comes out through the sink. Resynchronisation is built into the framing:
 * 0x00 never occurs inside a frame, so whatever noise or torn frame came before, decoding
 * restarts cleanly at the next 0x00. A block longer than {@link FrameLimits#MAX_ENCODED}
 * is discarded up to the next delimiter without being buffered (memory is fixed at one
 * maximal frame). Every discarded block is counted by reason.
 *
 * <p>Not thread-safe: one decoder per line, used by its reader thread.
 */
public final class FrameDecoder {

    private final byte[] block = new byte[FrameLimits.MAX_ENCODED];
    private final byte[] raw = new byte[FrameLimits.MAX_ENCODED];
    private int length;
    /** True while skipping the rest of an oversize block. */
    private boolean overflowing;

    private long frames;
    private long crcErrors;
    private long cobsErrors;
    private long oversize;
    private long runts;

    /**
     * Feeds bytes; calls {@code sink} once per intact frame with its payload (a new array).
     */
    public void feed(byte[] data, int offset, int count, Consumer<byte[]> sink) {
        for (int i = offset; i < offset + count; i++) {
            byte b = data[i];
            if (b == 0) {
                endOfBlock(sink);
            } else if (overflowing) {
                continue;
            } else if (length == block.length) {
                overflowing = true;
                oversize++;
            } else {
                block[length++] = b;
            }
        }
    }

    private void endOfBlock(Consumer<byte[]> sink) {
        if (overflowing) {
            overflowing = false;
            length = 0;
            return;
        }
        if (length == 0) {
            return; // back-to-back delimiters: a sender's flush, or the end of noise
        }
        int n = Cobs.decode(block, length, raw);
        length = 0;
        if (n < 0) {
            cobsErrors++;
            return;
        }
        if (n <= FrameLimits.CRC_BYTES) {
            runts++;
            return;
        }
        if (n > FrameLimits.MAX_RAW) {
            oversize++;
            return;
        }
        int payloadLength = n - FrameLimits.CRC_BYTES;
        int expected = Crc32c.of(raw, 0, payloadLength);
        int actual = (raw[payloadLength] & 0xFF)
                | (raw[payloadLength + 1] & 0xFF) << 8
                | (raw[payloadLength + 2] & 0xFF) << 16
                | (raw[payloadLength + 3] & 0xFF) << 24;
        if (expected != actual) {
            crcErrors++;
            return;
        }
        frames++;
        sink.accept(Arrays.copyOf(raw, payloadLength));
    }

    /** Forgets a partly received block, as after reopening the line. */
    public void reset() {
        length = 0;
        overflowing = false;
    }

    /** Intact frames delivered. */
    public long frames() {
        return frames;
    }

    /** Blocks dropped because the CRC did not match. */
    public long crcErrors() {
        return crcErrors;
    }

    /** Blocks dropped because they were not valid COBS. */
    public long cobsErrors() {
        return cobsErrors;
    }

    /** Blocks dropped because they exceeded the maximum frame size. */
    public long oversize() {
        return oversize;
    }

    /** Blocks dropped because they were too short to hold a CRC and a payload byte. */
    public long runts() {
        return runts;
    }

    /** All blocks dropped, for any reason. */
    public long dropped() {
        return crcErrors + cobsErrors + oversize + runts;
    }
}
