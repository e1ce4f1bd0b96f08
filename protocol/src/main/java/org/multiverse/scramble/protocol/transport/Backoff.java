package org.multiverse.scramble.protocol.transport;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential reconnect delays, capped and jittered: attempt n waits a uniformly random time
 * in [d/2, d] where d = min(cap, initial * 2^n). The jitter keeps many clients that lost the
 * same agent from reconnecting in lock step. Not thread-safe.
 */
public final class Backoff {
    private final long initialMillis;
    private final long capMillis;
    private final Random random;
    private int attempt;

    /**
     * @param initial delay of the first retry, positive
     * @param cap largest delay, at least {@code initial}
     * @param random source of jitter (seeded in tests)
     */
    public Backoff(Duration initial, Duration cap, Random random) {
        this.initialMillis = initial.toMillis();
        this.capMillis = cap.toMillis();
        if (initialMillis <= 0 || capMillis < initialMillis) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= cap, got " + initial + ", " + cap);
        }
        this.random = random;
    }

    /** The delay before the next attempt; each call doubles the base up to the cap. */
    public Duration next() {
        long base = initialMillis << Math.min(attempt, 30);
        if (base <= 0 || base > capMillis) {
            base = capMillis;
        }
        attempt++;
        long half = base / 2;
        return Duration.ofMillis(half + (long) (random.nextDouble() * (base - half + 1)));
    }

    /** Starts over from the initial delay, after a success. */
    public void reset() {
        attempt = 0;
    }
}
