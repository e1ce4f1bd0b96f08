package org.multiverse.scramble.protocol.agent;

import java.io.Closeable;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.Event;

/**
 * Step 8, for envelopes addressed to another agent: forwards them unread over a configured
 * route ({@code --route router=unix:/run/multiverse/router.sock}) and passes the sealed reply
 * back unchanged. The relay cannot read or forge either: the envelope is signed by the
 * person, the reply sealed to them. Events of a subscription made through the relay go back to
 * the channel the subscription came from.
 */
final class Relay implements Closeable {

    /** How long a routed agent may take; longer than any single command's own timeout. */
    static final Duration RELAY_TIMEOUT = Duration.ofSeconds(120);
    /** Relayed request ids remembered for routing events back. */
    static final int MAX_TRACKED_SUBSCRIPTIONS = 1024;

    private final Map<String, AgentClient> clients = new ConcurrentHashMap<>();
    private final Map<String, FrameChannel> eventRoutes =
            java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, FrameChannel> e) {
                    return size() > MAX_TRACKED_SUBSCRIPTIONS;
                }
            });

    /** Route names appear in envelopes, policy and audit: short, lower-case, no punctuation to escape. */
    private static final java.util.regex.Pattern ROUTE_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,31}");

    Relay(Map<String, TransportUri> routes) {
        routes.forEach(this::add);
    }

    /** Refuses a route name that is not 1-32 of a-z, 0-9 and '-', starting with a letter. */
    static String checkName(String name) {
        if (name == null || !ROUTE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("route name '" + name + "': lower-case letters, digits and '-', "
                    + "starting with a letter, at most 32");
        }
        return name;
    }

    /**
     * Adds a route; its link is dialled (and redialled, with backoff) in the background.
     *
     * @throws IllegalArgumentException for a bad name or a name already routed
     */
    void add(String name, TransportUri uri) {
        checkName(name);
        java.util.Objects.requireNonNull(uri, "uri");
        synchronized (clients) {
            if (clients.containsKey(name)) {
                throw new IllegalArgumentException("route '" + name + "' is already set up");
            }
            clients.put(
                    name, AgentClient.start(() -> Transports.connect(uri), this::routeEvent, ClientSettings.DEFAULTS));
        }
    }

    /** Removes a route and closes its link; requests in flight on it fail. False if there was none. */
    boolean remove(String name) {
        AgentClient c;
        synchronized (clients) {
            c = clients.remove(name);
        }
        if (c == null) {
            return false;
        }
        c.close();
        return true;
    }

    /** The route names: a live view, so routes added later are known to the verifier too. */
    Set<String> routeNames() {
        return java.util.Collections.unmodifiableSet(clients.keySet());
    }

    /** Forwards an ENVELOPE frame; the future completes with the routed agent's answer frame. */
    CompletableFuture<Frame> forward(String route, byte[] requestId, Frame envelope, FrameChannel from) {
        AgentClient client = clients.get(route);
        if (client == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no route named " + route));
        }
        eventRoutes.put(HexFormat.of().formatHex(requestId), from);
        return client.call(requestId, envelope, RELAY_TIMEOUT);
    }

    String linkState(String route) {
        AgentClient c = clients.get(route);
        return c == null ? "none" : c.linkState().toString();
    }

    private void routeEvent(Frame frame) {
        try {
            Event event = Event.parseFrom(frame.payload());
            FrameChannel to = eventRoutes.get(
                    HexFormat.of().formatHex(event.getSubscriptionId().toByteArray()));
            if (to != null && to.isOpen()) {
                to.send(frame);
            }
        } catch (java.io.IOException e) {
            // An unparseable or undeliverable event from a routed agent is dropped: events are best effort.
        }
    }

    @Override
    public void close() {
        clients.values().forEach(AgentClient::close);
    }
}
