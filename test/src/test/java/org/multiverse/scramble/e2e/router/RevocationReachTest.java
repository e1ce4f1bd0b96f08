package org.multiverse.scramble.e2e.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.SessionClient;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.RevokeSessions;
import org.multiverse.scramble.protocol.v1.RouterList;
import org.multiverse.scramble.shell.connect.AgentConfig;
import org.multiverse.scramble.shell.connect.AgentConnections;
import org.multiverse.scramble.shell.connect.Enrolment;
import org.multiverse.scramble.shell.connect.PendingRevocations;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.shell.registry.CommandRegistry;
import org.multiverse.scramble.suite.cert.RevocationStatement;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.pin.PinFile;
import org.multiverse.scramble.suite.pin.PinnedAgents;

/**
 * Issue 13, item 2: a revocation the person signs once reaches every agent the shell knows.
 * Revoked through the host (the router agent is reached only through the host's relay), the
 * revoked session is then refused by the router agent directly and through the relay, also
 * after both agents restart. A router agent that is down when the person revokes is named as
 * not reached, owed the revocation in the shell's state, and gets it at the next contact.
 */
@Timeout(90)
class RevocationReachTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Path SAMPLE_POLICY =
            Path.of(System.getProperty("basedir", ".")).resolve("../protocol/agent.policy.sample");

    @TempDir
    Path tmp;

    private final Identity root = Identity.generate(new SecureRandom());
    private Path hostDir;
    private Path controllerDir;
    private ScrambleId hostId;
    private ScrambleId controllerId;
    private TransportUri hostUri;
    private TransportUri controllerUri;
    private AgentCore host;
    private Listener hostListener;
    private AgentCore controller;
    private AutoCloseable routers;
    private Listener controllerListener;
    private SessionKeys revoked;
    private AgentConnections shell;
    private final ByteArrayOutputStream notices = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        hostDir = tmp.resolve("host");
        controllerDir = tmp.resolve("controller");
        try (Identity h = AgentState.init(hostDir);
                Identity c = AgentState.init(controllerDir)) {
            hostId = h.id();
            controllerId = c.id();
        }
        AgentState.roots(hostDir).authorize(root.id(), Scope.ALL);
        AgentState.roots(controllerDir).authorize(root.id(), Scope.ALL);
        hostUri = TransportUri.parse("unix:" + tmp.resolve("host.sock"));
        controllerUri = TransportUri.parse("unix:" + tmp.resolve("controller.sock"));
        startController();
        startHost();
        revoked = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
    }

    private void startController() throws Exception {
        controller = new AgentBuilder("controller-agent", controllerDir)
                .policy(PolicyHolder.load(SAMPLE_POLICY))
                .build();
        routers = new ControllerAgentModule().installDemo(controller, controllerDir);
        controllerListener = Transports.listen(controllerUri, controller::attach);
    }

    private void stopController() throws Exception {
        controllerListener.close();
        controller.close();
        routers.close();
    }

    private void startHost() throws Exception {
        host = new AgentBuilder("host-agent", hostDir)
                .policy(PolicyHolder.load(SAMPLE_POLICY))
                .route("router", controllerUri)
                .build();
        hostListener = Transports.listen(hostUri, host::attach);
    }

    private void stopHost() throws Exception {
        hostListener.close();
        host.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (shell != null) {
            shell.close();
        }
        stopHost();
        stopController();
        revoked.close();
        root.close();
    }

    /** The shell's connections as a run of scramble-shell makes them: host only, both agents pinned. */
    private AgentConnections shellWith(SessionKeys session) throws Exception {
        AgentConfig config = new AgentConfig();
        config.put(AgentRole.HOST, hostUri, true);
        PinFile<ScrambleId> pins = PinnedAgents.open(tmp.resolve("known_agents"));
        if (pins.lookup("host").isEmpty()) {
            pins.pin("host", hostId);
            pins.pin("router", controllerId);
        }
        Enrolment enrolment = new Enrolment(pins, Set.of(), null, new PrintStream(new ByteArrayOutputStream()));
        AgentConnections c =
                new AgentConnections(config, session, enrolment, Clock.systemUTC(), ClientSettings.DEFAULTS);
        c.keepPendingRevocations(pending(), new PrintStream(notices, true)::println);
        return c;
    }

    private PendingRevocations pending() {
        return new PendingRevocations(tmp.resolve("pending_revocations"));
    }

    private Command revokeNow() {
        long before = System.currentTimeMillis();
        return Command.newBuilder()
                .setRevokeSessions(RevokeSessions.newBuilder()
                        .setIssuedBeforeMillis(before)
                        .setRootSignature(ByteString.copyFrom(
                                RevocationStatement.sign(root, before).encode())))
                .build();
    }

    private static Command routerList() {
        return Command.newBuilder()
                .setRouterList(RouterList.getDefaultInstance())
                .build();
    }

    /** Sends with {@code session} over a fresh link to {@code uri}, addressed to {@code target} over {@code route}. */
    private CommandOutcome sendAs(SessionKeys session, TransportUri uri, ScrambleId target, String route)
            throws Exception {
        AtomicReference<SessionClient> self = new AtomicReference<>();
        AgentClient link = AgentClient.start(() -> Transports.connect(uri), f -> {}, ClientSettings.DEFAULTS);
        try (SessionClient c = new SessionClient(session, link, Clock.systemUTC())) {
            self.set(c);
            c.firstHop(route.isEmpty() ? target : hostId);
            return c.send(routerList(), target, route, TIMEOUT).get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        }
    }

    private static ErrorCode code(CommandOutcome o) {
        return assertInstanceOf(CommandOutcome.Failed.class, o, () -> "expected a refusal, got " + o)
                .error()
                .getCode();
    }

    private void assertRevokedEverywhere() throws Exception {
        assertEquals(
                ErrorCode.SESSION_REVOKED,
                code(sendAs(revoked, controllerUri, controllerId, "")),
                "the router agent refuses the revoked session directly");
        assertEquals(
                ErrorCode.SESSION_REVOKED,
                code(sendAs(revoked, hostUri, controllerId, "router")),
                "and through the relay");
    }

    private void awaitRouteUp() throws InterruptedException {
        // The host dials its route in the background; a command sent before it is up is UNAVAILABLE.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(sendQuietly())) {
            assertTrue(System.nanoTime() < deadline, "the host's route to the router agent never came up");
            Thread.sleep(50);
        }
    }

    private boolean sendQuietly() {
        try (SessionKeys probe =
                SessionKeys.create(root, Scope.ALL, Duration.ofMinutes(5), Clock.systemUTC(), new SecureRandom())) {
            return sendAs(probe, hostUri, controllerId, "router") instanceof CommandOutcome.Ok;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aRevocationThroughTheHostReachesTheRouterAgentAndSurvivesRestarts() throws Exception {
        awaitRouteUp();
        assertInstanceOf(CommandOutcome.Ok.class, sendAs(revoked, controllerUri, controllerId, ""));
        assertInstanceOf(CommandOutcome.Ok.class, sendAs(revoked, hostUri, controllerId, "router"));

        shell = shellWith(revoked);
        // As `agent revoke-sessions` sends it: through the command's declared send step, which
        // is handed the host's outbox (the default agent of agent-wide commands).
        var spec = CommandRegistry.standard()
                .byKind(Command.KindCase.REVOKE_SESSIONS)
                .orElseThrow();
        CommandOutcome o = spec.sendStep()
                .send(revokeNow(), shell.outbox(AgentRole.HOST, TIMEOUT))
                .get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        CommandOutcome.Ok ok = assertInstanceOf(CommandOutcome.Ok.class, o, () -> "got " + o);
        assertTrue(ok.result().getAck().getMessage().contains("confirmed by: router, host"), ok.toString());
        assertFalse(Files.exists(pending().file()), "nothing owed");
        assertRevokedEverywhere();

        stopHost();
        stopController();
        startController();
        startHost();
        awaitRouteUp();
        assertRevokedEverywhere();
        // Every refusal of the revoked session is on the router agent's record.
        assertTrue(AuditLog.tail(AgentState.auditDir(controllerDir), 100).stream()
                .anyMatch(r -> r.result().equals("SESSION_REVOKED")));
    }

    @Test
    void aRouterAgentThatIsDownIsNamedAndGetsTheRevocationAtTheNextContact() throws Exception {
        stopController();
        shell = shellWith(revoked);
        CommandOutcome o = shell.revokeEverywhere(revokeNow(), TIMEOUT).get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        CommandOutcome.Failed failed = assertInstanceOf(CommandOutcome.Failed.class, o, () -> "got " + o);
        assertEquals(ErrorCode.UNAVAILABLE, failed.error().getCode());
        String message = failed.error().getMessage();
        assertTrue(message.contains("confirmed by: host"), message);
        assertTrue(message.contains("not reached: router"), message);
        assertTrue(pending().pendingFor("router").isPresent(), "the router agent owes it");
        assertEquals(List.of("router"), List.copyOf(pending().all().keySet()));
        shell.close();
        shell = null;

        startController();
        awaitRouteUp();
        // Before the next contact the router agent still takes the revoked session: revocation is
        // only as wide as its delivery.
        assertInstanceOf(CommandOutcome.Ok.class, sendAs(revoked, controllerUri, controllerId, ""));

        // The next run of the shell, with a new session, contacts the router agent and delivers it.
        try (SessionKeys fresh =
                SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom())) {
            shell = shellWith(fresh);
            shell.link(AgentRole.ROUTER);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (pending().pendingFor("router").isPresent()) {
                assertTrue(System.nanoTime() < deadline, "the owed revocation was never delivered");
                Thread.sleep(50);
            }
            assertEquals(ErrorCode.SESSION_REVOKED, code(sendAs(revoked, controllerUri, controllerId, "")));
            assertInstanceOf(CommandOutcome.Ok.class, sendAs(fresh, controllerUri, controllerId, ""));
            assertTrue(notices.toString().contains("pending revocation reached the router agent"), notices::toString);
        }
    }
}
