package org.multiverse.scramble.rtos.time;

/** A clock in microseconds. */
@FunctionalInterface
public interface MicroClock {

    long micros();

    /**
     * Unix time in microseconds that never jumps: the wall clock read once, then advanced
     * by {@link System#nanoTime()}, so NTP steps on the host cannot distort a time sync.
     */
    static MicroClock monotonicUnix() {
        long baseUnix = System.currentTimeMillis() * 1000;
        long baseNanos = System.nanoTime();
        return () -> baseUnix + (System.nanoTime() - baseNanos) / 1000;
    }
}
