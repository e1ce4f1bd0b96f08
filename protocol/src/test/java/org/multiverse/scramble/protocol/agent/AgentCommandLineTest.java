package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared command line of every agent, as a person at a terminal meets it. */
class AgentCommandLineTest {

    /** The smallest agent: a name and no handlers of its own. */
    private static final AgentModule MODULE = new AgentModule() {
        @Override
        public String name() {
            return "test-agent";
        }

        @Override
        public String role() {
            return "host";
        }

        @Override
        public AutoCloseable install(AgentCore core, Path stateDir) {
            return () -> {};
        }

        @Override
        public AutoCloseable installDemo(AgentCore core, Path stateDir) {
            return () -> {};
        }
    };

    /** Exit code, stdout, stderr. */
    private static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = AgentCommandLine.run(MODULE, args);
            return new String[] {
                Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)
            };
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** A mistyped ID is a usage error that says what is wrong, and nothing is written. */
    @Test
    void authorizeWithAMistypedIdSaysWhyAndChangesNothing(@TempDir Path dir) {
        assertEquals("0", run("init", "--state-dir", dir.toString())[0]);
        for (String command : new String[] {"authorize", "revoke"}) {
            String[] r = run(command, "--state-dir", dir.toString(), "scr1nope");
            assertEquals("2", r[0], r[2]);
            assertTrue(r[2].contains("bad Scramble ID: "), r[2]);
            assertFalse(r[2].contains("java.lang.Object"), r[2]);
        }
        assertFalse(Files.exists(dir.resolve(AgentState.AUTHORIZED_FILE)), "nothing authorised");
    }
}
