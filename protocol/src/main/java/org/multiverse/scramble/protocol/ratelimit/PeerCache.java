package org.multiverse.scramble.protocol.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Per-peer state (budgets) in a map that cannot grow without bound: at most {@code capacity}
 * peers, the least recently seen one forgotten first. An attacker who cycles source addresses
 * or user ids therefore costs a bounded amount of memory; the peers it evicts get fresh budgets,
 * which is why every per-peer budget is paired with a total one that no eviction resets.
 *
 * <p>Thread-safe.
 *
 * @param <V> the state kept per peer
 */
public final class PeerCache<V> {

    private final int capacity;
    private final Supplier<V> fresh;
    private final LinkedHashMap<String, V> map;

    /**
     * @param capacity peers remembered at once, at least 1
     * @param fresh makes the state of a peer not (or no longer) remembered
     */
    public PeerCache(int capacity, Supplier<V> fresh) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.fresh = Objects.requireNonNull(fresh, "fresh");
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > PeerCache.this.capacity;
            }
        };
    }

    /** The state of {@code peer}, made fresh if it is not remembered. */
    public synchronized V get(String peer) {
        return map.computeIfAbsent(Objects.requireNonNull(peer, "peer"), k -> fresh.get());
    }

    /** Peers remembered now; never more than the capacity. */
    public synchronized int size() {
        return map.size();
    }
}
