package org.multiverse.scramble.e2e.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.agent.AgentBuilder;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.agent.PolicyHolder;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.agent.policy.Policy;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.EventDropReason;
import org.multiverse.scramble.protocol.session.SessionClient;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.AgentSubscribe;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Event;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.EventKind;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.seal.StreamSealer;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * Issue 13 item 4 through a real relay: the host agent relays the person's subscription to
 * the controller agent, so it learns the subscription id. An event the host seals itself for
 * that subscription (a valid stream to the session, under its own pinned key) is misrouted: it
 * is dropped and counted, while the controller agent's own events still arrive.
 */
@Timeout(60)
class RelayEventForgeryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    private final Identity root = Identity.generate(new SecureRandom());
    private Identity hostIdentity;
    private AgentCore controller;
    private Listener controllerListener;
    private AgentCore host;
    private Listener hostListener;
    private SessionKeys session;
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
                .policy(PolicyHolder.fixed(Policy.parse("test", "agent.* @any allow\n")))
                .build();
        TransportUri controllerUri = TransportUri.parse("unix:" + tmp.resolve("controller.sock"));
        controllerListener = Transports.listen(controllerUri, controller::attach);
        host = new AgentBuilder("host-agent", hostDir)
                .identity(hostIdentity)
                // Allows what it relays, should the relay apply its own policy too.
                .policy(PolicyHolder.fixed(Policy.parse("test", "agent.* @any allow\n")))
                .route("router", controllerUri)
                .build();
        TransportUri hostUri = TransportUri.parse("unix:" + tmp.resolve("host.sock"));
        hostListener = Transports.listen(hostUri, host::attach);
        session = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
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
        session.close();
        hostIdentity.close();
        root.close();
    }

    @Test
    void theRelayCannotForgeEventsOfASubscriptionItRelayed() throws Exception {
        Command subscribe = Command.newBuilder()
                .setAgentSubscribe(AgentSubscribe.getDefaultInstance())
                .build();
        CommandOutcome o =
                shell.send(subscribe, controller.id(), "router", TIMEOUT).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertInstanceOf(CommandOutcome.Ok.class, o);
        // What the relay knows: the relayed request id is the subscription id (SPEC §14.1).
        AuditRecord relayed = AuditLog.tail(AgentState.auditDir(tmp.resolve("host")), 10).stream()
                .filter(r -> r.decision().equals("relayed"))
                .reduce((a, b) -> b)
                .orElseThrow();
        byte[] sub = HexFormat.of().parseHex(relayed.requestId());

        // The host seals a valid stream to the session, as itself, for that subscription.
        StreamSealer forged = StreamSealer.create(
                hostIdentity.x25519Private(), session.certificate().sessionX25519Key(), sub);
        byte[] body = EventBody.newBuilder()
                .setKind(EventKind.ROUTER_STATE)
                .setSubject("star")
                .setText("forged by the relay")
                .build()
                .toByteArray();
        Event event = Event.newBuilder()
                .setSubscriptionId(ByteString.copyFrom(sub))
                .setEnc(ByteString.copyFrom(forged.enc()))
                .setSequence(0)
                .setCiphertext(ByteString.copyFrom(forged.seal(0, sub, body)))
                .setAgentId(hostIdentity.id().text())
                .setAgentReplyKey(ByteString.copyFrom(hostIdentity.x25519PublicKey()))
                .setAgentReplyKeySignature(ByteString.copyFrom(
                        hostIdentity.sign(SignatureContext.AGENT_ENROLMENT, hostIdentity.x25519PublicKey())))
                .build();
        shell.deliverEvent(new Frame(FrameType.EVENT, event.toByteArray()));
        // Claiming the controller's ID instead: its key is not the controller's.
        shell.deliverEvent(new Frame(
                FrameType.EVENT,
                event.toBuilder().setAgentId(controller.id().text()).build().toByteArray()));
        assertEquals(2L, shell.events().counts().dropped().get(EventDropReason.STRANGER));

        controller.events().publish(EventKind.ROUTER_STATE, "star", "genuine", Map.of());
        EventBody got = events.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(got, "the controller agent's own event did not arrive through the relay");
        assertEquals("genuine", got.getText());
        assertNull(events.poll(200, TimeUnit.MILLISECONDS), "a forged event was delivered");
        assertEquals(1, shell.events().counts().delivered());
    }
}
