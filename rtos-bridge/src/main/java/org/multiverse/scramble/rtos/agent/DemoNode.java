package org.multiverse.scramble.rtos.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.rtos.link.NodeSpec;
import org.multiverse.scramble.rtos.node.NodeConfig;
import org.multiverse.scramble.rtos.node.NodeRunner;
import org.multiverse.scramble.rtos.node.SimulatedNode;
import org.multiverse.scramble.rtos.serial.PtyPair;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * The demo's node: a {@link SimulatedNode} in this process, on one end of a socat pty pair
 * whose other end the bridge opens as it would a USB-CDC device, so the demo exercises the
 * real serial path (stty, COBS framing, resynchronisation). The bridge's link code opens
 * devices by path only, which is why this is a pty and not an in-memory pipe.
 *
 * <p>It enrolls the roots authorised on the agent when it starts (the demo authorises its
 * temporary identity before installing the agents); its X25519 key lives only in memory.
 * Without socat the node is absent: the bridge still serves and {@code rtos list} shows the
 * node's line down, as for an unplugged board.
 */
final class DemoNode implements AutoCloseable {

    /** The demo node's name at the bridge and its node id. */
    static final String NAME = "lab-sensor";
    /** Where the pty links live, under the agent's state directory. */
    static final String TTY_DIR = "demo-tty";
    /** The node's reader notices {@link NodeRunner#stop()} within one tty read timeout (100 ms). */
    private static final long STOP_MILLIS = 2_000;

    private final NodeSpec spec;
    private final PtyPair pty;
    private final SimulatedNode node;
    private final NodeRunner runner;
    private final Thread thread;

    private DemoNode(NodeSpec spec, PtyPair pty, SimulatedNode node, NodeRunner runner, Thread thread) {
        this.spec = spec;
        this.pty = pty;
        this.node = node;
        this.runner = runner;
        this.thread = thread;
    }

    /**
     * Starts the node if socat is available.
     *
     * @param enrolled the roots whose sessions the node accepts
     * @param log receives "LEVEL text" lines
     */
    static DemoNode start(Path stateDir, Iterable<ScrambleId> enrolled, Consumer<String> log) throws IOException {
        Path dir = stateDir.resolve(TTY_DIR);
        Files.createDirectories(dir);
        Path bridgeEnd = dir.resolve(NAME + ".bridge");
        Path nodeEnd = dir.resolve(NAME + ".node");
        NodeSpec spec = new NodeSpec(NAME, bridgeEnd, NodeSpec.DEFAULT_BAUD);
        if (!PtyPair.socatAvailable()) {
            log.accept("WARN demo node " + NAME + " not started: socat is not installed (apt-get install socat)");
            return new DemoNode(spec, null, null, null, null);
        }
        Properties p = new Properties();
        p.setProperty("node_id", NAME);
        p.setProperty("board", "sim-stm32f4");
        StringBuilder roots = new StringBuilder();
        for (ScrambleId id : enrolled) {
            roots.append(roots.isEmpty() ? "" : ",").append(id.text());
        }
        p.setProperty("enrolled_roots", roots.toString());
        NodeConfig config = NodeConfig.from(p, dir);
        PtyPair pty = PtyPair.start(bridgeEnd, nodeEnd);
        NodeRunner runner = new NodeRunner(nodeEnd, NodeSpec.DEFAULT_BAUD);
        SecureRandom random = new SecureRandom();
        SimulatedNode node = new SimulatedNode(config, new X25519PrivateKeyParameters(random), runner::send, random);
        runner.attach(node);
        Thread thread = new Thread(runner, "demo-node-" + NAME);
        thread.setDaemon(true);
        thread.start();
        log.accept("INFO demo node " + NAME + " on " + nodeEnd + " (enrolled: "
                + config.enrolledRoots().stream().map(ScrambleId::shortForm).collect(Collectors.joining(", ")) + ")");
        return new DemoNode(spec, pty, node, runner, thread);
    }

    /** The bridge's {@code --node} for this node. */
    NodeSpec spec() {
        return spec;
    }

    boolean running() {
        return node != null;
    }

    @Override
    public void close() throws InterruptedException {
        if (node == null) {
            return;
        }
        runner.stop();
        node.close();
        pty.close();
        thread.join(STOP_MILLIS);
    }
}
