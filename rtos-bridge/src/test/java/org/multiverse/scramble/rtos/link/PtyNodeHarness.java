package org.multiverse.scramble.rtos.link;

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
import org.multiverse.scramble.protocol.testkit.Prerequisite;
import org.multiverse.scramble.rtos.serial.PtyPair;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * A simulated node in its own JVM on one end of a socat pty pair, and a bridge service on
 * the other end: the real serial path, nothing mocked.
 */
final class PtyNodeHarness implements AutoCloseable {

    static final String NODE = "sim";
    static final String NODE_ID = "sim-1";
    /** A JVM start plus the handshake; generous for two shared cores. */
    static final long UP_TIMEOUT_MILLIS = 20_000;

    final Path dir;
    final Identity root;
    final SessionKeys session;
    final Path bridgeEnd;
    final Path nodeEnd;
    PtyPair pty;
    final Process node;
    final RtosBridgeService service;

    /** Fails under CI=true when socat is missing; skips on a laptop. */
    static void requireSocat() {
        Prerequisite.require(
                PtyPair.socatAvailable(), "socat is required for the pty tests (apt-get install -y socat)");
    }

    PtyNodeHarness(Path dir, String extraConfig) throws Exception {
        this(dir, extraConfig, false);
    }

    /**
     * @param relayed if true, the node sits behind a second pty pair; the test wires the
     *     two with its own relay ({@link #nodeSide()})
     */
    PtyNodeHarness(Path dir, String extraConfig, boolean relayed) throws Exception {
        requireSocat();
        this.dir = dir;
        this.root = Identity.generate(new SecureRandom());
        this.session = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
        Path config = dir.resolve("node.properties");
        Files.writeString(
                config,
                "node_id = " + NODE_ID + "\n"
                        + "enrolled_roots = " + root.id().text() + "\n"
                        + "key_file = node.key\n" + extraConfig);
        this.bridgeEnd = dir.resolve("bridge-tty");
        this.nodeEnd = dir.resolve(relayed ? "relay-node-tty" : "node-tty");
        this.pty = PtyPair.start(bridgeEnd, relayed ? dir.resolve("relay-bridge-tty") : dir.resolve("node-tty"));
        if (relayed) {
            relayPair = PtyPair.start(dir.resolve("relay-node-side"), nodeEnd);
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.multiverse.scramble.rtos.RtosBridgeMain",
                "simulate-node",
                "--serial",
                nodeEnd.toString(),
                "--config",
                config.toString(),
                "--seed",
                "42"));
        this.node = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("node.log").toFile())
                .start();
        this.service = new RtosBridgeService(dir.resolve("state"), List.of(new NodeSpec(NODE, bridgeEnd, 921_600)));
    }

    PtyPair relayPair;

    /** The relay's ends: bridge side of the relay, node side of the relay. */
    Path[] relayEnds() {
        return new Path[] {dir.resolve("relay-bridge-tty"), dir.resolve("relay-node-side")};
    }

    void awaitUp() throws Exception {
        boolean up = service.awaitUp(NODE, UP_TIMEOUT_MILLIS);
        assertTrue(up, () -> "node never came up: " + service.list() + "\nnode log:\n" + log());
    }

    String log() {
        try {
            return Files.readString(dir.resolve("node.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Cuts the line (socat dies, both pty links vanish). */
    void cut() {
        pty.close();
    }

    /** Brings the line back on the same paths. */
    void reconnect() throws IOException {
        pty = PtyPair.start(pty.a(), pty.b());
    }

    @Override
    public void close() throws Exception {
        service.close();
        node.destroy();
        if (!node.waitFor(5, TimeUnit.SECONDS)) {
            node.destroyForcibly();
        }
        pty.close();
        if (relayPair != null) {
            relayPair.close();
        }
    }
}
