package org.multiverse.scramble.protocol.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    private static AuditRecord record(String command, String decision) {
        return new AuditRecord(
                0,
                "2026-11-26T14:00:00Z",
                "scr1abc",
                "s123",
                "00ff",
                command,
                decision,
                "because \"quoted\" \n newline",
                "ok",
                3);
    }

    @Test
    void appendsChainsAndVerifies(@TempDir Path dir) throws Exception {
        try (AuditLog log = AuditLog.open(dir)) {
            for (int i = 0; i < 10; i++) {
                assertEquals(i + 1, log.appendAndWait(record("agent.ping", "accepted")));
            }
        }
        AuditVerification v = AuditLog.verify(dir);
        assertTrue(v.ok(), v.problem());
        assertEquals(10, v.entriesChecked());
        List<AuditRecord> tail = AuditLog.tail(dir, 3);
        assertEquals(List.of(8L, 9L, 10L), tail.stream().map(AuditRecord::index).toList());
        assertEquals("because \"quoted\" \n newline", tail.get(0).reason());
    }

    @Test
    void reopeningContinuesTheChain(@TempDir Path dir) throws Exception {
        try (AuditLog log = AuditLog.open(dir)) {
            log.appendAndWait(record("a.b", "accepted"));
        }
        try (AuditLog log = AuditLog.open(dir)) {
            assertEquals(2, log.appendAndWait(record("a.b", "done")));
        }
        assertTrue(AuditLog.verify(dir).ok());
    }

    @Test
    void groupCommitKeepsOrderUnderConcurrency(@TempDir Path dir) throws Exception {
        try (AuditLog log = AuditLog.open(dir)) {
            List<CompletableFuture<Long>> all = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                all.add(log.append(record("c" + i, "accepted")));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
            assertEquals(2000, log.lastIndex());
        }
        assertTrue(AuditLog.verify(dir).ok());
    }

    @Test
    void anyChangedByteIsFoundAndNamed(@TempDir Path dir) throws Exception {
        try (AuditLog log = AuditLog.open(dir)) {
            for (int i = 0; i < 5; i++) {
                log.appendAndWait(record("agent.ping", "accepted"));
            }
        }
        Path segment = dir.resolve("audit-000001.jsonl");
        byte[] original = Files.readAllBytes(segment);
        // Find which entry each byte belongs to; every non-newline byte change must be caught there.
        int entry = 1;
        for (int i = 0; i < original.length; i++) {
            if (original[i] == '\n') {
                entry++;
                continue;
            }
            byte[] changed = original.clone();
            changed[i] = (byte) (changed[i] == 'x' ? 'y' : 'x');
            Files.write(segment, changed);
            AuditVerification v = AuditLog.verify(dir);
            assertFalse(v.ok(), "byte " + i + " changed without detection");
            assertEquals(entry, v.firstBadIndex(), "byte " + i);
        }
        Files.write(segment, original);
        assertTrue(AuditLog.verify(dir).ok());
    }

    /** Fuzz finding: a byte that is not UTF-8 made verify throw "Input length = 1" (and the agent not start). */
    @Test
    void aSegmentThatIsNotUtf8IsReportedBrokenNotThrown(@TempDir Path dir) throws Exception {
        try (AuditLog log = AuditLog.open(dir)) {
            log.appendAndWait(record("agent.ping", "accepted"));
        }
        Path segment = dir.resolve("audit-000001.jsonl");
        byte[] original = Files.readAllBytes(segment);
        byte[] damaged = original.clone();
        damaged[20] = (byte) 0xff;
        Files.write(segment, damaged);
        AuditVerification v = AuditLog.verify(dir);
        assertFalse(v.ok());
        assertEquals(1, v.firstBadIndex());
        assertEquals("audit-000001.jsonl:1: not UTF-8 text (in this line or a later one)", v.problem());
        IOException refused = assertThrows(IOException.class, () -> AuditLog.open(dir));
        assertTrue(
                refused.getMessage().contains("is damaged at entry 1: audit-000001.jsonl:1: not UTF-8"),
                refused.getMessage());
    }

    /**
     * Fuzz finding: the chain has no key, so whoever can write the log can forge an entry whose
     * hash is right; one without a field, or with a time that is not an instant, passed verify and
     * then failed {@code audit tail} (a NullPointerException / DateTimeParseException). Such an
     * entry is now "not an audit entry" where it stands.
     */
    @Test
    void aForgedEntryWithoutAFieldOrAnInstantIsNotAnAuditEntry(@TempDir Path dir) throws Exception {
        for (String entry : List.of(
                "{\"index\":1}",
                "{\"index\":1,\"time\":\"yesterday\",\"identity\":\"i\",\"session\":\"s\",\"request_id\":\"r\","
                        + "\"command\":\"c\",\"decision\":\"accepted\",\"reason\":\"\",\"result\":\"\",\"duration_ms\":0}")) {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((new String(new byte[32], StandardCharsets.ISO_8859_1) + entry)
                            .getBytes(StandardCharsets.ISO_8859_1));
            String line = entry.substring(0, entry.length() - 1) + ",\"hash\":\""
                    + java.util.HexFormat.of().formatHex(hash) + "\"}\n";
            Files.writeString(dir.resolve("audit-000001.jsonl"), line);
            AuditVerification v = AuditLog.verify(dir);
            assertFalse(v.ok(), entry);
            assertEquals("audit-000001.jsonl:1: not an audit entry", v.problem());
        }
    }

    @Test
    void removedOrReorderedEntriesAreFound(@TempDir Path dir) throws Exception {
        try (AuditLog log = AuditLog.open(dir)) {
            for (int i = 0; i < 4; i++) {
                log.appendAndWait(record("agent.ping", "accepted"));
            }
        }
        Path segment = dir.resolve("audit-000001.jsonl");
        List<String> lines = Files.readAllLines(segment, StandardCharsets.UTF_8);
        List<String> removed = new ArrayList<>(lines);
        removed.remove(1);
        Files.write(segment, removed, StandardCharsets.UTF_8);
        assertEquals(2, AuditLog.verify(dir).firstBadIndex());
        List<String> swapped = new ArrayList<>(lines);
        swapped.set(1, lines.get(2));
        swapped.set(2, lines.get(1));
        Files.write(segment, swapped, StandardCharsets.UTF_8);
        assertEquals(2, AuditLog.verify(dir).firstBadIndex());
    }

    @Test
    void damagedLogRefusesToOpenForAppend(@TempDir Path dir) throws Exception {
        try (AuditLog log = AuditLog.open(dir)) {
            log.appendAndWait(record("agent.ping", "accepted"));
        }
        Path segment = dir.resolve("audit-000001.jsonl");
        Files.writeString(segment, Files.readString(segment).replace("agent.ping", "agent.pong"));
        IOException e = assertThrows(IOException.class, () -> AuditLog.open(dir));
        assertTrue(e.getMessage().contains("damaged at entry 1"), e.getMessage());
    }

    @Test
    void garbageLinesAreReportedNotThrown(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("audit-000001.jsonl"), "not json at all\n");
        AuditVerification v = AuditLog.verify(dir);
        assertFalse(v.ok());
        assertEquals(1, v.firstBadIndex());
    }
}
