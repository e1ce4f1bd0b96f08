package org.multiverse.scramble.host.portal;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;

/**
 * Hands portal events to the listeners, one at a time, on one notification thread, so a
 * listener may call the service (its calls never run under a lock of the service).
 *
 * <p>Order: events reach the listeners in the order {@link #publish} was called. Every
 * caller publishes while holding the portal's monitor, in the same critical section as the
 * state change the event reports, so a portal's events keep the order of its state changes
 * whichever thread (an operation, the VM events thread) made them.
 */
final class PortalEvents {

    private static final System.Logger LOG = System.getLogger(PortalEvents.class.getName());

    private final List<PortalEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService notifier = PortalLifecycle.daemonThread("portal-notifier");

    void add(PortalEventListener listener) {
        listeners.add(listener);
    }

    void remove(PortalEventListener listener) {
        listeners.remove(listener);
    }

    /** Queues an event for the listeners; never blocks. Call holding {@code rt}'s monitor. */
    void publish(PortalRuntime rt, PortalEvent.Kind kind, String detail, Integer status, List<String> tail) {
        PortalEvent event = new PortalEvent(rt.definition.name(), kind, detail, status, tail, Instant.now());
        notifier.execute(() -> {
            for (PortalEventListener l : listeners) {
                try {
                    l.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "portal event listener failed: {0}", e.toString());
                }
            }
        });
    }

    /** Delivers the events already queued, then stops the thread. */
    void shutdown() {
        notifier.shutdown();
    }
}
