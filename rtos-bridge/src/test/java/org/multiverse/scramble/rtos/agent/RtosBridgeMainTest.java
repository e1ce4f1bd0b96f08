package org.multiverse.scramble.rtos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.agent.AgentModule;

/** The command line's dispatch and the module's registration. */
class RtosBridgeMainTest {

    /** Runs RtosBridgeMain.run with stdout and stderr captured: exit code, then both outputs. */
    static String[] run(String... args) throws Exception {
        var m = Class.forName("org.multiverse.scramble.rtos.RtosBridgeMain").getDeclaredMethod("run", String[].class);
        m.setAccessible(true);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = (int) m.invoke(null, (Object) args);
            return new String[] {
                Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)
            };
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void simulateNodeStillHasItsOwnOptions() throws Exception {
        String[] r = run("simulate-node", "--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("--serial") && r[1].contains("--seed"), r[1]);
    }

    @Test
    void simulateNodeRefusesAnUnsupportedBaud() throws Exception {
        String[] r = run("simulate-node", "--serial", "/nonexistent", "--baud", "1234");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unsupported baud rate 1234"), r[2]);
    }

    @Test
    void runUsageShowsTheNodeOption() throws Exception {
        String[] r = run("run");
        assertEquals("2", r[0], "missing --state-dir and --listen");
        assertTrue(r[2].contains("--node=NAME=/dev/ttyACM0[:baud]") && r[2].contains("--listen"), r[2]);
    }

    @Test
    void initMakesAnAgentIdentity(@TempDir Path dir) throws Exception {
        String[] r = run("init", "--state-dir", dir.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].strip().startsWith("scr1"), r[1]);
        assertTrue(Files.list(dir).findAny().isPresent());
    }

    @Test
    void aMalformedNodeStopsRunNamingTheOption(@TempDir Path dir) throws Exception {
        assertEquals("0", run("init", "--state-dir", dir.toString())[0]);
        String[] r = run(
                "run",
                "--state-dir",
                dir.toString(),
                "--listen",
                "sim:rtos-main-test",
                "--node",
                "Bad Name=/dev/ttyACM0");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--node node name \"Bad Name\""), r[2]);
    }

    @Test
    void theModuleIsAServiceWithTheRtosRole() {
        Supplier<AssertionError> none = () -> new AssertionError("no rtos-bridge in META-INF/services");
        AgentModule m = ServiceLoader.load(AgentModule.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(a -> a.name().equals("rtos-bridge"))
                .findFirst()
                .orElseThrow(none);
        assertEquals("rtos", m.role());
        assertTrue(m instanceof RtosBridgeModule);
    }
}
