package org.multiverse.scramble.host.portal;

/**
 * Receives portal events, one at a time, in order, on the service's notification thread.
 * A listener may call the service; it should return quickly.
 */
@FunctionalInterface
public interface PortalEventListener {

    void onEvent(PortalEvent event);
}
