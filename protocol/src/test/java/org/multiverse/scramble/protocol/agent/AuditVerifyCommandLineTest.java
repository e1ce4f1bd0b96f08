package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.testkit.AgentTestKit;
import org.multiverse.scramble.protocol.testkit.AuditTamper;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.suite.identity.Identity;

/** {@code AGENT audit verify} offline: the chain against the agent's signed checkpoints. */
class AuditVerifyCommandLineTest {

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

    @Test
    void namesACutEndAndTheCheckpointAndRefusesCheckpointsOfAnotherId(@TempDir Path state) throws Exception {
        try (AgentTestKit kit = AgentTestKit.builder("test-agent", state)
                .policy("agent.* @any allow\n")
                .start()) {
            for (int i = 0; i < 3; i++) {
                // A state change: each has entries of its own (successful queries are only counted).
                kit.ok(Command.newBuilder()
                        .setReloadPolicy(org.multiverse.scramble.protocol.v1.ReloadPolicy.getDefaultInstance())
                        .build());
            }
        }
        String[] ok = run("audit", "verify", "--state-dir", state.toString());
        assertEquals("0", ok[0], ok[1] + ok[2]);
        assertTrue(ok[1].matches("(?s)audit log intact: 6 entries, \\d+ signed checkpoints.*"), ok[1]);

        try (Identity stranger = Identity.generate(new SecureRandom())) {
            String[] foreign = run(
                    "audit",
                    "verify",
                    "--state-dir",
                    state.toString(),
                    "--agent-id",
                    stranger.id().text());
            assertEquals("1", foreign[0], foreign[1]);
            assertTrue(foreign[1].contains("checkpoint #1") && foreign[1].contains("not signed by agent"), foreign[1]);
        }

        AuditTamper.cutNewest(AgentState.auditDir(state), 2);
        String[] cut = run("audit", "verify", "--state-dir", state.toString());
        assertEquals("1", cut[0], cut[1]);
        assertTrue(cut[1].matches("(?s)audit log BROKEN at entry [1-5]: .*"), cut[1]);
        assertTrue(cut[1].contains("checkpoint #") && cut[1].contains("(entries 5..6 at the end"), cut[1]);
    }
}
