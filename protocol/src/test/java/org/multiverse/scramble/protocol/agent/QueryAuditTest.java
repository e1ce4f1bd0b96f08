package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.command.CommandCatalog;
import org.multiverse.scramble.protocol.v1.AuditTail;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ErrorCode;

/** Routine reads are counted into one entry per session and interval; state changes keep their own. */
class QueryAuditTest {

    @TempDir
    Path tmp;

    @Test
    void queriesAreSummarisedAndStateChangesAreNot() throws Exception {
        Path state = tmp.resolve("state");
        long before;
        try (AgentHarness h = new AgentHarness(state, "sim:queries-" + System.nanoTime())) {
            before = h.audit(10_000).size();
            for (int i = 0; i < 30; i++) {
                AgentPipelineTest.assertOk(h.send(AgentHarness.ping()));
            }
            AgentPipelineTest.assertOk(h.send(Command.newBuilder()
                    .setAuditTail(AuditTail.newBuilder().setLines(5))
                    .build()));
            assertEquals(before, h.audit(10_000).size(), "no entry per query");
            AgentPipelineTest.assertOk(h.send(AgentHarness.startPortal("w")));
            List<AuditRecord> change = h.audit(2);
            assertEquals("accepted", change.get(0).decision());
            assertEquals("done", change.get(1).decision());
            assertEquals("portal.start", change.get(1).command());
            // A query that fails is not routine: it has its own entry.
            h.kit.fails(
                    ErrorCode.INVALID_ARGUMENT,
                    Command.newBuilder()
                            .setAuditTail(AuditTail.newBuilder().setLines(5000))
                            .build());
            AuditRecord failed = h.lastAudit();
            assertEquals("audit.tail", failed.command());
            assertEquals("INVALID_ARGUMENT", failed.result());
        }
        // Closing the agent writes what was counted.
        List<AuditRecord> all = AuditLog.tail(AgentState.auditDir(state), 10_000);
        AuditRecord summary = all.get(all.size() - 1);
        assertEquals("queries", summary.decision());
        assertEquals("31 queries", summary.command());
        assertTrue(summary.reason().startsWith("agent.ping 30, audit.tail 1 ("), summary.reason());
        assertEquals(before + 2 + 1 + 1, all.size(), "two for the change, one failed query, one summary");
        assertTrue(AuditLog.verify(AgentState.auditDir(state)).ok(), "the chain holds");
    }

    @Test
    void exactlyTheCommandsThatChangeNothingAreSummarised() {
        for (var info : CommandCatalog.all()) {
            assertEquals(!info.changesState(), QueryAudit.summarises(info.kind()), info.name());
        }
        assertTrue(!QueryAudit.summarises(Command.KindCase.KIND_NOT_SET));
    }
}
