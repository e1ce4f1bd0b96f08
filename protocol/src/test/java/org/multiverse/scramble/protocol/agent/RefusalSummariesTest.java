package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;

/** Whatever peers send, the audit gets a few entries of their own and one summary per peer and interval. */
class RefusalSummariesTest {

    @TempDir
    Path dir;

    @Test
    void aFloodFromOnePeerGetsFiveEntriesAndOneSummaryWithCountsByReason() throws Exception {
        try (AuditLog audit = AuditLog.open(dir)) {
            RefusalSummaries s = new RefusalSummaries(audit, Clock.systemUTC(), m -> {}, "test-summaries");
            int individual = 0;
            for (int i = 0; i < 10_000; i++) {
                if (s.admit("tcp:192.0.2.7", i % 2 == 0 ? "BAD_SIGNATURE" : "INVALID_ARGUMENT", "unknown")) {
                    individual++;
                }
            }
            assertTrue(individual <= 6, "individual entries: " + individual); // 5, plus one if a second passed
            s.flush().join();
            s.close();
            List<AuditRecord> written = AuditLog.tail(dir, 100);
            assertEquals(1, written.size(), () -> "" + written);
            AuditRecord summary = written.get(0);
            assertEquals("summary", summary.decision());
            assertEquals(String.valueOf(10_000 - individual), summary.result());
            assertTrue(summary.reason().contains("tcp:192.0.2.7"), summary.reason());
            assertTrue(summary.reason().contains("BAD_SIGNATURE "), summary.reason());
            assertTrue(summary.reason().contains("INVALID_ARGUMENT "), summary.reason());
        }
    }

    @Test
    void manyPeersShareABoundedNumberOfEntries() throws Exception {
        try (AuditLog audit = AuditLog.open(dir)) {
            RefusalSummaries s = new RefusalSummaries(audit, Clock.systemUTC(), m -> {}, "test-summaries");
            int individual = 0;
            for (int peer = 0; peer < 1000; peer++) { // an attacker cycling source addresses
                for (int i = 0; i < 10; i++) {
                    if (s.admit("tcp:10.0." + peer / 256 + "." + peer % 256, "BAD_SIGNATURE", "unknown")) {
                        individual++;
                    }
                }
            }
            assertTrue(
                    individual <= RefusalSummaries.INDIVIDUAL_TOTAL.size() + 5,
                    "individual entries across peers: " + individual);
            s.flush().join();
            s.close();
            List<AuditRecord> written = AuditLog.tail(dir, 1000);
            assertEquals(RefusalSummaries.PEERS_PER_FLUSH + 1, written.size());
            long counted =
                    written.stream().mapToLong(r -> Long.parseLong(r.result())).sum();
            assertEquals(10_000 - individual, counted, "every refusal is counted somewhere");
            assertTrue(written.get(written.size() - 1).reason().contains("other peers"));
        }
    }

    @Test
    void theReasonASenderChoseIsCut() {
        assertEquals(
                RefusalSummaries.MAX_REASON_CHARS,
                RefusalSummaries.cut("x".repeat(10_000)).length());
    }
}
