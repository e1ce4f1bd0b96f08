package org.multiverse.scramble.protocol.transport;

import java.util.HashMap;
import java.util.Map;
import org.multiverse.scramble.protocol.ratelimit.BucketSpec;
import org.multiverse.scramble.protocol.ratelimit.PeerCache;
import org.multiverse.scramble.protocol.ratelimit.TokenBucket;

/**
 * The state behind one listener's {@link EdgeLimits}: connections open per peer and in total,
 * accept rates, and the parse-work budgets shared by each peer's links. Bounded: open counts
 * exist only for peers with open links (at most {@code maxConnections}); budgets live in a
 * {@link PeerCache}. Thread-safe.
 */
final class ListenerLimits {
    /** Peers whose budgets are remembered; an evicted peer's budget is bounded by the totals. */
    static final int PEERS_REMEMBERED = 4096;
    /**
     * Sockets the listener takes from the kernel a second, admitted or refused: past this it stops
     * accepting for a moment and the kernel's backlog holds (or drops) the rest, so a connect
     * storm costs the agent at most this many accepts and closes a second.
     */
    static final BucketSpec SOCKETS_TAKEN = new BucketSpec(1024, 1000, 0);

    private final EdgeLimits limits;
    private final Map<String, Integer> open = new HashMap<>();
    private int openTotal;
    private final TokenBucket acceptsTotal;
    private final TokenBucket socketsTaken = new TokenBucket(SOCKETS_TAKEN, System::nanoTime);
    private final TokenBucket workTotal;
    private final PeerCache<PeerState> peers;

    private final class PeerState {
        final TokenBucket accepts = new TokenBucket(limits.acceptsPerPeer(), System::nanoTime);
        final TokenBucket work = new TokenBucket(limits.workPerPeer(), System::nanoTime);
    }

    ListenerLimits(EdgeLimits limits) {
        this.limits = limits;
        this.acceptsTotal = new TokenBucket(limits.acceptsTotal(), System::nanoTime);
        this.workTotal = new TokenBucket(limits.workTotal(), System::nanoTime);
        this.peers = new PeerCache<>(PEERS_REMEMBERED, PeerState::new);
    }

    EdgeLimits limits() {
        return limits;
    }

    /**
     * Charges one socket taken from the kernel; returns 0, or how many milliseconds the listener
     * should stop accepting because too many were taken lately.
     */
    synchronized long acceptPauseMillis() {
        return socketsTaken.tryConsume(1) ? 0 : Math.max(1, socketsTaken.millisUntil(1));
    }

    /**
     * Admits a new link from {@code peer}, or returns null when a cap or an accept rate says no
     * (the caller closes the socket without a word).
     */
    synchronized LinkGuard admit(String peer) {
        int mine = open.getOrDefault(peer, 0);
        if (openTotal >= limits.maxConnections() || mine >= limits.maxConnectionsPerPeer()) {
            return null;
        }
        PeerState state = peers.get(peer);
        if (state.accepts.millisUntil(1) > 0 || !acceptsTotal.tryConsume(1)) {
            return null;
        }
        state.accepts.tryConsume(1);
        open.put(peer, mine + 1);
        openTotal++;
        return new LinkGuard(
                this,
                peer,
                new WorkBudget(state.work, workTotal),
                new WorkBudget(new TokenBucket(limits.workPerLink(), System::nanoTime), null));
    }

    /** The link of {@code peer} admitted earlier closed. */
    synchronized void release(String peer) {
        Integer mine = open.get(peer);
        if (mine == null) {
            return;
        }
        if (mine <= 1) {
            open.remove(peer);
        } else {
            open.put(peer, mine - 1);
        }
        openTotal--;
    }
}
