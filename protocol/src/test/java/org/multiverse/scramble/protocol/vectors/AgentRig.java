package org.multiverse.scramble.protocol.vectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.multiverse.scramble.protocol.agent.AgentBuilder;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.agent.PolicyHolder;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.agent.policy.Policy;
import org.multiverse.scramble.protocol.agent.policy.PolicyException;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * A fresh, real agent core for one envelope vector: the fixture's identity, a clock fixed at
 * {@link FixedInputs#AGENT_NOW_MILLIS}, the fixture's roots and policy, an empty state directory
 * (no replay marks, no revocations, empty audit log), attached to a {@link LoopbackChannel}.
 * Every vector gets its own agent, so what it saw before is exactly the vector's history.
 */
final class AgentRig implements AutoCloseable {

    /** Generous: the pipeline answers in milliseconds, but two shared cores can stall for seconds. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    /** Audit decisions that end an envelope's processing (an accepted one also logs "accepted" first). */
    private static final Set<String> FINAL_DECISIONS = Set.of("refused", "done", "duplicate", "relayed", "queries");
    /** More audit entries than any vector makes. */
    private static final int AUDIT_TAIL = 10_000;

    private final Path directory;
    private final Path stateDir;
    private final Identity identity;
    private final AgentCore core;
    private final LoopbackChannel channel = new LoopbackChannel();
    private boolean finished;

    private AgentRig(Path directory, Path stateDir, Identity identity, AgentCore core) {
        this.directory = directory;
        this.stateDir = stateDir;
        this.identity = identity;
        this.core = core;
        core.attach(channel);
    }

    static AgentRig start() throws IOException {
        Path directory = Files.createTempDirectory("scramble-vectors-");
        Path stateDir = directory.resolve("state");
        Identity identity = AgentFixture.identity();
        try (Identity root = Identity.fromSeed(FixedInputs.ROOT_SEED)) {
            Files.createDirectories(stateDir);
            AgentState.roots(stateDir).authorize(root.id(), Scope.ALL);
            AgentCore core = new AgentBuilder("vectors", stateDir)
                    .version(AgentFixture.VERSION)
                    .identity(identity)
                    .clock(Clock.fixed(Instant.ofEpochMilli(FixedInputs.AGENT_NOW_MILLIS), ZoneOffset.UTC))
                    .policy(PolicyHolder.fixed(policy()))
                    .build();
            return new AgentRig(directory, stateDir, identity, core);
        } catch (IOException | RuntimeException e) {
            identity.close();
            delete(directory);
            throw e;
        }
    }

    /** Sends one ENVELOPE frame and returns the one frame the agent answers with. */
    Frame send(byte[] envelope) throws InterruptedException {
        channel.deliver(new Frame(FrameType.ENVELOPE, envelope));
        return channel.next(ANSWER_TIMEOUT);
    }

    /**
     * Closes the agent (which flushes its audit log) and returns the audit entry that ended each
     * envelope's processing, in the order the envelopes were sent.
     */
    List<AuditRecord> finish() throws IOException {
        finished = true;
        core.close();
        if (!channel.unread().isEmpty()) {
            throw new IllegalStateException("the agent sent more than one answer: " + channel.unread());
        }
        return AuditLog.tail(AgentState.auditDir(stateDir), AUDIT_TAIL).stream()
                .filter(r -> FINAL_DECISIONS.contains(r.decision()))
                .toList();
    }

    @Override
    public void close() throws IOException {
        try {
            if (!finished) {
                core.close();
            }
        } finally {
            identity.close();
            delete(directory);
        }
    }

    private static Policy policy() {
        try {
            return Policy.parse("vectors.policy", AgentFixture.POLICY);
        } catch (PolicyException e) {
            throw new IllegalStateException("the fixture's policy does not parse", e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
