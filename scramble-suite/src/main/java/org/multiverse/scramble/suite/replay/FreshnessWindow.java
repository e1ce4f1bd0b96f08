package org.multiverse.scramble.suite.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Checks a sender's timestamp against the receiver's clock. Together with the sequence
 * window it bounds how long a captured command stays useful, even against a receiver whose
 * replay state was lost.
 */
public final class FreshnessWindow {
    /**
     * How old a command may be: 120 s covers clock skew between the User Controller VM and the
     * host plus queueing behind rate limits, yet is short next to a session's lifetime.
     */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(120);

    /**
     * How far ahead a sender's clock may be: 30 s of skew. Smaller than the past allowance,
     * because a command dated in the future stays fresh for longer.
     */
    public static final Duration DEFAULT_MAX_AHEAD = Duration.ofSeconds(30);

    /** The result of {@link #check}. */
    public enum Freshness {
        OK,
        TOO_OLD,
        IN_FUTURE
    }

    private final long maxAgeMillis;
    private final long maxAheadMillis;

    /** A window with the default allowances. */
    public FreshnessWindow() {
        this(DEFAULT_MAX_AGE, DEFAULT_MAX_AHEAD);
    }

    /**
     * @param maxAge how far in the past a timestamp may be (inclusive), not negative
     * @param maxAhead how far in the future a timestamp may be (inclusive), not negative
     */
    public FreshnessWindow(Duration maxAge, Duration maxAhead) {
        if (maxAge.isNegative() || maxAhead.isNegative()) {
            throw new IllegalArgumentException("freshness allowances must not be negative");
        }
        this.maxAgeMillis = maxAge.toMillis();
        this.maxAheadMillis = maxAhead.toMillis();
    }

    /**
     * @param timestampMillis the sender's clock, milliseconds since the Unix epoch (any value,
     *     including hostile extremes)
     * @param now the receiver's clock
     * @return {@code OK} if {@code now - maxAge <= timestamp <= now + maxAhead}
     */
    public Freshness check(long timestampMillis, Instant now) {
        Objects.requireNonNull(now, "now");
        long nowMillis = now.toEpochMilli();
        // Differences computed without overflow: a hostile Long.MIN_VALUE must not wrap to "fresh".
        if (timestampMillis < nowMillis && !withinDistance(nowMillis, timestampMillis, maxAgeMillis)) {
            return Freshness.TOO_OLD;
        }
        if (timestampMillis > nowMillis && !withinDistance(timestampMillis, nowMillis, maxAheadMillis)) {
            return Freshness.IN_FUTURE;
        }
        return Freshness.OK;
    }

    /** Whether {@code high - low <= limit}, for {@code high > low}, without overflow. */
    private static boolean withinDistance(long high, long low, long limit) {
        long difference = high - low; // may overflow to negative; then it is certainly too far
        return difference >= 0 && difference <= limit;
    }
}
