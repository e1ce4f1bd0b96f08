package org.multiverse.scramble.rtos;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.rtos.node.NodeConfig;
import org.multiverse.scramble.rtos.node.NodeKeyFile;
import org.multiverse.scramble.rtos.node.NodeRunner;
import org.multiverse.scramble.rtos.node.SimulatedNode;
import org.multiverse.scramble.rtos.serial.TtyLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rtos-bridge simulate-node}: a simulated RTOS node on a serial line (WIRE.md). */
@Command(
        name = "simulate-node",
        mixinStandardHelpOptions = true,
        description = "Run a simulated real-time node on a tty (a pty end from socat, or a real port).")
final class SimulateNodeCommand implements Callable<Integer> {

    @Option(
            names = "--serial",
            required = true,
            paramLabel = "PATH",
            description = "The tty device the node's UART is wired to.")
    Path serial;

    @Option(names = "--baud", defaultValue = "921600", description = "Line speed (default ${DEFAULT-VALUE}).")
    int baud;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Node configuration (properties, WIRE.md appendix A); without it: defaults, a"
                    + " fresh in-memory key and no enrolled root (every session refused).")
    Path config;

    @Option(names = "--seed", description = "Seed for noise and jitter (reproducible runs).")
    Long seed;

    @Override
    public Integer call() throws Exception {
        if (!TtyLine.BAUD_RATES.contains(baud)) {
            System.err.println("simulate-node: unsupported baud rate " + baud);
            return 2;
        }
        NodeConfig c = config != null ? NodeConfig.load(config) : NodeConfig.from(new Properties(), Path.of("."));
        NodeRunner runner = new NodeRunner(serial, baud);
        Random random = seed != null ? new Random(seed) : new SecureRandom();
        try (SimulatedNode node = new SimulatedNode(
                c,
                config != null
                        ? NodeKeyFile.loadOrCreate(c.keyFile())
                        : new X25519PrivateKeyParameters(new SecureRandom()),
                runner::send,
                random)) {
            runner.attach(node);
            System.out.println("simulated node " + c.nodeId() + " on " + serial);
            System.out.flush();
            runner.run();
        }
        return 0;
    }
}
