package org.multiverse.scramble.rtos.link;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.multiverse.scramble.protocol.rtos.SessionRef;
import org.multiverse.scramble.protocol.rtos.v1.CommandResult;
import org.multiverse.scramble.protocol.rtos.v1.FromNode;
import org.multiverse.scramble.protocol.rtos.v1.NodeCommand;
import org.multiverse.scramble.protocol.rtos.v1.Ping;
import org.multiverse.scramble.protocol.rtos.v1.ReadChannel;
import org.multiverse.scramble.protocol.rtos.v1.SignedCommand;
import org.multiverse.scramble.protocol.rtos.v1.StreamStarted;
import org.multiverse.scramble.protocol.rtos.v1.StreamStop;
import org.multiverse.scramble.protocol.rtos.v1.ToNode;
import org.multiverse.scramble.rtos.link.RtosException.Kind;
import org.multiverse.scramble.rtos.time.MicroClock;
import org.multiverse.scramble.rtos.wire.Bounds;
import org.multiverse.scramble.rtos.wire.SampleSealing;
import org.multiverse.scramble.rtos.wire.WireException;

/**
 * The RTOS bridge's operations, one per {@code rtos ...} command, for the agent handlers
 * to call after the agent core verified the person's envelope. Every method blocks the
 * calling thread until the node answered or a timeout; errors are {@link RtosException}s.
 *
 * <p>The bridge cannot act for the person where it matters: writes carry the person's
 * signed node command (the node verifies it), and streams are sealed by the node to the
 * person's session key (the bridge relays ciphertext and counts loss from clear headers).
 */
public final class RtosBridgeService implements AutoCloseable {

    /** Extra time a stream's caller waits for the last sample after the nominal end. */
    static final long STREAM_GRACE_MILLIS = 2_000;

    private final Map<String, NodeLink> links = new LinkedHashMap<>();
    private final ScheduledExecutorService timers;
    private final ExecutorService work;
    private final MicroClock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * Opens the links to {@code nodes}; each connects in the background and reconnects by
     * itself.
     *
     * @param stateDir where {@code known-nodes} (pinned node keys) lives
     */
    public RtosBridgeService(Path stateDir, List<NodeSpec> nodes) throws IOException {
        this(stateDir, nodes, MicroClock.monotonicUnix());
    }

    RtosBridgeService(Path stateDir, List<NodeSpec> nodes, MicroClock clock) throws IOException {
        this.clock = clock;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rtos-timers"));
        this.work = Executors.newCachedThreadPool(r -> daemon(r, "rtos-work"));
        KnownNodes known = new KnownNodes(stateDir);
        for (NodeSpec spec : nodes) {
            if (links.containsKey(spec.name())) {
                throw new IllegalArgumentException("node " + spec.name() + " given twice");
            }
            links.put(spec.name(), new NodeLink(spec, known, clock, timers, work));
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Every configured node, connected or not. */
    public List<NodeStatus> list() {
        List<NodeStatus> out = new ArrayList<>();
        links.values().forEach(l -> out.add(l.status()));
        return out;
    }

    /** Waits until {@code node} completed its handshake, up to {@code timeoutMillis}. */
    public boolean awaitUp(String node, long timeoutMillis) throws RtosException, InterruptedException {
        NodeLink l = link(node);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!l.up()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Round trip to the node through the line, in microseconds. */
    public long ping(String node) throws RtosException {
        NodeLink l = upLink(node);
        long t1 = clock.micros();
        FromNode r = NodeLink.expect(
                l.call(
                        ToNode.newBuilder().setPing(Ping.newBuilder().setBridgeMicros(t1)),
                        NodeLink.REQUEST_TIMEOUT_MILLIS),
                FromNode.KindCase.PONG);
        if (r.getPong().getBridgeMicros() != t1) {
            throw new RtosException(Kind.UNAVAILABLE, "pong for another ping");
        }
        return clock.micros() - t1;
    }

    public NodeDescription info(String node) throws RtosException {
        return upLink(node).describe();
    }

    public Reading read(String node, String channel) throws RtosException {
        NodeLink l = upLink(node);
        ChannelDescription c = channel(l, channel);
        var v = NodeLink.expect(
                        l.call(
                                ToNode.newBuilder()
                                        .setRead(ReadChannel.newBuilder().setChannel(c.index())),
                                NodeLink.REQUEST_TIMEOUT_MILLIS),
                        FromNode.KindCase.VALUE)
                .getValue();
        if (v.getChannel() != c.index()) {
            throw new RtosException(Kind.UNAVAILABLE, "value for another channel");
        }
        return new Reading(c.name(), v.getValue(), v.getNodeTimeMicros());
    }

    /**
     * Relays the person's signed write to the node and waits until it ran.
     *
     * @param value the value the person asked for (must match the signed one)
     * @param atOffsetMicros 0 for "now"; otherwise the signed command must carry a deadline
     * @param signedNodeCommand an encoded {@code SignedCommand} (WIRE.md section 6)
     * @param sessionCertificate the encoded certificate of the session that signed it
     * @throws RtosException INVALID_ARGUMENT if the signed command does not say what the
     *     request says; DEADLINE_MISSED if it arrived late; REFUSED_BY_NODE for a bad
     *     signature, certificate, replay...
     */
    public WriteOutcome write(
            String node,
            String channel,
            double value,
            long atOffsetMicros,
            byte[] signedNodeCommand,
            byte[] sessionCertificate)
            throws RtosException {
        NodeLink l = upLink(node);
        ChannelDescription c = channel(l, channel);
        if (!c.writable()) {
            throw new RtosException(Kind.INVALID_ARGUMENT, "channel " + channel + " of " + node + " is read-only");
        }
        if (atOffsetMicros < 0) {
            throw new RtosException(Kind.INVALID_ARGUMENT, "deadline offset is negative");
        }
        SignedCommand signed = decodeSigned(signedNodeCommand);
        NodeCommand body;
        try {
            body = NodeCommand.parseFrom(signed.getBody());
        } catch (InvalidProtocolBufferException e) {
            throw new RtosException(Kind.INVALID_ARGUMENT, "signed body is not a NodeCommand");
        }
        if (!body.hasWrite()
                || !body.getNodeId().equals(l.hello().getNodeId())
                || body.getWrite().getChannel() != c.index()
                || Float.floatToIntBits(body.getWrite().getValue()) != Float.floatToIntBits((float) value)
                || (body.getWrite().getAtUnixMicros() != 0) != (atOffsetMicros > 0)) {
            throw new RtosException(
                    Kind.INVALID_ARGUMENT,
                    "the signed command does not match the request (node, channel, value or deadline)");
        }
        long ref = SessionRef.of(sessionCertificate);
        if (ref != signed.getSessionRef()) {
            throw new RtosException(Kind.INVALID_ARGUMENT, "the command was signed in another session");
        }
        long timeout = NodeLink.REQUEST_TIMEOUT_MILLIS + atOffsetMicros / 1000;
        FromNode r;
        try {
            r = withSession(
                    l, ref, sessionCertificate, () -> l.call(ToNode.newBuilder().setCommand(signed), timeout));
        } catch (RtosException e) {
            if (e.kind() == Kind.DEADLINE_MISSED) {
                l.noteDeadlineMiss();
            }
            throw e;
        }
        CommandResult result =
                NodeLink.expect(r, FromNode.KindCase.COMMAND_RESULT).getCommandResult();
        return new WriteOutcome(
                c.name(),
                (float) value,
                result.getExecutedAtNodeMicros(),
                result.getExecutedAtUnixMicros(),
                result.getLateByMicros());
    }

    /**
     * Runs a telemetry stream to its end (or until the last sample is overdue) and reports
     * its statistics. Samples reach {@code sink} sealed to the session's X25519 key.
     */
    public StreamReport stream(
            String node, String channel, int hz, int seconds, byte[] sessionCertificate, SampleSink sink)
            throws RtosException {
        if (hz < 1 || hz > Bounds.MAX_HZ) {
            throw new RtosException(Kind.INVALID_ARGUMENT, "hz must be 1.." + Bounds.MAX_HZ);
        }
        if (seconds < 1 || seconds > Bounds.MAX_STREAM_SECONDS) {
            throw new RtosException(Kind.INVALID_ARGUMENT, "seconds must be 1.." + Bounds.MAX_STREAM_SECONDS);
        }
        NodeLink l = upLink(node);
        ChannelDescription c = channel(l, channel);
        long ref = SessionRef.of(sessionCertificate);
        int streamId = 1 + random.nextInt(Integer.MAX_VALUE - 1);
        NodeLink.ActiveStream s = l.openStream(streamId, sink, (long) hz * seconds);
        try {
            var started = withSession(
                    l,
                    ref,
                    sessionCertificate,
                    () -> l.call(
                            ToNode.newBuilder()
                                    .setStreamStart(org.multiverse.scramble.protocol.rtos.v1.StreamStart.newBuilder()
                                            .setChannel(c.index())
                                            .setHz(hz)
                                            .setSeconds(seconds)
                                            .setSessionRef(ref)
                                            .setStreamId(streamId)),
                            NodeLink.REQUEST_TIMEOUT_MILLIS));
            StreamStarted st =
                    NodeLink.expect(started, FromNode.KindCase.STREAM_STARTED).getStreamStarted();
            sink.start(new StreamStart(
                    streamId,
                    l.hello().getPublicKey().toByteArray(),
                    SampleSealing.hpkeStreamId(l.hello().getNodeId(), streamId),
                    st.getEncapsulatedKey().toByteArray(),
                    st.getStartNodeMicros(),
                    st.getPeriodMicros()));
            boolean finished = s.done.await(seconds * 1000L + STREAM_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            if (!finished) {
                l.send(ToNode.newBuilder()
                        .setStreamStop(StreamStop.newBuilder().setStreamId(streamId))
                        .build());
            }
            return s.stats.report();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            l.send(ToNode.newBuilder()
                    .setStreamStop(StreamStop.newBuilder().setStreamId(streamId))
                    .build());
            throw new RtosException(Kind.TIMEOUT, "stream interrupted");
        } finally {
            l.closeStream(s);
        }
    }

    public TimeSyncResult timeSync(String node) throws RtosException {
        return upLink(node).timeSync();
    }

    /** The last failsafe report of a node, if any (for the dashboard and tests). */
    public java.util.Optional<org.multiverse.scramble.protocol.rtos.v1.FailsafeReport> lastFailsafeReport(String node)
            throws RtosException {
        return java.util.Optional.ofNullable(link(node).lastFailsafeReport());
    }

    /** Frames dropped on the node's line (noise, CRC errors, out-of-bounds messages). */
    public long droppedFrames(String node) throws RtosException {
        return link(node).droppedFrames();
    }

    private interface NodeCall {
        FromNode run() throws RtosException;
    }

    /** Runs a call needing the session on the node; re-sends the certificate once if evicted. */
    private static FromNode withSession(NodeLink l, long ref, byte[] certificate, NodeCall call) throws RtosException {
        l.ensureSession(ref, certificate);
        try {
            return call.run();
        } catch (RtosException e) {
            if (e.nodeCode() != org.multiverse.scramble.protocol.rtos.v1.ErrorCode.SESSION_UNKNOWN) {
                throw e;
            }
            l.forgetSession(ref);
            l.ensureSession(ref, certificate);
            return call.run();
        }
    }

    private static SignedCommand decodeSigned(byte[] encoded) throws RtosException {
        if (encoded == null || encoded.length == 0) {
            throw new RtosException(Kind.INVALID_ARGUMENT, "a write needs the person's signed node command");
        }
        try {
            ToNode probe = ToNode.newBuilder()
                    .setCommand(SignedCommand.parseFrom(encoded))
                    .build();
            Bounds.check(probe);
            return probe.getCommand();
        } catch (InvalidProtocolBufferException e) {
            throw new RtosException(Kind.INVALID_ARGUMENT, "signed node command is not a SignedCommand");
        } catch (WireException e) {
            throw new RtosException(Kind.INVALID_ARGUMENT, "signed node command: " + e.getMessage());
        }
    }

    private NodeLink link(String node) throws RtosException {
        NodeLink l = links.get(node);
        if (l == null) {
            throw new RtosException(Kind.NOT_FOUND, "no node named " + NodeErrors.printable(node));
        }
        return l;
    }

    private NodeLink upLink(String node) throws RtosException {
        NodeLink l = link(node);
        l.hello(); // throws UNAVAILABLE if not connected
        return l;
    }

    private static ChannelDescription channel(NodeLink l, String name) throws RtosException {
        for (ChannelDescription c : l.channels()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new RtosException(
                Kind.NOT_FOUND, "node " + l.spec().name() + " has no channel " + NodeErrors.printable(name));
    }

    @Override
    public void close() {
        links.values().forEach(NodeLink::close);
        timers.shutdownNow();
        work.shutdownNow();
    }
}
