package org.multiverse.scramble.protocol.session;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.multiverse.scramble.protocol.agent.policy.RateSpec;
import org.multiverse.scramble.protocol.ratelimit.BucketSpec;
import org.multiverse.scramble.protocol.ratelimit.CommandClass;
import org.multiverse.scramble.protocol.ratelimit.RateLimiter;

/**
 * The shell's mirror of the agent's buckets: the same token buckets, per command class, so a
 * burst of commands is explained here ("next token in 420 ms") rather than refused by the
 * agent. When the agent does refuse, its own "retry after" wins until it has passed.
 */
public final class ClientRateMirror {

    private static final String SELF = "self";

    private final LongSupplier nanoClock;
    private final RateLimiter limiter;
    private final Map<CommandClass, Long> agentSaysUntilNanos = new EnumMap<>(CommandClass.class);

    ClientRateMirror(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        Map<CommandClass, BucketSpec> specs = new EnumMap<>(CommandClass.class);
        for (CommandClass c : CommandClass.values()) {
            specs.put(c, new BucketSpec(RateSpec.DEFAULT.burst(), RateSpec.DEFAULT.refillTimeMillis(), 0));
        }
        this.limiter = new RateLimiter(specs, nanoClock);
    }

    /** Takes a token; returns 0 when the command may go, else the milliseconds to wait. */
    synchronized long tryTake(CommandClass cls) {
        Long until = agentSaysUntilNanos.get(cls);
        if (until != null && until - nanoClock.getAsLong() > 0) {
            return Math.max(1, (until - nanoClock.getAsLong()) / 1_000_000);
        }
        return limiter.tryAcquire(SELF, cls) ? 0 : Math.max(1, limiter.millisUntilNext(SELF, cls));
    }

    /** Records an agent's RATE_LIMITED answer. */
    synchronized void agentSaidWait(CommandClass cls, long millis) {
        agentSaysUntilNanos.put(cls, nanoClock.getAsLong() + millis * 1_000_000);
    }

    /** Tokens left per class, for the status line. */
    public synchronized Map<CommandClass, Double> tokensLeft() {
        Map<CommandClass, Double> out = new EnumMap<>(CommandClass.class);
        for (CommandClass c : CommandClass.values()) {
            out.put(c, Math.floor(limiter.available(SELF, c)));
        }
        return out;
    }
}
