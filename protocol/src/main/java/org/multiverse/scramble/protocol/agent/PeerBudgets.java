package org.multiverse.scramble.protocol.agent;

import org.multiverse.scramble.protocol.ratelimit.BucketSpec;
import org.multiverse.scramble.protocol.ratelimit.PeerCache;
import org.multiverse.scramble.protocol.ratelimit.PreAuthBudget;

/**
 * The pre-authentication budgets of an agent's peers ({@link
 * org.multiverse.scramble.protocol.transport.FrameChannel#peerKey()}), shared by every link of
 * a peer, so a new connection never starts with a fresh budget; and the agent's total over all
 * unauthenticated links, which also bounds what peers evicted from the bounded cache can cost.
 */
final class PeerBudgets {
    /** Peers remembered; past this the least recently seen peer's budget is forgotten. */
    static final int PEERS_REMEMBERED = 4096;
    /**
     * All unauthenticated links together: 4 peers' worth of frames and bytes, and 200 failed
     * signature checks a second, a few percent of one core.
     */
    static final BucketSpec TOTAL_FRAMES = new BucketSpec(4 * PreAuthBudget.DEFAULT_FRAMES.size(), 1000, 0);
    /** See {@link #TOTAL_FRAMES}. */
    static final BucketSpec TOTAL_BYTES = new BucketSpec(4 * PreAuthBudget.DEFAULT_BYTES.size(), 1000, 0);
    /** See {@link #TOTAL_FRAMES}. */
    static final BucketSpec TOTAL_VERIFIES = new BucketSpec(200, 1000, 0);

    private final PeerCache<PreAuthBudget> peers =
            new PeerCache<>(PEERS_REMEMBERED, () -> new PreAuthBudget(System::nanoTime));
    private final PreAuthBudget total = new PreAuthBudget(TOTAL_FRAMES, TOTAL_BYTES, TOTAL_VERIFIES, System::nanoTime);

    /** The shared budget of {@code peer}. */
    PreAuthBudget of(String peer) {
        return peers.get(peer);
    }

    /** The agent-wide budget of unauthenticated links. */
    PreAuthBudget total() {
        return total;
    }
}
