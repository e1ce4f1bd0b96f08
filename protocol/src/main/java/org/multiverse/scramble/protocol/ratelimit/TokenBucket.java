package org.multiverse.scramble.protocol.ratelimit;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket with Firecracker's semantics (its {@code rate_limiter} crate):
 *
 * <ul>
 *   <li>The bucket starts full with {@code size} tokens and refills continuously at
 *       {@code size} tokens per {@code refillTimeMillis}, never above {@code size}.
 *   <li>{@code oneTimeBurst} extra tokens are spent first and never come back.
 *   <li>A request for more tokens than the bucket can ever hold succeeds once, when the
 *       bucket is full, and leaves it in deficit ({@link #available()} negative): later
 *       requests wait until the refill has paid the deficit back, so the long-run rate
 *       holds. Firecracker calls this over-consumption and blocks the device for the
 *       proportional time; here the deficit does the same job.
 * </ul>
 *
 * <p>One deliberate difference: a request is all-or-nothing. Firecracker spends what is
 * left of the burst even when the request then fails; here a refused request changes
 * nothing, so {@link #millisUntil} stays truthful.
 *
 * <p>Why not Bucket4j: it models bandwidths with an initial-token count, which would let
 * the burst refill, and it refuses requests above capacity outright; both rules above
 * would need workarounds larger than this class.
 *
 * <p>Thread-safe: methods synchronize on the bucket.
 */
public final class TokenBucket {

    private final long size;
    private final long refillNanos;
    private final LongSupplier nanoClock;

    /** Refillable tokens; negative while in deficit after an oversize request. */
    private double budget;

    private long burst;
    private long lastRefillNanos;

    /**
     * @param spec size, refill time and one-time burst
     * @param nanoClock monotonic nanoseconds, normally {@code System::nanoTime}; tests pass
     *     a fake clock
     */
    public TokenBucket(BucketSpec spec, LongSupplier nanoClock) {
        this.size = spec.size();
        this.refillNanos = TimeUnit.MILLISECONDS.toNanos(spec.refillTimeMillis());
        this.nanoClock = nanoClock;
        this.budget = size;
        this.burst = spec.oneTimeBurst();
        this.lastRefillNanos = nanoClock.getAsLong();
    }

    /**
     * Convenience for {@code new TokenBucket(new BucketSpec(size, refillTimeMillis,
     * oneTimeBurst), nanoClock)}.
     */
    public TokenBucket(long size, long refillTimeMillis, long oneTimeBurst, LongSupplier nanoClock) {
        this(new BucketSpec(size, refillTimeMillis, oneTimeBurst), nanoClock);
    }

    /**
     * Takes {@code tokens} if available now. A request larger than the bucket's size is
     * granted when the bucket is full and puts it in deficit.
     *
     * @param tokens tokens wanted, at least 0
     * @return whether they were taken; if not, nothing changed
     * @throws IllegalArgumentException if {@code tokens} is negative
     */
    public synchronized boolean tryConsume(long tokens) {
        requireNonNegative(tokens);
        if (tokens == 0) {
            return true; // even in deficit: nothing is asked for
        }
        refill();
        long fromBurst = Math.min(burst, tokens);
        long rest = tokens - fromBurst;
        if (rest <= budget || (rest > size && budget >= size)) {
            burst -= fromBurst;
            budget -= rest;
            return true;
        }
        return false;
    }

    /**
     * Milliseconds until {@code tryConsume(tokens)} would succeed if nothing else consumes
     * meanwhile: 0 if it would succeed now. Rounded up, so waiting this long is enough.
     *
     * @throws IllegalArgumentException if {@code tokens} is negative
     */
    public synchronized long millisUntil(long tokens) {
        requireNonNegative(tokens);
        if (tokens == 0) {
            return 0;
        }
        refill();
        long rest = Math.max(0, tokens - burst);
        // An oversize request needs a full bucket; others need `rest` tokens.
        double needed = rest > size ? size : rest;
        if (budget >= needed) {
            return 0;
        }
        double nanos = (needed - budget) * refillNanos / size;
        long millis = (long) Math.ceil(nanos / TimeUnit.MILLISECONDS.toNanos(1));
        // Guard against floating-point rounding: the promise is that waiting `millis` suffices.
        while (budgetAfter(TimeUnit.MILLISECONDS.toNanos(millis)) < needed) {
            millis++;
        }
        return millis;
    }

    /**
     * Tokens available now: the remaining one-time burst plus the bucket's content, which is
     * negative while paying back an oversize request.
     */
    public synchronized double available() {
        refill();
        return burst + budget;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - lastRefillNanos;
        if (elapsed <= 0) {
            return; // a clock that does not move forward refills nothing
        }
        budget = budgetAfter(elapsed);
        lastRefillNanos = now;
    }

    private double budgetAfter(long elapsedNanos) {
        if (budget >= size) {
            return budget;
        }
        return Math.min(size, budget + (double) elapsedNanos * size / refillNanos);
    }

    private static void requireNonNegative(long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be >= 0, got " + tokens);
        }
    }
}
