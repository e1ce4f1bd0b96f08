package org.multiverse.scramble.rtos.time;

/**
 * One NTP-style exchange: the bridge sent at t1 (its clock), the node received at t2 and
 * answered at t3 (node clock), the bridge received at t4 (its clock); all microseconds.
 */
public record SyncSample(long t1, long t2, long t3, long t4) {

    /** NTP's offset estimate, node minus bridge: ((t2 - t1) + (t3 - t4)) / 2. */
    public double offset() {
        return ((double) (t2 - t1) + (double) (t3 - t4)) / 2.0;
    }

    /** Round trip minus the node's processing: (t4 - t1) - (t3 - t2). */
    public long delay() {
        return (t4 - t1) - (t3 - t2);
    }

    /** Bridge time the offset estimate belongs to: the midpoint of t1 and t4. */
    public double bridgeMidpoint() {
        return (t1 + (double) t4) / 2.0;
    }

    /** True if the timestamps are causally possible (a reply after its request). */
    public boolean plausible() {
        return t4 >= t1 && t3 >= t2 && delay() >= 0;
    }
}
