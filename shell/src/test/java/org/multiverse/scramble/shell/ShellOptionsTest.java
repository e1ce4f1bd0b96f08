package org.multiverse.scramble.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellOptionsTest {

    @Test
    void parsesOptionsThenTheCommand() throws Exception {
        ShellOptions o = ShellOptions.parse(new String[] {
            "--agent", "host=unix:/x", "--agent=router=sim:r", "--json", "--timeout", "5", "portal", "list"
        });
        assertEquals(List.of("host=unix:/x", "router=sim:r"), o.agents);
        assertTrue(o.json);
        assertEquals(Duration.ofSeconds(5), o.timeout);
        assertEquals(List.of("portal", "list"), o.words);
        assertTrue(o.isCommandWords());
        ShellOptions id = ShellOptions.parse(new String[] {"--keyfile", "/k", "id", "init"});
        assertEquals(List.of("id", "init"), id.words);
    }

    @Test
    void usageErrors() {
        assertUsage(new String[] {"--bogus"}, "unknown option --bogus");
        assertUsage(new String[] {"-c"}, "-c needs a value");
        assertUsage(new String[] {"--json=yes"}, "--json takes no value");
        assertUsage(new String[] {"--timeout", "0"}, "--timeout takes whole seconds");
        assertUsage(new String[] {"--timeout", "1e3"}, "--timeout takes whole seconds");
        assertUsage(new String[] {"-c", "agent ping", "-f", "x"}, "at most one of -c, -f and a command");
        assertUsage(new String[] {"-c", "agent ping", "portal", "list"}, "at most one of");
    }

    @Test
    void usageErrorsExitTwoAndHelpExitsZero() {
        ShellHarnessLite h = new ShellHarnessLite();
        assertEquals(ExitCodes.USAGE, h.run("--bogus"));
        assertEquals(ExitCodes.OK, h.run("--help"));
        assertEquals(ExitCodes.USAGE, h.run("--agent", "mars=unix:/x", "-c", "agent ping"));
        assertEquals(ExitCodes.USAGE, h.run("--agent", "host", "-c", "agent ping"));
    }

    private static void assertUsage(String[] args, String expected) {
        ShellFailure e = assertThrows(ShellFailure.class, () -> ShellOptions.parse(args));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** Runs the shell with empty streams and a throwaway HOME. */
    static final class ShellHarnessLite {
        int run(String... args) {
            var env = new ShellEnvironment(
                    java.util.Map.of("HOME", System.getProperty("java.io.tmpdir")),
                    java.io.InputStream.nullInputStream(),
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                    false);
            return ScrambleShell.run(args, env);
        }
    }
}
