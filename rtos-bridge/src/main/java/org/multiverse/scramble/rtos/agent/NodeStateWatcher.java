package org.multiverse.scramble.rtos.agent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.multiverse.scramble.rtos.link.NodeStatus;

/**
 * Publishes an {@code rtos.state} event (subject = the node's name; attributes {@code link_up},
 * {@code failsafe}, {@code node_id}, {@code error}) whenever a node's link goes up or down or
 * its failsafe flag changes, so the shell's dashboard needs no polling. The links keep their
 * state in memory; reading it every {@link #PERIOD_MILLIS} costs nothing on the lines.
 */
final class NodeStateWatcher implements AutoCloseable {

    /** A link drop is noticed by the link within ~300 ms of silence; a quarter second adds little. */
    static final long PERIOD_MILLIS = 250;

    /** Where events go: {@code EventHub::publish} in the agent. */
    @FunctionalInterface
    interface Publisher {
        void publish(
                org.multiverse.scramble.protocol.v1.EventKind kind,
                String subject,
                String text,
                Map<String, String> attributes);
    }

    /** What is reported of a node; a change in any of these is an event. */
    private record Seen(boolean linkUp, boolean failsafe) {}

    private final Supplier<List<NodeStatus>> nodes;
    private final Publisher publisher;
    private final Map<String, Seen> seen = new HashMap<>();
    private ScheduledExecutorService timer;

    NodeStateWatcher(Supplier<List<NodeStatus>> nodes, Publisher publisher) {
        this.nodes = nodes;
        this.publisher = publisher;
    }

    /** Starts polling on a daemon thread. */
    NodeStateWatcher start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtos-state");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        poll();
                    } catch (RuntimeException e) {
                        // a failed publish must not end the periodic task; the next change is reported again
                    }
                },
                0,
                PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** Compares every node with what was last reported and publishes the changes. */
    synchronized void poll() {
        for (NodeStatus n : nodes.get()) {
            Seen now = new Seen(n.linkUp(), n.failsafe());
            Seen before = seen.put(n.name(), now);
            if (now.equals(before) || (before == null && !now.linkUp())) {
                continue; // no change, or a node that was never up: nothing happened yet
            }
            String text = n.name()
                    + (n.linkUp() ? " up" : " down" + (n.lastError().isEmpty() ? "" : ": " + n.lastError()))
                    + (n.failsafe() ? " (failsafe)" : "");
            publisher.publish(
                    org.multiverse.scramble.protocol.v1.EventKind.RTOS_STATE,
                    n.name(),
                    text,
                    Map.of(
                            "link_up", Boolean.toString(n.linkUp()),
                            "failsafe", Boolean.toString(n.failsafe()),
                            "node_id", n.nodeId(),
                            "error", n.lastError()));
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
