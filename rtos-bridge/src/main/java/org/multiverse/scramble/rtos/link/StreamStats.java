package org.multiverse.scramble.rtos.link;

/**
 * Online statistics of one stream: loss by sequence, RFC 3550 transit jitter and schedule
 * lateness in 1 µs histograms (fixed memory whatever the stream's length).
 * Fed by the reader thread, read after the stream ends (happens-before via a latch).
 */
final class StreamStats {

    /** Histogram range: 100 ms; anything above lands in the last bucket. */
    private static final int BUCKETS = 100_000;

    private final long expected;
    private final long startNode;
    private final long period;
    private final int[] jitter = new int[BUCKETS];
    private final int[] lateness = new int[BUCKETS];
    private long received;
    private long lastSeq = -1;
    private long lastArrival;
    private long lastNode;
    private long jitterCount;
    private long deadlineMisses;

    StreamStats(long expected, long startNode, long period) {
        this.expected = expected;
        this.startNode = startNode;
        this.period = period;
    }

    /** Records a sample; returns false for a duplicate or stale one (ignored). */
    boolean add(long seq, long nodeMicros, long arrivalMicros) {
        if (seq <= lastSeq || seq >= expected) {
            return false;
        }
        if (lastSeq >= 0) {
            long d = Math.abs((arrivalMicros - lastArrival) - (nodeMicros - lastNode));
            jitter[(int) Math.min(d, BUCKETS - 1)]++;
            jitterCount++;
        }
        long late = Math.max(0, nodeMicros - (startNode + seq * period));
        lateness[(int) Math.min(late, BUCKETS - 1)]++;
        if (late > period) {
            deadlineMisses++;
        }
        received++;
        lastSeq = seq;
        lastArrival = arrivalMicros;
        lastNode = nodeMicros;
        return true;
    }

    StreamReport report() {
        return new StreamReport(
                expected,
                received,
                expected - received,
                percentile(jitter, jitterCount, 0.50),
                percentile(jitter, jitterCount, 0.99),
                percentile(lateness, received, 0.99),
                deadlineMisses);
    }

    private static double percentile(int[] histogram, long count, double p) {
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(p * count);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= rank) {
                return i;
            }
        }
        return histogram.length - 1;
    }
}
