package org.multiverse.scramble.protocol.ratelimit;

import java.util.function.LongSupplier;

/**
 * The budget of one channel before anything is authenticated: how many frames, bytes and
 * signature verifications it may cost per second. A flood of garbage or of validly framed
 * but forged envelopes then burns at most this much CPU, and the agent keeps serving its
 * other channels (and this one, once the flood stops).
 *
 * <p>Check {@link #admitFrame} for every decoded frame and {@link #admitVerify} before
 * every signature or certificate check; drop what is refused without a reply beyond an
 * occasional {@code Rejected{OVERLOADED}}.
 *
 * <p>Thread-safe.
 */
public final class PreAuthBudget {

  /**
   * Defaults for one shell's channel: an interactive person sends a few commands a second;
   * 200 frames/s leaves room for scripts, 1 MiB/s for frames of up to 64 KiB, and 100
   * verifications/s costs a few percent of one core with Ed25519.
   */
  public static final BucketSpec DEFAULT_FRAMES = new BucketSpec(200, 1000, 0);
  /** See {@link #DEFAULT_FRAMES}. */
  public static final BucketSpec DEFAULT_BYTES = new BucketSpec(1024 * 1024, 1000, 0);
  /** See {@link #DEFAULT_FRAMES}. */
  public static final BucketSpec DEFAULT_VERIFIES = new BucketSpec(100, 1000, 0);

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

  /** Charges one signature (or certificate) verification; false if over budget. */
  public boolean admitVerify() {
    return verifies.tryConsume(1);
  }
}
