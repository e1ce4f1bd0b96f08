package org.multiverse.scramble.host.agent;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.multiverse.scramble.host.portal.PortalEvent;
import org.multiverse.scramble.host.portal.PortalEventListener;
import org.multiverse.scramble.protocol.agent.EventHub;
import org.multiverse.scramble.protocol.text.EscapeStripper;

/**
 * Turns portal events into agent events for subscribers ({@code portal.state}, and
 * {@code portal.crashed} with the console's last lines), and remembers per portal what
 * {@code portal show} reports beyond the service's own view: since when it runs and its last
 * event.
 */
final class PortalActivity implements PortalEventListener {

    /** Event kind for every life-cycle change. */
    static final org.multiverse.scramble.protocol.v1.EventKind STATE =
            org.multiverse.scramble.protocol.v1.EventKind.PORTAL_STATE;
    /** Event kind for a VM that ended unasked. */
    static final org.multiverse.scramble.protocol.v1.EventKind CRASHED =
            org.multiverse.scramble.protocol.v1.EventKind.PORTAL_CRASHED;

    private final Supplier<EventHub> events;
    private final Map<String, Instant> runningSince = new ConcurrentHashMap<>();
    private final Map<String, String> lastEvent = new ConcurrentHashMap<>();

    /** @param events the core's event hub (a supplier: the service opens before it is wired) */
    PortalActivity(Supplier<EventHub> events) {
        this.events = events;
    }

    @Override
    public void onEvent(PortalEvent e) {
        String kind = e.kind().name().toLowerCase(java.util.Locale.ROOT);
        String detail = EscapeStripper.stripKeepingNewlines(e.detail()).replace('\n', ' ');
        switch (e.kind()) {
            case STARTED, ADOPTED -> runningSince.put(e.portal(), e.at());
            case EXITED, CRASHED -> runningSince.remove(e.portal());
            default -> {}
        }
        lastEvent.put(e.portal(), detail.isEmpty() ? kind : kind + ": " + detail);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("event", kind);
        if (e.exitStatus() != null) {
            attributes.put("exit_status", Integer.toString(e.exitStatus()));
        }
        if (!e.consoleTail().isEmpty()) {
            attributes.put("console", EscapeStripper.stripKeepingNewlines(String.join("\n", e.consoleTail())));
        }
        EventHub hub = events.get();
        if (hub != null) {
            hub.publish(e.kind() == PortalEvent.Kind.CRASHED ? CRASHED : STATE, e.portal(), detail, attributes);
        }
    }

    /** How long the portal's VM has run, as far as this agent saw it start or adopted it. */
    Optional<Long> uptimeMillis(String portal, Instant now) {
        Instant since = runningSince.get(portal);
        return since == null ? Optional.empty() : Optional.of(Math.max(0, now.toEpochMilli() - since.toEpochMilli()));
    }

    Optional<String> lastEvent(String portal) {
        return Optional.ofNullable(lastEvent.get(portal));
    }

    /** Forgets an undefined portal. */
    void forget(String portal) {
        runningSince.remove(portal);
        lastEvent.remove(portal);
    }
}
