package org.multiverse.scramble.rtos.agent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.multiverse.scramble.rtos.link.NodeSpec;
import picocli.CommandLine.Option;

/**
 * The bridge's own {@code run} options (a picocli mixin of the shared agent command line):
 * the nodes and the serial lines they are wired to. Values are checked when the agent starts,
 * by {@link #nodes()}: a bad one stops it with a message naming the option.
 */
final class RtosRunOptions {

    @Option(
            names = "--node",
            paramLabel = "NAME=/dev/ttyACM0[:baud]",
            description = "a node on a serial line; repeat for more (baud default " + NodeSpec.DEFAULT_BAUD + ")")
    List<String> nodes = new ArrayList<>();

    /**
     * The parsed {@code --node} options.
     *
     * @throws IllegalArgumentException naming the option when one is malformed or repeated
     */
    List<NodeSpec> nodes() {
        List<NodeSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String text : nodes) {
            NodeSpec spec;
            try {
                spec = NodeSpec.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--node " + e.getMessage(), e);
            }
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("--node " + spec.name() + " given twice");
            }
            out.add(spec);
        }
        return out;
    }
}
