package org.multiverse.scramble.rtos.node;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.protocol.rtos.SessionRef;
import org.multiverse.scramble.protocol.rtos.v1.Capability;
import org.multiverse.scramble.protocol.rtos.v1.Channel;
import org.multiverse.scramble.protocol.rtos.v1.ChannelValue;
import org.multiverse.scramble.protocol.rtos.v1.CommandResult;
import org.multiverse.scramble.protocol.rtos.v1.Error;
import org.multiverse.scramble.protocol.rtos.v1.ErrorCode;
import org.multiverse.scramble.protocol.rtos.v1.FailsafeReport;
import org.multiverse.scramble.protocol.rtos.v1.FromNode;
import org.multiverse.scramble.protocol.rtos.v1.HeartbeatAck;
import org.multiverse.scramble.protocol.rtos.v1.Hello;
import org.multiverse.scramble.protocol.rtos.v1.Info;
import org.multiverse.scramble.protocol.rtos.v1.NodeCommand;
import org.multiverse.scramble.protocol.rtos.v1.Pong;
import org.multiverse.scramble.protocol.rtos.v1.SessionAck;
import org.multiverse.scramble.protocol.rtos.v1.SessionChunk;
import org.multiverse.scramble.protocol.rtos.v1.SignedCommand;
import org.multiverse.scramble.protocol.rtos.v1.StreamStart;
import org.multiverse.scramble.protocol.rtos.v1.StreamStarted;
import org.multiverse.scramble.protocol.rtos.v1.TelemetrySample;
import org.multiverse.scramble.protocol.rtos.v1.TimeSyncReply;
import org.multiverse.scramble.protocol.rtos.v1.ToNode;
import org.multiverse.scramble.protocol.rtos.v1.Write;
import org.multiverse.scramble.rtos.wire.Bounds;
import org.multiverse.scramble.rtos.wire.SampleSealing;
import org.multiverse.scramble.rtos.wire.WireCodec;
import org.multiverse.scramble.rtos.wire.WireException;
import org.multiverse.scramble.suite.cert.CertificateException;
import org.multiverse.scramble.suite.cert.CertificateVerifier;
import org.multiverse.scramble.suite.cert.RevocationList;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionCertificate;
import org.multiverse.scramble.suite.seal.StreamSealer;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * A real-time node as WIRE.md specifies it, in Java: the reference the bridge is tested
 * against. I/O-free: frames come in through {@link #onFrame} and go out through the
 * outbox (which drops them while the line is down, as a UART with nobody listening does).
 *
 * <p>It simulates what makes a real node hard to talk to: a drifting clock, scheduling
 * jitter on every timed action, sensors (sine, noise, step) and actuators that fall back
 * to safe values when heartbeats stop.
 *
 * <p>Threads: the caller's (frames), one "node-cpu" thread (deadline writes, heartbeat
 * watchdog) and one per running stream. Node state is guarded by {@code this}.
 */
public final class SimulatedNode implements AutoCloseable {

    /** Enough iterations for C2 to compile the sample path (its threshold is ~10k calls). */
    private static final int WARM_UP_SAMPLES = 20_000;

    private final NodeConfig config;
    private final X25519PrivateKeyParameters key;
    private final byte[] publicKey;
    private final Consumer<byte[]> outbox;
    private final Random random;
    private final NodeClock clock;
    private final SensorModel sensors;
    private final CertificateVerifier verifier;
    private final ScheduledExecutorService cpu;

    private final NodeSessions sessions = new NodeSessions();
    private final float[] outputs;

    private long lastHeartbeatMicros;
    private boolean heartbeatArmed;
    private boolean failsafe;
    private long failsafeEnteredAt;
    private long failsafeLeftAt;
    private int failsafeMissed;
    private boolean failsafeReportPending;
    private int deadlineMisses;
    private Thread streamThread;
    private volatile int runningStreamId;

    /**
     * A node.
     *
     * @param config what the node is
     * @param key the node's X25519 secret
     * @param outbox receives each encoded frame to put on the line
     * @param random jitter and noise (seeded in tests)
     */
    public SimulatedNode(NodeConfig config, X25519PrivateKeyParameters key, Consumer<byte[]> outbox, Random random) {
        this.config = config;
        this.key = key;
        this.publicKey = key.generatePublicKey().getEncoded();
        this.outbox = outbox;
        this.random = random;
        this.clock = new NodeClock(config.driftPpm(), config.initialOffsetMicros());
        this.sensors = new SensorModel(random);
        this.verifier = CertificateVerifier.trusting(config.enrolledRoots(), new RevocationList());
        this.outputs = new float[config.channels().size()];
        for (ChannelSpec c : config.channels()) {
            if (c.writable()) {
                outputs[c.index()] = (float) c.a();
            }
        }
        this.cpu = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "node-cpu");
            t.setDaemon(true);
            return t;
        });
        warmUp();
        cpu.scheduleAtFixedRate(
                this::watchdog, config.heartbeatPeriodMillis(), config.heartbeatPeriodMillis(), TimeUnit.MILLISECONDS);
    }

    /** The node's clock, microseconds. */
    public long nodeMicros() {
        return clock.micros();
    }

    /** The node's X25519 public key (sent in the hello). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** True while outputs are at their safe values. */
    public synchronized boolean failsafe() {
        return failsafe;
    }

    /** Handles one frame payload received from the bridge. */
    public void onFrame(byte[] payload) {
        long rx = clock.micros();
        ToNode m;
        try {
            m = WireCodec.decodeToNode(payload);
        } catch (WireException e) {
            int requestId = bestEffortRequestId(payload);
            send(error(requestId, ErrorCode.BAD_MESSAGE, e.getMessage()));
            return;
        }
        FromNode reply;
        synchronized (this) {
            reply = handle(m, rx);
        }
        if (reply != null) {
            send(reply);
        }
    }

    private static int bestEffortRequestId(byte[] payload) {
        try {
            return ToNode.parseFrom(payload).getRequestId();
        } catch (InvalidProtocolBufferException e) {
            return 0;
        }
    }

    private FromNode handle(ToNode m, long rx) {
        int id = m.getRequestId();
        FromNode.Builder r = FromNode.newBuilder().setRequestId(id);
        switch (m.getKindCase()) {
            case HELLO -> r.setHello(hello());
            case PING ->
                r.setPong(Pong.newBuilder()
                        .setBridgeMicros(m.getPing().getBridgeMicros())
                        .setNodeTimeMicros(clock.micros()));
            case INFO -> r.setInfo(info(m.getInfo().getFirstChannel()));
            case READ -> {
                return read(id, m.getRead().getChannel());
            }
            case TIME_SYNC -> {
                jitter();
                r.setTimeSync(TimeSyncReply.newBuilder()
                        .setT1BridgeMicros(m.getTimeSync().getT1BridgeMicros())
                        .setT2NodeRxMicros(rx)
                        .setT3NodeTxMicros(clock.micros()));
            }
            case CLOCK_SET -> {
                var c = m.getClockSet();
                clock.set(c.getNodeRefMicros(), c.getUnixRefMicros(), c.getDriftPpb());
                r.setPong(Pong.newBuilder().setNodeTimeMicros(clock.micros()));
            }
            case HEARTBEAT -> {
                return heartbeat(id, m.getHeartbeat().getCounter(), rx);
            }
            case SESSION_CHUNK -> {
                return sessionChunk(id, m.getSessionChunk());
            }
            case COMMAND -> {
                return command(id, m.getCommand());
            }
            case STREAM_START -> {
                return streamStart(id, m.getStreamStart());
            }
            case STREAM_STOP -> {
                if (runningStreamId == m.getStreamStop().getStreamId()) {
                    runningStreamId = 0;
                }
                r.setPong(Pong.newBuilder().setNodeTimeMicros(clock.micros()));
            }
            default -> {
                return error(id, ErrorCode.BAD_MESSAGE, "unsupported message");
            }
        }
        return r.build();
    }

    private Hello hello() {
        int caps = Capability.CAPABILITY_SIGNED_WRITE_VALUE
                | Capability.CAPABILITY_SEALED_STREAM_VALUE
                | Capability.CAPABILITY_DEADLINE_VALUE
                | Capability.CAPABILITY_FAILSAFE_VALUE
                | Capability.CAPABILITY_TIME_SYNC_VALUE;
        return Hello.newBuilder()
                .setNodeId(config.nodeId())
                .setBoard(config.board())
                .setFirmware(config.firmware())
                .setClockHz((int) config.clockHz())
                .setCapabilities(caps)
                .setChannelCount(config.channels().size())
                .setPublicKey(ByteString.copyFrom(publicKey))
                .setMaxSessions(NodeConfig.MAX_SESSIONS)
                .build();
    }

    private Info info(int first) {
        Info.Builder b = Info.newBuilder()
                .setFirstChannel(first)
                .setChannelCount(config.channels().size())
                .setFailsafe(failsafe)
                .setNodeTimeMicros(clock.micros())
                .setDeadlineMisses(deadlineMisses);
        for (int i = first; i < config.channels().size() && i < first + Bounds.MAX_CHANNELS_PER_PAGE; i++) {
            ChannelSpec c = config.channels().get(i);
            b.addChannels(Channel.newBuilder()
                    .setIndex(c.index())
                    .setName(c.name())
                    .setWritable(c.writable())
                    .setUnit(c.unit())
                    .setSafeValue(c.safeValue()));
        }
        return b.build();
    }

    private FromNode read(int id, int channel) {
        if (channel >= config.channels().size()) {
            return error(id, ErrorCode.UNKNOWN_CHANNEL, "no channel " + Integer.toUnsignedString(channel));
        }
        long now = clock.micros();
        return FromNode.newBuilder()
                .setRequestId(id)
                .setValue(ChannelValue.newBuilder()
                        .setChannel(channel)
                        .setValue(valueOf(config.channels().get(channel), now))
                        .setNodeTimeMicros(now))
                .build();
    }

    private float valueOf(ChannelSpec c, long now) {
        return c.writable() ? outputs[c.index()] : sensors.value(c, now);
    }

    // ---------------------------------------------------------------- heartbeat, failsafe

    private FromNode heartbeat(int id, int counter, long rx) {
        lastHeartbeatMicros = rx;
        heartbeatArmed = true;
        if (failsafeReportPending) {
            failsafeReportPending = false;
            send(FromNode.newBuilder()
                    .setFailsafe(FailsafeReport.newBuilder()
                            .setEnteredAtNodeMicros(failsafeEnteredAt)
                            .setMissedHeartbeats(failsafeMissed)
                            .setLeftAtNodeMicros(failsafe ? 0 : failsafeLeftAt))
                    .build());
        }
        return FromNode.newBuilder()
                .setRequestId(id)
                .setHeartbeatAck(HeartbeatAck.newBuilder().setCounter(counter).setFailsafe(failsafe))
                .build();
    }

    private synchronized void watchdog() {
        if (!heartbeatArmed || failsafe) {
            return;
        }
        long silent = clock.micros() - lastHeartbeatMicros;
        long periodMicros = config.heartbeatPeriodMillis() * 1000;
        if (silent > config.missedHeartbeats() * periodMicros) {
            failsafe = true;
            failsafeEnteredAt = clock.micros();
            failsafeMissed = (int) (silent / periodMicros);
            failsafeReportPending = true;
            for (ChannelSpec c : config.channels()) {
                if (c.writable()) {
                    outputs[c.index()] = c.safeValue();
                }
            }
        }
    }

    // ---------------------------------------------------------------- sessions, commands

    private FromNode sessionChunk(int id, SessionChunk chunk) {
        long ref = chunk.getSessionRef();
        if (!clock.synced()) {
            return error(id, ErrorCode.CLOCK_UNSYNCED, "no ClockSet yet: cannot check validity");
        }
        byte[] whole = sessions.addChunk(ref, chunk.getIndex(), chunk.getCount(), chunk.getData());
        if (whole == null) {
            return sessionAck(id, ref, sessions.received(ref));
        }
        if (SessionRef.of(whole) != ref) {
            return error(id, ErrorCode.BAD_CERTIFICATE, "session_ref does not match certificate");
        }
        try {
            SessionCertificate cert = SessionCertificate.decode(whole);
            verifier.verify(cert, unixNow());
            sessions.put(ref, new NodeSessions.Session(cert));
        } catch (CertificateException e) {
            return error(id, ErrorCode.BAD_CERTIFICATE, e.reason().name());
        }
        return sessionAck(id, ref, chunk.getCount());
    }

    private static FromNode sessionAck(int id, long ref, int received) {
        return FromNode.newBuilder()
                .setRequestId(id)
                .setSessionAck(SessionAck.newBuilder().setSessionRef(ref).setReceived(received))
                .build();
    }

    private Instant unixNow() {
        long unix = clock.unixAt(clock.micros());
        return Instant.ofEpochSecond(Math.floorDiv(unix, 1_000_000), Math.floorMod(unix, 1_000_000) * 1000);
    }

    private FromNode command(int id, SignedCommand signed) {
        NodeSessions.Session session = sessions.get(signed.getSessionRef());
        if (session == null) {
            return error(id, ErrorCode.SESSION_UNKNOWN, "send the session certificate");
        }
        byte[] body = signed.getBody().toByteArray();
        byte[] signature = signed.getSignature().toByteArray();
        if (!session.certificate.verifySessionSignature(SignatureContext.RTOS_COMMAND, body, signature)) {
            return error(id, ErrorCode.BAD_SIGNATURE, "signature does not verify");
        }
        try {
            verifier.verify(session.certificate, unixNow());
        } catch (CertificateException e) {
            return error(id, ErrorCode.BAD_CERTIFICATE, e.reason().name());
        }
        NodeCommand command;
        try {
            command = NodeCommand.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            return error(id, ErrorCode.BAD_MESSAGE, "signed body is not a NodeCommand");
        }
        if (!MessageDigest.isEqual(
                command.getNodeId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                config.nodeId().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return error(id, ErrorCode.WRONG_NODE, "signed for another node");
        }
        if (session.anyCommand && Long.compareUnsigned(command.getSequence(), session.lastSequence) <= 0) {
            return error(id, ErrorCode.REPLAYED, "sequence not above " + Long.toUnsignedString(session.lastSequence));
        }
        session.anyCommand = true;
        session.lastSequence = command.getSequence();
        long nowUnix = clock.unixAt(clock.micros());
        if (command.getNotAfterUnixMicros() == 0 || nowUnix > command.getNotAfterUnixMicros()) {
            return error(id, ErrorCode.EXPIRED, "command expired");
        }
        if (session.certificate.scope() != Scope.ALL) {
            return error(id, ErrorCode.BAD_CERTIFICATE, "session is " + session.certificate.scope());
        }
        if (command.getKindCase() != NodeCommand.KindCase.WRITE) {
            return error(id, ErrorCode.BAD_MESSAGE, "no command in the signed body");
        }
        return write(id, command.getSequence(), command.getWrite());
    }

    private FromNode write(int id, long sequence, Write w) {
        if (w.getChannel() >= config.channels().size()) {
            return error(id, ErrorCode.UNKNOWN_CHANNEL, "no channel " + Integer.toUnsignedString(w.getChannel()));
        }
        ChannelSpec c = config.channels().get(w.getChannel());
        if (!c.writable()) {
            return error(id, ErrorCode.READ_ONLY_CHANNEL, c.name() + " is a sensor");
        }
        if (!Float.isFinite(w.getValue())) {
            return error(id, ErrorCode.BAD_ARGUMENT, "value is not finite");
        }
        long target = w.getAtUnixMicros() == 0 ? clock.micros() : clock.nodeAtUnix(w.getAtUnixMicros());
        long late = clock.micros() - target;
        if (w.getAtUnixMicros() != 0 && late > config.deadlineToleranceMicros()) {
            deadlineMisses++;
            return error(id, ErrorCode.DEADLINE_MISSED, "late by " + late + " us");
        }
        long delayNanos = Math.max(0, clock.nanoTimeAt(target) - System.nanoTime());
        boolean timed = w.getAtUnixMicros() != 0;
        cpu.schedule(
                () -> execute(id, sequence, c, w.getValue(), timed ? target : Long.MAX_VALUE),
                delayNanos,
                TimeUnit.NANOSECONDS);
        return null;
    }

    /** Runs a write; {@code target} is its deadline, or Long.MAX_VALUE if untimed. */
    private void execute(int id, long sequence, ChannelSpec c, float value, long target) {
        jitter();
        FromNode result;
        synchronized (this) {
            long now = clock.micros();
            outputs[c.index()] = value;
            if (failsafe) {
                failsafe = false;
                failsafeLeftAt = now;
            }
            result = FromNode.newBuilder()
                    .setRequestId(id)
                    .setCommandResult(CommandResult.newBuilder()
                            .setSequence(sequence)
                            .setExecutedAtNodeMicros(now)
                            .setExecutedAtUnixMicros(clock.synced() ? clock.unixAt(now) : 0)
                            .setLateByMicros(target == Long.MAX_VALUE ? 0 : Math.max(0, now - target)))
                    .build();
        }
        send(result);
    }

    // ---------------------------------------------------------------- streams

    private FromNode streamStart(int id, StreamStart s) {
        NodeSessions.Session session = sessions.get(s.getSessionRef());
        if (session == null) {
            return error(id, ErrorCode.SESSION_UNKNOWN, "send the session certificate");
        }
        if (s.getChannel() >= config.channels().size()) {
            return error(id, ErrorCode.UNKNOWN_CHANNEL, "no channel " + Integer.toUnsignedString(s.getChannel()));
        }
        if (runningStreamId != 0 && streamThread != null && streamThread.isAlive()) {
            return error(id, ErrorCode.BUSY, "a stream is running");
        }
        ChannelSpec c = config.channels().get(s.getChannel());
        StreamSealer sealer = StreamSealer.create(
                key,
                session.certificate.sessionX25519Key(),
                SampleSealing.hpkeStreamId(config.nodeId(), s.getStreamId()));
        long period = 1_000_000L / s.getHz();
        long start = clock.micros() + period;
        long count = (long) s.getHz() * s.getSeconds();
        runningStreamId = s.getStreamId();
        send(FromNode.newBuilder()
                .setRequestId(id)
                .setStreamStarted(StreamStarted.newBuilder()
                        .setStreamId(s.getStreamId())
                        .setEncapsulatedKey(ByteString.copyFrom(sealer.enc()))
                        .setStartNodeMicros(start)
                        .setPeriodMicros((int) period))
                .build());
        streamThread = new Thread(
                () -> runStream(s.getStreamId(), c, sealer, start, period, count), "node-stream-" + s.getStreamId());
        streamThread.setDaemon(true);
        streamThread.start();
        return null;
    }

    private void runStream(int streamId, ChannelSpec c, StreamSealer sealer, long start, long period, long count) {
        try (sealer) {
            for (int seq = 0; seq < count && runningStreamId == streamId; seq++) {
                long due = clock.nanoTimeAt(start + seq * period);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                jitter();
                long now = clock.micros();
                boolean last = seq == count - 1;
                float value;
                synchronized (this) {
                    value = valueOf(c, now);
                }
                byte[] sealed =
                        sealer.seal(seq, SampleSealing.aad(streamId, seq, now, last), SampleSealing.plaintext(value));
                send(FromNode.newBuilder()
                        .setSample(TelemetrySample.newBuilder()
                                .setStreamId(streamId)
                                .setSequence(seq)
                                .setNodeTimeMicros(now)
                                .setSealed(ByteString.copyFrom(sealed))
                                .setLast(last))
                        .build());
            }
        } finally {
            if (runningStreamId == streamId) {
                runningStreamId = 0;
            }
        }
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Seals and encodes a few thousand throwaway samples at start, so that JIT compilation
     * of the crypto and codec paths does not masquerade as scheduling jitter in the first
     * seconds of a stream (a firmware's costs are constant from boot).
     */
    private void warmUp() {
        byte[] peer = new X25519PrivateKeyParameters(new java.security.SecureRandom())
                .generatePublicKey()
                .getEncoded();
        try (StreamSealer s = StreamSealer.create(key, peer, SampleSealing.hpkeStreamId("warm-up", 1))) {
            for (int i = 0; i < WARM_UP_SAMPLES; i++) {
                byte[] sealed = s.seal(i, SampleSealing.aad(1, i, i, false), SampleSealing.plaintext(i));
                FromNode m = FromNode.newBuilder()
                        .setSample(TelemetrySample.newBuilder()
                                .setStreamId(1)
                                .setSequence(i)
                                .setNodeTimeMicros(i)
                                .setSealed(ByteString.copyFrom(sealed)))
                        .build();
                WireCodec.frame(m);
            }
        } catch (WireException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Busy-free scheduling jitter: the action runs up to {@code jitter_micros} late. */
    private void jitter() {
        long max = config.jitterMicros();
        if (max > 0) {
            long micros;
            synchronized (random) {
                micros = (long) (random.nextDouble() * max);
            }
            LockSupport.parkNanos(micros * 1000);
        }
    }

    private static FromNode error(int id, ErrorCode code, String detail) {
        byte[] d = detail.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String bounded = d.length <= Bounds.MAX_ERROR_DETAIL
                ? detail
                : new String(Arrays.copyOf(d, Bounds.MAX_ERROR_DETAIL), java.nio.charset.StandardCharsets.US_ASCII);
        return FromNode.newBuilder()
                .setRequestId(id)
                .setError(Error.newBuilder().setCode(code).setDetail(bounded))
                .build();
    }

    private void send(FromNode m) {
        try {
            outbox.accept(WireCodec.frame(m));
        } catch (WireException e) {
            throw new IllegalStateException("the node built an out-of-bounds message: " + e.getMessage(), e);
        }
    }

    /** Forgets sessions, as a rebooted node would. */
    public synchronized void forgetSessions() {
        sessions.clear();
    }

    @Override
    public void close() {
        runningStreamId = 0;
        cpu.shutdownNow();
    }
}
