package org.multiverse.scramble.protocol.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.agent.policy.Policy;
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
import org.multiverse.scramble.protocol.v1.Ack;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * A real agent core on a real transport, with a person's identity and session, for tests.
 * Registers {@code portal.start} as a counting handler so tests can prove nothing ran.
 */
final class AgentHarness implements AutoCloseable {

    static final String POLICY = """
            agent.*        @any allow rate=100/s burst=100
            audit.*        @any allow
            portal.start   @scope:all allow rate=1/s burst=2
            portal.list    @any allow
            """;

    final Path stateDir;
    final String listenUri;
    final Identity root = Identity.generate(new SecureRandom());
    final SessionKeys session;
    final AtomicInteger executions = new AtomicInteger();
    final AtomicLong sequence = new AtomicLong();
    AgentCore core;
    Listener listener;
    SessionClient client;

    AgentHarness(Path stateDir, String listenUri) throws Exception {
        this(stateDir, listenUri, Scope.ALL, POLICY);
    }

    AgentHarness(Path stateDir, String listenUri, Scope scope, String policy) throws Exception {
        this.stateDir = stateDir;
        this.listenUri = listenUri;
        AgentState.init(stateDir).close();
        AgentState.roots(stateDir).authorize(root.id(), Scope.ALL);
        session = SessionKeys.create(root, scope, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
        start(policy);
    }

    void start(String policy) throws Exception {
        core = new AgentBuilder("test-agent", stateDir).policy(PolicyHolder.fixed(Policy.parse("test.policy", policy)))
                .build();
        core.handlers().register(Command.KindCase.PORTAL_START, (ctx, cmd) -> {
            executions.incrementAndGet();
            return Result.newBuilder().setAck(Ack.newBuilder().setMessage("started " + cmd.getPortalStart().getName()))
                    .build();
        });
        listener = Transports.listen(TransportUri.parse(listenUri), core::attach);
        AgentClient link = AgentClient.start(() -> Transports.connect(TransportUri.parse(listenUri)), f -> { },
                ClientSettings.DEFAULTS);
        client = new SessionClient(session, link, core.id(), Clock.systemUTC());
    }

    /** Simulates {@code kill -9}: drops everything without a graceful drain, keeps the state dir. */
    void crash() throws IOException {
        client.close();
        listener.close();
        core.close();
    }

    void restart() throws Exception {
        start(POLICY);
    }

    CommandOutcome send(Command command) throws Exception {
        return client.send(command, core.id(), "", Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
    }

    static Command startPortal(String name) {
        return Command.newBuilder().setPortalStart(
                org.multiverse.scramble.protocol.v1.PortalStart.newBuilder().setName(name)).build();
    }

    static Command ping() {
        return Command.newBuilder().setAgentPing(org.multiverse.scramble.protocol.v1.AgentPing.getDefaultInstance())
                .build();
    }

    /** A correctly signed envelope, with the harness's own sequence counter. */
    Envelope envelope(Command command) {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        return EnvelopeSigner.sign(session, command, core.id(), "", 1_000_000 + sequence.incrementAndGet(),
                Instant.now().toEpochMilli(), id);
    }

    /** A raw link that sends frames as given and collects every frame that comes back. */
    RawLink raw() throws IOException {
        return new RawLink(Transports.connect(TransportUri.parse(listenUri)));
    }

    List<AuditRecord> audit(int n) throws IOException {
        return AuditLog.tail(AgentState.auditDir(stateDir), n);
    }

    AuditRecord lastAudit() throws IOException {
        List<AuditRecord> t = audit(1);
        return t.get(t.size() - 1);
    }

    /**
     * Waits for the last audit entry to be a refusal: refusals of unattributable input are
     * audited without waiting for the disk (garbage must not cost an fsync each).
     */
    AuditRecord awaitRefusal() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<AuditRecord> t = audit(1);
            if (!t.isEmpty() && t.get(0).decision().equals("refused")) {
                return t.get(0);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no refusal was audited within 10 s");
    }

    @Override
    public void close() throws IOException {
        client.close();
        listener.close();
        core.close();
        session.close();
        root.close();
    }

    static final class RawLink implements AutoCloseable {
        final FrameChannel channel;
        final LinkedBlockingQueue<Frame> received = new LinkedBlockingQueue<>();

        RawLink(FrameChannel channel) {
            this.channel = channel;
            channel.setListener(new FrameListener() {
                @Override
                public void onFrame(FrameChannel ch, Frame f) {
                    received.add(f);
                }
            });
        }

        void send(Envelope e) throws IOException {
            channel.send(new Frame(FrameType.ENVELOPE, e.toByteArray()));
        }

        void sendBytes(byte[] payload) throws IOException {
            channel.send(new Frame(FrameType.ENVELOPE, payload));
        }

        Frame next() throws InterruptedException {
            Frame f = received.poll(10, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no answer from the agent within 10 s");
            }
            return f;
        }

        @Override
        public void close() {
            channel.close();
        }
    }
}
