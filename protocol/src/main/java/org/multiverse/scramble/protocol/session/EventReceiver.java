package org.multiverse.scramble.protocol.session;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.protocol.envelope.EnvelopeCodec;
import org.multiverse.scramble.protocol.envelope.MalformedMessageException;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.v1.Event;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.seal.SealException;
import org.multiverse.scramble.suite.seal.StreamOpener;

/**
 * The shell's side of the event streams on one link (SPEC §14.2). An event is handed on only
 * when it is for a live subscription this session made on this link, comes from the agent that
 * subscription was made with (its {@code agent_id}, and a reply key signed by that pinned ID),
 * and opens: sealed to this session's key, authenticated by that agent's reply key (HPKE auth
 * mode), with the subscription id as HPKE info and as associated data. Everything else is
 * dropped and counted by {@link EventDropReason}; nothing an event says is trusted before it
 * opened.
 *
 * <p>A subscription is expected from the moment its {@code agent.subscribe} envelope is signed
 * (the agent registers it before answering, so events may overtake the answer), forgotten if
 * the answer is not a success, and dropped once its link has been lost (the agent's end of it
 * died with that link). A stream's decryption state is kept only once an event has opened with
 * it, so a forged first event cannot wedge a subscription.
 *
 * <p>Thread-safe. Frames arrive on the transport's thread: the work here is parsing and one
 * AEAD open (two X25519 operations for a stream's first event); the sink runs on the executor
 * given to {@link #deliverOn}.
 */
public final class EventReceiver implements AutoCloseable {

    /**
     * Subscriptions one link holds at most: an agent keeps 64 (SPEC §14.1), and one link reaches
     * the host agent and the agents behind its relay.
     */
    static final int MAX_LIVE = 256;

    /** Checks that a reply key is the pinned agent's (signed by its ID); returns the key's bytes. */
    @FunctionalInterface
    interface ReplyKeyCheck {
        byte[] check(ScrambleId agent, String agentId, ByteString key, ByteString signature) throws AgentKeyException;
    }

    /** One subscription this session made on this link. */
    private static final class Subscription {
        final ScrambleId agent;
        /** Answered with success; until then it is pending (events may come first). */
        volatile boolean confirmed;
        /** The link generation it was confirmed on. */
        volatile long generation;
        /** The stream's encapsulated key and opener, once an event opened (guarded by this). */
        private byte[] enc;

        private StreamOpener opener;

        Subscription(ScrambleId agent) {
            this.agent = agent;
        }

        /**
         * Opens one event of this stream, keeping the stream's state once it authenticated.
         *
         * @return the plaintext, or null for an encapsulated key other than the stream's
         */
        synchronized byte[] open(X25519PrivateKeyParameters session, byte[] replyKey, byte[] id, Event event)
                throws SealException {
            byte[] eventEnc = event.getEnc().toByteArray();
            byte[] ciphertext = event.getCiphertext().toByteArray();
            if (opener != null) {
                if (!MessageDigest.isEqual(enc, eventEnc)) {
                    return null; // one stream, one encapsulated key
                }
                return opener.open(event.getSequence(), id, ciphertext);
            }
            StreamOpener candidate = StreamOpener.create(session, replyKey, id, eventEnc);
            try {
                byte[] plain = candidate.open(event.getSequence(), id, ciphertext);
                opener = candidate;
                enc = eventEnc;
                return plain;
            } catch (SealException e) {
                candidate.close();
                throw e;
            }
        }

        synchronized void close() {
            if (opener != null) {
                opener.close();
                opener = null;
            }
        }
    }

    private final X25519PrivateKeyParameters sessionKey;
    private final ReplyKeyCheck keys;
    private final LongSupplier linkGeneration;
    private final Map<String, Subscription> live = new ConcurrentHashMap<>();
    private final Map<EventDropReason, AtomicLong> drops = new EnumMap<>(EventDropReason.class);
    private final AtomicLong delivered = new AtomicLong();
    private volatile Consumer<EventBody> sink = e -> {};
    private volatile Executor dispatch = Runnable::run;

    /**
     * @param sessionKey     the session's X25519 private key, events are sealed to
     * @param keys           checks an event's reply key against the subscription's pinned agent
     * @param linkGeneration increases each time the link is lost ({@code AgentClient::reconnects})
     */
    EventReceiver(X25519PrivateKeyParameters sessionKey, ReplyKeyCheck keys, LongSupplier linkGeneration) {
        this.sessionKey = Objects.requireNonNull(sessionKey, "sessionKey");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.linkGeneration = Objects.requireNonNull(linkGeneration, "linkGeneration");
        for (EventDropReason r : EventDropReason.values()) {
            drops.put(r, new AtomicLong());
        }
    }

    /** Where opened events go. */
    public void onEvent(Consumer<EventBody> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Runs the sink on {@code executor} instead of the transport's thread; an event the
     * executor refuses (its queue is full) is dropped as {@link EventDropReason#BACKLOG}.
     */
    public void deliverOn(Executor executor) {
        this.dispatch = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Expects events of the subscription {@code subscriptionId} (the request id of a signed
     * {@code agent.subscribe}) from {@code agent}, the pinned ID it is addressed to.
     *
     * @return false when the link already holds {@link #MAX_LIVE} subscriptions
     */
    boolean expect(byte[] subscriptionId, ScrambleId agent) {
        String key = HexFormat.of().formatHex(subscriptionId);
        long now = linkGeneration.getAsLong();
        live.entrySet().removeIf(e -> stale(e.getValue(), now) && forgotten(e.getValue()));
        if (live.size() >= MAX_LIVE) {
            return false;
        }
        Subscription previous = live.putIfAbsent(key, new Subscription(Objects.requireNonNull(agent, "agent")));
        return previous == null || previous.agent.equals(agent);
    }

    /** The subscribe was answered with success: the subscription lives as long as this link. */
    void confirmed(byte[] subscriptionId) {
        Subscription s = live.get(HexFormat.of().formatHex(subscriptionId));
        if (s != null) {
            s.generation = linkGeneration.getAsLong();
            s.confirmed = true;
        }
    }

    /** The subscribe failed (refused, timed out, unreadable answer): its events are not wanted. */
    void forget(byte[] subscriptionId) {
        Subscription s = live.remove(HexFormat.of().formatHex(subscriptionId));
        if (s != null) {
            s.close();
        }
    }

    /** Opens an EVENT frame and hands it to the sink, or drops and counts it. Never throws. */
    public void deliver(Frame frame) {
        try {
            EventDropReason refused = open(frame);
            if (refused != null) {
                drops.get(refused).incrementAndGet();
            }
        } catch (RuntimeException e) {
            // Nothing in an event may break the link's reader; what failed here is malformed.
            drops.get(EventDropReason.MALFORMED).incrementAndGet();
        }
    }

    private EventDropReason open(Frame frame) {
        Event event;
        try {
            event = EnvelopeCodec.parseEvent(frame.payload());
        } catch (MalformedMessageException e) {
            return EventDropReason.MALFORMED;
        }
        byte[] id = event.getSubscriptionId().toByteArray();
        Subscription s = live.get(HexFormat.of().formatHex(id));
        if (s == null) {
            return EventDropReason.UNKNOWN_SUBSCRIPTION;
        }
        if (stale(s, linkGeneration.getAsLong())) {
            forget(id);
            return EventDropReason.UNKNOWN_SUBSCRIPTION;
        }
        // The claimed agent first: an event from anyone else is a stranger's, whatever it carries.
        if (!s.agent.text().equals(event.getAgentId())) {
            return EventDropReason.STRANGER;
        }
        byte[] replyKey;
        try {
            replyKey = keys.check(
                    s.agent, event.getAgentId(), event.getAgentReplyKey(), event.getAgentReplyKeySignature());
        } catch (AgentKeyException e) {
            return EventDropReason.STRANGER; // claims the agent's ID, but the key is not its
        }
        byte[] plain;
        try {
            plain = s.open(sessionKey, replyKey, id, event);
        } catch (SealException e) {
            plain = null;
        }
        if (plain == null) {
            return EventDropReason.DOES_NOT_OPEN;
        }
        EventBody body;
        try {
            body = EventBody.parseFrom(plain);
        } catch (InvalidProtocolBufferException e) {
            return EventDropReason.MALFORMED; // authentic, but not an EventBody: the agent's bug
        }
        Consumer<EventBody> to = sink;
        try {
            dispatch.execute(() -> {
                try {
                    to.accept(body);
                } catch (RuntimeException e) {
                    // The sink's own bug: the event was authentic and delivered; the link carries on.
                }
            });
        } catch (RejectedExecutionException e) {
            return EventDropReason.BACKLOG;
        }
        delivered.incrementAndGet();
        return null;
    }

    /** A confirmed subscription whose link has been lost since: the agent no longer holds it. */
    private static boolean stale(Subscription s, long generation) {
        return s.confirmed && s.generation != generation;
    }

    private static boolean forgotten(Subscription s) {
        s.close();
        return true;
    }

    /** What this link's events came to so far. */
    public EventCounts counts() {
        Map<EventDropReason, Long> d = new EnumMap<>(EventDropReason.class);
        drops.forEach((r, n) -> d.put(r, n.get()));
        return new EventCounts(delivered.get(), d, live.size());
    }

    /** Forgets every subscription and zeroes the stream keys. */
    @Override
    public void close() {
        live.values().forEach(Subscription::close);
        live.clear();
    }
}
