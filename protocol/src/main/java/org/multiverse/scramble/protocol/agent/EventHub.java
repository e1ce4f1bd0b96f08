package org.multiverse.scramble.protocol.agent;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.event.EventKinds;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.v1.Event;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.EventKind;
import org.multiverse.scramble.suite.seal.StreamSealer;

/**
 * Subscriptions and the events sent to them. Each {@code agent subscribe} opens one sealed
 * stream (one HPKE setup) to the subscriber's session key; every event is then sealed with
 * the stream's next sequence number, with the subscription id as associated data. The
 * encapsulated key rides on every event (32 bytes) so a lost first event loses nothing else.
 */
public final class EventHub {

    /** Subscriptions per agent at most, so a client cannot make the agent seal without end. */
    static final int MAX_SUBSCRIPTIONS = 64;

    private final String agentId;
    private final ByteString replyKey;
    private final ByteString replyKeySignature;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    EventHub(String agentId, ByteString replyKey, ByteString replyKeySignature) {
        this.agentId = agentId;
        this.replyKey = replyKey;
        this.replyKeySignature = replyKeySignature;
    }

    private record Subscription(
            FrameChannel channel,
            byte[] id,
            List<String> kinds,
            StreamSealer sealer,
            AtomicLong sequence,
            Consumer<String> onFailure) {
        boolean wants(EventKind kind) {
            return kinds.isEmpty() || kinds.stream().anyMatch(prefix -> EventKinds.matches(kind, prefix));
        }
    }

    /** Adds a subscription; false when the agent already has as many as it allows. */
    boolean subscribe(
            FrameChannel channel,
            byte[] subscriptionId,
            List<String> kinds,
            StreamSealer sealer,
            Consumer<String> onFailure) {
        if (subscriptions.size() >= MAX_SUBSCRIPTIONS) {
            return false;
        }
        subscriptions.add(new Subscription(
                channel, subscriptionId.clone(), List.copyOf(kinds), sealer, new AtomicLong(), onFailure));
        return true;
    }

    /** Drops every subscription of a closed channel. */
    void channelClosed(FrameChannel channel) {
        subscriptions.removeIf(s -> {
            if (s.channel == channel) {
                s.sealer.close();
                return true;
            }
            return false;
        });
    }

    /** Publishes an event: its kind ({@code PORTAL_STATE}), subject such as the portal's name. */
    public void publish(EventKind kind, String subject, String text, java.util.Map<String, String> attributes) {
        EventBody body = EventBody.newBuilder()
                .setTimeMillis(System.currentTimeMillis())
                .setKind(kind)
                .setSubject(subject)
                .setText(text)
                .putAllAttributes(attributes)
                .build();
        byte[] plain = body.toByteArray();
        for (Subscription s : subscriptions) {
            if (!s.wants(kind)) {
                continue;
            }
            if (!s.channel.isOpen()) {
                channelClosed(s.channel);
                continue;
            }
            long seq = s.sequence.getAndIncrement();
            byte[] ct = s.sealer.seal(seq, s.id, plain);
            Event event = Event.newBuilder()
                    .setSubscriptionId(ByteString.copyFrom(s.id))
                    .setEnc(ByteString.copyFrom(s.sealer.enc()))
                    .setSequence(seq)
                    .setCiphertext(ByteString.copyFrom(ct))
                    .setAgentId(agentId)
                    .setAgentReplyKey(replyKey)
                    .setAgentReplyKeySignature(replyKeySignature)
                    .build();
            try {
                s.channel.send(new Frame(FrameType.EVENT, event.toByteArray()));
            } catch (java.io.IOException e) {
                s.onFailure.accept("event to " + s.channel.peer() + " not delivered: " + e.getMessage());
            }
        }
    }

    int size() {
        return subscriptions.size();
    }
}
