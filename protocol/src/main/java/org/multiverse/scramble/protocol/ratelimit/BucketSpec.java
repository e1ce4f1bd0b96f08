package org.multiverse.scramble.protocol.ratelimit;

/**
 * The configuration of one token bucket, with Firecracker's three parameters.
 *
 * @param size tokens the bucket holds when full; also the refill amount per
 *     {@code refillTimeMillis}
 * @param refillTimeMillis milliseconds to refill an empty bucket completely, so the steady
 *     rate is {@code size / refillTimeMillis} tokens per millisecond
 * @param oneTimeBurst extra tokens available once, spent before the bucket and never
 *     refilled (lets a shell run its start-up queries without waiting)
 */
public record BucketSpec(long size, long refillTimeMillis, long oneTimeBurst) {

    /**
     * Largest size or burst: keeps token arithmetic (done in doubles) exact to well below
     * one token.
     */
    public static final long MAX_TOKENS = 1L << 40;

    /**
     * Largest refill time, one day: a longer one is a configuration mistake (the bucket
     * would practically never refill).
     */
    public static final long MAX_REFILL_MILLIS = 24L * 60 * 60 * 1000;

    /**
     * @throws IllegalArgumentException if size or refill time is not positive, the burst is
     *     negative, or a value exceeds {@link #MAX_TOKENS} / {@link #MAX_REFILL_MILLIS}
     */
    public BucketSpec {
        if (size <= 0 || size > MAX_TOKENS) {
            throw new IllegalArgumentException("size must be 1.." + MAX_TOKENS + ", got " + size);
        }
        if (refillTimeMillis <= 0 || refillTimeMillis > MAX_REFILL_MILLIS) {
            throw new IllegalArgumentException(
                    "refillTimeMillis must be 1.." + MAX_REFILL_MILLIS + ", got " + refillTimeMillis);
        }
        if (oneTimeBurst < 0 || oneTimeBurst > MAX_TOKENS) {
            throw new IllegalArgumentException("oneTimeBurst must be 0.." + MAX_TOKENS + ", got " + oneTimeBurst);
        }
    }

    /** A spec of {@code perSecond} tokens per second, a one-second bucket and no burst. */
    public static BucketSpec perSecond(long perSecond) {
        return new BucketSpec(perSecond, 1000, 0);
    }
}
