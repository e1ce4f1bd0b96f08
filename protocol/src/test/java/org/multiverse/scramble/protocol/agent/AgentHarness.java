package org.multiverse.scramble.protocol.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.EnvelopeSigner;
import org.multiverse.scramble.protocol.testkit.AgentTestKit;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.FrameListener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.Ack;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.suite.cert.Scope;

/**
 * The shared {@link AgentTestKit} with a core whose {@code portal.start} is a counting handler,
 * so tests can prove nothing ran, plus raw links and hand-signed envelopes for hostile input.
 */
final class AgentHarness implements AutoCloseable {

    static final String POLICY = """
            agent.*        @any allow rate=100/s burst=100
            audit.*        @any allow
            portal.start   @scope:all allow rate=1/s burst=2
            portal.list    @any allow
            """;

    final AgentTestKit kit;
    final AtomicInteger executions = new AtomicInteger();
    final AtomicLong sequence = new AtomicLong();
    /** When set, portal.start waits for it: a request kept in flight on purpose. */
    volatile java.util.concurrent.CountDownLatch hold;

    AgentHarness(Path stateDir, String listenUri) throws Exception {
        this(stateDir, listenUri, Scope.ALL, POLICY);
    }

    AgentHarness(Path stateDir, String listenUri, Scope scope, String policy) throws Exception {
        kit = AgentTestKit.builder("test-agent", stateDir)
                .listenUri(listenUri)
                .sessionScope(scope)
                .policy(policy)
                .install(core -> {
                    core.handlers().register(Command.KindCase.PORTAL_START, (ctx, cmd) -> {
                        executions.incrementAndGet();
                        java.util.concurrent.CountDownLatch h = hold;
                        if (h != null) {
                            try {
                                h.await(30, java.util.concurrent.TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return Result.newBuilder()
                                .setAck(Ack.newBuilder()
                                        .setMessage("started "
                                                + cmd.getPortalStart().getName()))
                                .build();
                    });
                    return () -> {};
                })
                .start();
    }

    /** Simulates {@code kill -9}: drops everything without a graceful drain, keeps the state dir. */
    void crash() throws Exception {
        kit.crash();
    }

    void restart() throws Exception {
        kit.restart();
    }

    CommandOutcome send(Command command) throws Exception {
        return kit.send(command);
    }

    static Command startPortal(String name) {
        return Command.newBuilder()
                .setPortalStart(org.multiverse.scramble.protocol.v1.PortalStart.newBuilder()
                        .setName(name))
                .build();
    }

    static Command ping() {
        return Command.newBuilder()
                .setAgentPing(org.multiverse.scramble.protocol.v1.AgentPing.getDefaultInstance())
                .build();
    }

    /** A correctly signed envelope, with the harness's own sequence counter. */
    Envelope envelope(Command command) {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        return EnvelopeSigner.sign(
                kit.session(),
                command,
                kit.core().id(),
                "",
                1_000_000 + sequence.incrementAndGet(),
                Instant.now().toEpochMilli(),
                id);
    }

    /** A raw link that sends frames as given and collects every frame that comes back. */
    RawLink raw() throws IOException {
        return new RawLink(Transports.connect(TransportUri.parse(kit.listenUri())));
    }

    List<AuditRecord> audit(int n) throws IOException {
        return kit.audit(n);
    }

    AuditRecord lastAudit() throws IOException {
        return kit.lastAudit();
    }

    /**
     * Waits for the last audit entry to be a refusal: refusals of unattributable input are
     * audited without waiting for the disk (garbage must not cost an fsync each).
     */
    AuditRecord awaitRefusal() throws IOException, InterruptedException {
        return kit.awaitAudit(r -> r.decision().equals("refused"), "refusal");
    }

    @Override
    public void close() throws Exception {
        kit.close();
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
