package org.multiverse.scramble.protocol.agent;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.multiverse.scramble.protocol.ratelimit.BucketSpec;
import org.multiverse.scramble.protocol.ratelimit.PreAuthBudget;
import org.multiverse.scramble.protocol.ratelimit.TokenBucket;

/**
 * Step 1, per channel, before anything is authenticated: the pre-authentication budget
 * (frames, bytes, failed signature checks), a bound on how many of this channel's envelopes may
 * wait for or occupy a worker (so one flooding channel cannot starve the others), and a bound on
 * how many of its unattributable refusals are written to the audit log one by one (beyond it they
 * are counted and summarised, so garbage cannot turn into an fsync per frame).
 */
final class ChannelGate {

    /** Envelopes of one channel queued or running at once; an interactive shell needs a handful. */
    static final int MAX_IN_FLIGHT = 64;
    /** Unattributable refusals audited individually per second; the rest are summarised. */
    static final BucketSpec UNATTRIBUTED_AUDIT = new BucketSpec(20, 1000, 0);

    final PreAuthBudget budget = new PreAuthBudget(System::nanoTime);
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final TokenBucket auditBudget = new TokenBucket(UNATTRIBUTED_AUDIT, System::nanoTime);
    private final AtomicLong suppressed = new AtomicLong();

    boolean tryEnter() {
        return inFlight.tryAcquire();
    }

    void leave() {
        inFlight.release();
    }

    /**
     * Whether this unattributable refusal gets its own audit entry. Returns -1 when it does not
     * (it is counted), else the number of refusals suppressed since the last entry.
     */
    long auditUnattributed() {
        if (auditBudget.tryConsume(1)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }
}
