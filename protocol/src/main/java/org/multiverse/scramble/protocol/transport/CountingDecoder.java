package org.multiverse.scramble.protocol.transport;

import java.util.List;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameDecoder;

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

    /** Drops a partial frame, e.g. after the byte stream was reopened. Counters keep counting. */
    void reset() {
        decoder.reset();
        lastSkipped = decoder.skippedBytes();
        lastBad = decoder.badFrames();
    }
}
