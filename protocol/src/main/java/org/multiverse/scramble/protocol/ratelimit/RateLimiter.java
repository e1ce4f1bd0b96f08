package org.multiverse.scramble.protocol.ratelimit;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Token buckets per (identity, command class), each created on first use from its class's
 * {@link BucketSpec}. Used by agents after authentication, and mirrored in the shell so it
 * can wait or explain instead of being refused.
 *
 * <p>The map is bounded: beyond {@link #DEFAULT_MAX_KEYS} keys the least recently used
 * bucket is dropped. A dropped bucket comes back full, so the bound must exceed the
 * number of identities active at once times the number of classes; identities are only
 * those that passed authentication, so the bound is not an attacker's to fill.
 *
 * <p>Thread-safe.
 */
public final class RateLimiter {

    /**
     * Default bound on tracked buckets: 6 classes for ~680 concurrently active identities,
     * far above the people who share one Multiverse host, at about 100 bytes a bucket.
     */
    public static final int DEFAULT_MAX_KEYS = 4096;

    private record Key(String identity, CommandClass commandClass) {}

    private final Map<CommandClass, BucketSpec> specs;
    private final LongSupplier nanoClock;
    private final Map<Key, TokenBucket> buckets;

    /**
     * @param specs a bucket spec for every command class
     * @param nanoClock monotonic nanoseconds, normally {@code System::nanoTime}
     * @throws IllegalArgumentException if a class has no spec
     */
    public RateLimiter(Map<CommandClass, BucketSpec> specs, LongSupplier nanoClock) {
        this(specs, nanoClock, DEFAULT_MAX_KEYS);
    }

    /**
     * @param maxKeys the most buckets kept before the least recently used is dropped
     * @throws IllegalArgumentException if a class has no spec or {@code maxKeys < 1}
     */
    public RateLimiter(Map<CommandClass, BucketSpec> specs, LongSupplier nanoClock, int maxKeys) {
        for (CommandClass commandClass : CommandClass.values()) {
            if (!specs.containsKey(commandClass)) {
                throw new IllegalArgumentException("no bucket spec for command class " + commandClass);
            }
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be >= 1, got " + maxKeys);
        }
        this.specs = new EnumMap<>(specs);
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, TokenBucket> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * Takes one token from the identity's bucket for the class.
     *
     * @param identity the authenticated identity (its Scramble ID text)
     * @param commandClass the command's class, see {@link CommandClass#of}
     * @return whether the command may run now
     */
    public boolean tryAcquire(String identity, CommandClass commandClass) {
        return bucket(identity, commandClass).tryConsume(1);
    }

    /**
     * Milliseconds until one token is available to this identity and class; 0 if one is now.
     * For the {@code retry_after_millis} of a {@code RATE_LIMITED} error.
     */
    public long millisUntilNext(String identity, CommandClass commandClass) {
        return bucket(identity, commandClass).millisUntil(1);
    }

    /** Tokens available now to this identity and class. */
    public double available(String identity, CommandClass commandClass) {
        return bucket(identity, commandClass).available();
    }

    /** Number of buckets currently tracked. */
    public synchronized int trackedKeys() {
        return buckets.size();
    }

    private synchronized TokenBucket bucket(String identity, CommandClass commandClass) {
        Key key = new Key(
                Objects.requireNonNull(identity, "identity"), Objects.requireNonNull(commandClass, "commandClass"));
        return buckets.computeIfAbsent(key, k -> new TokenBucket(specs.get(k.commandClass()), nanoClock));
    }
}
