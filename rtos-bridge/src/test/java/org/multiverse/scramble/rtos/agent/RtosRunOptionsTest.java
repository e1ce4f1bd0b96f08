package org.multiverse.scramble.rtos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiverse.scramble.rtos.link.NodeSpec;
import picocli.CommandLine;

class RtosRunOptionsTest {

    static RtosRunOptions parse(String... args) {
        RtosRunOptions o = new RtosRunOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void repeatedNodesParseWithBaudDefault() {
        List<NodeSpec> nodes = parse("--node", "lab=/dev/ttyACM0", "--node", "arm-2=/dev/ttyUSB1:115200")
                .nodes();
        assertEquals(
                List.of(
                        new NodeSpec("lab", Path.of("/dev/ttyACM0"), NodeSpec.DEFAULT_BAUD),
                        new NodeSpec("arm-2", Path.of("/dev/ttyUSB1"), 115_200)),
                nodes);
    }

    @Test
    void noNodeIsAnEmptyList() {
        assertEquals(List.of(), parse().nodes());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "lab",
                "=/dev/ttyACM0",
                "lab=",
                "Lab=/dev/ttyACM0",
                "lab=/dev/ttyACM0:12345",
                "a-name-longer-than-16=/dev/x",
                "l\u001bb=/dev/x"
            })
    void malformedNodesNameTheOption(String text) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> parse("--node", text).nodes());
        assertTrue(e.getMessage().startsWith("--node "), e.getMessage());
    }

    @Test
    void aNodeNameGivenTwiceIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> parse("--node", "lab=/dev/ttyACM0", "--node", "lab=/dev/ttyACM1")
                        .nodes());
        assertEquals("--node lab given twice", e.getMessage());
    }
}
