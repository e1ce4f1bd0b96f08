package org.multiverse.scramble.protocol.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.FrameListener;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.Heartbeat;
import org.multiverse.scramble.protocol.v1.RejectCode;
import org.multiverse.scramble.protocol.v1.Rejected;
import org.multiverse.scramble.protocol.v1.Reply;

/**
 * A test agent: answers heartbeats and replies to envelopes, executing each request id at
 * most once (a repeated id gets the cached reply, as the real agent's deduplication does).
 * It can be told to stay mute on its first connections, to hold replies and send them in
 * reverse, and to reject ids.
 */
final class FakeAgent implements FrameListener, AutoCloseable {
    private final Listener listener;
    private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    private final Map<String, Frame> replies = new ConcurrentHashMap<>();
    private final Map<String, List<byte[]>> envelopesSeen = new ConcurrentHashMap<>();
    private final Set<String> rejectIds = ConcurrentHashMap.newKeySet();
    private final List<FrameChannel> channels = new CopyOnWriteArrayList<>();
    private final Set<FrameChannel> mute = ConcurrentHashMap.newKeySet();
    private final AtomicInteger muteConnectionsLeft = new AtomicInteger();
    private final AtomicInteger heartbeatsAnswered = new AtomicInteger();
    private final List<Frame> held = new ArrayList<>();
    private volatile int holdCount;
    private volatile int reversed;

    FakeAgent(TransportUri uri) throws IOException {
        this.listener = Transports.listen(uri, ch -> {
            if (muteConnectionsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                mute.add(ch);
            }
            channels.add(ch);
            ch.setListener(this);
        });
    }

    TransportUri uri() {
        return listener.uri();
    }

    /** The next {@code n} connections execute envelopes but send nothing back at all. */
    void muteNextConnections(int n) {
        muteConnectionsLeft.set(n);
    }

    /** How many replies the last {@link #holdReplies} batch sent back in reverse order. */
    int repliesSentInReverse() {
        return reversed;
    }

    /** Collect the next {@code n} replies and send them in reverse order. */
    synchronized void holdReplies(int n) {
        holdCount = n;
        held.clear();
    }

    void reject(byte[] requestId) {
        rejectIds.add(HexFormat.of().formatHex(requestId));
    }

    int executions(byte[] requestId) {
        AtomicInteger n = executions.get(HexFormat.of().formatHex(requestId));
        return n == null ? 0 : n.get();
    }

    Map<String, AtomicInteger> allExecutions() {
        return executions;
    }

    /** Every envelope byte string received for a request id, resends included. */
    List<byte[]> envelopesSeen(byte[] requestId) {
        return envelopesSeen.getOrDefault(HexFormat.of().formatHex(requestId), List.of());
    }

    int connections() {
        return channels.size();
    }

    int heartbeatsAnswered() {
        return heartbeatsAnswered.get();
    }

    List<FrameChannel> channels() {
        return channels;
    }

    /** Sends an EVENT frame on every open connection. */
    void broadcast(Frame event) throws IOException {
        for (FrameChannel ch : channels) {
            if (ch.isOpen()) {
                ch.send(event);
            }
        }
    }

    @Override
    public void onFrame(FrameChannel ch, Frame frame) {
        try {
            switch (frame.type()) {
                case HEARTBEAT -> onHeartbeat(ch, frame);
                case ENVELOPE -> onEnvelope(ch, frame);
                default -> {} // an agent ignores what a shell never sends
            }
        } catch (IOException e) {
            ch.close();
        }
    }

    private void onHeartbeat(FrameChannel ch, Frame frame) throws IOException {
        Heartbeat hb;
        try {
            hb = Heartbeat.parseFrom(frame.payload());
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        if (!hb.getAck() && !mute.contains(ch)) {
            heartbeatsAnswered.incrementAndGet();
            ch.send(new Frame(
                    FrameType.HEARTBEAT, hb.toBuilder().setAck(true).build().toByteArray()));
        }
    }

    private void onEnvelope(FrameChannel ch, Frame frame) throws IOException {
        Envelope env;
        try {
            env = Envelope.parseFrom(frame.payload());
        } catch (InvalidProtocolBufferException e) {
            send(
                    ch,
                    new Frame(
                            FrameType.REJECTED,
                            Rejected.newBuilder()
                                    .setCode(RejectCode.MALFORMED)
                                    .build()
                                    .toByteArray()));
            return;
        }
        ByteString id = env.getRequestId();
        String key = HexFormat.of().formatHex(id.toByteArray());
        envelopesSeen.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(frame.payload());
        if (rejectIds.contains(key)) {
            send(
                    ch,
                    new Frame(
                            FrameType.REJECTED,
                            Rejected.newBuilder()
                                    .setRequestId(id)
                                    .setCode(RejectCode.UNAUTHENTICATED)
                                    .build()
                                    .toByteArray()));
            return;
        }
        // computeIfAbsent runs the "execution" at most once per id, however often it is resent.
        Frame reply = replies.computeIfAbsent(key, k -> {
            executions.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
            return new Frame(
                    FrameType.REPLY,
                    Reply.newBuilder()
                            .setRequestId(id)
                            .setCiphertext(ByteString.copyFromUtf8("done:").concat(env.getCommand()))
                            .setAgentId("fake-agent")
                            .build()
                            .toByteArray());
        });
        if (mute.contains(ch)) {
            return;
        }
        List<Frame> toSend = new ArrayList<>();
        synchronized (this) {
            if (holdCount > 0) {
                held.add(reply);
                if (held.size() < holdCount) {
                    return;
                }
                for (int i = held.size() - 1; i >= 0; i--) {
                    toSend.add(held.get(i));
                }
                reversed = held.size();
                held.clear();
                holdCount = 0;
            } else {
                toSend.add(reply);
            }
        }
        for (Frame f : toSend) {
            send(ch, f);
        }
    }

    private static void send(FrameChannel ch, Frame f) throws IOException {
        if (ch.isOpen()) {
            ch.send(f);
        }
    }

    @Override
    public void close() {
        listener.close();
        channels.forEach(FrameChannel::close);
    }
}
