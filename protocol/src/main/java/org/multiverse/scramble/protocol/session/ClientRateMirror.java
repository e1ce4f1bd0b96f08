package org.multiverse.scramble.protocol.session;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.multiverse.scramble.protocol.ratelimit.BucketSpec;
import org.multiverse.scramble.protocol.ratelimit.CommandClass;
import org.multiverse.scramble.protocol.ratelimit.RateLimiter;

/**
 * The shell's mirror of the agent's token buckets, so a burst of commands is explained here
 * ("rate limited: next token in 420 ms") instead of being refused by the agent.
 *
 * <p>Two sources: buckets the person configured to match the agent's policy (the same
 * Firecracker buckets the agent runs, per command class), and what the agent itself said — after
 * a RATE_LIMITED answer the class is held here until the agent's "retry after" has passed. With
 * no configured buckets the mirror only learns; it never invents a limit the agent does not have.
 */
public final class ClientRateMirror {

    private static final String SELF = "self";

    private final LongSupplier nanoClock;
    private final RateLimiter limiter;
    private final Map<CommandClass, Long> agentSaysUntilNanos = new EnumMap<>(CommandClass.class);

    /**
     * @param configured buckets per command class mirroring the agent's policy; classes left out
     *                   are limited only by what the agent says
     */
    public ClientRateMirror(Map<CommandClass, BucketSpec> configured, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        if (configured.isEmpty()) {
            this.limiter = null;
        } else {
            Map<CommandClass, BucketSpec> specs = new EnumMap<>(CommandClass.class);
            for (CommandClass c : CommandClass.values()) {
                // A class without a configured bucket gets one it can never empty.
                specs.put(c, configured.getOrDefault(c, new BucketSpec(BucketSpec.MAX_TOKENS, 1, 0)));
            }
            this.limiter = new RateLimiter(specs, nanoClock);
        }
    }

    /** A mirror that only learns from the agent's answers. */
    public static ClientRateMirror learning(LongSupplier nanoClock) {
        return new ClientRateMirror(Map.of(), nanoClock);
    }

    /** Takes a token; returns 0 when the command may go, else the milliseconds to wait. */
    public synchronized long tryTake(CommandClass cls) {
        Long until = agentSaysUntilNanos.get(cls);
        long now = nanoClock.getAsLong();
        if (until != null) {
            if (until - now > 0) {
                return Math.max(1, (until - now) / 1_000_000);
            }
            agentSaysUntilNanos.remove(cls);
        }
        if (limiter == null || limiter.tryAcquire(SELF, cls)) {
            return 0;
        }
        return Math.max(1, limiter.millisUntilNext(SELF, cls));
    }

    /** Records an agent's RATE_LIMITED answer. */
    public synchronized void agentSaidWait(CommandClass cls, long millis) {
        agentSaysUntilNanos.put(cls, nanoClock.getAsLong() + millis * 1_000_000);
    }

    /** Tokens left per configured class, for the status line (empty when only learning). */
    public synchronized Map<CommandClass, Double> tokensLeft() {
        Map<CommandClass, Double> out = new EnumMap<>(CommandClass.class);
        if (limiter != null) {
            for (CommandClass c : CommandClass.values()) {
                double a = limiter.available(SELF, c);
                if (a < BucketSpec.MAX_TOKENS / 2.0) {
                    out.put(c, Math.floor(a));
                }
            }
        }
        return out;
    }
}
