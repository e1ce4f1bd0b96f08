package org.multiverse.scramble.host.portal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A portal's lifecycle lock, held by the caller of {@link PortalService#lockPortal(String)}
 * until {@link #close()}: for a step the agent makes of several calls on one portal (undefine
 * after unlinking its share, a share link, an autostart that checks then starts) with no
 * start, stop or undefine of that portal in between. Other portals are not held up. The
 * service's own calls on the same portal from the holding thread proceed (the lock is
 * reentrant); from other threads they wait.
 */
public final class PortalLock implements AutoCloseable {

    private final ReentrantLock lock;

    PortalLock(ReentrantLock lock) {
        this.lock = lock;
    }

    /** Releases the portal. Call once, from the thread that locked it. */
    @Override
    public void close() {
        lock.unlock();
    }
}
