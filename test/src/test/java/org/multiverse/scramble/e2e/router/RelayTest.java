package org.multiverse.scramble.e2e.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.controller.agent.ControllerAgentModule;
import org.multiverse.scramble.protocol.agent.AgentBuilder;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.agent.PolicyHolder;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.EnvelopeSigner;
import org.multiverse.scramble.protocol.session.SessionClient;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.FrameListener;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.AgentSubscribe;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.RejectCode;
import org.multiverse.scramble.protocol.v1.Rejected;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.protocol.v1.ReplyBody;
import org.multiverse.scramble.protocol.v1.RouterInfo;
import org.multiverse.scramble.protocol.v1.RouterList;
import org.multiverse.scramble.protocol.v1.RouterRestart;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.seal.ReplySealer;
import org.multiverse.scramble.suite.seal.SealException;

/**
 * The shell reaches the controller agent through the host agent: the host core verifies the
 * envelope and relays it, unaltered and after its own checks, over {@code --route router=unix:...}; the controller agent
 * (simulated routers) runs it and seals the reply to the person, and the host passes that reply
 * back byte for byte. The host applies its own policy to what it relays (the sample policy
 * here; a deny-all host relays nothing).
 */
@Timeout(60)
class RelayTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** The product's sample policy (module directory is the working directory under Maven). */
    private static final Path SAMPLE_POLICY =
            Path.of(System.getProperty("basedir", ".")).resolve("../protocol/agent.policy.sample");

    @TempDir
    Path tmp;

    private final Identity root = Identity.generate(new SecureRandom());
    private SessionKeys session;
    private SessionKeys rawSession;
    private Identity hostIdentity;
    private AgentCore controller;
    private AutoCloseable routers;
    private Listener controllerListener;
    private final List<Frame> controllerSent = TappedChannel.newLog();
    private AgentCore host;
    private Listener hostListener;
    private TransportUri hostUri;
    private SessionClient shell;
    private final LinkedBlockingQueue<EventBody> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        Path controllerDir = tmp.resolve("controller");
        Path hostDir = tmp.resolve("host");
        AgentState.init(controllerDir).close();
        AgentState.roots(controllerDir).authorize(root.id(), Scope.ALL);
        hostIdentity = AgentState.init(hostDir);
        AgentState.roots(hostDir).authorize(root.id(), Scope.ALL);

        controller = new AgentBuilder("controller-agent", controllerDir)
                .policy(PolicyHolder.load(SAMPLE_POLICY))
                .build();
        routers = new ControllerAgentModule().installDemo(controller, controllerDir);
        TransportUri controllerUri = TransportUri.parse("unix:" + tmp.resolve("controller.sock"));
        controllerListener =
                Transports.listen(controllerUri, ch -> controller.attach(new TappedChannel(ch, controllerSent)));

        host = new AgentBuilder("host-agent", hostDir)
                .identity(hostIdentity)
                .policy(PolicyHolder.load(SAMPLE_POLICY))
                .route("router", controllerUri)
                .build();
        hostUri = TransportUri.parse("unix:" + tmp.resolve("host.sock"));
        hostListener = Transports.listen(hostUri, host::attach);

        session = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
        rawSession = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
        AtomicReference<SessionClient> self = new AtomicReference<>();
        AgentClient link = AgentClient.start(
                () -> Transports.connect(hostUri), frame -> self.get().deliverEvent(frame), ClientSettings.DEFAULTS);
        shell = new SessionClient(session, link, Clock.systemUTC());
        shell.onEvent(events::add);
        self.set(shell);
    }

    @AfterEach
    void stop() throws Exception {
        shell.close();
        hostListener.close();
        host.close();
        controllerListener.close();
        controller.close();
        routers.close();
        session.close();
        rawSession.close();
        hostIdentity.close();
        root.close();
    }

    private CommandOutcome viaHost(Command command) throws Exception {
        return shell.send(command, controller.id(), "router", TIMEOUT).get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    private static Command routerList() {
        return Command.newBuilder()
                .setRouterList(RouterList.getDefaultInstance())
                .build();
    }

    private List<AuditRecord> hostAudit() throws Exception {
        return AuditLog.tail(AgentState.auditDir(tmp.resolve("host")), 1000);
    }

    private List<AuditRecord> controllerAudit() throws Exception {
        return AuditLog.tail(AgentState.auditDir(tmp.resolve("controller")), 1000);
    }

    /** A correctly signed envelope for the controller, routed through the host. */
    private Envelope routedEnvelope(Command command, long sequence) {
        byte[] requestId = new byte[EnvelopeSigner.REQUEST_ID_BYTES];
        new SecureRandom().nextBytes(requestId);
        return EnvelopeSigner.sign(
                rawSession, command, controller.id(), "router", sequence, System.currentTimeMillis(), requestId);
    }

    /** Sends one envelope to the host on a raw link and returns the first frame that comes back. */
    private Frame rawExchange(Envelope envelope) throws Exception {
        LinkedBlockingQueue<Frame> answers = new LinkedBlockingQueue<>();
        FrameChannel ch = Transports.connect(hostUri);
        try {
            ch.setListener(new FrameListener() {
                @Override
                public void onFrame(FrameChannel channel, Frame frame) {
                    answers.add(frame);
                }
            });
            ch.send(new Frame(FrameType.ENVELOPE, envelope.toByteArray()));
            Frame f = answers.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(f, "no answer from the host within " + TIMEOUT.toSeconds() + " s");
            return f;
        } finally {
            ch.close();
        }
    }

    @Test
    void routerListThroughTheHostIsSealedByTheControllerAndRelayedUnread() throws Exception {
        CommandOutcome outcome = viaHost(routerList());
        CommandOutcome.Ok ok = assertInstanceOf(CommandOutcome.Ok.class, outcome, () -> "got " + outcome);
        assertEquals(
                List.of("universe", "galaxy", "star"),
                ok.result().getRouterList().getRoutersList().stream()
                        .map(RouterInfo::getName)
                        .toList());

        // The same on a raw link, to look at the bytes.
        Envelope envelope = routedEnvelope(routerList(), 1);
        Frame answer = rawExchange(envelope);
        assertEquals(FrameType.REPLY, answer.type());
        Reply reply = Reply.parseFrom(answer.payload());
        assertEquals(controller.id().text(), reply.getAgentId(), "sealed by the controller agent, not the host");
        Frame sentByController = controllerSent.stream()
                .filter(f -> f.type() == FrameType.REPLY)
                .filter(f -> replyId(f).equals(envelope.getRequestId()))
                .findFirst()
                .orElseThrow();
        assertArrayEquals(sentByController.payload(), answer.payload(), "the host passed the reply back unchanged");

        byte[] requestId = envelope.getRequestId().toByteArray();
        byte[] controllerKey = reply.getAgentReplyKey().toByteArray();
        assertThrows(
                SealException.class,
                () -> ReplySealer.open(
                        hostIdentity.x25519Private(),
                        controllerKey,
                        requestId,
                        reply.getEnc().toByteArray(),
                        reply.getCiphertext().toByteArray()),
                "the host's key cannot open it");
        ReplyBody body = ReplyBody.parseFrom(ReplySealer.open(
                rawSession.x25519Private(),
                controllerKey,
                requestId,
                reply.getEnc().toByteArray(),
                reply.getCiphertext().toByteArray()));
        assertEquals(3, body.getResult().getRouterList().getRoutersCount());

        List<AuditRecord> hostAudit = hostAudit();
        assertEquals(2, hostAudit.size(), hostAudit.toString());
        for (AuditRecord r : hostAudit) {
            assertEquals("relayed", r.decision());
            assertEquals("router.list", r.command(), "the host names what it relayed");
            assertTrue(r.reason().startsWith("to route router"), r.reason());
            assertEquals(root.id().text(), r.identity());
        }
        // At the controller router.list is a successful read-only query: counted into a
        // per-minute summary entry (QueryAudit), not written as entries of its own.
        assertEquals(
                0,
                controllerAudit().stream()
                        .filter(r -> r.command().equals("router.list"))
                        .count(),
                "no entry of its own at the controller");
    }

    @Test
    void forgedEnvelopesAreRefusedAtTheRelayAndNeverForwarded() throws Exception {
        Envelope good = routedEnvelope(routerList(), 1);
        byte[] sig = good.getSignature().toByteArray();
        sig[7] ^= 1;
        Frame forged = rawExchange(
                good.toBuilder().setSignature(ByteString.copyFrom(sig)).build());
        assertEquals(FrameType.REJECTED, forged.type());
        assertEquals(
                RejectCode.UNAUTHENTICATED, Rejected.parseFrom(forged.payload()).getCode());

        // Re-routing a signed envelope breaks its signature too: the route is signed.
        Frame rerouted = rawExchange(
                routedEnvelope(routerList(), 2).toBuilder().setRoute("rtos").build());
        assertEquals(FrameType.REJECTED, rerouted.type());

        // Correctly signed but routed where the host has no route: refused, sealed, by the host.
        byte[] requestId = new byte[EnvelopeSigner.REQUEST_ID_BYTES];
        new SecureRandom().nextBytes(requestId);
        Frame unknownRoute = rawExchange(EnvelopeSigner.sign(
                rawSession, routerList(), controller.id(), "nowhere", 3, System.currentTimeMillis(), requestId));
        assertEquals(FrameType.REPLY, unknownRoute.type());
        assertEquals(
                hostIdentity.id().text(),
                Reply.parseFrom(unknownRoute.payload()).getAgentId());

        List<AuditRecord> hostAudit = hostAudit();
        assertEquals(
                List.of("BAD_SIGNATURE", "BAD_SIGNATURE", "WRONG_TARGET"),
                hostAudit.stream().map(AuditRecord::result).toList());
        assertTrue(hostAudit.stream().allMatch(r -> r.decision().equals("refused")));
        assertTrue(controllerAudit().isEmpty(), "nothing reached the controller agent: " + controllerAudit());
        assertFalse(controllerSent.stream().anyMatch(f -> f.type() == FrameType.REPLY));

        // The person's own commands still get through.
        assertInstanceOf(CommandOutcome.Ok.class, viaHost(routerList()));
    }

    @Test
    void eventsOfASubscriptionMadeThroughTheRelayArrive() throws Exception {
        Command subscribe = Command.newBuilder()
                .setAgentSubscribe(AgentSubscribe.newBuilder().addKinds("router."))
                .build();
        assertInstanceOf(CommandOutcome.Ok.class, viaHost(subscribe));
        Command restart = Command.newBuilder()
                .setRouterRestart(RouterRestart.newBuilder().setName("star"))
                .build();
        CommandOutcome restarted = viaHost(restart);
        assertInstanceOf(CommandOutcome.Ok.class, restarted, () -> "got " + restarted);

        EventBody event = events.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(event, "no router event came back through the host");
        assertEquals(org.multiverse.scramble.protocol.v1.EventKind.ROUTER_STATE, event.getKind());
        assertEquals("star", event.getSubject());
        assertEquals("restart", event.getAttributesOrThrow("action"));
        assertTrue(hostAudit().stream().allMatch(r -> r.decision().equals("relayed")));
    }

    @Test
    void aHostWhosePolicyDeniesEverythingRelaysNothing() throws Exception {
        Path denyDir = tmp.resolve("deny-host");
        try (Identity denyIdentity = AgentState.init(denyDir)) {
            AgentState.roots(denyDir).authorize(root.id(), Scope.ALL);
            Path policy = tmp.resolve("deny.policy");
            java.nio.file.Files.writeString(policy, "*  @any  deny\n");
            TransportUri controllerUri = TransportUri.parse("unix:" + tmp.resolve("controller.sock"));
            AgentCore denyHost = new AgentBuilder("host-agent", denyDir)
                    .identity(denyIdentity)
                    .policy(PolicyHolder.load(policy))
                    .route("router", controllerUri)
                    .build();
            TransportUri denyUri = TransportUri.parse("unix:" + tmp.resolve("deny-host.sock"));
            try (Listener l = Transports.listen(denyUri, denyHost::attach);
                    SessionClient client = new SessionClient(
                            session,
                            AgentClient.start(() -> Transports.connect(denyUri), f -> {}, ClientSettings.DEFAULTS),
                            Clock.systemUTC())) {
                client.firstHop(denyIdentity.id());
                Command restart = Command.newBuilder()
                        .setRouterRestart(RouterRestart.newBuilder().setName("star"))
                        .build();
                CommandOutcome o = client.send(restart, controller.id(), "router", TIMEOUT)
                        .get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
                CommandOutcome.Failed failed = assertInstanceOf(CommandOutcome.Failed.class, o, () -> "got " + o);
                assertEquals(
                        org.multiverse.scramble.protocol.v1.ErrorCode.POLICY_DENIED,
                        failed.error().getCode());
            } finally {
                denyHost.close();
            }
        }
        assertTrue(
                controllerAudit().stream().noneMatch(r -> r.command().equals("router.restart")),
                "router.restart never reached the controller agent: " + controllerAudit());
    }

    private static ByteString replyId(Frame f) {
        try {
            return Reply.parseFrom(f.payload()).getRequestId();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
