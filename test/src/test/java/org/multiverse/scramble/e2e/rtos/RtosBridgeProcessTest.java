package org.multiverse.scramble.e2e.rtos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.SessionClient;
import org.multiverse.scramble.protocol.testkit.Prerequisite;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RtosPing;
import org.multiverse.scramble.protocol.v1.RtosRead;
import org.multiverse.scramble.protocol.v1.RtosWrite;
import org.multiverse.scramble.rtos.serial.PtyPair;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * Real processes on a real serial path: {@code bin/rtos-bridge simulate-node} on one end of a
 * socat pty pair, {@code bin/rtos-bridge run --node lab=...} on the other end serving a unix
 * socket with the sample policy, and a person's session sending signed {@code rtos ping} and
 * {@code rtos read}; SIGTERM drains and exits 0, and the audit log verifies.
 */
class RtosBridgeProcessTest {

    static final String NODE = "lab";
    static final String NODE_ID = "lab-e2e";
    /** A JVM start (class-data archive or not) on a loaded two-core machine. */
    static final long START_SECONDS = 60;
    /** SIGTERM drains in-flight commands (the core waits up to 30 s) and exits. */
    static final long STOP_SECONDS = 45;
    /** The bridge's handshake and first time sync once both processes run. */
    static final long NODE_UP_SECONDS = 30;

    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private final Identity root = Identity.generate(new SecureRandom());
    private final List<Process> processes = new ArrayList<>();
    private PtyPair pty;
    private SessionClient client;
    private SessionKeys session;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.close();
        }
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
            }
        }
        if (pty != null) {
            pty.close();
        }
        if (session != null) {
            session.close();
        }
        root.close();
    }

    /** The repository root: the test module runs in {@code test/}. */
    static Path repoRoot() throws IOException {
        Path top = Path.of("..").toRealPath();
        if (!Files.isExecutable(top.resolve("bin/rtos-bridge"))) {
            throw new IllegalStateException("bin/rtos-bridge not found under " + top);
        }
        return top;
    }

    private Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(repoRoot().resolve("bin/rtos-bridge").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(repoRoot().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        processes.add(p);
        return p;
    }

    /** Runs a one-shot command to its end; returns its output, asserting exit 0. */
    private String once(String... args) throws Exception {
        Path log = Files.createTempFile(tmp, "once", ".log");
        Process p = start(log, args);
        assertTrue(p.waitFor(START_SECONDS, TimeUnit.SECONDS), "rtos-bridge " + String.join(" ", args) + " hung");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), () -> "rtos-bridge " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    /** Waits until {@code log} contains {@code text}, or the process died, or the deadline. */
    private static void awaitLog(Process p, Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (!Files.readString(log).contains(text)) {
            if (!p.isAlive()) {
                throw new AssertionError(
                        "exited " + p.exitValue() + " before \"" + text + "\":\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + text + "\" in time:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    private CommandOutcome send(ScrambleId agent, Command c) throws Exception {
        return client.send(c, agent, "", REPLY_TIMEOUT).get(REPLY_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    @Test
    void bridgeAndNodeProcessesServeSignedCommandsAndStopOnSigterm() throws Exception {
        Prerequisite.require(
                PtyPair.socatAvailable(), "socat is required for the pty tests (apt-get install -y socat)");
        Path state = tmp.resolve("state");
        Path socket = tmp.resolve("bridge.sock");
        Path config = tmp.resolve("node.properties");
        Files.writeString(
                config,
                "node_id = " + NODE_ID + "\nenrolled_roots = " + root.id().text() + "\nkey_file = node.key\n");
        pty = PtyPair.start(tmp.resolve("bridge-tty"), tmp.resolve("node-tty"));

        Path nodeLog = tmp.resolve("node.log");
        Process node = start(
                nodeLog, "simulate-node", "--serial", pty.b().toString(), "--config", config.toString(), "--seed", "7");
        ScrambleId agent =
                ScrambleId.parse(once("init", "--state-dir", state.toString()).strip());
        assertTrue(once("authorize", "--state-dir", state.toString(), root.id().text())
                .contains("authorised " + root.id().text()));

        Path bridgeLog = tmp.resolve("bridge.log");
        Process bridge = start(
                bridgeLog,
                "run",
                "--state-dir",
                state.toString(),
                "--listen",
                "unix:" + socket,
                "--policy",
                "protocol/agent.policy.sample",
                "--node",
                NODE + "=" + pty.a());
        awaitLog(bridge, bridgeLog, "serving as " + agent.text());
        awaitLog(node, nodeLog, "simulated node " + NODE_ID);

        session = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
        TransportUri uri = TransportUri.parse("unix:" + socket);
        client = new SessionClient(
                session,
                AgentClient.start(() -> Transports.connect(uri), f -> {}, ClientSettings.DEFAULTS),
                Clock.systemUTC());

        // The link comes up on its own (hello, channel pages, time sync): until then, UNAVAILABLE.
        Command ping = Command.newBuilder()
                .setRtosPing(RtosPing.newBuilder().setNode(NODE))
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(NODE_UP_SECONDS);
        CommandOutcome pong = send(agent, ping);
        while (pong instanceof CommandOutcome.Failed f && f.error().getCode() == ErrorCode.UNAVAILABLE) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "node never came up: " + f.error().getMessage() + "\n" + Files.readString(bridgeLog));
            }
            Thread.sleep(100);
            pong = send(agent, ping);
        }
        final CommandOutcome answered = pong;
        Result ok = assertInstanceOf(CommandOutcome.Ok.class, answered, () -> "ping: " + answered)
                .result();
        assertTrue(ok.getRtosPing().getRoundTripMicros() > 0, ok.toString());

        CommandOutcome read = send(
                agent,
                Command.newBuilder()
                        .setRtosRead(RtosRead.newBuilder().setNode(NODE).setChannel("temp"))
                        .build());
        Result value = assertInstanceOf(CommandOutcome.Ok.class, read, () -> "read: " + read)
                .result();
        assertEquals("temp", value.getRtosValue().getChannel());
        assertTrue(Math.abs(value.getRtosValue().getValue()) <= 1.5 + 1e-3, value.toString());
        assertTrue(value.getRtosValue().getNodeTimeMicros() > 0, value.toString());

        // A write the shell did not sign never reaches the node.
        CommandOutcome unsigned = send(
                agent,
                Command.newBuilder()
                        .setRtosWrite(RtosWrite.newBuilder()
                                .setNode(NODE)
                                .setChannel("valve")
                                .setValue(1))
                        .build());
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                assertInstanceOf(CommandOutcome.Failed.class, unsigned, () -> "write: " + unsigned)
                        .error()
                        .getCode());

        bridge.destroy(); // SIGTERM
        assertTrue(
                bridge.waitFor(STOP_SECONDS, TimeUnit.SECONDS),
                "bridge ignored SIGTERM:\n" + Files.readString(bridgeLog));
        assertEquals(0, bridge.exitValue(), Files.readString(bridgeLog));
        assertTrue(Files.readString(bridgeLog).contains("stopped"), Files.readString(bridgeLog));
        String audit = once("audit", "verify", "--state-dir", state.toString());
        assertTrue(audit.contains("audit log intact"), audit);
        String tail = once("audit", "tail", "--state-dir", state.toString(), "-n", "50");
        assertTrue(tail.contains("rtos.ping") && tail.contains("rtos.read") && tail.contains("rtos.write"), tail);

        node.destroy();
        assertTrue(node.waitFor(STOP_SECONDS, TimeUnit.SECONDS), "node ignored SIGTERM");
    }
}
