package org.multiverse.scramble.protocol.transport;

import java.util.List;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameDecoder;
import org.multiverse.scramble.protocol.frame.WorkMeter;

/** A {@link FrameDecoder} that reports what it sees into a link's {@link LinkCounters}. Not thread-safe. */
final class CountingDecoder {
    private final FrameDecoder decoder = new FrameDecoder();
    private final LinkCounters counters;
    private long lastSkipped;
    private long lastBad;

    CountingDecoder(LinkCounters counters) {
        this.counters = counters;
    }

    List<Frame> feed(byte[] data, int off, int len) {
        List<Frame> frames = decoder.feed(data, off, len);
        long skipped = decoder.skippedBytes();
        long bad = decoder.badFrames();
        counters.addIn(len, frames.size(), skipped - lastSkipped, bad - lastBad);
        lastSkipped = skipped;
        lastBad = bad;
        return frames;
    }

    /**
     * Decodes with {@code meter} paying the parse work; returns how many bytes were consumed
     * (fewer than {@code len} when the meter refused, see {@link FrameDecoder#feedMetered}).
     */
    int feedMetered(byte[] data, int off, int len, WorkMeter meter, List<Frame> out) {
        decoder.setWorkMeter(meter);
        int before = out.size();
        int consumed = decoder.feedMetered(data, off, len, out);
        long skipped = decoder.skippedBytes();
        long bad = decoder.badFrames();
        counters.addIn(consumed, out.size() - before, skipped - lastSkipped, bad - lastBad);
        lastSkipped = skipped;
        lastBad = bad;
        return consumed;
    }

    /** Whether the last metered feed stopped for lack of budget. */
    boolean starved() {
        return decoder.starved();
    }

    /** Input held waiting for the rest of a frame. */
    int bufferedBytes() {
        return decoder.bufferedBytes();
    }

    /** Drops a partial frame, e.g. after the byte stream was reopened. Counters keep counting. */
    void reset() {
        decoder.reset();
        lastSkipped = decoder.skippedBytes();
        lastBad = decoder.badFrames();
    }
}
