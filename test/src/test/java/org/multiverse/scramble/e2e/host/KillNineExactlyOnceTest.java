package org.multiverse.scramble.e2e.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.SessionClient;
import org.multiverse.scramble.protocol.testkit.Prerequisite;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.PortalRunState;
import org.multiverse.scramble.protocol.v1.PortalShow;
import org.multiverse.scramble.protocol.v1.PortalStart;
import org.multiverse.scramble.protocol.v1.PortalStop;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * The measured double execution (issue 13, item 1): {@code portal stop} on a real QEMU portal,
 * the agent {@code kill -9}'d mid-command and restarted, ran twice — the resend was refused as
 * REPLAYED and the client signed the command again. Here, round after round, a real
 * {@code bin/host-agent} is killed while {@code portal start} / {@code portal stop} runs (real
 * QEMU under TCG, and a simulated guest that ignores the power button, so the stop is slow);
 * the same client, as a shell would, waits through the restart. Every round: the command is
 * accepted exactly once (the audit's count), the person gets a definite outcome (the result, or
 * INTERRUPTED), and at the end {@code audit verify} finds the chain intact.
 */
class KillNineExactlyOnceTest {

    /** Rounds per case: the kill lands at a different point of the command each time. */
    static final int ROUNDS = 20;
    /** A diskless guest ignores ACPI: the stop waits this long, then forces the VM off. */
    static final int STOP_TIMEOUT_SECONDS = 1;
    /** The answer arrives after a restart: a JVM start, a QEMU adoption, a reconnect. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(90);
    /** Reconnect quickly: the client waits out each restart (the defaults back off to 10 s). */
    static final ClientSettings QUICK_RECONNECT =
            new ClientSettings(Duration.ofSeconds(2), 3, Duration.ofMillis(50), Duration.ofMillis(250));

    @TempDir
    Path tmp;

    private final Random random = new Random();
    private final Identity root = Identity.generate(new SecureRandom());
    private Path state;
    private Path socket;
    private SessionKeys session;
    private ScrambleId agentId;
    private AgentProcess agent;
    private SessionClient client;
    private String hypervisor;
    private int started;

    @BeforeEach
    void setUp() throws Exception {
        state = tmp.resolve("state");
        socket = tmp.resolve("agent.sock");
        AgentProcess.Output init = AgentProcess.once(tmp, "init", "--state-dir", state.toString());
        assertEquals(0, init.exitCode(), init.stderr());
        agentId = ScrambleId.parse(init.stdout().strip());
        AgentProcess.Output auth = AgentProcess.once(
                tmp, "authorize", "--state-dir", state.toString(), root.id().text());
        assertEquals(0, auth.exitCode(), auth.stderr());
        session = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.close();
        }
        if (agent != null) {
            agent.close();
        }
        for (long pid : HostAgentProcessTest.qemuPidsUnder(tmp)) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                h.onExit().orTimeout(10, TimeUnit.SECONDS).join();
            });
        }
        session.close();
        root.close();
    }

    @Test
    void killNineDuringARealQemuStartOrStopNeverRunsItTwiceAndTheOutcomeIsKnown() throws Exception {
        Prerequisite.require(
                Files.isExecutable(HostAgentProcessTest.QEMU),
                "QEMU is missing: apt-get install -y qemu-system-x86 qemu-utils");
        hypervisor = "qemu";
        startAgent();
        ok(HostAgentProcessTest.define("q1"));
        int starts = 0;
        int stops = 0;
        List<String> outcomes = new ArrayList<>();
        for (int round = 0; (starts < ROUNDS || stops < ROUNDS) && round < 4 * ROUNDS; round++) {
            boolean running = state("q1") == PortalRunState.PORTAL_RUN_STATE_RUNNING;
            if (running && stops >= ROUNDS) {
                ok(Command.newBuilder() // enough stops: back to stopped at once
                        .setPortalKill(org.multiverse.scramble.protocol.v1.PortalKill.newBuilder()
                                .setName("q1"))
                        .build());
                continue;
            }
            if (!running && starts >= ROUNDS) {
                ok(start("q1"));
                continue;
            }
            Command c = running ? stop("q1", STOP_TIMEOUT_SECONDS) : start("q1");
            outcomes.add(killDuring(c, running ? "portal.stop" : "portal.start", running ? 1_300 : 1_000));
            if (running) {
                stops++;
            } else {
                starts++;
            }
            assertTrue(
                    HostAgentProcessTest.qemuPidsUnder(tmp).size() <= 1,
                    "more than one QEMU for one portal: " + HostAgentProcessTest.qemuPidsUnder(tmp));
        }
        assertTrue(starts >= ROUNDS && stops >= ROUNDS, "starts " + starts + ", stops " + stops);
        System.out.println("real QEMU kill -9 rounds: " + outcomes);
        finish();
    }

    @Test
    void killNineDuringASlowSimulatedStopNeverRunsItTwiceAndTheOutcomeIsKnown() throws Exception {
        hypervisor = "sim-acpi-ignored";
        startAgent();
        ok(HostAgentProcessTest.define("q1"));
        List<String> outcomes = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            if (state("q1") != PortalRunState.PORTAL_RUN_STATE_RUNNING) {
                ok(start("q1")); // a simulated VM does not outlive its agent process
            }
            outcomes.add(killDuring(stop("q1", STOP_TIMEOUT_SECONDS), "portal.stop", 1_300));
        }
        System.out.println("simulated kill -9 rounds: " + outcomes);
        finish();
    }

    /**
     * Sends {@code c}, kills the agent at a random moment after it accepted it (at most
     * {@code withinMillis} later, so some kills land after it finished), restarts the agent,
     * and checks the round: one acceptance, a definite outcome. Returns that outcome's name.
     */
    private String killDuring(Command c, String commandName, int withinMillis) throws Exception {
        long auditBefore = lastAuditIndex();
        CompletableFuture<CommandOutcome> pending = client.send(c, agentId, "", REPLY_TIMEOUT);
        awaitAccepted(commandName, auditBefore);
        Thread.sleep(random.nextInt(withinMillis));
        agent.killHard();
        startAgent();
        CommandOutcome o = pending.get(REPLY_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        List<AuditRecord> round = auditSince(auditBefore);
        long accepted = round.stream()
                .filter(r -> r.command().equals(commandName) && r.decision().equals("accepted"))
                .count();
        assertEquals(1, accepted, () -> commandName + " accepted " + accepted + " times in one round: " + round);
        if (o instanceof CommandOutcome.Ok) {
            return "ok";
        }
        CommandOutcome.Failed f = assertInstanceOf(CommandOutcome.Failed.class, o, () -> "outcome " + o);
        assertEquals(ErrorCode.INTERRUPTED, f.error().getCode(), () -> "not a definite outcome: " + f.error());
        assertTrue(
                round.stream()
                        .anyMatch(r ->
                                r.command().equals(commandName) && r.result().equals("INTERRUPTED")),
                () -> "the restart audits the interruption: " + round);
        return "interrupted";
    }

    private void finish() throws Exception {
        client.close();
        client = null;
        assertEquals(0, agent.terminate(), agent.logText());
        agent = null;
        AgentProcess.Output verify = AgentProcess.once(tmp, "audit", "verify", "--state-dir", state.toString());
        assertEquals(0, verify.exitCode(), verify.stdout() + verify.stderr());
        assertTrue(verify.stdout().contains("intact"), verify.stdout());
    }

    private void startAgent() throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--state-dir",
                state.toString(),
                "--listen",
                "unix:" + socket,
                "--policy",
                "protocol/agent.policy.sample",
                "--hypervisor",
                hypervisor,
                "--images",
                tmp.resolve("images").toString()));
        if (hypervisor.equals("qemu")) {
            args.addAll(List.of("--accel", "tcg"));
        }
        started++;
        agent = AgentProcess.run(tmp, tmp.resolve("agent-" + started + ".log"), args.toArray(String[]::new));
        if (client == null) {
            TransportUri uri = TransportUri.parse("unix:" + socket);
            client = new SessionClient(
                    session,
                    AgentClient.start(() -> Transports.connect(uri), f -> {}, QUICK_RECONNECT),
                    Clock.systemUTC());
        }
    }

    private void awaitAccepted(String commandName, long after) throws Exception {
        long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
        while (auditSinceWhileWritten(after).stream()
                .noneMatch(r -> r.command().equals(commandName) && r.decision().equals("accepted"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(commandName + " was never accepted: " + auditSince(after));
            }
            Thread.sleep(5);
        }
    }

    /** The audit read while the agent appends to it: a half-written last line reads as nothing new yet. */
    private List<AuditRecord> auditSinceWhileWritten(long index) {
        try {
            return auditSince(index);
        } catch (Exception e) {
            return List.of();
        }
    }

    private long lastAuditIndex() throws Exception {
        List<AuditRecord> last = AuditLog.tail(state.resolve("audit"), 1);
        return last.isEmpty() ? 0 : last.get(0).index();
    }

    private List<AuditRecord> auditSince(long index) throws Exception {
        return AuditLog.tail(state.resolve("audit"), 200).stream()
                .filter(r -> r.index() > index)
                .toList();
    }

    private CommandOutcome.Ok ok(Command c) throws Exception {
        CommandOutcome o =
                client.send(c, agentId, "", REPLY_TIMEOUT).get(REPLY_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        return assertInstanceOf(CommandOutcome.Ok.class, o, () -> "expected success for " + c + ", got " + o);
    }

    private PortalRunState state(String name) throws Exception {
        return ok(Command.newBuilder()
                        .setPortalShow(PortalShow.newBuilder().setName(name))
                        .build())
                .result()
                .getPortalInfo()
                .getState();
    }

    private static Command start(String name) {
        return Command.newBuilder()
                .setPortalStart(PortalStart.newBuilder().setName(name))
                .build();
    }

    private static Command stop(String name, int timeoutSeconds) {
        return Command.newBuilder()
                .setPortalStop(PortalStop.newBuilder().setName(name).setTimeoutSeconds(timeoutSeconds))
                .build();
    }
}
