package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.agent.audit.AnchorCheck;
import org.multiverse.scramble.protocol.testkit.AgentTestKit;
import org.multiverse.scramble.protocol.v1.AuditVerify;
import org.multiverse.scramble.protocol.v1.AuditVerifyResult;
import org.multiverse.scramble.protocol.v1.AuditWitness;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ErrorCode;

/** Every sealed reply carries the agent's durable audit head; audit.verify answers for witnessed counts. */
class AuditWitnessReplyTest {

    private static final String POLICY = "agent.* @any allow\naudit.* @any allow\n";

    /** A state change: its accepted and done entries are written one by one (queries are counted). */
    private static Command change() {
        return Command.newBuilder()
                .setReloadPolicy(org.multiverse.scramble.protocol.v1.ReloadPolicy.getDefaultInstance())
                .build();
    }

    private static Command verify(long... counts) {
        AuditVerify.Builder b = AuditVerify.newBuilder();
        for (long c : counts) {
            b.addWitnessedCounts(c);
        }
        return Command.newBuilder().setAuditVerify(b).build();
    }

    @Test
    void repliesCarryTheDurableHeadAndVerifyAnswersForIt(@TempDir Path state) throws Exception {
        try (AgentTestKit kit =
                AgentTestKit.builder("witness-agent", state).policy(POLICY).start()) {
            AtomicReference<AuditWitness> seen = new AtomicReference<>();
            kit.client().onAuditWitness((agent, w) -> {
                assertEquals(kit.core().id(), agent);
                seen.set(w);
            });
            kit.ok(change());
            AuditWitness w = seen.get();
            // accepted and done of this change are on disk before the reply leaves.
            assertTrue(w.getCount() >= 2, "count " + w.getCount());
            assertEquals(kit.lastAudit().index(), w.getCount());
            byte[] onDisk = AnchorCheck.verify(
                            state.resolve("audit"), kit.core().id(), List.of(w.getCount()))
                    .witnessedHeads()
                    .get(0);
            assertArrayEquals(onDisk, w.getHead().toByteArray());

            AuditVerifyResult r =
                    kit.ok(verify(w.getCount(), w.getCount() + 1_000)).getAuditVerify();
            assertTrue(r.getOk(), r.getProblem());
            assertTrue(r.getCheckpointsChecked() >= 1, "the start-up checkpoint");
            assertArrayEquals(onDisk, r.getWitnessedHeads(0).toByteArray());
            assertEquals(0, r.getWitnessedHeads(1).size(), "no such entry yet");

            long[] tooMany = new long[AnchorCheck.MAX_WITNESSED + 1];
            kit.fails(ErrorCode.INVALID_ARGUMENT, verify(tooMany));
        }
    }

    @Test
    void anAgentWhoseNewestEntriesWereCutRefusesToStartNamingTheCheckpoint(@TempDir Path state) throws Exception {
        AgentTestKit kit =
                AgentTestKit.builder("witness-agent", state).policy(POLICY).start();
        try {
            for (int i = 0; i < 3; i++) {
                kit.ok(change());
            }
            kit.crash(); // a clean stop: its last checkpoint covers every entry
            Path segment = state.resolve("audit").resolve("audit-000001.jsonl");
            List<String> lines = Files.readAllLines(segment);
            Files.write(segment, lines.subList(0, lines.size() - 2));
            IOException e = assertThrows(IOException.class, kit::restart);
            assertTrue(e.getMessage().contains("does not match its signed checkpoints"), e.getMessage());
            assertTrue(e.getMessage().contains("entries were cut or removed"), e.getMessage());
        } finally {
            try {
                kit.close();
            } catch (Exception ignored) {
                // The agent did not restart; nothing more to close.
            }
        }
    }
}
