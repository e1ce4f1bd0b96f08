package org.multiverse.scramble.protocol.transport;

import org.multiverse.scramble.protocol.frame.WorkMeter;
import org.multiverse.scramble.protocol.ratelimit.TokenBucket;

/**
 * A {@link WorkMeter} that pays from two buckets at once, a peer's and its listener's total:
 * work is done only when both have it, and a refusal by one charges neither.
 */
final class WorkBudget implements WorkMeter {
    private final TokenBucket own;
    /** Null for a budget of one bucket. */
    private final TokenBucket total;

    WorkBudget(TokenBucket own, TokenBucket total) {
        this.own = own;
        this.total = total;
    }

    @Override
    public boolean tryCharge(long units) {
        if (total == null) {
            return own.tryConsume(units);
        }
        synchronized (total) { // check both, then charge both: a refusal by one charges neither
            if (own.millisUntil(units) > 0 || total.millisUntil(units) > 0) {
                return false;
            }
            return own.tryConsume(units) && total.tryConsume(units);
        }
    }

    /** Milliseconds until {@code units} could be charged, at least 1. */
    long millisUntil(long units) {
        long wait = own.millisUntil(units);
        if (total != null) {
            wait = Math.max(wait, total.millisUntil(units));
        }
        return Math.max(1, wait);
    }
}
