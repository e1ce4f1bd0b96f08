package org.multiverse.scramble.protocol.frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Incremental decoder for one byte stream of frames (format in {@code protocol/FRAMES.md}).
 *
 * <p>Bytes go in through {@link #feed} in whatever pieces the transport delivers; every
 * complete, intact frame comes out. Anything else is dropped and counted: bytes before a
 * magic, frames with a bad header or frame CRC, an unknown version or type, or a length
 * above the maximum. After a failure the decoder resynchronises by scanning for the next
 * magic starting one byte after the failed one, so a frame that follows (or hides inside)
 * garbage or a torn frame is still found.
 *
 * <p>Memory is bounded: the buffered input never exceeds the maximum frame size (maximum
 * payload plus {@link FrameEncoder#OVERHEAD_BYTES}), the buffer grows only as data arrives,
 * and a header claiming more than the maximum is refused before anything is allocated
 * for it.
 *
 * <p>Accounting: every byte fed is, at any moment, either part of a decoded frame, counted
 * in {@link #skippedBytes()}, or still buffered.
 *
 * <p>Not thread-safe; use one decoder per stream and {@link #reset()} it on reconnect.
 */
public final class FrameDecoder {

    /**
     * First buffer size: fits a typical envelope frame, so small streams never grow the
     * buffer, while a decoder that only ever sees heartbeats stays small.
     */
    private static final int INITIAL_CAPACITY = 4 * 1024;

    private final int maxPayloadBytes;
    private final int maxFrameBytes;

    private byte[] buffer;
    /** Index of the first buffered byte not yet consumed. */
    private int start;
    /** Index one past the last buffered byte. */
    private int end;

    private long skippedBytes;
    private long badFrames;
    private long goodFrames;

    private WorkMeter meter = WorkMeter.UNLIMITED;
    /** The meter refused the work the decoder needed next; nothing more is decoded until fed again. */
    private boolean starved;

    /** A decoder accepting payloads up to {@link FrameEncoder#DEFAULT_MAX_PAYLOAD} bytes. */
    public FrameDecoder() {
        this(FrameEncoder.DEFAULT_MAX_PAYLOAD);
    }

    /**
     * A decoder accepting payloads up to {@code maxPayloadBytes}; longer frames are dropped.
     *
     * @param maxPayloadBytes the largest payload accepted, 0 to 16 MiB
     * @throws IllegalArgumentException if the limit is negative or above 16 MiB
     */
    public FrameDecoder(int maxPayloadBytes) {
        if (maxPayloadBytes < 0 || maxPayloadBytes > FrameFormat.MAX_CONFIGURABLE_PAYLOAD) {
            throw new IllegalArgumentException("maxPayloadBytes must be between 0 and "
                    + FrameFormat.MAX_CONFIGURABLE_PAYLOAD + ", got " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxFrameBytes = maxPayloadBytes + FrameFormat.OVERHEAD;
        this.buffer = new byte[initialCapacity()];
    }

    /**
     * Consumes bytes from the stream and returns the frames they complete.
     *
     * <p>Never throws because of the bytes' content: malformed input is dropped and counted.
     *
     * @param data the array holding the bytes
     * @param offset where the bytes start in {@code data}
     * @param length how many bytes to consume
     * @return the frames completed by these bytes, in stream order; empty if none
     * @throws IndexOutOfBoundsException if offset and length do not fit in {@code data}
     */
    public List<Frame> feed(byte[] data, int offset, int length) {
        List<Frame> frames = new ArrayList<>(1);
        int consumed = feedMetered(data, offset, length, frames);
        if (consumed != length || starved) {
            throw new IllegalStateException("a metered decoder must be fed with feedMetered");
        }
        return frames;
    }

    /**
     * Charges the parse work to {@code meter} from now on (see {@link WorkMeter}). With a
     * limited meter, feed with {@link #feedMetered}.
     */
    public void setWorkMeter(WorkMeter meter) {
        this.meter = Objects.requireNonNull(meter, "meter");
    }

    /**
     * Like {@link #feed}, but stops when the work meter refuses: the bytes not consumed must be
     * fed again later (after the budget refilled); until then nothing is buffered beyond one
     * frame. Decoding of what is already buffered resumes first, so {@code length} may be 0.
     *
     * @param out receives the completed frames, in stream order
     * @return how many of the {@code length} bytes were consumed
     */
    public int feedMetered(byte[] data, int offset, int length, List<Frame> out) {
        Objects.checkFromIndexSize(offset, length, data.length);
        starved = false;
        decodeBuffered(out);
        int position = offset;
        int remaining = length;
        while (remaining > 0 && !starved) {
            makeRoom();
            int n = Math.min(remaining, buffer.length - end);
            System.arraycopy(data, position, buffer, end, n);
            end += n;
            position += n;
            remaining -= n;
            decodeBuffered(out);
        }
        return position - offset;
    }

    /** Whether the last {@link #feedMetered} stopped because the meter refused work. */
    public boolean starved() {
        return starved;
    }

    /** Bytes discarded so far: garbage, dropped frames, and input dropped by {@link #reset()}. */
    public long skippedBytes() {
        return skippedBytes;
    }

    /**
     * Frames dropped so far: bad header or frame CRC, payload length above the maximum,
     * unknown version or unknown type.
     */
    public long badFrames() {
        return badFrames;
    }

    /** Frames decoded and returned so far. */
    public long goodFrames() {
        return goodFrames;
    }

    /**
     * Drops buffered partial input (counting it as skipped) and shrinks the buffer, for use
     * after a reconnect, when the rest of a half-received frame will never arrive.
     */
    public void reset() {
        skippedBytes += end - start;
        start = 0;
        end = 0;
        buffer = new byte[initialCapacity()];
    }

    /** Bytes held waiting for the rest of a frame; never more than the maximum frame size. */
    public int bufferedBytes() {
        return end - start;
    }

    /** Current buffer size; never more than the maximum frame size. */
    int capacity() {
        return buffer.length;
    }

    private int initialCapacity() {
        return Math.min(INITIAL_CAPACITY, maxFrameBytes);
    }

    /**
     * Makes at least one byte of room. Always possible: after {@link #decodeBuffered} fewer
     * than {@code maxFrameBytes} bytes remain buffered (a partial magic, a partial header,
     * or a partial frame whose header promised at most {@code maxFrameBytes}).
     */
    private void makeRoom() {
        if (end < buffer.length) {
            return;
        }
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            // Doubling, capped: allocation follows the bytes actually received.
            int grown = (int) Math.min((long) buffer.length * 2, maxFrameBytes);
            buffer = Arrays.copyOf(buffer, grown);
        }
    }

    private void decodeBuffered(List<Frame> frames) {
        while (!starved) {
            int magicAt = findMagic();
            if (!charge(magicAt - start)) {
                return; // garbage before the magic: skipped (and charged) once the budget allows
            }
            skip(magicAt - start);
            int buffered = end - start;
            if (buffered < FrameFormat.HEADER_LENGTH) {
                return; // a partial magic or header: wait for more
            }
            if (!charge(FrameFormat.HEADER_CRC_OFFSET)) {
                return;
            }
            if (!headerIsValid()) {
                dropOneByte();
                continue;
            }
            long payloadLength = FrameFormat.getInt(buffer, start + FrameFormat.LENGTH_OFFSET) & 0xFFFF_FFFFL;
            if (payloadLength > maxPayloadBytes) {
                dropOneByte(); // refused before any allocation for it
                continue;
            }
            int frameLength = (int) payloadLength + FrameFormat.OVERHEAD;
            if (buffered < frameLength) {
                return; // frameLength <= maxFrameBytes, so the buffer can grow to hold it
            }
            if (!charge(frameLength)) {
                return; // the header stays buffered: checked again once the budget allows
            }
            int crcOffset = start + FrameFormat.HEADER_LENGTH + (int) payloadLength;
            int expectedCrc = FrameFormat.getInt(buffer, crcOffset);
            if (FrameFormat.crc32c(buffer, start, crcOffset - start) != expectedCrc) {
                dropOneByte(); // torn or corrupt: a frame may start inside it
                continue;
            }
            Optional<FrameType> type = FrameType.fromCode(buffer[start + FrameFormat.TYPE_OFFSET] & 0xFF);
            if (type.isEmpty()) {
                // Intact frame of a type this build does not know: skip it whole, do not look
                // for frames inside its payload.
                badFrames++;
                skip(frameLength);
                continue;
            }
            byte[] payload = Arrays.copyOfRange(buffer, start + FrameFormat.HEADER_LENGTH, crcOffset);
            frames.add(new Frame(type.get(), payload));
            goodFrames++;
            start += frameLength;
        }
    }

    /** Charges parse work; on refusal marks the decoder starved. Re-checked work is charged again. */
    private boolean charge(long units) {
        if (units == 0 || meter.tryCharge(units)) {
            return true;
        }
        starved = true;
        return false;
    }

    /** Magic, known version and header CRC; the buffer holds a whole header at start. */
    private boolean headerIsValid() {
        if ((buffer[start + FrameFormat.VERSION_OFFSET] & 0xFF) != FrameFormat.VERSION) {
            return false;
        }
        int expected = FrameFormat.getInt(buffer, start + FrameFormat.HEADER_CRC_OFFSET);
        return FrameFormat.crc32c(buffer, start, FrameFormat.HEADER_CRC_OFFSET) == expected;
    }

    /**
     * Index of the first full magic at or after {@code start}, or of a trailing partial magic
     * (which may complete with the next bytes), or {@code end} if neither.
     */
    private int findMagic() {
        byte[] magic = FrameFormat.MAGIC;
        for (int i = start; i < end; i++) {
            if (buffer[i] != magic[0]) {
                continue;
            }
            int available = Math.min(magic.length, end - i);
            int matched = 1;
            while (matched < available && buffer[i + matched] == magic[matched]) {
                matched++;
            }
            if (matched == available) {
                return i;
            }
        }
        return end;
    }

    private void dropOneByte() {
        badFrames++;
        skip(1);
    }

    private void skip(int count) {
        start += count;
        skippedBytes += count;
    }
}
