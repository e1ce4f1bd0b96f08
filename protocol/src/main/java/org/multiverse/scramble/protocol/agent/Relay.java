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
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.Event;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.sign.SignatureContext;
import org.multiverse.scramble.suite.sign.Signatures;

/**
 * Step 8, for envelopes addressed to another agent: forwards them, once and one hop only, over
 * a configured route ({@code --route router=unix:/run/multiverse/router.sock}) and passes the
 * target's sealed reply back unchanged. The relay cannot alter or forge either: the envelope
 * is signed by the person, the reply sealed to them. (It can read the command, which is
 * signed, not encrypted: {@link AgentCore} applies the relay's own policy and rate limits to it
 * before forwarding.) Events of a subscription made through the relay go back to the channel
 * the subscription came from.
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

    /**
     * Forwards a verified envelope over {@code route} in a RELAYED_ENVELOPE frame (its one hop:
     * the routed agent never relays it again). The future completes with the routed agent's
     * answer frame, or fails with an IOException when there is no such route, its link is down,
     * or it does not answer in time; this method never throws.
     */
    CompletableFuture<Frame> forward(String route, byte[] requestId, byte[] envelope, FrameChannel from) {
        AgentClient client = clients.get(route);
        if (client == null) {
            return CompletableFuture.failedFuture(new java.io.IOException("no route named " + route));
        }
        if (client.linkState() == org.multiverse.scramble.protocol.client.LinkState.DOWN) {
            // Said at once rather than after RELAY_TIMEOUT: the link is being redialled with backoff.
            return CompletableFuture.failedFuture(new java.io.IOException("its link is down"));
        }
        followEvents(requestId, from);
        try {
            return client.call(requestId, new Frame(FrameType.RELAYED_ENVELOPE, envelope), RELAY_TIMEOUT);
        } catch (RuntimeException e) {
            // A request id still in flight on the link (a resend racing the end of the first copy).
            return CompletableFuture.failedFuture(new java.io.IOException(e.getMessage(), e));
        }
    }

    /** Events of the subscription made by {@code requestId} go to {@code to} (the latest link it came on). */
    void followEvents(byte[] requestId, FrameChannel to) {
        eventRoutes.put(HexFormat.of().formatHex(requestId), to);
    }

    /** Who a routed agent's answer is from, as far as the relay can tell without opening it. */
    enum Origin {
        /** A REJECTED frame (nothing attributable) or a REPLY sealed under the target's signed reply key. */
        TARGET,
        /** A well-formed REPLY from another agent: the route leads elsewhere (a loop back through a relay). */
        OTHER_AGENT,
        /** Anything else: not a reply at all, unparseable, or a reply key the target did not sign. */
        GARBAGE
    }

    /**
     * Checks a routed agent's answer before it is passed back as the target's: a REPLY must name
     * the envelope's target and carry a reply key signed by that target's identity key (the
     * Scramble ID is the key). Anything else would only make the client refuse a stranger's
     * reply, so the relay answers itself instead.
     *
     * <p>A first-contact probe (SPEC.md section 22) is addressed to the person's own root ID on
     * purpose, to learn who answers: for it ({@code probe}), any agent's well-formed reply with a
     * reply key signed by the ID it names counts as the target's; the client checks the rest.
     */
    static Origin originOf(Frame answer, String targetAgent, boolean probe) {
        if (answer.type() == FrameType.REJECTED) {
            return Origin.TARGET;
        }
        if (answer.type() != FrameType.REPLY) {
            return Origin.GARBAGE;
        }
        try {
            Reply reply = Reply.parseFrom(answer.payload());
            if (!probe && !reply.getAgentId().equals(targetAgent)) {
                ScrambleId.parse(reply.getAgentId()); // an agent's ID, or garbage
                return Origin.OTHER_AGENT;
            }
            ScrambleId target = ScrambleId.parse(reply.getAgentId());
            return Signatures.verify(
                            target.publicKey(),
                            SignatureContext.AGENT_ENROLMENT,
                            reply.getAgentReplyKey().toByteArray(),
                            reply.getAgentReplyKeySignature().toByteArray())
                    ? Origin.TARGET
                    : Origin.GARBAGE;
        } catch (java.io.IOException
                | org.multiverse.scramble.suite.identity.InvalidScrambleIdException
                | RuntimeException e) {
            return Origin.GARBAGE;
        }
    }

    /** True when {@code route}'s link is down (being redialled with backoff); false while up or connecting. */
    boolean isDown(String route) {
        AgentClient c = clients.get(route);
        return c != null && c.linkState() == org.multiverse.scramble.protocol.client.LinkState.DOWN;
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
