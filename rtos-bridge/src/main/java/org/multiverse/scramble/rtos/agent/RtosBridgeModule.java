package org.multiverse.scramble.rtos.agent;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentModule;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.text.EscapeStripper;
import org.multiverse.scramble.rtos.link.NodeSpec;
import org.multiverse.scramble.rtos.link.RtosBridgeService;

/**
 * The RTOS bridge behind the shared agent core: serves {@code rtos list/ping/info/read/write/
 * stream/time-sync} for the nodes on its serial lines; every other agent command comes from
 * the core. Its own {@code run} option is {@code --node NAME=/dev/ttyACM0[:baud]}, repeatable.
 *
 * <p>{@code rtos write} relays the node command the person's shell signed (WIRE.md section 6;
 * the shell builds it with {@link org.multiverse.scramble.protocol.rtos.NodeCommands#signedWrite});
 * a write without one is refused, the bridge never signs for the person. {@code rtos stream}
 * runs for its seconds, publishes the node-sealed samples as {@code rtos.stream.*} events, and
 * answers with the loss and jitter report. A node's link going up or down, or into failsafe,
 * is published as an {@code rtos.state} event.
 */
public final class RtosBridgeModule implements AgentModule {

    private final RtosRunOptions options = new RtosRunOptions();
    /** How long the demo waits for its node's handshake (a few hundred ms here; generous for a loaded machine). */
    static final long DEMO_LINK_TIMEOUT_MILLIS = 10_000;

    private final Consumer<String> log;

    /** The module as {@link java.util.ServiceLoader} and the process entry point make it: logs to stderr. */
    public RtosBridgeModule() {
        this(line -> System.err.println(
                Instant.now() + " rtos-bridge " + EscapeStripper.strip(line.replaceAll("[\\r\\n]", " "))));
    }

    /** @param log receives "LEVEL text" lines */
    RtosBridgeModule(Consumer<String> log) {
        this.log = log;
    }

    @Override
    public String name() {
        return "rtos-bridge";
    }

    @Override
    public String role() {
        return "rtos";
    }

    @Override
    public Object runOptions() {
        return options;
    }

    /** The nodes of the {@code --node} options; each link connects and reconnects by itself. */
    @Override
    public AutoCloseable install(AgentCore core, Path stateDir) throws Exception {
        List<NodeSpec> nodes = options.nodes();
        if (nodes.isEmpty()) {
            log.accept("WARN no --node given: rtos list is empty");
        }
        RtosBridgeService service = new RtosBridgeService(stateDir, nodes);
        RtosHandlers.register(core, service);
        for (NodeSpec n : nodes) {
            log.accept("INFO node " + n.name() + " on " + n.device() + " at " + n.baud() + " baud");
        }
        NodeStateWatcher watcher = new NodeStateWatcher(service::list, core.events()::publish).start();
        return () -> {
            watcher.close();
            service.close();
        };
    }

    /**
     * One simulated node, {@code lab-sensor}, in this process on a socat pty pair (see
     * {@link DemoNode}), enrolling the roots authorised on the agent; the run options are not
     * used.
     */
    @Override
    public AutoCloseable installDemo(AgentCore core, Path stateDir) throws Exception {
        DemoNode node =
                DemoNode.start(stateDir, AgentState.roots(stateDir).all().keySet(), log);
        RtosBridgeService service;
        try {
            service = new RtosBridgeService(stateDir, List.of(node.spec()));
        } catch (Exception e) {
            node.close();
            throw e;
        }
        RtosHandlers.register(core, service);
        // The demo is ready when the shell opens: wait for the node's handshake rather than answer
        // the person's first command with "not connected yet".
        if (!service.awaitUp(node.spec().name(), DEMO_LINK_TIMEOUT_MILLIS)) {
            log.accept("WARN demo node " + node.spec().name() + " did not come up within " + DEMO_LINK_TIMEOUT_MILLIS
                    + " ms; it shows as down until it does");
        }
        NodeStateWatcher watcher = new NodeStateWatcher(service::list, core.events()::publish).start();
        return () -> {
            watcher.close();
            service.close();
            node.close();
        };
    }
}
