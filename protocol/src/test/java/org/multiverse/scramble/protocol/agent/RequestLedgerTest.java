package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable request ledger: what survives a crash, a torn write, damage, and its bound. */
class RequestLedgerTest {

    @TempDir
    Path dir;

    static final String SESSION = "ab".repeat(32);

    static String id(int n) {
        return String.format("%032x", n);
    }

    static byte[] envelope(int n) {
        return ("envelope " + n).getBytes(StandardCharsets.UTF_8);
    }

    private static void accept(RequestLedger l, int n) throws Exception {
        l.accepted(SESSION, id(n), envelope(n), "root-id", "sess", "portal.stop");
    }

    private Path file() {
        return dir.resolve(RequestLedger.FILE);
    }

    @Test
    void aFinishedRequestIsAnsweredFromTheLedgerAfterARestartAndARunningOneIsInterrupted() throws Exception {
        try (RequestLedger l = RequestLedger.open(dir)) {
            accept(l, 1);
            l.done(SESSION, id(1), new byte[] {7, 7, 7});
            accept(l, 2); // the agent dies while this one runs
            assertNull(l.earlier(SESSION, id(1)), "this run's requests are the reply cache's business");
        }
        try (RequestLedger l = RequestLedger.open(dir)) {
            RequestLedger.Entry done = l.earlier(SESSION, id(1));
            assertEquals(RequestLedger.State.DONE, done.state());
            assertArrayEquals(new byte[] {7, 7, 7}, done.reply());
            assertTrue(done.sameEnvelope(envelope(1)));
            assertFalse(done.sameEnvelope(envelope(2)), "another envelope reusing the id is not the same request");
            assertEquals(
                    RequestLedger.State.INTERRUPTED, l.earlier(SESSION, id(2)).state());
            List<RequestLedger.Interrupted> lost = l.interruptedAtOpen();
            assertEquals(1, lost.size());
            assertEquals(id(2), lost.get(0).requestIdHex());
            assertEquals("portal.stop", lost.get(0).command());
            assertEquals("root-id", lost.get(0).identity());
            l.settleInterrupted();
        }
        try (RequestLedger l = RequestLedger.open(dir)) {
            assertEquals(
                    RequestLedger.State.INTERRUPTED, l.earlier(SESSION, id(2)).state());
            assertEquals(List.of(), l.interruptedAtOpen(), "an interruption is reported (and audited) once");
        }
    }

    @Test
    void anInterruptionNotYetSettledIsReportedAgainAtTheNextStart() throws Exception {
        try (RequestLedger l = RequestLedger.open(dir)) {
            accept(l, 1);
        }
        try (RequestLedger l = RequestLedger.open(dir)) {
            assertEquals(1, l.interruptedAtOpen().size()); // the agent dies before auditing it
        }
        try (RequestLedger l = RequestLedger.open(dir)) {
            assertEquals(1, l.interruptedAtOpen().size(), "reported (and audited) rather than lost");
            l.settleInterrupted();
        }
        try (RequestLedger l = RequestLedger.open(dir)) {
            assertEquals(List.of(), l.interruptedAtOpen());
            assertEquals(
                    RequestLedger.State.INTERRUPTED, l.earlier(SESSION, id(1)).state());
        }
    }

    @Test
    void aTornLastRecordIsDroppedNotFatal() throws Exception {
        try (RequestLedger l = RequestLedger.open(dir)) {
            accept(l, 1);
            l.done(SESSION, id(1), new byte[] {1});
            accept(l, 2);
        }
        byte[] whole = Files.readAllBytes(file());
        for (int cut = 1; cut < 40; cut += 7) {
            // The agent was killed while appending record 2: only part of it reached the file.
            Files.write(file(), Arrays.copyOf(whole, whole.length - cut));
            try (RequestLedger l = RequestLedger.open(dir)) {
                assertEquals(RequestLedger.State.DONE, l.earlier(SESSION, id(1)).state());
                assertNull(l.earlier(SESSION, id(2)), "a torn accept was never fsync'd: its handler never ran");
            }
        }
        // A file extended with zeros (the length reached the disk, the data did not).
        byte[] zeros = Arrays.copyOf(whole, whole.length + 100);
        Files.write(file(), zeros);
        try (RequestLedger l = RequestLedger.open(dir)) {
            assertEquals(
                    RequestLedger.State.INTERRUPTED, l.earlier(SESSION, id(2)).state());
        }
        try (RequestLedger l = RequestLedger.open(dir)) {
            accept(l, 3); // appends after the repaired end, and reads back
        }
        try (RequestLedger l = RequestLedger.open(dir)) {
            assertNotNull(l.earlier(SESSION, id(3)));
            assertEquals(RequestLedger.State.DONE, l.earlier(SESSION, id(1)).state());
        }
    }

    @Test
    void aDamagedRecordBeforeTheEndStopsTheAgentWithAClearError() throws Exception {
        try (RequestLedger l = RequestLedger.open(dir)) {
            accept(l, 1);
            l.done(SESSION, id(1), new byte[] {1, 2, 3});
            accept(l, 2);
        }
        byte[] bytes = Files.readAllBytes(file());
        bytes[40] ^= 0x01; // inside the first record
        Files.write(file(), bytes);
        LedgerCorruptException e = assertThrows(LedgerCorruptException.class, () -> RequestLedger.open(dir));
        assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertTrue(e.getMessage().contains("move it aside"), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(file()), "a damaged ledger is left as found");

        Files.write(file(), "not a ledger at all".getBytes(StandardCharsets.UTF_8));
        LedgerCorruptException h = assertThrows(LedgerCorruptException.class, () -> RequestLedger.open(dir));
        assertTrue(h.getMessage().contains("header"), h.getMessage());
    }

    @Test
    void anOutcomeWithoutItsAcceptIsDamage() throws Exception {
        try (RequestLedger l = RequestLedger.open(dir)) {
            accept(l, 1);
            l.done(SESSION, id(1), new byte[] {9});
            accept(l, 2);
        }
        byte[] bytes = Files.readAllBytes(file());
        int header = "SCRAMBLE-LEDGER-1\n".length();
        int firstLen = java.nio.ByteBuffer.wrap(bytes, header, 4).getInt();
        // Drop the first ACCEPTED record whole: its DONE now answers a request never accepted.
        byte[] cut = new byte[bytes.length - 8 - firstLen];
        System.arraycopy(bytes, 0, cut, 0, header);
        System.arraycopy(bytes, header + 8 + firstLen, cut, header, cut.length - header);
        Files.write(file(), cut);
        LedgerCorruptException e = assertThrows(LedgerCorruptException.class, () -> RequestLedger.open(dir));
        assertTrue(e.getMessage().contains("never accepted"), e.getMessage());
    }

    @Test
    void theLedgerIsBoundedAndKeepsTheNewestRequests() throws Exception {
        int capacity = 16;
        int total = 5 * capacity + 3;
        long largest = 0;
        try (RequestLedger l = RequestLedger.open(dir, capacity)) {
            for (int n = 1; n <= total; n++) {
                accept(l, n);
                l.done(SESSION, id(n), HexFormat.of().parseHex(id(n)));
                largest = Math.max(largest, Files.size(file()));
                assertTrue(l.size() <= capacity, "held in memory: " + l.size());
            }
        }
        // Compaction keeps the file to at most twice the capacity's records.
        Path one = Files.createDirectory(dir.resolve("one"));
        long header;
        try (RequestLedger l = RequestLedger.open(one)) {
            header = Files.size(one.resolve(RequestLedger.FILE));
            accept(l, 1);
            l.done(SESSION, id(1), HexFormat.of().parseHex(id(1)));
        }
        long perRequest = Files.size(one.resolve(RequestLedger.FILE)) - header;
        assertTrue(largest <= header + perRequest * (2 * capacity + 1), "file grew to " + largest + " bytes");
        try (RequestLedger l = RequestLedger.open(dir, capacity)) {
            assertEquals(capacity, l.size());
            assertNull(l.earlier(SESSION, id(total - capacity)), "the oldest are forgotten");
            RequestLedger.Entry newest = l.earlier(SESSION, id(total));
            assertArrayEquals(HexFormat.of().parseHex(id(total)), newest.reply());
            RequestLedger.Entry oldestKept = l.earlier(SESSION, id(total - capacity + 1));
            assertEquals(RequestLedger.State.DONE, oldestKept.state());
            assertEquals(List.of(), l.interruptedAtOpen());
        }
        assertFalse(Files.exists(dir.resolve(RequestLedger.FILE + ".tmp")));
    }

    @Test
    void aRequestNotHeldAsRunningIsNotRecordedAsDone() throws Exception {
        try (RequestLedger l = RequestLedger.open(dir)) {
            long before = Files.size(file());
            l.done(SESSION, id(5), new byte[] {1}); // a read-only command's reply: not the ledger's business
            assertEquals(before, Files.size(file()));
        }
    }
}
