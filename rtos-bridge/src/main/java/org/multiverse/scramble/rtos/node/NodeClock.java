package org.multiverse.scramble.rtos.node;

/**
 * The simulated node's free-running clock: microseconds since an arbitrary start, running
 * {@code driftPpm} fast (negative: slow) against the host's monotonic clock, as a crystal
 * does. Also converts between the node's time and Unix time once a ClockSet arrived.
 */
final class NodeClock {

    private final long startNanos = System.nanoTime();
    private final double rate;
    private final long offsetMicros;

    /** Mapping from the last ClockSet; {@code synced} is false before the first. */
    private volatile boolean synced;

    private volatile long nodeRef;
    private volatile long unixRef;
    private volatile double unixPerNode = 1.0;

    NodeClock(double driftPpm, long offsetMicros) {
        this.rate = 1.0 + driftPpm / 1e6;
        this.offsetMicros = offsetMicros;
    }

    long micros() {
        return offsetMicros + Math.round((System.nanoTime() - startNanos) / 1000.0 * rate);
    }

    /** Host nanoTime at which this clock reads {@code nodeMicros}. */
    long nanoTimeAt(long nodeMicros) {
        return startNanos + Math.round((nodeMicros - offsetMicros) * 1000.0 / rate);
    }

    void set(long nodeRefMicros, long unixRefMicros, long driftPpb) {
        nodeRef = nodeRefMicros;
        unixRef = unixRefMicros;
        unixPerNode = 1.0 - driftPpb / 1e9;
        synced = true;
    }

    boolean synced() {
        return synced;
    }

    long unixAt(long nodeMicros) {
        return unixRef + Math.round((nodeMicros - nodeRef) * unixPerNode);
    }

    long nodeAtUnix(long unixMicros) {
        return nodeRef + Math.round((unixMicros - unixRef) / unixPerNode);
    }
}
