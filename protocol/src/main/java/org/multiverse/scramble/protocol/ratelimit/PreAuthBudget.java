package org.multiverse.scramble.protocol.ratelimit;

import java.util.function.LongSupplier;

/**
 * The budget of one channel before anything is authenticated: how many frames, bytes and
 * signature verifications it may cost per second. A flood of garbage or of validly framed
 * but forged envelopes then burns at most this much CPU, and the agent keeps serving its
 * other channels (and this one, once the flood stops).
 *
 * <p>Check {@link #admitFrame} for every decoded frame and {@link #admitVerify} before
 * every signature or certificate check, and {@link #chargeFailedVerify} after a check that
 * failed; drop what is refused without a reply beyond an occasional {@code Rejected{OVERLOADED}}.
 *
 * <p>Only <em>failed</em> verifications are charged: a legitimate client's good signatures
 * cost nothing against this budget, so it can run thousands of commands a second, while a
 * channel that sends forgeries is cut off after a few dozen a second (its later envelopes are
 * refused before any curve arithmetic until the bucket refills).
 *
 * <p>Thread-safe.
 */
public final class PreAuthBudget {

    /**
     * Defaults for one channel: 4096 frames/s and 16 MiB/s leave room for a script running a few
     * thousand commands a second (the agent's own target) while bounding the CRC work a garbage
     * flood can cause; 50 failed verifications/s costs a few percent of one core with Ed25519.
     */
    public static final BucketSpec DEFAULT_FRAMES = new BucketSpec(4096, 1000, 0);
    /** See {@link #DEFAULT_FRAMES}. */
    public static final BucketSpec DEFAULT_BYTES = new BucketSpec(16L * 1024 * 1024, 1000, 0);
    /** See {@link #DEFAULT_FRAMES}. */
    public static final BucketSpec DEFAULT_VERIFIES = new BucketSpec(50, 1000, 0);

    private final TokenBucket frames;
    private final TokenBucket bytes;
    private final TokenBucket verifies;

    /** A budget with the default limits. */
    public PreAuthBudget(LongSupplier nanoClock) {
        this(DEFAULT_FRAMES, DEFAULT_BYTES, DEFAULT_VERIFIES, nanoClock);
    }

    /**
     * @param frames frames per refill period
     * @param bytes frame bytes per refill period
     * @param verifies signature checks per refill period
     * @param nanoClock monotonic nanoseconds, normally {@code System::nanoTime}
     */
    public PreAuthBudget(BucketSpec frames, BucketSpec bytes, BucketSpec verifies, LongSupplier nanoClock) {
        this.frames = new TokenBucket(frames, nanoClock);
        this.bytes = new TokenBucket(bytes, nanoClock);
        this.verifies = new TokenBucket(verifies, nanoClock);
    }

    /**
     * Charges one frame of {@code frameBytes} bytes. Both the frame and its bytes must fit;
     * a refused frame charges nothing.
     *
     * @param frameBytes the frame's size on the wire, at least 0
     * @return whether the frame may be processed
     * @throws IllegalArgumentException if {@code frameBytes} is negative
     */
    public synchronized boolean admitFrame(int frameBytes) {
        if (frameBytes < 0) {
            throw new IllegalArgumentException("frameBytes must be >= 0, got " + frameBytes);
        }
        // Check first so that a refusal by one bucket does not charge the other.
        if (frames.millisUntil(1) > 0 || bytes.millisUntil(frameBytes) > 0) {
            return false;
        }
        return frames.tryConsume(1) && bytes.tryConsume(frameBytes);
    }

    /**
     * Whether a signature (or certificate) check may run: false while this channel's recent
     * failed checks have used up the budget. Charges nothing.
     */
    public boolean admitVerify() {
        return verifies.millisUntil(1) == 0;
    }

    /** Charges one failed signature or certificate check against the budget. */
    public void chargeFailedVerify() {
        verifies.tryConsume(1);
    }
}
