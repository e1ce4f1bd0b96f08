package org.multiverse.scramble.protocol.agent;

import java.util.concurrent.Semaphore;
import org.multiverse.scramble.protocol.ratelimit.PreAuthBudget;
import org.multiverse.scramble.protocol.transport.FrameChannel;

/**
 * Step 1, per channel, before anything is authenticated: the pre-authentication budget
 * (frames, bytes, failed signature checks) and a bound on how many of this channel's envelopes
 * may wait for or occupy a worker (so one flooding channel cannot starve the others).
 *
 * <p>Until the channel authenticates, its budget is its peer's, shared with the peer's other
 * links, and the agent's total over all unauthenticated links: reconnecting buys nothing. Once
 * an envelope of an authorised session passed verification and the sequence window on it, the
 * channel has a budget of its own, so a flood from the same peer (on a unix socket, the same
 * user) cannot starve a session that is already working.
 */
final class ChannelGate {

    /** Envelopes of one channel queued or running at once; an interactive shell needs a handful. */
    static final int MAX_IN_FLIGHT = 64;

    private final PreAuthBudget peer;
    private final PreAuthBudget total;
    private final PreAuthBudget own = new PreAuthBudget(System::nanoTime);
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private volatile boolean authenticated;

    ChannelGate(PeerBudgets budgets, String peerKey) {
        this.peer = budgets.of(peerKey);
        this.total = budgets.total();
    }

    /** Step 1: charges one decoded frame. A frame the total refuses still counts for its peer. */
    boolean admitFrame(int frameBytes) {
        if (authenticated) {
            return own.admitFrame(frameBytes);
        }
        return peer.admitFrame(frameBytes) && total.admitFrame(frameBytes);
    }

    /** Step 5: whether a signature check may run now. */
    boolean admitVerify() {
        return authenticated ? own.admitVerify() : peer.admitVerify() && total.admitVerify();
    }

    /** A signature check failed, or an envelope turned out to be a replay: charged. */
    void chargeFailedVerify() {
        if (authenticated) {
            own.chargeFailedVerify();
        } else {
            peer.chargeFailedVerify();
            total.chargeFailedVerify();
        }
    }

    boolean isAuthenticated() {
        return authenticated;
    }

    /** The channel carried an authenticated envelope: own budgets from now on, here and in the transport. */
    void authenticated(FrameChannel ch) {
        if (!authenticated) {
            authenticated = true;
            ch.markAuthenticated();
        }
    }

    boolean tryEnter() {
        return inFlight.tryAcquire();
    }

    void leave() {
        inFlight.release();
    }
}
