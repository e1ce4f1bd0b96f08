package org.multiverse.scramble.rtos.link;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.multiverse.scramble.protocol.rtos.v1.Capability;
import org.multiverse.scramble.protocol.rtos.v1.Channel;
import org.multiverse.scramble.protocol.rtos.v1.ClockSet;
import org.multiverse.scramble.protocol.rtos.v1.FailsafeReport;
import org.multiverse.scramble.protocol.rtos.v1.FromNode;
import org.multiverse.scramble.protocol.rtos.v1.Heartbeat;
import org.multiverse.scramble.protocol.rtos.v1.Hello;
import org.multiverse.scramble.protocol.rtos.v1.HelloRequest;
import org.multiverse.scramble.protocol.rtos.v1.Info;
import org.multiverse.scramble.protocol.rtos.v1.InfoRequest;
import org.multiverse.scramble.protocol.rtos.v1.SessionChunk;
import org.multiverse.scramble.protocol.rtos.v1.TelemetrySample;
import org.multiverse.scramble.protocol.rtos.v1.TimeSyncRequest;
import org.multiverse.scramble.protocol.rtos.v1.ToNode;
import org.multiverse.scramble.rtos.link.RtosException.Kind;
import org.multiverse.scramble.rtos.serial.SerialLine;
import org.multiverse.scramble.rtos.serial.TtyLine;
import org.multiverse.scramble.rtos.time.ClockSync;
import org.multiverse.scramble.rtos.time.MicroClock;
import org.multiverse.scramble.rtos.time.SyncSample;
import org.multiverse.scramble.rtos.wire.Bounds;
import org.multiverse.scramble.rtos.wire.FrameDecoder;
import org.multiverse.scramble.rtos.wire.SampleSealing;
import org.multiverse.scramble.rtos.wire.WireCodec;
import org.multiverse.scramble.rtos.wire.WireException;

/**
 * The bridge's end of one node's serial line: opens the tty (and reopens it when the
 * device disappears and comes back), runs the handshake (hello, pinning, channel pages,
 * time sync), sends heartbeats, correlates answers by request id, and feeds streams.
 */
final class NodeLink implements AutoCloseable {

    /** Half the shortest heartbeat period a node may use (100 ms, WIRE.md section 8). */
    static final long HEARTBEAT_MILLIS = 50;
    /** A request's answer: a node answers in microseconds; a busy 9600-baud line in ~0.3 s. */
    static final long REQUEST_TIMEOUT_MILLIS = 1_000;
    /** Silence after which the link counts as down although the device is there. */
    static final long SILENCE_DOWN_MICROS = 1_000_000;
    /** Time between handshake attempts on an open line that does not answer. */
    static final long HANDSHAKE_RETRY_MICROS = 1_000_000;
    /** Re-sync period: drift is estimated from the spread of these rounds. */
    static final long RESYNC_MICROS = 2_000_000;
    /** NTP exchanges per sync round; the fastest one is kept. */
    static final int SYNC_EXCHANGES = 8;
    /** How often to look for a vanished device. */
    static final long REOPEN_POLL_MILLIS = 20;

    private final NodeSpec spec;
    private final KnownNodes known;
    private final MicroClock clock;
    private final ExecutorService work;
    private final FrameDecoder decoder = new FrameDecoder();
    private final Map<Integer, CompletableFuture<FromNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Set<Long> sessionsOnNode = ConcurrentHashMap.newKeySet();
    private final Thread reader;
    private final ClockSync sync = new ClockSync();
    private final AtomicLong badMessages = new AtomicLong();

    private volatile SerialLine line;
    private volatile boolean closed;
    private volatile boolean up;
    private volatile boolean handshaking;
    private volatile long lastRxMicros;
    private volatile long lastHandshakeMicros;
    private volatile long lastSyncMicros;
    private volatile Hello hello;
    private volatile List<ChannelDescription> channels = List.of();
    private volatile ClockSync.Estimate estimate;
    private volatile boolean failsafe;
    private volatile FailsafeReport lastFailsafeReport;
    private volatile long deadlineMisses;
    private volatile String lastError = "not connected yet";
    private volatile ActiveStream stream;
    /** Incremented by the timer (periodic heartbeats) and the handshake (the arming one). */
    private final AtomicInteger heartbeatCounter = new AtomicInteger();

    NodeLink(NodeSpec spec, KnownNodes known, MicroClock clock, ScheduledExecutorService timers, ExecutorService work) {
        this.spec = spec;
        this.known = known;
        this.clock = clock;
        this.work = work;
        this.reader = new Thread(this::readLoop, "rtos-link-" + spec.name());
        reader.setDaemon(true);
        reader.start();
        timers.scheduleAtFixedRate(this::supervise, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- reading

    private void readLoop() {
        byte[] buffer = new byte[1024];
        while (!closed) {
            if (!Files.exists(spec.device())) {
                lastError = "device " + spec.device() + " not present";
                pause();
                continue;
            }
            try (SerialLine l = TtyLine.open(spec.device(), spec.baud())) {
                decoder.reset();
                line = l;
                lastHandshakeMicros = 0;
                while (!closed) {
                    int n = l.read(buffer);
                    if (n > 0) {
                        decoder.feed(buffer, 0, n, this::onFrame);
                    } else if (l.gone()) {
                        break;
                    }
                }
            } catch (IOException e) {
                lastError = "line " + spec.device() + ": " + e.getMessage();
            } finally {
                line = null;
                down("line " + spec.device() + " closed");
            }
            pause();
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(REOPEN_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onFrame(byte[] payload) {
        long now = clock.micros();
        lastRxMicros = now;
        FromNode m;
        try {
            m = WireCodec.decodeFromNode(payload);
        } catch (WireException e) {
            badMessages.incrementAndGet();
            return;
        }
        switch (m.getKindCase()) {
            case SAMPLE -> {
                ActiveStream s = stream;
                if (s != null) {
                    s.onSample(m.getSample(), now);
                }
            }
            case FAILSAFE -> {
                lastFailsafeReport = m.getFailsafe();
                failsafe = m.getFailsafe().getLeftAtNodeMicros() == 0;
            }
            case HEARTBEAT_ACK -> {
                failsafe = m.getHeartbeatAck().getFailsafe();
                complete(m); // the handshake's arming heartbeat waits for its ack
            }
            case STREAM_STARTED -> {
                // Armed here, on the reader thread, before the first sample can be read: the
                // caller waking up later must not make early samples look lost.
                ActiveStream s = stream;
                var st = m.getStreamStarted();
                if (s != null && s.streamId == st.getStreamId()) {
                    s.started(st.getStartNodeMicros(), Integer.toUnsignedLong(st.getPeriodMicros()));
                }
                complete(m);
            }
            default -> complete(m);
        }
    }

    private void complete(FromNode m) {
        {
            CompletableFuture<FromNode> f = pending.remove(m.getRequestId());
            if (f != null) {
                f.complete(m);
            }
        }
    }

    private void down(String why) {
        boolean wasUp = up;
        up = false;
        sessionsOnNode.clear();
        if (wasUp || !why.isEmpty()) {
            lastError = why;
        }
        for (CompletableFuture<FromNode> f : pending.values()) {
            f.completeExceptionally(new RtosException(Kind.UNAVAILABLE, why));
        }
        pending.clear();
    }

    // ---------------------------------------------------------------- supervision

    private void supervise() {
        try {
            if (line == null || closed) {
                return;
            }
            long now = clock.micros();
            if (up) {
                if (now - lastRxMicros > SILENCE_DOWN_MICROS) {
                    down("node " + spec.name() + " silent for " + (now - lastRxMicros) / 1000 + " ms");
                    return;
                }
                send(ToNode.newBuilder()
                        .setHeartbeat(Heartbeat.newBuilder().setCounter(heartbeatCounter.incrementAndGet()))
                        .build());
                if (now - lastSyncMicros > RESYNC_MICROS && !handshaking) {
                    handshaking = true;
                    work.execute(() -> {
                        try {
                            timeSync();
                        } catch (RtosException e) {
                            lastError = "time sync: " + e.getMessage();
                        } finally {
                            handshaking = false;
                        }
                    });
                }
            } else if (!handshaking && now - lastHandshakeMicros > HANDSHAKE_RETRY_MICROS) {
                handshaking = true;
                lastHandshakeMicros = now;
                work.execute(this::handshake);
            }
        } catch (RuntimeException e) {
            lastError = "supervisor: " + e; // never let the periodic task die
        }
    }

    private void handshake() {
        try {
            FromNode h = call(ToNode.newBuilder().setHello(HelloRequest.getDefaultInstance()), REQUEST_TIMEOUT_MILLIS);
            Hello hi = expect(h, FromNode.KindCase.HELLO).getHello();
            known.check(spec.name(), hi.getNodeId(), hi.getPublicKey().toByteArray());
            List<ChannelDescription> list = new ArrayList<>();
            while (list.size() < hi.getChannelCount()) {
                Info page = expect(
                                call(
                                        ToNode.newBuilder()
                                                .setInfo(
                                                        InfoRequest.newBuilder().setFirstChannel(list.size())),
                                        REQUEST_TIMEOUT_MILLIS),
                                FromNode.KindCase.INFO)
                        .getInfo();
                if (page.getChannelsCount() == 0) {
                    throw new RtosException(Kind.UNAVAILABLE, "node sent an empty channel page");
                }
                for (Channel c : page.getChannelsList()) {
                    if (c.getIndex() != list.size()) {
                        throw new RtosException(Kind.UNAVAILABLE, "channel indexes are not contiguous");
                    }
                    list.add(new ChannelDescription(
                            c.getIndex(), c.getName(), c.getWritable(), c.getUnit(), c.getSafeValue()));
                }
                failsafe = page.getFailsafe();
                deadlineMisses = page.getDeadlineMisses();
            }
            hello = hi;
            channels = List.copyOf(list);
            sync.reset();
            timeSync();
            armWatchdog();
            up = true;
            lastError = "";
        } catch (RtosException e) {
            lastError = "handshake: " + e.getMessage();
        } finally {
            handshaking = false;
        }
    }

    /**
     * The last step of the handshake (WIRE.md section 8): one heartbeat, answered. A node
     * arms its watchdog on its first heartbeat, so without this a link could be "up" (and
     * commands relayed) while the node would not yet notice the line being cut, up to one
     * heartbeat period later, or never if the line drops before the timer's first tick.
     * A pending {@code FailsafeReport} precedes the ack, so the reader has recorded it when
     * this returns.
     */
    private void armWatchdog() throws RtosException {
        FromNode ack = expect(
                call(
                        ToNode.newBuilder()
                                .setHeartbeat(Heartbeat.newBuilder().setCounter(heartbeatCounter.incrementAndGet())),
                        REQUEST_TIMEOUT_MILLIS),
                FromNode.KindCase.HEARTBEAT_ACK);
        failsafe = ack.getHeartbeatAck().getFailsafe();
    }

    // ---------------------------------------------------------------- requests

    /** Sends a request and waits for its answer; an Error answer becomes an exception. */
    FromNode call(ToNode.Builder request, long timeoutMillis) throws RtosException {
        SerialLine l = line;
        if (l == null) {
            throw new RtosException(Kind.UNAVAILABLE, "node " + spec.name() + ": " + lastError);
        }
        int id = nextId.getAndUpdate(i -> i == Integer.MAX_VALUE ? 1 : i + 1);
        CompletableFuture<FromNode> f = new CompletableFuture<>();
        pending.put(id, f);
        try {
            send(request.setRequestId(id).build());
            FromNode reply = f.get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (reply.getKindCase() == FromNode.KindCase.ERROR) {
                throw NodeErrors.toException(spec.name(), reply.getError());
            }
            return reply;
        } catch (TimeoutException e) {
            throw new RtosException(
                    Kind.TIMEOUT, "node " + spec.name() + " did not answer in " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RtosException r) {
                throw r;
            }
            throw new RtosException(Kind.UNAVAILABLE, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtosException(Kind.TIMEOUT, "interrupted");
        } finally {
            pending.remove(id);
        }
    }

    static FromNode expect(FromNode m, FromNode.KindCase kind) throws RtosException {
        if (m.getKindCase() != kind) {
            throw new RtosException(Kind.UNAVAILABLE, "node answered " + m.getKindCase() + ", expected " + kind);
        }
        return m;
    }

    void send(ToNode m) {
        SerialLine l = line;
        if (l == null) {
            return;
        }
        try {
            l.write(WireCodec.frame(m));
        } catch (WireException e) {
            throw new IllegalArgumentException("bridge built an out-of-bounds message: " + e.getMessage(), e);
        } catch (IOException e) {
            lastError = "write: " + e.getMessage();
        }
    }

    // ---------------------------------------------------------------- operations

    TimeSyncResult timeSync() throws RtosException {
        List<SyncSample> round = new ArrayList<>();
        for (int i = 0; i < SYNC_EXCHANGES; i++) {
            long t1 = clock.micros();
            var r = expect(
                            call(
                                    ToNode.newBuilder()
                                            .setTimeSync(
                                                    TimeSyncRequest.newBuilder().setT1BridgeMicros(t1)),
                                    REQUEST_TIMEOUT_MILLIS),
                            FromNode.KindCase.TIME_SYNC)
                    .getTimeSync();
            long t4 = clock.micros();
            if (r.getT1BridgeMicros() != t1) {
                throw new RtosException(Kind.UNAVAILABLE, "time sync answer for another exchange");
            }
            round.add(new SyncSample(t1, r.getT2NodeRxMicros(), r.getT3NodeTxMicros(), t4));
        }
        ClockSync.Estimate e;
        synchronized (sync) {
            try {
                e = sync.addRound(round);
            } catch (IllegalArgumentException bad) {
                throw new RtosException(Kind.UNAVAILABLE, "node clock answers are impossible: " + bad.getMessage());
            }
        }
        long nowBridge = clock.micros();
        call(
                ToNode.newBuilder()
                        .setClockSet(ClockSet.newBuilder()
                                .setNodeRefMicros(e.nodeTimeAt(nowBridge))
                                .setUnixRefMicros(nowBridge)
                                .setDriftPpb(Math.round(e.driftPpm() * 1000))),
                REQUEST_TIMEOUT_MILLIS);
        estimate = e;
        lastSyncMicros = clock.micros();
        return new TimeSyncResult(e.offsetMicros(), e.driftPpm(), e.roundTripMicros());
    }

    /** Makes sure the node holds the session certificate (WIRE.md section 5). */
    void ensureSession(long ref, byte[] certificate) throws RtosException {
        if (sessionsOnNode.contains(ref)) {
            return;
        }
        if (certificate.length == 0 || certificate.length > Bounds.MAX_CERTIFICATE) {
            throw new RtosException(Kind.INVALID_ARGUMENT, "session certificate of " + certificate.length + " bytes");
        }
        int count = (certificate.length + Bounds.MAX_CHUNK - 1) / Bounds.MAX_CHUNK;
        for (int i = 0; i < count; i++) {
            byte[] part = Arrays.copyOfRange(
                    certificate, i * Bounds.MAX_CHUNK, Math.min(certificate.length, (i + 1) * Bounds.MAX_CHUNK));
            var ack = expect(
                            call(
                                    ToNode.newBuilder()
                                            .setSessionChunk(SessionChunk.newBuilder()
                                                    .setSessionRef(ref)
                                                    .setIndex(i)
                                                    .setCount(count)
                                                    .setData(ByteString.copyFrom(part))),
                                    REQUEST_TIMEOUT_MILLIS),
                            FromNode.KindCase.SESSION_ACK)
                    .getSessionAck();
            if (ack.getSessionRef() != ref) {
                throw new RtosException(Kind.UNAVAILABLE, "session ack for another session");
            }
        }
        sessionsOnNode.add(ref);
    }

    void forgetSession(long ref) {
        sessionsOnNode.remove(ref);
    }

    /** Registers a stream before its start request, so no early sample is missed. */
    ActiveStream openStream(int streamId, SampleSink sink, long expected) throws RtosException {
        ActiveStream s = new ActiveStream(streamId, sink, expected);
        synchronized (this) {
            if (stream != null) {
                throw new RtosException(Kind.REFUSED_BY_NODE, "a stream is already running on " + spec.name());
            }
            stream = s;
        }
        return s;
    }

    synchronized void closeStream(ActiveStream s) {
        if (stream == s) {
            stream = null;
        }
    }

    /** One running stream: statistics and the latch its caller waits on. */
    final class ActiveStream {
        final int streamId;
        final SampleSink sink;
        final long expected;
        final CountDownLatch done = new CountDownLatch(1);
        volatile StreamStats stats;

        ActiveStream(int streamId, SampleSink sink, long expected) {
            this.streamId = streamId;
            this.sink = sink;
            this.expected = expected;
        }

        void started(long startNode, long period) {
            stats = new StreamStats(expected, startNode, period);
        }

        void onSample(TelemetrySample s, long arrival) {
            StreamStats st = stats;
            if (s.getStreamId() != streamId || st == null) {
                return;
            }
            if (st.add(Integer.toUnsignedLong(s.getSequence()), s.getNodeTimeMicros(), arrival)) {
                sink.sample(new SealedSample(
                        streamId,
                        s.getSequence(),
                        s.getNodeTimeMicros(),
                        s.getLast(),
                        SampleSealing.aad(streamId, s.getSequence(), s.getNodeTimeMicros(), s.getLast()),
                        s.getSealed().toByteArray()));
            }
            if (s.getLast()) {
                done.countDown();
            }
        }
    }

    // ---------------------------------------------------------------- state

    NodeSpec spec() {
        return spec;
    }

    boolean up() {
        return up;
    }

    Hello hello() throws RtosException {
        Hello h = hello;
        if (!up || h == null) {
            throw new RtosException(Kind.UNAVAILABLE, "node " + spec.name() + " is not connected: " + lastError);
        }
        return h;
    }

    List<ChannelDescription> channels() {
        return channels;
    }

    void noteDeadlineMiss() {
        deadlineMisses++;
    }

    NodeStatus status() {
        Hello h = hello;
        ClockSync.Estimate e = estimate;
        return new NodeStatus(
                spec.name(),
                up,
                h == null ? "" : h.getNodeId(),
                h == null ? "" : h.getBoard(),
                h == null ? "" : h.getFirmware(),
                e == null ? 0 : e.offsetMicros(),
                failsafe,
                up ? "" : lastError);
    }

    NodeDescription describe() throws RtosException {
        Hello h = hello();
        List<String> caps = new ArrayList<>();
        for (Capability c : Capability.values()) {
            if (c != Capability.UNRECOGNIZED && c.getNumber() != 0 && (h.getCapabilities() & c.getNumber()) != 0) {
                caps.add(c.name().substring("CAPABILITY_".length()).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return new NodeDescription(
                status(),
                Integer.toUnsignedLong(h.getClockHz()),
                channels,
                caps,
                h.getPublicKey().toByteArray(),
                deadlineMisses);
    }

    FailsafeReport lastFailsafeReport() {
        return lastFailsafeReport;
    }

    /** Frames dropped by the decoder plus messages out of bounds: noise on the line. */
    long droppedFrames() {
        return decoder.dropped() + badMessages.get();
    }

    @Override
    public void close() {
        closed = true;
        down("bridge closed");
    }
}
