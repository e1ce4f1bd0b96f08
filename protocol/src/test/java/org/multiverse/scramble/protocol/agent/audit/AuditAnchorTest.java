package org.multiverse.scramble.protocol.agent.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.testkit.AuditTamper;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * Each way of cutting or rewriting the audit log that the plain hash chain does not see (issue 13
 * item 3), done as an attacker with the agent's files but not its key would do it, and caught by
 * the signed checkpoints — except the one a client's witness must catch.
 */
class AuditAnchorTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final String SEGMENT = "audit-000001.jsonl";

    /** Checkpoints only when a test asks: no timer tick lands in the middle of a test. */
    private static final Duration MANUAL = Duration.ofDays(1);

    private final Identity agent = Identity.generate(new SecureRandom());
    private final List<String> messages = new ArrayList<>();

    private static AuditRecord record(int n, Instant at) {
        return new AuditRecord(
                0, at.toString(), "scr1root", "s1", "00ff", "portal.stop", "done", "entry " + n, "ok", 1);
    }

    /** An agent that writes {@code count} entries one second apart, checkpointing after each of {@code at}. */
    private void write(Path dir, int from, int count, Instant start, int... checkpointAfter) throws IOException {
        AuditLog log = AuditLog.open(dir);
        AuditAnchor anchor;
        try {
            anchor = AuditAnchor.start(dir, log, agent, Clock.fixed(start, ZoneOffset.UTC), messages::add, MANUAL);
        } catch (IOException e) {
            log.close();
            throw e;
        }
        for (int i = 0; i < count; i++) {
            log.appendAndWait(record(from + i, start.plusSeconds(i)));
            for (int c : checkpointAfter) {
                if (c == from + i) {
                    anchor.checkpoint();
                }
            }
        }
        log.close();
        anchor.close();
    }

    private AuditVerification check(Path dir) throws IOException {
        return AnchorCheck.verify(dir, agent.id(), List.of()).verdict();
    }

    private static List<String> entries(Path dir) throws IOException {
        return AuditTamper.lines(dir);
    }

    @Test
    void anUntouchedLogIsIntactAndAnchored(@TempDir Path dir) throws Exception {
        write(dir, 1, 10, T0, 5);
        AnchoredVerification v = AnchorCheck.verify(dir, agent.id(), List.of(3L, 10L, 11L));
        assertTrue(v.verdict().ok(), v.verdict().problem());
        assertEquals(10, v.verdict().entriesChecked());
        // Start (0 entries), after 5, at shutdown (10).
        assertEquals(3, v.checkpointsChecked());
        byte[] head10 =
                HexFormat.of().parseHex(entries(dir).get(9).replaceAll(".*\"hash\":\"([0-9a-f]{64})\"}$", "$1"));
        assertArrayEquals(head10, v.witnessedHeads().get(1));
        assertEquals(32, v.witnessedHeads().get(0).length);
        assertEquals(0, v.witnessedHeads().get(2).length, "no entry 11 yet");
        // Reopening continues: the new agent checks the old checkpoints and adds its own.
        write(dir, 11, 2, T0.plusSeconds(60));
        assertTrue(check(dir).ok(), check(dir).problem());
        assertTrue(messages.isEmpty(), messages.toString());
    }

    @Test
    void cuttingTheNewestEntriesIsNamed(@TempDir Path dir) throws Exception {
        write(dir, 1, 10, T0, 5);
        AuditTamper.cutNewest(dir, 3);
        assertTrue(AuditLog.verify(dir).ok(), "the chain alone cannot see a cut end (the measured attack)");

        AuditVerification v = check(dir);
        assertFalse(v.ok());
        assertEquals(6, v.firstBadIndex(), "the first entry no checkpoint still vouches for");
        assertTrue(
                v.problem().contains("checkpoint #3 (count 10")
                        && v.problem().contains("at least 3 (entries 8..10 at the end")
                        && v.problem().contains("entry 5 is the newest a checkpoint still vouches for (checkpoint #2)"),
                v.problem());
        IOException refused = assertThrows(IOException.class, () -> write(dir, 8, 1, T0.plusSeconds(30)));
        assertTrue(refused.getMessage().contains("entries 8..10 at the end"), refused.getMessage());
    }

    @Test
    void deletingAMiddleEntryAndRecomputingIsNamed(@TempDir Path dir) throws Exception {
        write(dir, 1, 10, T0, 4);
        AuditTamper.deleteAndRechain(dir, 6);
        assertTrue(AuditLog.verify(dir).ok(), "a recomputed chain verifies on its own (the measured attack)");

        AuditVerification v = check(dir);
        assertFalse(v.ok());
        assertTrue(
                v.problem().contains("covers 10 entries and the log has 9")
                        && v.problem().contains("entry 4 is the newest a checkpoint still vouches for (checkpoint #2)"),
                v.problem());
    }

    @Test
    void editingAnEntryAndRecomputingTheHashesAfterItIsNamed(@TempDir Path dir) throws Exception {
        write(dir, 1, 10, T0, 5);
        AuditTamper.editAndRechain(dir, 7, "\"entry 7\"", "\"nothing happened\"");
        assertTrue(AuditLog.verify(dir).ok(), "a recomputed chain verifies on its own (the measured attack)");

        AuditVerification v = check(dir);
        assertFalse(v.ok());
        assertEquals(6, v.firstBadIndex());
        assertTrue(
                v.problem().contains("entries 6..10 were changed")
                        && v.problem().contains("checkpoint #3 (count 10")
                        && v.problem().contains("checkpoint #2 at entry 5 still does"),
                v.problem());
    }

    @Test
    void aCheckpointAlteredOrSignedByAnotherKeyIsNamedAsForged(@TempDir Path dir) throws Exception {
        write(dir, 1, 10, T0);
        // Cut the newest 3 entries and make the last checkpoint say 7 entries, without the key.
        List<String> lines = entries(dir);
        AuditTamper.cutNewest(dir, 3);
        String head7 = lines.get(6).replaceAll(".*\"hash\":\"([0-9a-f]{64})\"}$", "$1");
        Path cps = dir.resolve(CheckpointFile.NAME);
        List<String> cpLines = Files.readAllLines(cps);
        String last = cpLines.get(cpLines.size() - 1);
        cpLines.set(
                cpLines.size() - 1,
                last.replaceFirst("\"count\":10", "\"count\":7")
                        .replaceFirst("\"head\":\"[0-9a-f]{64}\"", "\"head\":\"" + head7 + "\""));
        Files.write(cps, cpLines);

        AuditVerification v = check(dir);
        assertFalse(v.ok());
        assertTrue(
                v.problem().contains("checkpoint #2 (count 7") && v.problem().contains("forged or altered"),
                v.problem());

        // A checkpoint properly signed, but by another key, is no better.
        try (Identity other = Identity.generate(new SecureRandom())) {
            cpLines.set(
                    cpLines.size() - 1,
                    AuditCheckpoint.sign(other, new AuditHead(7, HexFormat.of().parseHex(head7)), 1)
                            .toLine());
        }
        Files.write(cps, cpLines);
        v = check(dir);
        assertFalse(v.ok());
        assertTrue(
                v.problem().contains("checkpoint #2 (count 7") && v.problem().contains("not signed by agent"),
                v.problem());
    }

    @Test
    void aRolledBackCheckpointFileIsNamedWhenTheChainRanOnPastIt(@TempDir Path dir) throws Exception {
        write(dir, 1, 5, T0);
        Path cps = dir.resolve(CheckpointFile.NAME);
        byte[] old = Files.readAllBytes(cps);
        // The agent ran on for ten minutes, checkpointing as it went.
        AuditLog log = AuditLog.open(dir);
        AuditAnchor anchor = AuditAnchor.start(
                dir, log, agent, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC), messages::add, MANUAL);
        for (int i = 6; i <= 10; i++) {
            log.appendAndWait(record(i, T0.plusSeconds(120L * i)));
            anchor.checkpoint();
        }
        log.close();
        anchor.close();
        assertTrue(check(dir).ok(), check(dir).problem());
        Files.write(cps, old);

        AuditVerification v = check(dir);
        assertFalse(v.ok());
        assertEquals(6, v.firstBadIndex());
        assertTrue(
                v.problem().contains("entries 6..10 are covered by no signed checkpoint")
                        && v.problem().contains("cut or rolled back"),
                v.problem());
        assertThrows(IOException.class, () -> write(dir, 11, 1, T0.plusSeconds(3600)));
    }

    @Test
    void aChainAndCheckpointFileCutBackTogetherPassOfflineWhichIsWhatTheWitnessIsFor(@TempDir Path dir)
            throws Exception {
        write(dir, 1, 5, T0);
        Path cps = dir.resolve(CheckpointFile.NAME);
        byte[] oldCheckpoints = Files.readAllBytes(cps);
        List<String> oldChain = entries(dir);
        write(dir, 6, 5, T0.plusSeconds(60));
        Files.write(cps, oldCheckpoints);
        Files.write(dir.resolve(SEGMENT), oldChain);
        // Offline, an older consistent pair is indistinguishable from the log as it was then;
        // the shell's witness (AuditWitnessesTest in the shell) catches this one.
        assertTrue(check(dir).ok(), check(dir).problem());
    }

    @Test
    void anUnfinishedCheckpointLineIsSkippedAndCutByTheNextAppend(@TempDir Path dir) throws Exception {
        write(dir, 1, 3, T0);
        Files.writeString(dir.resolve(CheckpointFile.NAME), "{\"count\":3,\"he", StandardOpenOption.APPEND);
        assertTrue(check(dir).ok(), check(dir).problem());
        write(dir, 4, 2, T0.plusSeconds(10));
        AnchoredVerification v = AnchorCheck.verify(dir, agent.id(), List.of());
        assertTrue(v.verdict().ok(), v.verdict().problem());
        // 0 and 3 from the first run; the second signs only 5 at its end, on a line of its own
        assertEquals(3, v.checkpointsChecked());
    }

    @Test
    void aLineThatIsNotACheckpointIsNamed(@TempDir Path dir) throws Exception {
        write(dir, 1, 3, T0);
        Files.writeString(dir.resolve(CheckpointFile.NAME), "rubbish\n", StandardOpenOption.APPEND);
        AuditVerification v = check(dir);
        assertFalse(v.ok());
        assertTrue(v.problem().contains("checkpoints.jsonl:3: not a checkpoint"), v.problem());
    }
}
