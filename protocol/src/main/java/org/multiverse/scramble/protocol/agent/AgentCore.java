package org.multiverse.scramble.protocol.agent;

import com.google.protobuf.ByteString;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.agent.audit.AuditAnchor;
import org.multiverse.scramble.protocol.agent.audit.AuditHead;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.agent.policy.PolicyDecision;
import org.multiverse.scramble.protocol.command.CommandCatalog;
import org.multiverse.scramble.protocol.envelope.EnvelopeCodec;
import org.multiverse.scramble.protocol.envelope.MalformedMessageException;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.ratelimit.CommandClass;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.FrameListener;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.Heartbeat;
import org.multiverse.scramble.protocol.v1.RejectCode;
import org.multiverse.scramble.protocol.v1.Rejected;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.protocol.v1.ReplyBody;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.suite.cert.CertificateVerifier;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionCertificate;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.replay.FreshnessWindow;
import org.multiverse.scramble.suite.replay.ReplayGuard;
import org.multiverse.scramble.suite.replay.ReplayStateException;
import org.multiverse.scramble.suite.seal.ReplySealer;
import org.multiverse.scramble.suite.seal.SealedReply;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * The server side every agent shares: the pipeline one envelope goes through, in order.
 * <ol>
 * <li>pre-authentication budget of the channel (frames, bytes, failed signature checks, envelopes in
 *     flight) — {@link ChannelGate}</li>
 * <li>decode — {@link EnvelopeCodec}</li>
 * <li>verify certificate chain, signature, target, freshness — {@link EnvelopeVerifier}</li>
 * <li>deduplicate by request id — {@link RequestLedger} for state-changing requests of an earlier
 *     run, {@link ReplyCache} for this run's; then the sequence window — {@link ReplayGuard}</li>
 * <li>policy, default deny — {@link PolicyHolder}</li>
 * <li>rate limit per identity and command class — {@link RateGate}</li>
 * <li>audit the decision — {@link AuditLog}; for a state-changing command it is fsync'd, and the
 *     request is recorded in the {@link RequestLedger}, fsync'd, before the handler runs</li>
 * <li>dispatch to the handler ({@link HandlerRegistry}) or relay, one hop, after the relay's own
 *     policy, rate limit and deduplication ({@link Relay})</li>
 * <li>audit the outcome, then answer sealed to the session key — {@link ReplySealer}; input that
 *     cannot be attributed gets only a {@code Rejected} frame</li>
 * </ol>
 * Agents differ only in the handlers they register.
 */
public final class AgentCore implements Closeable {

    /**
     * Commands run at once; more wait in the queue. Most of a command's time is spent waiting for
     * the audit fsync (shared by every command in the same group commit) or for QEMU, not on a core,
     * so there are more workers than cores.
     */
    static final int WORKERS = 16;
    /** Envelopes waiting for a worker; past this an agent under a flood answers OVERLOADED. */
    static final int QUEUE = 1024;
    /**
     * Workers for envelopes of links that have not authenticated: what an outsider sends is
     * verified here, so it can keep at most these threads busy and never queues ahead of a
     * working session's commands. A link's first command runs here too (it authenticates the
     * link), so there are a few.
     */
    static final int STRANGER_WORKERS = 4;
    /** Envelopes of unauthenticated links waiting; past this they are answered OVERLOADED. */
    static final int STRANGER_QUEUE = 256;
    /** How long {@link #close()} waits for in-flight commands to finish. */
    static final long DRAIN_SECONDS = 30;

    private final String agentName;
    private final String version;
    private final Identity identity;
    private final AuthorizedRoots roots;
    private final RevocationStore revocations;
    private final PolicyHolder policy;
    private final HandlerRegistry handlers;
    private final EnvelopeVerifier verifier;
    private final ReplayGuard replay;
    private final ReplyCache replies = new ReplyCache();
    private final RequestLedger ledger;
    private final RelayedRequests relayed = new RelayedRequests();
    /** Buckets for what this agent relays, apart from its own commands' (a relayed revocation must not use up the host's). */
    private final RateGate relayRates = new RateGate(System::nanoTime);

    private final RateGate rates;
    private final AuditLog audit;
    private final AuditAnchor anchor;
    /** Successful read-only queries, counted and written as one summary entry per session and minute. */
    private final QueryAudit queries;

    private final Path auditDir;
    private final Relay relay;
    private final EventHub events;
    private final Clock clock;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor strangers;
    private final long startedMillis;
    private final Consumer<String> log;
    private final List<FrameChannel> channels = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final PeerBudgets peerBudgets = new PeerBudgets();
    private final RefusalSummaries summaries;
    private volatile boolean closing;
    /** The agent's X25519 key and its signature by the agent identity, sent with every reply. */
    private final ByteString replyKey;

    private final ByteString replyKeySignature;

    AgentCore(AgentSetup setup, HandlerRegistry handlers, Consumer<String> log) throws IOException {
        this.agentName = setup.agentName();
        this.version = setup.version();
        this.identity = setup.identity();
        this.roots = setup.roots();
        this.revocations = setup.revocations();
        this.policy = setup.policy();
        this.handlers = handlers;
        this.clock = setup.clock();
        this.log = log;
        this.auditDir = setup.stateDir().resolve("audit");
        this.audit = AuditLog.open(auditDir);
        try {
            this.anchor = AuditAnchor.start(auditDir, audit, identity, clock, log);
        } catch (IOException e) {
            audit.close();
            throw e;
        }
        try {
            this.replay = ReplayGuard.open(setup.stateDir().resolve("replay"));
        } catch (ReplayStateException e) {
            audit.close();
            anchor.close();
            throw new IOException("replay state: " + e.getMessage(), e);
        }
        try {
            this.ledger = RequestLedger.open(setup.stateDir().resolve("requests"));
            auditInterrupted();
            ledger.settleInterrupted();
        } catch (IOException e) {
            audit.close();
            anchor.close();
            throw e;
        }
        this.summaries = new RefusalSummaries(audit, clock, log, agentName + "-audit-summaries");
        this.relay = new Relay(setup.routes());
        this.queries = new QueryAudit(audit, clock, log);
        this.replyKey = ByteString.copyFrom(identity.x25519PublicKey());
        this.replyKeySignature =
                ByteString.copyFrom(identity.sign(SignatureContext.AGENT_ENROLMENT, identity.x25519PublicKey()));
        this.events = new EventHub(identity.id().text(), replyKey, replyKeySignature);
        CertificateVerifier certificates =
                new CertificateVerifier(roots::contains, revocations.list(), setup.maxSessionLifetime());
        this.verifier =
                new EnvelopeVerifier(identity.id(), roots, certificates, new FreshnessWindow(), relay.routeNames());
        this.rates = new RateGate(System::nanoTime);
        this.workers =
                new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, agentName + "-worker");
                    t.setDaemon(true);
                    return t;
                });
        this.strangers = new ThreadPoolExecutor(
                STRANGER_WORKERS,
                STRANGER_WORKERS,
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(STRANGER_QUEUE),
                r -> {
                    Thread t = new Thread(r, agentName + "-preauth-worker");
                    t.setDaemon(true);
                    return t;
                });
        this.startedMillis = clock.millis();
        AgentCommands.register(this, handlers);
    }

    /** Serves one link (an accepted socket, a virtio-serial port, a simulated channel). */
    public void attach(FrameChannel channel) {
        ChannelGate gate = new ChannelGate(peerBudgets, channel.peerKey());
        channels.add(channel);
        channel.setListener(new FrameListener() {
            @Override
            public void onFrame(FrameChannel ch, Frame frame) {
                if (!gate.admitFrame(frame.payload().length)) {
                    count(ErrorCode.RESOURCE_EXHAUSTED, "pre-auth budget");
                    return; // silently: answering a flood only feeds it
                }
                switch (frame.type()) {
                    case HEARTBEAT -> answerHeartbeat(ch, frame);
                    case ENVELOPE, RELAYED_ENVELOPE -> submit(ch, frame, gate);
                    default -> count(ErrorCode.INVALID_ARGUMENT, "unexpected frame " + frame.type());
                }
            }

            @Override
            public void onClosed(FrameChannel ch, Throwable cause) {
                channels.remove(ch);
                events.channelClosed(ch);
            }
        });
    }

    private void submit(FrameChannel ch, Frame frame, ChannelGate gate) {
        if (closing || !gate.tryEnter()) {
            count(ErrorCode.RESOURCE_EXHAUSTED, "channel busy");
            reject(ch, ByteString.EMPTY, RejectCode.OVERLOADED);
            return;
        }
        try {
            (gate.isAuthenticated() ? workers : strangers).execute(() -> {
                try {
                    process(ch, frame, gate);
                } finally {
                    gate.leave();
                }
            });
        } catch (RejectedExecutionException e) {
            gate.leave();
            count(ErrorCode.RESOURCE_EXHAUSTED, "queue full");
            reject(ch, ByteString.EMPTY, RejectCode.OVERLOADED);
        }
    }

    private void answerHeartbeat(FrameChannel ch, Frame frame) {
        try {
            Heartbeat hb = Heartbeat.parseFrom(frame.payload());
            if (!hb.getAck()) {
                Heartbeat ack = Heartbeat.newBuilder()
                        .setNonce(hb.getNonce())
                        .setSentMillis(hb.getSentMillis())
                        .setAck(true)
                        .build();
                ch.send(new Frame(FrameType.HEARTBEAT, ack.toByteArray()));
            }
        } catch (IOException e) {
            count(ErrorCode.INVALID_ARGUMENT, "bad heartbeat");
        }
    }

    /** The whole pipeline for one ENVELOPE frame, on a worker thread. */
    private void process(FrameChannel ch, Frame frame, ChannelGate gate) {
        long startNanos = System.nanoTime();
        Envelope envelope;
        try {
            envelope = EnvelopeCodec.parseEnvelope(frame.payload());
        } catch (MalformedMessageException e) {
            // The refusal names the request when its id is still readable, so the client can match it.
            Envelope idOnly = EnvelopeCodec.readableRequestId(frame.payload())
                    .map(id -> Envelope.newBuilder().setRequestId(id).build())
                    .orElse(null);
            java.util.OptionalLong version = EnvelopeCodec.readableProtocolVersion(frame.payload());
            if (version.isPresent() && version.getAsLong() != EnvelopeVerifier.PROTOCOL_VERSION) {
                // A newer sender may add envelope fields: its version, not those fields, is the news.
                refuse(ch, gate, idOnly, EnvelopeVerifier.unsupportedVersion(version.getAsLong()), "-", startNanos);
                return;
            }
            refuse(
                    ch,
                    gate,
                    idOnly,
                    Refusal.unattributable(
                            ErrorCode.INVALID_ARGUMENT, RejectCode.MALFORMED, "malformed envelope: " + e.getMessage()),
                    "-",
                    startNanos);
            return;
        }
        VerifiedEnvelope v = null;
        String commandName = "-";
        try {
            if (!gate.admitVerify()) {
                throw Refusal.unattributable(
                        ErrorCode.RESOURCE_EXHAUSTED,
                        RejectCode.OVERLOADED,
                        "too many failed signature checks on " + ch.peer() + "; refusing to verify for now");
            }
            v = verifier.verify(envelope, Instant.now(clock));
            if (v.isRelay()) {
                commandName = CommandName.of(v.command().getKindCase());
                relay(ch, gate, frame, v, commandName, startNanos);
                return;
            }
            commandName = CommandName.of(v.command().getKindCase());
            boolean changesState = changesState(v.command().getKindCase());
            if (changesState && answerFromLedger(ch, gate, v, frame.payload(), commandName)) {
                return;
            }
            ReplyCache.Claim claim = replies.claim(v.sessionKeyHex(), v.requestIdHex(), frame.payload());
            if (claim == ReplyCache.Claim.REUSED) {
                throw Refusal.sealed(
                        ErrorCode.REQUEST_ID_REUSED,
                        "request id " + v.requestIdHex()
                                + " was already used for another request; a new request needs a new id");
            }
            CompletableFuture<byte[]> earlier = claim.earlier();
            if (earlier != null) {
                answerDuplicate(ch, gate, v, commandName, earlier, startNanos);
                return;
            }
            checkSequence(v);
            gate.authenticated(ch);
            PolicyDecision decision = decide(v, commandName);
            rates.check(v.certificate().root(), CommandClass.of(v.command().getKindCase()), decision);
            AuditRecord acceptedEntry = entry(
                    v,
                    commandName,
                    org.multiverse.scramble.protocol.agent.audit.AuditDecisions.text(
                            org.multiverse.scramble.protocol.v1.AuditDecision.AUDIT_DECISION_ACCEPTED),
                    decision.reason(),
                    "",
                    0);
            if (changesState) {
                // On disk before acting: a crash must neither lose the record of an action that
                // happened nor let a resend of this envelope run it again. The ledger first: once
                // the audit shows the accept, a resend after a crash is answered from the ledger.
                ledger.accepted(
                        v.sessionKeyHex(),
                        v.requestIdHex(),
                        frame.payload(),
                        v.certificate().root().text(),
                        v.certificate().sessionIdShort(),
                        commandName);
                audit.appendAndWait(acceptedEntry);
            } else if (!QueryAudit.summarises(v.command().getKindCase())) {
                // Written before acting; made durable together with the outcome before the reply leaves.
                // A read-only query is counted instead, once answered (QueryAudit).
                audit.appendAndWaitWritten(acceptedEntry);
            }
            accepted.incrementAndGet();
            execute(ch, v, commandName, decision, startNanos);
        } catch (Refusal r) {
            if ((!r.attributable && r.rejectCode == RejectCode.UNAUTHENTICATED)
                    || (r.attributable && !gate.isAuthenticated())) {
                // Forgeries, and replays of captured envelopes on links that never authenticated,
                // use up the budget; good signatures on an authenticated link do not.
                gate.chargeFailedVerify();
            }
            if (v != null && r.certificate == null) {
                r.from(v.certificate());
            }
            refuse(ch, gate, envelope, r, commandName, startNanos);
        } catch (IOException e) {
            // The audit log could not be written: do nothing without a record.
            log.accept("audit write failed, command not executed: " + e.getMessage());
            Refusal r = Refusal.sealed(ErrorCode.UNAVAILABLE, "the agent cannot write its audit log; nothing was done");
            if (v != null) {
                r.from(v.certificate());
            }
            answer(ch, r, envelope);
        }
    }

    private void checkSequence(VerifiedEnvelope v) throws Refusal {
        ReplayGuard.Decision d;
        try {
            d = replay.accept(
                    v.sessionKeyHex(), identity.id().text(), v.envelope().getSequence());
        } catch (ReplayStateException e) {
            throw Refusal.sealed(ErrorCode.UNAVAILABLE, "replay state cannot be saved: " + e.getMessage());
        }
        if (d != ReplayGuard.Decision.ACCEPTED) {
            throw Refusal.sealed(
                    ErrorCode.REPLAYED,
                    "sequence number " + v.envelope().getSequence() + " was already used or is below the window (" + d
                            + ")");
        }
    }

    private PolicyDecision decide(VerifiedEnvelope v, String commandName) throws Refusal {
        Command.KindCase kind = v.command().getKindCase();
        // The descriptor says, explicitly, which commands a read-only session may run.
        if (v.scope() == Scope.READ_ONLY
                && kind != Command.KindCase.KIND_NOT_SET
                && !CommandCatalog.of(kind).readOnlyAllowed()) {
            throw Refusal.sealed(ErrorCode.POLICY_DENIED, commandName + " is not open to read-only sessions");
        }
        PolicyDecision decision =
                policy.current().decide(commandName, v.certificate().root(), v.scope());
        if (!decision.allowed()) {
            throw Refusal.sealed(ErrorCode.POLICY_DENIED, commandName + ": " + decision.reason());
        }
        return decision;
    }

    private void execute(
            FrameChannel ch, VerifiedEnvelope v, String commandName, PolicyDecision decision, long startNanos)
            throws IOException {
        ReplyBody.Builder body =
                ReplyBody.newBuilder().setRequestId(v.envelope().getRequestId());
        String result;
        CommandContext context = new CommandContext(
                v.certificate().root(),
                v.certificate(),
                v.envelope().getRequestId().toByteArray(),
                decision.options(),
                events);
        try {
            CommandHandler handler = handlers.lookup(v.command().getKindCase())
                    .orElseThrow(() -> new CommandException(
                            ErrorCode.UNSUPPORTED_COMMAND, "the " + agentName + " does not serve " + commandName));
            if (v.command().getKindCase() == Command.KindCase.AGENT_SUBSCRIBE) {
                subscribe(ch, v);
            }
            Result r = handler.handle(context, v.command());
            body.setResult(r);
            result = "ok";
        } catch (CommandException e) {
            body.setError(Error.newBuilder().setCode(e.code()).setMessage(e.getMessage()));
            result = e.code().name();
        } catch (RuntimeException e) {
            log.accept(commandName + " failed: " + e);
            body.setError(Error.newBuilder()
                    .setCode(ErrorCode.INTERNAL)
                    .setMessage(commandName + " failed inside the agent: "
                            + e.getClass().getSimpleName()));
            result = ErrorCode.INTERNAL.name();
        }
        if (ReplySizes.replaceIfTooLarge(body, commandName)) {
            result = ErrorCode.RESOURCE_EXHAUSTED.name(); // the answer cannot be sent: audited as failed
        }
        // A query that went well is counted once delivered; any other outcome has its own entry.
        boolean summarised = QueryAudit.summarises(v.command().getKindCase()) && result.equals("ok");
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        if (!summarised) {
            record(
                    v,
                    commandName,
                    org.multiverse.scramble.protocol.agent.audit.AuditDecisions.text(
                            org.multiverse.scramble.protocol.v1.AuditDecision.AUDIT_DECISION_DONE),
                    "",
                    result,
                    ms);
        }
        String undelivered = send(ch, v, body);
        if (undelivered != null) {
            record(
                    v,
                    commandName,
                    org.multiverse.scramble.protocol.agent.audit.AuditDecisions.text(
                            org.multiverse.scramble.protocol.v1.AuditDecision.AUDIT_DECISION_UNDELIVERED),
                    undelivered,
                    "UNDELIVERED",
                    (System.nanoTime() - startNanos) / 1_000_000);
        } else if (summarised) {
            queries.count(v.certificate().root().text(), v.certificate().sessionIdShort(), commandName);
        }
    }

    private static boolean changesState(Command.KindCase kind) {
        return kind != Command.KindCase.KIND_NOT_SET && CommandCatalog.of(kind).changesState();
    }

    /** Audits, once at start, each state change the last run accepted and never finished. */
    private void auditInterrupted() throws IOException {
        for (RequestLedger.Interrupted i : ledger.interruptedAtOpen()) {
            audit.appendAndWait(new AuditRecord(
                    0,
                    Instant.now(clock).toString(),
                    i.identity(),
                    i.session(),
                    i.requestIdHex(),
                    i.command(),
                    org.multiverse.scramble.protocol.agent.audit.AuditDecisions.text(
                            org.multiverse.scramble.protocol.v1.AuditDecision.AUDIT_DECISION_DONE),
                    "the agent stopped while it ran; its result is unknown",
                    ErrorCode.INTERRUPTED.name(),
                    0));
            log.accept(i.command() + " " + i.requestIdHex() + " was interrupted by the agent stopping");
        }
    }

    /**
     * Answers a request the ledger holds from an earlier run of the agent: the stored reply if it
     * finished, INTERRUPTED if the agent stopped while it ran. Never runs it. Returns false for a
     * request the ledger does not know from an earlier run.
     */
    private boolean answerFromLedger(
            FrameChannel ch, ChannelGate gate, VerifiedEnvelope v, byte[] envelopeBytes, String commandName)
            throws Refusal, IOException {
        RequestLedger.Entry past = ledger.earlier(v.sessionKeyHex(), v.requestIdHex());
        if (past == null) {
            return false;
        }
        if (!past.sameEnvelope(envelopeBytes)) {
            throw Refusal.sealed(
                    ErrorCode.REQUEST_ID_REUSED,
                    "request id " + v.requestIdHex()
                            + " was already used for another request; a new request needs a new id");
        }
        String how;
        if (past.state() == RequestLedger.State.DONE && past.reply().length > 0) {
            how = "answered before the agent restarted; same sealed reply sent again";
        } else if (past.state() == RequestLedger.State.DONE) {
            how = "finished before the agent restarted; its reply was too large to keep";
        } else {
            how = "interrupted by the agent stopping; answered INTERRUPTED";
        }
        auditDuplicate(
                ch,
                gate,
                v,
                commandName,
                how,
                past.state() == RequestLedger.State.INTERRUPTED ? ErrorCode.INTERRUPTED.name() : "");
        if (past.state() == RequestLedger.State.DONE && past.reply().length > 0) {
            sendFrame(ch, new Frame(FrameType.REPLY, past.reply()));
            return true;
        }
        Error.Builder err = past.state() == RequestLedger.State.DONE
                ? Error.newBuilder()
                        .setCode(ErrorCode.UNAVAILABLE)
                        .setMessage(commandName + " finished before the agent restarted, but its reply was too"
                                + " large to keep; check its state")
                : Error.newBuilder()
                        .setCode(ErrorCode.INTERRUPTED)
                        .setMessage(commandName + " was interrupted by an agent restart: it started, its result"
                                + " is unknown, and it was not run again");
        send(
                ch,
                v.certificate(),
                v.envelope().getRequestId(),
                ReplyBody.newBuilder().setRequestId(v.envelope().getRequestId()).setError(err),
                false);
        return true;
    }

    private void subscribe(FrameChannel ch, VerifiedEnvelope v) throws CommandException {
        byte[] id = v.envelope().getRequestId().toByteArray();
        var sealer = org.multiverse.scramble.suite.seal.StreamSealer.create(
                identity.x25519Private(), v.certificate().sessionX25519Key(), id);
        if (!events.subscribe(ch, id, v.command().getAgentSubscribe().getKindsList(), sealer, log)) {
            sealer.close();
            throw new CommandException(ErrorCode.RESOURCE_EXHAUSTED, "this agent has too many subscriptions");
        }
    }

    /**
     * Step 8 for an envelope addressed to another agent: the relay's own checks (one hop only,
     * deduplication, policy, rate limit; revocation was checked by the verifier), an audit entry,
     * then one forward. Every copy of the envelope is answered from the same outcome.
     */
    private void relay(
            FrameChannel ch, ChannelGate gate, Frame frame, VerifiedEnvelope v, String commandName, long startNanos)
            throws Refusal, IOException {
        String route = v.envelope().getRoute();
        if (frame.type() == FrameType.RELAYED_ENVELOPE) {
            throw Refusal.sealed(
                    ErrorCode.ROUTE_LOOP,
                    "a relayed envelope for another agent reached the " + agentName + " over route '" + route
                            + "': a relay forwards one hop only (a routing loop?); nothing was run");
        }
        RelayedRequests.Claim claim = relayed.claim(v.sessionKeyHex(), v.requestIdHex(), frame.payload());
        if (claim.reused()) {
            throw Refusal.sealed(
                    ErrorCode.REQUEST_ID_REUSED,
                    "request id " + v.requestIdHex()
                            + " was already relayed for another request; a new request needs a new id");
        }
        byte[] requestId = v.envelope().getRequestId().toByteArray();
        if (!claim.isNew()) {
            auditDuplicate(
                    ch,
                    gate,
                    v,
                    commandName,
                    "already relayed to route " + route + "; the same answer is sent again",
                    "");
            relay.followEvents(requestId, ch);
            deliverRelayed(ch, v, claim.answer());
            return;
        }
        try {
            if (relay.isDown(route)) {
                // Said before policy and rate limit: a route that is down costs the person no token.
                throw Refusal.sealed(ErrorCode.UNAVAILABLE, "route '" + route + "' is down; nothing was relayed");
            }
            PolicyDecision decision = decide(v, commandName);
            relayRates.check(v.certificate().root(), CommandClass.of(v.command().getKindCase()), decision);
            record(
                    v,
                    commandName,
                    org.multiverse.scramble.protocol.agent.audit.AuditDecisions.text(
                            org.multiverse.scramble.protocol.v1.AuditDecision.AUDIT_DECISION_RELAYED),
                    "to route " + route + "; " + decision.reason(),
                    "",
                    0);
            // A link that only ever sends routed commands is as authenticated as one that runs
            // them here: without this, a shell talking only to the router would be cut at the
            // authentication deadline.
            gate.authenticated(ch);
        } catch (Refusal r) {
            if (r.code == ErrorCode.UNAVAILABLE) {
                relayed.forget(v.sessionKeyHex(), v.requestIdHex(), claim.answer()); // a resend may find it up
            }
            claim.answer().completeExceptionally(r.from(v.certificate())); // copies waiting get it too
            throw r;
        } catch (IOException e) {
            relayed.forget(v.sessionKeyHex(), v.requestIdHex(), claim.answer());
            claim.answer()
                    .completeExceptionally(Refusal.sealed(
                                    ErrorCode.UNAVAILABLE, "the agent cannot write its audit log; nothing was relayed")
                            .from(v.certificate()));
            throw e;
        }
        relay.forward(route, requestId, frame.payload(), ch).whenComplete((answer, failure) -> {
            Relay.Origin origin = failure == null
                    ? Relay.originOf(
                            answer,
                            v.envelope().getTargetAgent(),
                            v.envelope()
                                    .getTargetAgent()
                                    .equals(v.certificate().root().text()))
                    : Relay.Origin.GARBAGE;
            if (origin == Relay.Origin.TARGET) {
                claim.answer().complete(answer);
                return;
            }
            Refusal r;
            if (origin == Relay.Origin.OTHER_AGENT) {
                r = Refusal.sealed(
                        ErrorCode.ROUTE_LOOP,
                        "route '" + route + "' leads to another agent than the one addressed (a routing loop or a "
                                + "misconfigured route); nothing was run there");
            } else {
                // Not kept: a later resend is forwarded again; the target's own deduplication runs it once.
                relayed.forget(v.sessionKeyHex(), v.requestIdHex(), claim.answer());
                r = Refusal.sealed(
                        ErrorCode.UNAVAILABLE,
                        "route '" + route + "' did not answer: "
                                + (failure == null ? "its answer is not the target's reply" : messageOf(failure)));
            }
            r.from(v.certificate());
            count(r.code, r.getMessage());
            audit.append(entry(
                    v,
                    commandName,
                    org.multiverse.scramble.protocol.agent.audit.AuditDecisions.text(
                            org.multiverse.scramble.protocol.v1.AuditDecision.AUDIT_DECISION_DONE),
                    r.getMessage(),
                    r.code.name(),
                    (System.nanoTime() - startNanos) / 1_000_000));
            claim.answer().completeExceptionally(r);
        });
        deliverRelayed(ch, v, claim.answer());
    }

    /** Sends a relayed request's answer on {@code ch} once it is known: the target's frame, or the relay's refusal. */
    private void deliverRelayed(FrameChannel ch, VerifiedEnvelope v, CompletableFuture<Frame> outcome) {
        outcome.whenComplete((frame, failure) -> {
            if (frame != null) {
                sendFrame(ch, frame);
            } else if (unwrap(failure) instanceof Refusal r) {
                answer(ch, r, v.envelope());
            } else {
                log.accept("relayed request " + v.requestIdHex() + " ended without an answer: " + failure);
            }
        });
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static String messageOf(Throwable t) {
        Throwable cause = unwrap(t);
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /**
     * The audit entry of a resend answered without running anything (this run's reply cache, the
     * request ledger of an earlier run, or the relay's record). A captured envelope replayed on a
     * link that is not authenticated costs a signature check of its peer's budget, and past the
     * peer's share of individual entries resends are counted into a summary: a replaying source
     * cannot turn each copy into an fsync'd entry (issue 14: bounded audit under any attack).
     */
    private void auditDuplicate(
            FrameChannel ch, ChannelGate gate, VerifiedEnvelope v, String commandName, String reason, String result)
            throws IOException {
        if (!gate.isAuthenticated()) {
            gate.chargeFailedVerify();
        }
        if (summaries.admit(ch.peerKey(), "duplicate", v.certificate().root().text())) {
            record(
                    v,
                    commandName,
                    org.multiverse.scramble.protocol.agent.audit.AuditDecisions.text(
                            org.multiverse.scramble.protocol.v1.AuditDecision.AUDIT_DECISION_DUPLICATE),
                    reason,
                    result,
                    0);
        }
    }

    private void answerDuplicate(
            FrameChannel ch,
            ChannelGate gate,
            VerifiedEnvelope v,
            String commandName,
            CompletableFuture<byte[]> earlier,
            long startNanos) {
        try {
            auditDuplicate(ch, gate, v, commandName, "request id already answered; same sealed reply sent again", "");
        } catch (IOException e) {
            log.accept("audit write failed for a duplicate: " + e.getMessage());
            return;
        }
        earlier.whenComplete((bytes, failure) -> {
            if (bytes != null) {
                sendFrame(ch, new Frame(FrameType.REPLY, bytes));
            }
        });
    }

    private void refuse(
            FrameChannel ch, ChannelGate gate, Envelope envelope, Refusal r, String commandName, long startNanos) {
        count(r.code, r.getMessage());
        SessionCertificate cert = r.certificate;
        String identityText = cert != null ? cert.root().text() : "unknown";
        String session = cert != null ? cert.sessionIdShort() : "-";
        String requestId = envelope != null && !envelope.getRequestId().isEmpty()
                ? HexFormat.of().formatHex(envelope.getRequestId().toByteArray())
                : "-";
        String reason = RefusalSummaries.cut(r.code.name() + ": " + r.getMessage());
        // What an outsider or a replayer can cause at will is summarised past a few entries.
        boolean individual =
                (cert != null && gate.isAuthenticated()) || summaries.admit(ch.peerKey(), r.code.name(), identityText);
        if (individual) {
            AuditRecord entry = new AuditRecord(
                    0,
                    Instant.now(clock).toString(),
                    identityText,
                    session,
                    requestId,
                    commandName,
                    org.multiverse.scramble.protocol.agent.audit.AuditDecisions.text(
                            org.multiverse.scramble.protocol.v1.AuditDecision.AUDIT_DECISION_REFUSED),
                    reason,
                    r.code.name(),
                    (System.nanoTime() - startNanos) / 1_000_000);
            try {
                if (cert != null) {
                    audit.appendAndWait(entry); // the person's refusal is on disk before they hear of it
                } else {
                    audit.append(entry); // an outsider's garbage does not get to wait for an fsync
                }
            } catch (IOException e) {
                log.accept("audit write failed for a refusal: " + e.getMessage());
            }
            log.accept("refused " + commandName + " from " + shortOf(identityText) + ": " + reason);
        }
        answer(ch, r, envelope);
    }

    /** Sends the answer to a refusal: sealed when attributable, else a bare Rejected frame. */
    private void answer(FrameChannel ch, Refusal r, Envelope envelope) {
        ByteString requestId =
                envelope != null && envelope.getRequestId().size() == 16 ? envelope.getRequestId() : ByteString.EMPTY;
        if (r.attributable && r.certificate != null && !requestId.isEmpty()) {
            Error.Builder err = Error.newBuilder()
                    .setCode(r.code)
                    .setMessage(r.getMessage())
                    .setRetryAfterMillis(r.retryAfterMillis);
            // A REQUEST_ID_REUSED refusal answers another envelope than the one the id belongs to:
            // it must not become that request's remembered answer.
            send(
                    ch,
                    r.certificate,
                    requestId,
                    ReplyBody.newBuilder().setRequestId(requestId).setError(err),
                    r.code != ErrorCode.REQUEST_ID_REUSED);
        } else {
            reject(
                    ch,
                    requestId,
                    r.rejectCode == RejectCode.REJECT_CODE_UNSPECIFIED ? RejectCode.UNAUTHENTICATED : r.rejectCode);
        }
    }

    private String send(FrameChannel ch, VerifiedEnvelope v, ReplyBody.Builder body) {
        return send(ch, v.certificate(), v.envelope().getRequestId(), body, true);
    }

    /**
     * Seals a reply body to the session's X25519 key, sends it, and when {@code remember}
     * keeps it as the request's answer for duplicates. Returns null once sent, else why not.
     */
    private String send(
            FrameChannel ch,
            SessionCertificate to,
            ByteString requestIdBytes,
            ReplyBody.Builder body,
            boolean remember) {
        body.setAgentTimeMillis(clock.millis());
        // The durable chain head, which the client keeps as its witness of this agent's log (§13.4).
        AuditHead head = audit.head();
        body.setAudit(org.multiverse.scramble.protocol.v1.AuditWitness.newBuilder()
                .setCount(head.count())
                .setHead(ByteString.copyFrom(head.hash())));
        byte[] requestId = requestIdBytes.toByteArray();
        SealedReply sealed = ReplySealer.seal(
                identity.x25519Private(),
                to.sessionX25519Key(),
                requestId,
                body.build().toByteArray());
        byte[] reply = Reply.newBuilder()
                .setRequestId(requestIdBytes)
                .setEnc(ByteString.copyFrom(sealed.enc()))
                .setCiphertext(ByteString.copyFrom(sealed.ciphertext()))
                .setAgentId(identity.id().text())
                .setAgentReplyKey(replyKey)
                .setAgentReplyKeySignature(replyKeySignature)
                .build()
                .toByteArray();
        if (remember) {
            String sessionKeyHex = HexFormat.of().formatHex(to.sessionSigningKey());
            String requestIdHex = HexFormat.of().formatHex(requestId);
            replies.complete(sessionKeyHex, requestIdHex, reply);
            try {
                ledger.done(sessionKeyHex, requestIdHex, reply); // a no-op unless it is a running state change
            } catch (IOException e) {
                // The reply still goes out; a resend after a restart would then hear INTERRUPTED.
                log.accept("request ledger write failed: " + e.getMessage());
            }
        }
        return sendFrame(ch, new Frame(FrameType.REPLY, reply));
    }

    private void reject(FrameChannel ch, ByteString requestId, RejectCode code) {
        sendFrame(
                ch,
                new Frame(
                        FrameType.REJECTED,
                        Rejected.newBuilder()
                                .setRequestId(requestId)
                                .setCode(code)
                                .build()
                                .toByteArray()));
    }

    /** Sends an answer (a large REPLY in parts, SPEC.md §8.1); null once sent, else why it was not. */
    private String sendFrame(FrameChannel ch, Frame frame) {
        try {
            ReplySender.send(ch, frame);
            return null;
        } catch (IOException e) {
            log.accept("answer to " + ch.peer() + " not delivered: " + e.getMessage());
            return "reply not delivered: " + e.getMessage();
        }
    }

    private void record(VerifiedEnvelope v, String command, String decision, String reason, String result, long ms)
            throws IOException {
        audit.appendAndWait(entry(v, command, decision, reason, result, ms));
    }

    private AuditRecord entry(
            VerifiedEnvelope v, String command, String decision, String reason, String result, long ms) {
        return new AuditRecord(
                0,
                Instant.now(clock).toString(),
                v.certificate().root().text(),
                v.certificate().sessionIdShort(),
                v.requestIdHex(),
                command,
                decision,
                reason,
                result,
                ms);
    }

    private void count(ErrorCode code, String why) {
        refusals.computeIfAbsent(code.name(), k -> new AtomicLong()).incrementAndGet();
    }

    private static String shortOf(String idText) {
        return idText.length() > 12 ? idText.substring(0, 12) : idText;
    }

    // ---- what the built-in agent commands and the process around the core need ----

    String agentName() {
        return agentName;
    }

    String version() {
        return version;
    }

    Identity identity() {
        return identity;
    }

    long uptimeMillis() {
        return clock.millis() - startedMillis;
    }

    List<String> channelDescriptions() {
        List<String> out = new ArrayList<>();
        channels.forEach(c -> out.add(c.peer()));
        relay.routeNames().forEach(r -> out.add("route " + r + " (" + relay.linkState(r) + ")"));
        return out;
    }

    Set<String> routeNames() {
        return relay.routeNames();
    }

    /**
     * Adds a route to another agent while the agent runs (the host agent adds one when a portal
     * that carries an agent's channel starts). Envelopes routed to {@code name} are relayed from
     * now on; the link is dialled in the background and redialled when it drops.
     *
     * @throws IllegalArgumentException for a bad route name, or one already routed
     */
    public void addRoute(String name, org.multiverse.scramble.protocol.transport.TransportUri uri) {
        relay.add(name, uri);
        log.accept("route " + name + " added: " + uri);
    }

    /**
     * Removes a route added by {@link #addRoute}: later envelopes routed there are refused as
     * WRONG_TARGET, relayed requests in flight get UNAVAILABLE. Returns false if there was none.
     */
    public boolean removeRoute(String name) {
        boolean removed = relay.remove(name);
        if (removed) {
            log.accept("route " + name + " removed");
        }
        return removed;
    }

    Map<String, Long> refusalCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    long acceptedCount() {
        return accepted.get();
    }

    /** Writes the audit summaries counted so far now instead of at the end of the interval; waits for the disk. */
    void flushAuditSummaries() {
        summaries.flush().join();
    }

    RateGate rates() {
        return rates;
    }

    PolicyHolder policy() {
        return policy;
    }

    RevocationStore revocations() {
        return revocations;
    }

    Path auditDir() {
        return auditDir;
    }

    /** Entries on disk in the audit log: what a running agent's {@code audit.verify} checks. */
    long auditDurableCount() {
        return audit.head().count();
    }

    /** Where handlers publish events (portal state changes, policy reloads) for subscribers. */
    public EventHub events() {
        return events;
    }

    /**
     * Re-reads the policy file and the authorised roots (SIGHUP, {@code agent reload-policy});
     * keeps what is in force when a new file is broken.
     */
    public String reloadPolicy() {
        String outcome = policy.reload() + "; " + roots.reload();
        events.publish(
                org.multiverse.scramble.protocol.v1.EventKind.AGENT_POLICY_RELOADED, agentName, outcome, Map.of());
        log.accept(outcome);
        return outcome;
    }

    /** Stops taking envelopes, lets in-flight commands finish, flushes the audit log. */
    @Override
    public void close() throws IOException {
        closing = true;
        workers.shutdown();
        strangers.shutdown();
        try {
            if (!workers.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)
                    || !strangers.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                log.accept("in-flight commands did not finish within " + DRAIN_SECONDS + " s");
                workers.shutdownNow();
                strangers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        relay.close();
        channels.forEach(FrameChannel::close);
        ledger.close();
        summaries.close();
        queries.close();
        audit.close();
        anchor.close(); // the last checkpoint covers everything the log now holds
    }

    /** Where an agent registers its own command handlers, before the first {@link #attach}. */
    public HandlerRegistry handlers() {
        return handlers;
    }

    /** This agent's public identity. */
    public org.multiverse.scramble.suite.identity.ScrambleId id() {
        return identity.id();
    }
}
