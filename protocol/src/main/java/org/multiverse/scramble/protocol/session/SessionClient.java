package org.multiverse.scramble.protocol.session;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.envelope.EnvelopeCodec;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.ratelimit.CommandClass;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.protocol.v1.ReplyBody;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.replay.ReplayGuard;
import org.multiverse.scramble.suite.seal.ReplySealer;
import org.multiverse.scramble.suite.seal.SealException;
import org.multiverse.scramble.suite.sign.SignatureContext;
import org.multiverse.scramble.suite.sign.Signatures;

/**
 * The shell's side of one agent link: signs each command with the session key, sends it,
 * and opens the sealed reply, checking it comes from the pinned agent.
 *
 * <p>Sequence numbers are per (session, target agent): {@code max(previous + 1, now in ms)}.
 * Tying them to the clock lets a session handed to another process (a script) continue without
 * knowing the last number used, while staying dense enough (one per millisecond at rest) for the
 * agent's sliding window. If the agent restarted and its persisted high-water mark reserved
 * numbers ahead ({@link ReplayGuard#RESERVE_AHEAD}), a new command can be refused as REPLAYED
 * without having run; the client then skips past the reserve and sends it once more, as a new
 * envelope with a new request id — but only when that refusal provably answers a command that did
 * not run: see {@link ResendRule}. A state-changing command is otherwise never signed a second
 * time: after a lost link the same envelope is sent again, and the agent answers it from its
 * request ledger (the stored reply, or INTERRUPTED).
 */
public final class SessionClient implements AutoCloseable {

    private final SessionKeys session;
    private final AgentClient link;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();
    private final java.util.Set<String> verifiedBindings = ConcurrentHashMap.newKeySet();
    private volatile ClientRateMirror mirror = ClientRateMirror.learning(System::nanoTime);
    private final EventReceiver events;
    private volatile ScrambleId firstHop;
    private volatile java.util.function.BiConsumer<ScrambleId, org.multiverse.scramble.protocol.v1.AuditWitness>
            witnessSink = (agent, w) -> {};

    /**
     * @param session     the unlocked session (certificate and keys)
     * @param link        the connection to the first agent (the target, or the relay)
     */
    public SessionClient(SessionKeys session, AgentClient link, Clock clock) {
        this.session = session;
        this.link = link;
        this.clock = clock;
        this.events = new EventReceiver(session.x25519Private(), this::checkReplyKey, link::reconnects);
    }

    /** The connection underneath (link state, round-trip time). */
    public AgentClient link() {
        return link;
    }

    /** The shell's mirror of the agent's token buckets. */
    public ClientRateMirror rateMirror() {
        return mirror;
    }

    /** Replaces the mirror (for buckets configured to match the agent's policy). */
    public void rateMirror(ClientRateMirror m) {
        this.mirror = m;
    }

    /**
     * The pinned ID of the agent at the end of this link. For a command routed through it, its
     * own sealed refusals (route down, its policy or rate limit, {@code ROUTE_LOOP}) are accepted
     * as the answer; a result is accepted from the target only (SPEC.md section 13.3).
     */
    public void firstHop(ScrambleId agent) {
        this.firstHop = agent;
    }

    /**
     * Where the audit witness of every authentic reply goes (SPEC §13.4), with the pinned agent
     * that sealed it; called before the reply's outcome is handed on. Must not block or throw.
     */
    public void onAuditWitness(
            java.util.function.BiConsumer<ScrambleId, org.multiverse.scramble.protocol.v1.AuditWitness> sink) {
        this.witnessSink = sink;
    }

    /** Where opened events go. */
    public void onEvent(Consumer<EventBody> sink) {
        events.onEvent(sink);
    }

    /** The event streams of this link: where events are delivered, what was dropped. */
    public EventReceiver events() {
        return events;
    }

    /**
     * Signs and sends a command to {@code target} (over {@code route} when the first agent relays
     * it; empty for a direct link) and returns its opened outcome.
     */
    public CompletableFuture<CommandOutcome> send(Command command, ScrambleId target, String route, Duration timeout) {
        CommandClass cls = CommandClass.of(command.getKindCase());
        long wait = mirror.tryTake(cls);
        if (wait > 0) {
            return CompletableFuture.failedFuture(
                    new RateLimitedLocallyException(cls.name().toLowerCase(), wait));
        }
        return sendOnce(command, target, route, timeout, true);
    }

    private CompletableFuture<CommandOutcome> sendOnce(
            Command command, ScrambleId target, String route, Duration timeout, boolean mayRetryReserve) {
        AtomicLong seq = sequences.computeIfAbsent(target.text(), k -> new AtomicLong());
        long now = clock.millis();
        Envelope envelope = sign(command, target, route, seq.updateAndGet(prev -> Math.max(prev + 1, now)));
        byte[] requestId = envelope.getRequestId().toByteArray();
        boolean subscribes = command.getKindCase() == Command.KindCase.AGENT_SUBSCRIBE;
        if (subscribes && !events.expect(requestId, target)) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("this link already holds " + EventReceiver.MAX_LIVE + " subscriptions"));
        }
        java.util.concurrent.atomic.AtomicBoolean resent = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<CommandOutcome> answered = link.call(
                        requestId,
                        new Frame(FrameType.ENVELOPE, envelope.toByteArray()),
                        timeout,
                        () -> resent.set(true))
                .thenCompose(frame -> {
                    CommandOutcome outcome;
                    try {
                        outcome = open(frame, requestId, target, route);
                    } catch (AgentKeyException e) {
                        throw new CompletionException(e);
                    }
                    if (mayRetryReserve
                            && outcome instanceof CommandOutcome.Failed f
                            && f.error().getCode() == ErrorCode.REPLAYED) {
                        if (!ResendRule.maySignAgain(command.getKindCase(), resent.get())) {
                            return CompletableFuture.completedFuture(ResendRule.unknownOutcome(command.getKindCase()));
                        }
                        seq.addAndGet(ReplayGuard.RESERVE_AHEAD + 1);
                        return sendOnce(command, target, route, timeout, false);
                    }
                    if (outcome instanceof CommandOutcome.Failed f && f.error().getCode() == ErrorCode.RATE_LIMITED) {
                        mirror.agentSaidWait(
                                CommandClass.of(command.getKindCase()),
                                f.error().getRetryAfterMillis());
                    }
                    return CompletableFuture.completedFuture(outcome);
                });
        if (subscribes) {
            answered.whenComplete((o, failure) -> {
                if (o instanceof CommandOutcome.Ok) {
                    events.confirmed(requestId);
                } else {
                    events.forget(requestId);
                }
            });
        }
        return answered;
    }

    private Envelope sign(Command command, ScrambleId target, String route, long sequence) {
        byte[] requestId = new byte[EnvelopeSigner.REQUEST_ID_BYTES];
        random.nextBytes(requestId);
        return EnvelopeSigner.sign(session, command, target, route, sequence, clock.millis(), requestId);
    }

    private CommandOutcome open(Frame frame, byte[] requestId, ScrambleId target, String route)
            throws AgentKeyException {
        if (frame.type() == FrameType.REJECTED) {
            return new CommandOutcome.Rejected(
                    EnvelopeCodec.parseRejected(frame.payload()).getCode());
        }
        Reply reply;
        try {
            reply = EnvelopeCodec.parseReply(frame.payload());
        } catch (RuntimeException e) {
            throw new AgentKeyException("unreadable reply: " + e.getMessage());
        }
        ScrambleId relay = firstHop;
        boolean fromRelay = !route.isEmpty()
                && relay != null
                && !relay.equals(target)
                && reply.getAgentId().equals(relay.text());
        byte[] replyKey = checkReplyKey(
                fromRelay ? relay : target,
                reply.getAgentId(),
                reply.getAgentReplyKey(),
                reply.getAgentReplyKeySignature());
        try {
            byte[] plain = ReplySealer.open(
                    session.x25519Private(),
                    replyKey,
                    requestId,
                    reply.getEnc().toByteArray(),
                    reply.getCiphertext().toByteArray());
            ReplyBody body = ReplyBody.parseFrom(plain);
            if (!body.getRequestId().equals(ByteString.copyFrom(requestId))) {
                throw new AgentKeyException("reply is for another request");
            }
            if (fromRelay && body.getOutcomeCase() != ReplyBody.OutcomeCase.ERROR) {
                throw new AgentKeyException("the relay " + relay.shortForm() + " answered for " + target.shortForm()
                        + " with a result; only the target's results count");
            }
            if (body.hasAudit() && !fromRelay) { // a relay's own error carries its own head
                witnessSink.accept(target, body.getAudit());
            }
            return switch (body.getOutcomeCase()) {
                case RESULT -> new CommandOutcome.Ok(body.getResult(), body.getAgentTimeMillis());
                case ERROR -> new CommandOutcome.Failed(body.getError());
                default -> throw new AgentKeyException("reply carries neither result nor error");
            };
        } catch (SealException e) {
            throw new AgentKeyException(e.getMessage());
        } catch (InvalidProtocolBufferException e) {
            throw new AgentKeyException("sealed reply does not hold a ReplyBody");
        }
    }

    private byte[] checkReplyKey(ScrambleId target, String agentId, ByteString key, ByteString signature)
            throws AgentKeyException {
        if (!agentId.equals(target.text())) {
            throw new AgentKeyException(
                    "reply from agent " + abbreviate(agentId) + ", but " + target.shortForm() + " was addressed");
        }
        // An agent's reply key does not change while it runs: verify its binding once per
        // (agent, key, signature) rather than once per reply.
        String binding = agentId + "/" + HexFormat.of().formatHex(key.toByteArray()) + "/"
                + HexFormat.of().formatHex(signature.toByteArray());
        byte[] k = key.toByteArray();
        if (!verifiedBindings.contains(binding)) {
            if (!Signatures.verify(target.publicKey(), SignatureContext.AGENT_ENROLMENT, k, signature.toByteArray())) {
                throw new AgentKeyException("the reply key is not signed by the pinned agent " + target.shortForm());
            }
            verifiedBindings.add(binding);
        }
        return k;
    }

    /**
     * Opens an EVENT frame of one of this session's subscriptions and hands it to the sink, or
     * drops and counts it ({@link EventReceiver}).
     */
    public void deliverEvent(Frame frame) {
        events.deliver(frame);
    }

    private static String abbreviate(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 16 ? p.substring(0, 16) + "…" : p;
    }

    @Override
    public void close() {
        link.close();
        events.close();
    }
}
