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
    private final Map<String, FrameChannel> eventRoutes = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, FrameChannel> e) {
                    return size() > MAX_TRACKED_SUBSCRIPTIONS;
                }
            });

    Relay(Map<String, TransportUri> routes) {
        routes.forEach((name, uri) -> clients.put(name,
                AgentClient.start(() -> Transports.connect(uri), this::routeEvent, ClientSettings.DEFAULTS)));
    }

    Set<String> routeNames() {
        return clients.keySet();
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
            FrameChannel to = eventRoutes.get(HexFormat.of().formatHex(event.getSubscriptionId().toByteArray()));
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
