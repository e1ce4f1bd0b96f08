package org.multiverse.scramble.protocol.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.reply.ReplyAssembler;
import org.multiverse.scramble.protocol.transport.Backoff;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.FrameListener;
import org.multiverse.scramble.protocol.v1.Heartbeat;
import org.multiverse.scramble.protocol.v1.Rejected;
import org.multiverse.scramble.protocol.v1.Reply;

/**
 * The shell's side of one agent link: sends signed envelopes, matches replies to them by
 * request id, keeps the link alive with heartbeats and brings it back when it dies.
 *
 * <p>A request stays pending until a REPLY or REJECTED frame with its id arrives (a reply
 * larger than a frame comes as REPLY_PART frames and is put together by a {@link ReplyAssembler};
 * a broken or stalled one fails the request with a {@code ReplyAssemblyException}), its
 * timeout passes, or it is cancelled. When the link dies (closed, or
 * {@link ClientSettings#missedHeartbeatsLimit()} heartbeats unanswered) the client
 * reconnects with capped, jittered exponential backoff and resends the <em>same</em>
 * envelope bytes of every pending request. The agent deduplicates by request id, so a
 * resent envelope never executes twice; it answers again with the original reply.
 *
 * <p>Thread-safe. Replies complete futures on the transport's thread; keep continuations
 * short or move them elsewhere with the {@code ...Async} methods.
 */
public final class AgentClient implements AutoCloseable {
    /** Request ids are 16 random bytes (wire.proto, Envelope.request_id). */
    public static final int REQUEST_ID_BYTES = 16;
    /** Bytes of the request id shown in messages: enough to find it in the audit log. */
    static final int ID_PREFIX_BYTES = 4;
    /** How often partial replies are checked for a stalled sender; small next to the 30 s gap allowed. */
    static final long PART_SWEEP_MILLIS = 1000;

    /** Opens a fresh link to the agent; called again after every loss. */
    @FunctionalInterface
    public interface Connector {
        FrameChannel connect() throws IOException;
    }

    /**
     * A request in flight. {@code sentOn} is the link it was last sent on: a request made while
     * a new link is being set up would otherwise be sent twice on it (once by the caller, once by
     * the resend of everything pending), which the agent answers as a duplicate but audits twice.
     */
    private record Pending(
            long order,
            Frame envelope,
            CompletableFuture<Frame> future,
            java.util.concurrent.atomic.AtomicReference<FrameChannel> sentOn,
            Runnable onResend) {
        /** Sends on {@code ch} unless it was already sent there. */
        boolean sendOnce(AgentClient client, FrameChannel ch) {
            FrameChannel before = sentOn.getAndSet(ch);
            if (before == ch) {
                return true;
            }
            if (before != null) {
                onResend.run(); // told before the bytes leave, so before any answer to them
            }
            return client.trySend(ch, envelope);
        }
    }

    private final Connector connector;
    private final Consumer<Frame> events;
    private final ClientSettings settings;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Backoff backoff;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<Long, Long> heartbeatsSentNanos = new ConcurrentHashMap<>();
    private final AtomicInteger unansweredHeartbeats = new AtomicInteger();
    private final AtomicLong nextNonce;
    private final AtomicLong order = new AtomicLong();
    private final AtomicLong unmatched = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    /** Replies that come in parts (SPEC.md §8.1), put together per link. */
    private final ReplyAssembler assembler = new ReplyAssembler(System::nanoTime);

    private volatile FrameChannel channel;
    private volatile LinkState state = LinkState.CONNECTING;
    private volatile long lastRoundTripMillis = -1;
    private volatile boolean closed;

    private AgentClient(Connector connector, Consumer<Frame> events, ClientSettings settings) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.events = Objects.requireNonNull(events, "events");
        this.settings = Objects.requireNonNull(settings, "settings");
        SecureRandom random = new SecureRandom();
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffCap(), random);
        this.nextNonce = new AtomicLong(random.nextLong());
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "agent-client");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /**
     * Starts a client: connects in the background (calls made before the link is up wait for
     * it) and starts heartbeats.
     *
     * @param connector opens a link to the agent
     * @param events receives EVENT frames, on the transport's thread
     */
    public static AgentClient start(Connector connector, Consumer<Frame> events, ClientSettings settings) {
        AgentClient c = new AgentClient(connector, events, settings);
        c.submit(c::connectNow);
        long every = settings.heartbeatInterval().toMillis();
        c.scheduler.scheduleAtFixedRate(c::heartbeatTick, every, every, TimeUnit.MILLISECONDS);
        c.scheduler.scheduleAtFixedRate(c::expireParts, PART_SWEEP_MILLIS, PART_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        return c;
    }

    /**
     * Sends a signed envelope and returns the future of its reply: a REPLY or REJECTED frame
     * whose request id matches. The future fails with {@link RequestTimeoutException} when no
     * reply arrives within {@code timeout}; {@code cancel} forgets the request (a later reply
     * is ignored). While the link is down the request waits and is sent on reconnect.
     *
     * @param requestId the 16-byte request id inside {@code envelope}
     * @param envelope an ENVELOPE (or, from a relay, RELAYED_ENVELOPE) frame; its bytes are resent
     *     unchanged after a reconnect
     */
    public CompletableFuture<Frame> call(byte[] requestId, Frame envelope, Duration timeout) {
        return call(requestId, envelope, timeout, () -> {});
    }

    /**
     * {@link #call(byte[], Frame, Duration)}, telling {@code onResend} each time the envelope is
     * sent again on a new link (the earlier link died after it was handed to it, so the agent may
     * have received and run it). The caller learns whether a refusal can answer an earlier copy.
     */
    public CompletableFuture<Frame> call(byte[] requestId, Frame envelope, Duration timeout, Runnable onResend) {
        Objects.requireNonNull(onResend, "onResend");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(timeout, "timeout");
        if (requestId.length != REQUEST_ID_BYTES) {
            throw new IllegalArgumentException(
                    "request id must be " + REQUEST_ID_BYTES + " bytes, got " + requestId.length);
        }
        if (envelope.type() != FrameType.ENVELOPE && envelope.type() != FrameType.RELAYED_ENVELOPE) {
            throw new IllegalArgumentException(
                    "call needs an ENVELOPE or RELAYED_ENVELOPE frame, got " + envelope.type());
        }
        if (envelope.payload().length > FrameEncoder.DEFAULT_MAX_PAYLOAD) {
            throw new IllegalArgumentException("envelope is " + envelope.payload().length
                    + " bytes; a frame carries at most " + FrameEncoder.DEFAULT_MAX_PAYLOAD);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        String key = HexFormat.of().formatHex(requestId);
        CompletableFuture<Frame> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new IOException("agent client is closed"));
            return future;
        }
        Pending p = new Pending(
                order.incrementAndGet(),
                envelope,
                future,
                new java.util.concurrent.atomic.AtomicReference<>(),
                onResend);
        if (pending.putIfAbsent(key, p) != null) {
            throw new IllegalArgumentException("request " + prefix(key) + "... is already in flight");
        }
        ScheduledFuture<?> timer;
        try {
            timer = scheduler.schedule(
                    () -> {
                        // Forget it before completing: a caller woken by the timeout must already see it gone.
                        pending.remove(key, p);
                        future.completeExceptionally(new RequestTimeoutException(prefix(key), timeout));
                    },
                    timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(key, p);
            future.completeExceptionally(new IOException("agent client is closed"));
            return future;
        }
        // Every way out (reply, timeout, cancel, close) forgets the request and its timer.
        future.whenComplete((frame, error) -> {
            pending.remove(key, p);
            timer.cancel(false);
            assembler.forget(key);
        });
        FrameChannel ch = channel;
        if (ch != null) {
            p.sendOnce(this, ch);
        } // else: sent by connectNow once the link is up
        return future;
    }

    /** Whether the link is up, down, or being (re)established. */
    public LinkState linkState() {
        return state;
    }

    /** Round trip of the last answered heartbeat, if any was answered yet. */
    public OptionalLong lastRoundTripMillis() {
        long rtt = lastRoundTripMillis;
        return rtt < 0 ? OptionalLong.empty() : OptionalLong.of(rtt);
    }

    /** Replies and acks that matched nothing in flight, or could not be parsed. */
    public long unmatchedFrames() {
        return unmatched.get();
    }

    /** Successful connections after the first one. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Requests waiting for a reply. */
    public int inFlight() {
        return pending.size();
    }

    /** The link in use, for status displays; {@code null} while down. */
    public FrameChannel currentChannel() {
        return channel;
    }

    /** Closes the link and stops reconnecting; pending requests fail with an IOException. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        FrameChannel ch = channel;
        channel = null;
        state = LinkState.DOWN;
        if (ch != null) {
            ch.close();
        }
        for (Pending p : List.copyOf(pending.values())) {
            p.future().completeExceptionally(new IOException("agent client closed"));
        }
    }

    // --- link management, on the scheduler thread ---

    private void connectNow() {
        if (closed || channel != null) {
            return;
        }
        state = LinkState.CONNECTING;
        FrameChannel ch;
        try {
            ch = connector.connect();
        } catch (IOException | RuntimeException e) {
            state = LinkState.DOWN;
            schedule(this::connectNow, backoff.next());
            return;
        }
        heartbeatsSentNanos.clear();
        unansweredHeartbeats.set(0);
        channel = ch;
        ch.setListener(new LinkListener());
        if (closed) {
            ch.close();
            return;
        }
        state = LinkState.UP;
        backoff.reset();
        List<Pending> toSend = new ArrayList<>(pending.values());
        toSend.sort(Comparator.comparingLong(Pending::order));
        for (Pending p : toSend) {
            if (!p.future().isDone() && !p.sendOnce(this, ch)) {
                return;
            }
        }
    }

    private void linkLost(FrameChannel ch) {
        if (channel != ch || ch == null) {
            return; // an older link, already replaced
        }
        channel = null;
        state = LinkState.DOWN;
        ch.close();
        assembler.reset(); // parts never continue on another link; the resend gets them all again
        if (!closed) {
            reconnects.incrementAndGet();
            schedule(this::connectNow, backoff.next());
        }
    }

    private void heartbeatTick() {
        FrameChannel ch = channel;
        if (ch == null) {
            return;
        }
        if (unansweredHeartbeats.get() >= settings.missedHeartbeatsLimit()) {
            linkLost(ch); // the agent stopped answering: dead even if the socket looks fine
            return;
        }
        long nonce = nextNonce.incrementAndGet();
        heartbeatsSentNanos.put(nonce, System.nanoTime());
        unansweredHeartbeats.incrementAndGet();
        Heartbeat hb = Heartbeat.newBuilder()
                .setNonce(nonce)
                .setSentMillis(System.currentTimeMillis())
                .setAck(false)
                .build();
        trySend(ch, new Frame(FrameType.HEARTBEAT, hb.toByteArray()));
    }

    private boolean trySend(FrameChannel ch, Frame frame) {
        try {
            ch.send(frame);
            return true;
        } catch (IOException e) {
            submit(() -> linkLost(ch));
            return false;
        }
    }

    private void submit(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            // Closed.
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed.
        }
    }

    private static String prefix(String hex) {
        return hex.substring(0, Math.min(hex.length(), ID_PREFIX_BYTES * 2));
    }

    // --- inbound, on the transport's thread ---

    private final class LinkListener implements FrameListener {
        @Override
        public void onFrame(FrameChannel ch, Frame frame) {
            switch (frame.type()) {
                case REPLY, REJECTED -> onReply(frame);
                case REPLY_PART -> onReplyPart(ch, frame);
                case HEARTBEAT -> onHeartbeat(ch, frame);
                case EVENT -> {
                    try {
                        events.accept(frame);
                    } catch (RuntimeException e) {
                        // The event consumer's bug must not break request correlation.
                    }
                }
                default -> unmatched.incrementAndGet(); // an agent never sends envelopes
            }
        }

        @Override
        public void onClosed(FrameChannel ch, Throwable cause) {
            submit(() -> linkLost(ch));
        }
    }

    private void onReply(Frame frame) {
        ByteString id;
        try {
            id = frame.type() == FrameType.REPLY
                    ? Reply.parseFrom(frame.payload()).getRequestId()
                    : Rejected.parseFrom(frame.payload()).getRequestId();
        } catch (InvalidProtocolBufferException e) {
            unmatched.incrementAndGet();
            return;
        }
        String key = id.size() == REQUEST_ID_BYTES ? HexFormat.of().formatHex(id.toByteArray()) : null;
        Pending p = key == null ? null : pending.get(key);
        if (p != null) {
            pending.remove(key, p); // before completing: a caller woken by the reply already sees it gone
        }
        if (p == null || !p.future().complete(frame)) {
            unmatched.incrementAndGet(); // unknown, already answered, timed out or cancelled
        }
    }

    private void onReplyPart(FrameChannel ch, Frame frame) {
        if (ch != channel) {
            unmatched.incrementAndGet(); // a late part of a link already given up
            return;
        }
        ReplyAssembler.Outcome outcome = assembler.accept(frame.payload(), id -> {
            Pending p = pending.get(id);
            return p != null && !p.future().isDone();
        });
        if (outcome instanceof ReplyAssembler.Complete c) {
            onReply(c.reply());
        } else if (outcome instanceof ReplyAssembler.Failed f) {
            fail(f);
        } else if (outcome instanceof ReplyAssembler.Ignored) {
            unmatched.incrementAndGet();
        } // else Partial: more to come
    }

    private void expireParts() {
        assembler.expire().forEach(this::fail);
    }

    private void fail(ReplyAssembler.Failed f) {
        Pending p = pending.get(f.requestIdHex());
        if (p != null) {
            p.future().completeExceptionally(f.error());
        }
    }

    private void onHeartbeat(FrameChannel ch, Frame frame) {
        Heartbeat hb;
        try {
            hb = Heartbeat.parseFrom(frame.payload());
        } catch (InvalidProtocolBufferException e) {
            unmatched.incrementAndGet();
            return;
        }
        if (!hb.getAck()) {
            // The agent checks on us: answer in kind.
            Heartbeat ack = hb.toBuilder().setAck(true).build();
            trySend(ch, new Frame(FrameType.HEARTBEAT, ack.toByteArray()));
            return;
        }
        Long sent = heartbeatsSentNanos.remove(hb.getNonce());
        if (sent == null) {
            unmatched.incrementAndGet();
            return;
        }
        lastRoundTripMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        unansweredHeartbeats.set(0);
        // Heartbeats sent before this one no longer matter: the link answered after them.
        heartbeatsSentNanos.values().removeIf(t -> t - sent < 0);
    }
}
