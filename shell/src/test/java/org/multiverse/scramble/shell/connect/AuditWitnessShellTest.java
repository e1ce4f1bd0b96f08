package org.multiverse.scramble.shell.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.agent.audit.AnchorCheck;
import org.multiverse.scramble.protocol.testkit.AuditTamper;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellHarness;
import org.multiverse.scramble.shell.ShellHarness.Run;

/**
 * The shell's witness catches what the agent's own checkpoints cannot: an attacker with the
 * agent's files who also cuts or rewrites the checkpoint file to match. Each test tampers with
 * a stopped agent's audit directory so that the agent starts and its offline check passes, then
 * the shell's {@code audit verify} names what this shell saw and the agent no longer has.
 */
class AuditWitnessShellTest {

    @TempDir
    Path tmp;

    private ShellHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ShellHarness(tmp);
        h.initIdentity();
        h.startAgent(ShellHarness.POLICY);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private Run shell(String command) {
        return h.run(h.connect("--trust", h.agentId().text(), "-c", command));
    }

    private Path auditDir() {
        return AgentState.auditDir(h.agentState);
    }

    private void pings(int n) {
        for (int i = 0; i < n; i++) {
            Run r = shell("agent reload-policy"); // a state change: entries of its own (queries are counted)
            assertEquals(0, r.exit(), r.err());
        }
    }

    /** The agent, restarted on tampered files, passes its own checks: only the witness can tell. */
    private void restartAndConfirmOfflineCheckPasses() throws Exception {
        var offline = AnchorCheck.verify(auditDir(), h.agentId(), List.of()).verdict();
        assertTrue(offline.ok(), "the tampering is consistent offline: " + offline.problem());
        h.restartAgent(ShellHarness.POLICY);
    }

    @Test
    void anUntouchedLogIsConsistentWithTheWitnessAcrossRuns() throws Exception {
        pings(3);
        Path witnessFile = h.knownAgents().resolveSibling("audit_witnesses");
        assertTrue(Files.readString(witnessFile).contains(h.agentId().text()), "the heads are kept beside the pins");
        Run r = shell("audit verify");
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("audit log intact") && r.out().contains("consistent with the"), r.out());
        // A restart is no tampering.
        h.stopAgent();
        h.restartAgent(ShellHarness.POLICY);
        r = shell("audit verify");
        assertEquals(0, r.exit(), r.err() + r.out());
    }

    @Test
    void newestEntriesCutTogetherWithTheCheckpointFileAreNamed() throws Exception {
        pings(1);
        h.stopAgent();
        byte[] oldSegment = Files.readAllBytes(auditDir().resolve(AuditTamper.SEGMENT));
        byte[] oldCheckpoints = Files.readAllBytes(auditDir().resolve(AuditTamper.CHECKPOINTS));
        long oldCount = AuditTamper.lines(auditDir()).size();
        h.restartAgent(ShellHarness.POLICY);
        pings(4); // what is to be hidden; this shell sees the heads
        h.stopAgent();
        // Both files back to the older, consistent pair (a restored backup, or a careful cut).
        Files.write(auditDir().resolve(AuditTamper.SEGMENT), oldSegment);
        Files.write(auditDir().resolve(AuditTamper.CHECKPOINTS), oldCheckpoints);
        restartAndConfirmOfflineCheckPasses();

        Run r = shell("audit verify");
        assertEquals(ExitCodes.FAILED, r.exit(), r.out());
        assertTrue(r.err().contains("WITNESS CONTRADICTED"), r.err());
        assertTrue(
                r.err().contains("are gone: this shell saw the log at")
                        || r.err().contains("were changed"),
                r.err());
        assertTrue(r.err().contains("entries " + (oldCount + 1) + ".."), "names where the cut starts: " + r.err());
    }

    @Test
    void aMiddleEntryDeletedAndTheChainRecomputedIsNamed() throws Exception {
        pings(3);
        h.stopAgent();
        AuditTamper.deleteAndRechain(auditDir(), 3);
        Files.delete(auditDir().resolve(AuditTamper.CHECKPOINTS)); // the signed ones would tell
        restartAndConfirmOfflineCheckPasses();

        Run r = shell("audit verify");
        assertEquals(ExitCodes.FAILED, r.exit(), r.out());
        assertTrue(r.err().contains("WITNESS CONTRADICTED") && r.err().contains("were changed"), r.err());
    }

    @Test
    void anEditedEntryWithTheChainRecomputedIsNamedWithTheEntryRange() throws Exception {
        pings(1);
        Run first = shell("audit verify"); // collapses the witness to one head, after entry 4
        assertEquals(0, first.exit(), first.err());
        pings(2);
        h.stopAgent();
        int entries = AuditTamper.lines(auditDir()).size();
        AuditTamper.editAndRechain(auditDir(), entries - 1, "\"agent.reload-policy\"", "\"agent.status\"");
        Files.delete(auditDir().resolve(AuditTamper.CHECKPOINTS));
        restartAndConfirmOfflineCheckPasses();

        Run r = shell("audit verify");
        assertEquals(ExitCodes.FAILED, r.exit(), r.out());
        assertTrue(r.err().contains("WITNESS CONTRADICTED") && r.err().contains("were changed"), r.err());
        // The head seen after the first verify still matches: the change is named as after it.
        assertTrue(r.err().contains("still matches"), r.err());
    }

    @Test
    void aRolledBackCheckpointFileWithTheChainCutIsNamed() throws Exception {
        pings(2);
        h.stopAgent();
        byte[] oldCheckpoints = Files.readAllBytes(auditDir().resolve(AuditTamper.CHECKPOINTS));
        h.restartAgent(ShellHarness.POLICY);
        pings(2);
        h.stopAgent();
        Files.write(auditDir().resolve(AuditTamper.CHECKPOINTS), oldCheckpoints);
        // Cut the chain back to what the old checkpoint file covers.
        long covered = AnchorCheckCount.latest(auditDir());
        AuditTamper.cutNewest(auditDir(), (int) (AuditTamper.lines(auditDir()).size() - covered));
        restartAndConfirmOfflineCheckPasses();

        Run r = shell("audit verify");
        assertEquals(ExitCodes.FAILED, r.exit(), r.out());
        assertTrue(r.err().contains("WITNESS CONTRADICTED"), r.err());
    }

    /** The highest count in a checkpoint file, read as text (what an attacker reads too). */
    private static final class AnchorCheckCount {
        static long latest(Path auditDir) throws Exception {
            long max = 0;
            for (String line : Files.readAllLines(auditDir.resolve(AuditTamper.CHECKPOINTS))) {
                var m = java.util.regex.Pattern.compile("\"count\":(\\d+)").matcher(line);
                if (m.find()) {
                    max = Math.max(max, Long.parseLong(m.group(1)));
                }
            }
            return max;
        }
    }
}
