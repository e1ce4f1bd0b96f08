package org.multiverse.scramble.controller.agent;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.multiverse.scramble.protocol.agent.AgentBuilder;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.agent.PolicyHolder;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.agent.policy.Policy;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.SessionClient;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * A real controller agent core on a simulated channel, with a person's identity and session:
 * commands go through the whole pipeline (sign, verify, policy, rate limit, audit, seal).
 */
final class ControllerHarness implements AutoCloseable {

    /** Generous rates: these tests are about the handlers, not the limits. */
    static final String POLICY = """
            agent.*    @any allow rate=100/s burst=100
            audit.*    @any allow
            router.*   @scope:all allow rate=100/s burst=100
            portal.*   @scope:all allow
            """;
    private static final AtomicInteger NAMES = new AtomicInteger();
    /** Longest any one command may take here (the simulated routers answer in microseconds). */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    /** Installs the routers on a core; returns what closes them. */
    @FunctionalInterface
    interface Installer {
        AutoCloseable install(AgentCore core, Path stateDir) throws Exception;
    }

    final Path stateDir;
    final Identity root = Identity.generate(new SecureRandom());
    final SessionKeys session;
    final AgentCore core;
    final AutoCloseable routers;
    final Listener listener;
    final SessionClient client;
    final LinkedBlockingQueue<EventBody> events = new LinkedBlockingQueue<>();
    final List<String> log = new CopyOnWriteArrayList<>();

    /** The demo routers ({@link ControllerAgentModule#installDemo}). */
    static ControllerHarness demo(Path stateDir) throws Exception {
        return new ControllerHarness(stateDir, (core, dir) -> new ControllerAgentModule(l -> { })
                .installDemo(core, dir));
    }

    ControllerHarness(Path stateDir, Installer installer) throws Exception {
        this.stateDir = stateDir;
        AgentState.init(stateDir).close();
        AgentState.roots(stateDir).authorize(root.id(), Scope.ALL);
        session = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
        core = new AgentBuilder("controller-agent", stateDir)
                .policy(PolicyHolder.fixed(Policy.parse("test.policy", POLICY))).log(log::add).build();
        routers = installer.install(core, stateDir);
        String uri = "sim:controller-" + NAMES.incrementAndGet();
        listener = Transports.listen(TransportUri.parse(uri), core::attach);
        AtomicReference<SessionClient> self = new AtomicReference<>();
        AgentClient link = AgentClient.start(() -> Transports.connect(TransportUri.parse(uri)),
                frame -> self.get().deliverEvent(frame), ClientSettings.DEFAULTS);
        client = new SessionClient(session, link, core.id(), Clock.systemUTC());
        client.onEvent(events::add);
        self.set(client);
    }

    CommandOutcome send(Command command) throws Exception {
        return client.send(command, core.id(), "", COMMAND_TIMEOUT).get(COMMAND_TIMEOUT.toSeconds() + 5,
                TimeUnit.SECONDS);
    }

    /** Sends and asserts success. */
    Result ok(Command command) throws Exception {
        CommandOutcome o = send(command);
        return assertInstanceOf(CommandOutcome.Ok.class, o, () -> "expected success, got " + o).result();
    }

    /** Sends and asserts a sealed error. */
    Error failed(Command command) throws Exception {
        CommandOutcome o = send(command);
        return assertInstanceOf(CommandOutcome.Failed.class, o, () -> "expected a sealed error, got " + o).error();
    }

    /** The next event of a subscription, or an assertion error after {@code COMMAND_TIMEOUT}. */
    EventBody nextEvent() throws InterruptedException {
        EventBody e = events.poll(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + COMMAND_TIMEOUT.toSeconds() + " s");
        }
        return e;
    }

    AuditRecord lastAudit() throws IOException {
        List<AuditRecord> t = AuditLog.tail(AgentState.auditDir(stateDir), 1);
        return t.get(t.size() - 1);
    }

    @Override
    public void close() throws Exception {
        client.close();
        listener.close();
        core.close();
        routers.close();
        session.close();
        root.close();
    }
}
