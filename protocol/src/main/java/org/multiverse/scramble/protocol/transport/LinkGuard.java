package org.multiverse.scramble.protocol.transport;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.multiverse.scramble.protocol.frame.WorkMeter;

/**
 * The edge rules of one accepted link (see {@link EdgeLimits}): whose budget pays its parse
 * work (its peer's until it authenticates, then its own), and the deadlines that close it.
 * Timestamps are touched on the link's I/O thread; the authenticated flag from any thread.
 */
final class LinkGuard {
    private final ListenerLimits listener;
    private final String peer;
    private final WorkBudget peerWork;
    private final WorkBudget ownWork;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean authenticated;
    private final long openedNanos = System.nanoTime();
    private long lastReadNanos = openedNanos;
    /** Since when the decoder has held input without completing a frame; 0 while it holds none. */
    private long partialSinceNanos;

    private long throttledNanos;

    LinkGuard(ListenerLimits listener, String peer, WorkBudget peerWork, WorkBudget ownWork) {
        this.listener = listener;
        this.peer = peer;
        this.peerWork = peerWork;
        this.ownWork = ownWork;
    }

    String peer() {
        return peer;
    }

    /** The budget its parse work is charged to now. */
    WorkMeter meter() {
        return authenticated ? ownWork : peerWork;
    }

    /** How long to pause reading before the next frame's work could be paid. */
    long pauseMillis(long units) {
        long wait = authenticated ? ownWork.millisUntil(units) : peerWork.millisUntil(units);
        return Math.min(wait, MAX_PAUSE_MILLIS);
    }

    /** Longest single pause: the deadlines are checked at least this often. */
    static final long MAX_PAUSE_MILLIS = 250;

    void authenticated() {
        authenticated = true;
    }

    void onRead(long now) {
        lastReadNanos = now;
    }

    /** After decoding: whether a frame completed and how much input is still held. */
    void afterDecode(long now, boolean frameCompleted, int buffered) {
        if (frameCompleted) {
            throttledNanos = 0;
        }
        if (buffered == 0 || frameCompleted) {
            partialSinceNanos = buffered == 0 ? 0 : now;
        } else if (partialSinceNanos == 0) {
            partialSinceNanos = now;
        }
    }

    /** Reading was paused this long for lack of budget. */
    void throttled(long nanos) {
        throttledNanos += nanos;
    }

    /** Why the link must close now, if it must. */
    Optional<String> overdue(long now) {
        EdgeLimits l = listener.limits();
        if (!authenticated && now - openedNanos > l.authDeadline().toNanos()) {
            return Optional.of("not authenticated within " + l.authDeadline().toSeconds() + " s");
        }
        if (now - lastReadNanos > l.idleTimeout().toNanos()) {
            return Optional.of("idle for " + l.idleTimeout().toSeconds() + " s");
        }
        if (partialSinceNanos != 0
                && now - partialSinceNanos > l.partialFrameDeadline().toNanos()) {
            return Optional.of("an incomplete frame stalled for "
                    + l.partialFrameDeadline().toSeconds() + " s");
        }
        if (throttledNanos > l.throttledCut().toNanos()) {
            return Optional.of("parse work over budget for " + l.throttledCut().toMillis() + " ms");
        }
        return Optional.empty();
    }

    /** The link closed: frees its place under the connection caps. Idempotent. */
    void release() {
        if (released.compareAndSet(false, true)) {
            listener.release(peer);
        }
    }
}
