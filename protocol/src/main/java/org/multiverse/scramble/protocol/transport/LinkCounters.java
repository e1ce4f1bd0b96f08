package org.multiverse.scramble.protocol.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Traffic counters of one link, safe to read from any thread. Decoder counters say how much
 * garbage the link carried: bytes skipped while resynchronising and frames that failed their
 * checks.
 */
public final class LinkCounters {
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong skippedBytes = new AtomicLong();
    private final AtomicLong badFrames = new AtomicLong();

    LinkCounters() {}

    /** Well-formed frames received. */
    public long framesIn() {
        return framesIn.get();
    }

    /** Frames sent. */
    public long framesOut() {
        return framesOut.get();
    }

    /** Raw bytes received, garbage included. */
    public long bytesIn() {
        return bytesIn.get();
    }

    /** Encoded bytes sent. */
    public long bytesOut() {
        return bytesOut.get();
    }

    /** Bytes the decoder skipped while looking for the next good frame. */
    public long skippedBytes() {
        return skippedBytes.get();
    }

    /** Frames the decoder refused (bad checksum, bad length, unknown type...). */
    public long badFrames() {
        return badFrames.get();
    }

    void addOut(long bytes) {
        framesOut.incrementAndGet();
        bytesOut.addAndGet(bytes);
    }

    void addIn(long bytes, long frames, long skipped, long bad) {
        bytesIn.addAndGet(bytes);
        framesIn.addAndGet(frames);
        skippedBytes.addAndGet(skipped);
        badFrames.addAndGet(bad);
    }

    @Override
    public String toString() {
        return "in " + framesIn() + " frames/" + bytesIn() + " B, out " + framesOut() + " frames/" + bytesOut()
                + " B, skipped " + skippedBytes() + " B, bad " + badFrames();
    }
}
