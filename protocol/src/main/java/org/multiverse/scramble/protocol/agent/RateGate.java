package org.multiverse.scramble.protocol.agent;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.multiverse.scramble.protocol.agent.policy.PolicyDecision;
import org.multiverse.scramble.protocol.agent.policy.RateSpec;
import org.multiverse.scramble.protocol.ratelimit.BucketSpec;
import org.multiverse.scramble.protocol.ratelimit.CommandClass;
import org.multiverse.scramble.protocol.ratelimit.RateLimiter;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * Step 6: token buckets per (identity, command class), sized by the policy rule that allowed
 * the command. One {@link RateLimiter} per distinct rate in the policy (there are as many as
 * rules at most). A refusal says when the next token is due, so the shell can wait or explain.
 */
final class RateGate {

    private final LongSupplier nanoClock;
    private final Map<RateSpec, RateLimiter> limiters = new LinkedHashMap<>();
    private final Map<String, RateSpec> lastSpec = new TreeMap<>();

    RateGate(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** The bucket spec of a policy rate: size = burst, refilled in burst / rate seconds. */
    static BucketSpec bucketOf(RateSpec spec) {
        return new BucketSpec(spec.burst(), spec.refillTimeMillis(), 0);
    }

    /** Takes one token or refuses with the time until the next one. */
    synchronized void check(ScrambleId root, CommandClass cls, PolicyDecision decision) throws Refusal {
        RateSpec spec = decision.rate();
        RateLimiter limiter = limiters.computeIfAbsent(spec, s -> {
            Map<CommandClass, BucketSpec> specs = new EnumMap<>(CommandClass.class);
            for (CommandClass c : CommandClass.values()) {
                specs.put(c, bucketOf(s));
            }
            return new RateLimiter(specs, nanoClock);
        });
        lastSpec.put(root.text() + "/" + cls.name(), spec);
        if (!limiter.tryAcquire(root.text(), cls)) {
            long wait = Math.max(1, limiter.millisUntilNext(root.text(), cls));
            throw Refusal.rateLimited(
                    "rate limited (" + cls.name().toLowerCase() + " commands, " + spec.perSecond()
                            + "/s): next token in " + wait + " ms",
                    wait);
        }
    }

    /** Tokens left per command class for one identity (for {@code agent status}). */
    synchronized Map<String, Double> tokensLeft(ScrambleId root) {
        Map<String, Double> out = new TreeMap<>();
        for (CommandClass c : CommandClass.values()) {
            RateSpec spec = lastSpec.get(root.text() + "/" + c.name());
            if (spec != null) {
                out.put(c.name().toLowerCase(), Math.floor(limiters.get(spec).available(root.text(), c)));
            }
        }
        return out;
    }
}
