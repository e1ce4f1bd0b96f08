package org.multiverse.scramble.rtos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.rtos.link.NodeStatus;

class NodeStateWatcherTest {

    record Published(
            org.multiverse.scramble.protocol.v1.EventKind kind,
            String subject,
            String text,
            Map<String, String> attributes) {}

    static NodeStatus status(String name, boolean up, boolean failsafe, String error) {
        return new NodeStatus(name, up, up ? name + "-id" : "", "board", "fw", 0, failsafe, error);
    }

    final AtomicReference<List<NodeStatus>> nodes = new AtomicReference<>(List.of());
    final List<Published> events = new ArrayList<>();
    final NodeStateWatcher watcher = new NodeStateWatcher(
            nodes::get,
            (kind, subject, text, attributes) -> events.add(new Published(kind, subject, text, attributes)));

    @Test
    void aNodeThatWasNeverUpSaysNothing() {
        nodes.set(List.of(status("lab", false, false, "device /dev/x not present")));
        watcher.poll();
        watcher.poll();
        assertEquals(List.of(), events);
    }

    @Test
    void upDownAndFailsafeAreEachOneEvent() {
        nodes.set(List.of(status("lab", true, false, "")));
        watcher.poll();
        watcher.poll();
        nodes.set(List.of(status("lab", true, true, "")));
        watcher.poll();
        nodes.set(List.of(status("lab", false, true, "node lab silent for 400 ms")));
        watcher.poll();
        watcher.poll();
        assertEquals(
                List.of(
                        new Published(
                                org.multiverse.scramble.protocol.v1.EventKind.RTOS_STATE,
                                "lab",
                                "lab up",
                                Map.of("link_up", "true", "failsafe", "false", "node_id", "lab-id", "error", "")),
                        new Published(
                                org.multiverse.scramble.protocol.v1.EventKind.RTOS_STATE,
                                "lab",
                                "lab up (failsafe)",
                                Map.of("link_up", "true", "failsafe", "true", "node_id", "lab-id", "error", "")),
                        new Published(
                                org.multiverse.scramble.protocol.v1.EventKind.RTOS_STATE,
                                "lab",
                                "lab down: node lab silent for 400 ms (failsafe)",
                                Map.of(
                                        "link_up",
                                        "false",
                                        "failsafe",
                                        "true",
                                        "node_id",
                                        "",
                                        "error",
                                        "node lab silent for 400 ms"))),
                events);
    }

    @Test
    void nodesAreTrackedSeparately() {
        nodes.set(List.of(status("a", true, false, ""), status("b", false, false, "x")));
        watcher.poll();
        nodes.set(List.of(status("a", true, false, ""), status("b", true, false, "")));
        watcher.poll();
        assertEquals(List.of("a", "b"), events.stream().map(Published::subject).toList());
    }
}
