package org.multiverse.scramble.protocol.agent.policy;

/**
 * A rule's rate limit: {@code rate=N/s} refills the bucket at N tokens a second and
 * {@code burst=B} is its size (default: N, at least 1). Maps onto Firecracker's token bucket
 * as size = B, refill time = B / N seconds.
 */
public record RateSpec(double perSecond, long burst) {

    /** Generous enough for a person typing or a script, tight enough to stop a runaway loop. */
    public static final RateSpec DEFAULT = new RateSpec(20, 40);

    public RateSpec {
        if (!(perSecond > 0) || perSecond > 1_000_000) {
            throw new IllegalArgumentException("rate must be between 0 and 1000000 per second");
        }
        if (burst < 1 || burst > 1_000_000) {
            throw new IllegalArgumentException("burst must be between 1 and 1000000");
        }
    }

    /** Time to refill a full bucket, in milliseconds. */
    public long refillTimeMillis() {
        return Math.max(1, Math.round(burst * 1000.0 / perSecond));
    }
}
