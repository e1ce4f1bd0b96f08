package org.multiverse.scramble.e2e.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.testkit.Prerequisite;
import org.multiverse.scramble.rtos.serial.PtyPair;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ScrambleShell;
import org.multiverse.scramble.shell.ShellEnvironment;

/**
 * {@code rtos write} end to end: {@code scramble-shell --demo} starts the real RTOS bridge with
 * its simulated node {@code lab-sensor} on a socat pty pair; the shell signs the node command
 * with the demo session key, the bridge relays it (it holds no key that could sign), and the
 * node verifies it before it writes. What is read back is what the node holds. Under
 * {@code CI=true} a missing socat fails the test; elsewhere it is skipped.
 */
class RtosWriteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Fails under CI=true when socat is missing (the demo node needs it); skips on a laptop. */
    @BeforeAll
    static void requireSocat() {
        Prerequisite.require(
                PtyPair.socatAvailable(),
                "socat is required: the demo's RTOS node runs on a socat pty pair (apt-get install -y socat)");
    }

    private record Run(int exit, String out, String err) {
        List<JsonNode> objects() throws Exception {
            List<JsonNode> out = new ArrayList<>();
            for (String line : this.out.split("\n")) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        }
    }

    private Run shell(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of(
                "HOME",
                tmp.toString(),
                "XDG_CONFIG_HOME",
                tmp.resolve("cfg").toString(),
                "XDG_STATE_HOME",
                tmp.resolve("state").toString());
        int exit = ScrambleShell.run(
                args,
                new ShellEnvironment(
                        env,
                        new ByteArrayInputStream(new byte[0]),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(120)
    void aSignedWriteIsReadBack() {
        Run r = shell(
                "--demo",
                "-c",
                "rtos info lab-sensor; rtos write lab-sensor heater 12.5; " + "rtos read lab-sensor heater");
        assertEquals(ExitCodes.OK, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("heater"), r.out());
        assertTrue(
                r.out()
                                .lines()
                                .filter(l -> l.contains("heater") && l.contains("12.5"))
                                .count()
                        >= 2,
                "the write's answer and the read show 12.5:\n" + r.out());
    }

    @Test
    @Timeout(120)
    void deadlineWritesRunNoEarlierThanTheDeadlineAndReadOnlyChannelsAreRefused() throws Exception {
        long before = System.currentTimeMillis() * 1_000;
        Run r = shell(
                "--demo",
                "--json",
                "--keep-going",
                "-c",
                String.join(
                        "; ",
                        "rtos write lab-sensor valve 40 --at +50ms",
                        "rtos read lab-sensor valve",
                        "rtos write lab-sensor heater -7.25",
                        "rtos write lab-sensor heater 3",
                        "rtos read lab-sensor heater",
                        "rtos write lab-sensor temp 1",
                        "rtos write lab-sensor fan 1",
                        "rtos write no-such-node heater 1"));
        List<JsonNode> o = r.objects();
        assertEquals(8, o.size(), r.out() + r.err());

        JsonNode deadline = o.get(0);
        assertTrue(deadline.get("ok").asBoolean(), deadline.toString());
        JsonNode ran = deadline.get("result").get("rtos_value");
        assertEquals(40.0, ran.get("value").asDouble());
        long executedAt = ran.get("executed_at_micros").asLong();
        assertTrue(
                executedAt >= before + 50_000, "ran at " + executedAt + ", asked no earlier than " + (before + 50_000));
        assertEquals(
                40.0,
                o.get(1).get("result").get("rtos_value").get("value").asDouble(),
                o.get(1).toString());

        // Two writes in a row to one node: the second's sequence is above the first's, the node takes both.
        assertTrue(o.get(2).get("ok").asBoolean(), o.get(2).toString());
        assertTrue(o.get(3).get("ok").asBoolean(), o.get(3).toString());
        assertEquals(
                3.0,
                o.get(4).get("result").get("rtos_value").get("value").asDouble(),
                o.get(4).toString());

        JsonNode readOnly = o.get(5).get("error");
        assertEquals("INVALID_ARGUMENT", readOnly.get("code").asText(), o.get(5).toString());
        assertTrue(readOnly.get("message").asText().contains("read-only"), readOnly.toString());
        assertEquals(ExitCodes.FAILED, readOnly.get("exit").asInt());

        JsonNode noChannel = o.get(6).get("error");
        assertTrue(
                noChannel.get("message").asText().startsWith("node lab-sensor has no channel fan (channels: temp,"),
                noChannel.toString());
        assertEquals(ExitCodes.FAILED, noChannel.get("exit").asInt());

        JsonNode noNode = o.get(7).get("error");
        assertEquals("NOT_FOUND", noNode.get("code").asText(), o.get(7).toString());

        assertEquals(ExitCodes.FAILED, r.exit(), "the first failing command's exit code: " + r.err());
        assertTrue(r.err().contains("-c:6:"), "the read-only write is named on stderr: " + r.err());
    }

    @Test
    @Timeout(120)
    void dryRunChecksTheWriteAndRefusesAValueAFloatCannotHold() throws Exception {
        Run ok = shell("--demo", "--dry-run", "--json", "-c", "rtos write lab-sensor heater 99 --at +2s");
        assertEquals(ExitCodes.OK, ok.exit(), ok.out() + ok.err());
        JsonNode checked = ok.objects().get(0);
        assertTrue(checked.get("dry_run").asBoolean(), checked.toString());
        assertEquals(2_000_000, checked.get("arguments").get("--at").asLong(), checked.toString());
        assertEquals(99.0, checked.get("arguments").get("VALUE").asDouble(), checked.toString());

        Run bad = shell("--demo", "--dry-run", "-c", "rtos write lab-sensor heater 0.123456789");
        assertEquals(ExitCodes.USAGE, bad.exit(), bad.out() + bad.err());
        assertTrue(bad.err().contains("would change to 0.12345679 as a 32-bit float"), bad.err());
    }
}
