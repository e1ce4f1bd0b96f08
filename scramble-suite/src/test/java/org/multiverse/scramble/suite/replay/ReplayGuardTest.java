package org.multiverse.scramble.suite.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiverse.scramble.suite.replay.ReplayGuard.Decision.ACCEPTED;
import static org.multiverse.scramble.suite.replay.ReplayGuard.Decision.REPLAYED;
import static org.multiverse.scramble.suite.replay.ReplayGuard.Decision.TOO_OLD;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayGuardTest {
    private static final String SESSION = "a1b2c3";
    private static final String AGENT = "host-agent";
    private static final long RESERVE = ReplayGuard.RESERVE_AHEAD;

    @TempDir
    Path state;

    @Test
    void acceptsNewNumbersAndRefusesDuplicatesAndTooOld() throws Exception {
        ReplayGuard guard = ReplayGuard.open(state);
        assertEquals(ACCEPTED, guard.accept(SESSION, AGENT, 1));
        assertEquals(REPLAYED, guard.accept(SESSION, AGENT, 1));
        assertEquals(ACCEPTED, guard.accept(SESSION, AGENT, 3000));
        assertEquals(ACCEPTED, guard.accept(SESSION, AGENT, 2999));
        assertEquals(TOO_OLD, guard.accept(SESSION, AGENT, 2));
        assertEquals(TOO_OLD, guard.accept(SESSION, AGENT, 0));
        assertEquals(3000, guard.highest(SESSION, AGENT));
    }

    @Test
    void pairsAreIndependent() throws Exception {
        ReplayGuard guard = ReplayGuard.open(state);
        assertEquals(ACCEPTED, guard.accept(SESSION, AGENT, 1));
        assertEquals(ACCEPTED, guard.accept(SESSION, "router-agent", 1));
        assertEquals(ACCEPTED, guard.accept("d4e5f6", AGENT, 1));
        assertEquals(ACCEPTED, guard.accept(new byte[] {1, 2}, new byte[] {3}, 1));
        assertEquals(REPLAYED, guard.accept("0102", "03", 1));
    }

    @Test
    void afterRestartEveryNumberUpToThePersistedMarkIsRefused() throws Exception {
        ReplayGuard before = ReplayGuard.open(state);
        for (long s = 1; s <= 50; s++) {
            assertEquals(ACCEPTED, before.accept(SESSION, AGENT, s));
        }
        long persisted = HighWaterMarkStore.open(state).read(SESSION, AGENT);
        assertEquals(1 + RESERVE, persisted);

        ReplayGuard after = ReplayGuard.open(state);
        assertEquals(persisted, after.highest(SESSION, AGENT));
        for (long s = 1; s <= persisted; s++) {
            assertTrue(after.accept(SESSION, AGENT, s) != ACCEPTED, "after restart " + s);
        }
        assertEquals(ACCEPTED, after.accept(SESSION, AGENT, persisted + 1));
    }

    @Test
    void reserveAheadWritesOnlyWhenTheLiveMarkPassesThePersistedOne() throws Exception {
        HighWaterMarkStore store = HighWaterMarkStore.open(state);
        ReplayGuard guard = new ReplayGuard(store, ReplayGuard.MAX_TRACKED_PAIRS);
        Path file = store.fileOf(SESSION, AGENT);

        assertEquals(ACCEPTED, guard.accept(SESSION, AGENT, 1));
        assertEquals(1 + RESERVE, store.read(SESSION, AGENT));
        // Mark the file so an untouched one can be told from a rewritten one.
        FileTime marker = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(file, marker);
        for (long s = 2; s <= 1 + RESERVE; s++) {
            assertEquals(ACCEPTED, guard.accept(SESSION, AGENT, s));
        }
        assertEquals(marker, Files.getLastModifiedTime(file), "no write while below the mark");
        assertEquals(1 + RESERVE, store.read(SESSION, AGENT));

        assertEquals(ACCEPTED, guard.accept(SESSION, AGENT, 2 + RESERVE));
        assertEquals(2 + 2 * RESERVE, store.read(SESSION, AGENT));

        long jump = 1_000_000;
        assertEquals(ACCEPTED, guard.accept(SESSION, AGENT, jump));
        assertEquals(jump + RESERVE, store.read(SESSION, AGENT));
    }

    @Test
    void markSaturatesAtTheLargestUnsignedNumber() throws Exception {
        ReplayGuard guard = ReplayGuard.open(state);
        assertEquals(ACCEPTED, guard.accept(SESSION, AGENT, -5L));
        assertEquals(-1L, HighWaterMarkStore.open(state).read(SESSION, AGENT));
        assertEquals(ACCEPTED, guard.accept(SESSION, AGENT, -1L));
        assertEquals(REPLAYED, ReplayGuard.open(state).accept(SESSION, AGENT, -1L));
    }

    @Test
    void leastRecentlyUsedPairIsEvictedAndComesBackWithItsPersistedMark() throws Exception {
        HighWaterMarkStore store = HighWaterMarkStore.open(state);
        ReplayGuard guard = new ReplayGuard(store, 3);
        assertEquals(ACCEPTED, guard.accept("s1", AGENT, 7));
        assertEquals(ACCEPTED, guard.accept("s2", AGENT, 1));
        assertEquals(ACCEPTED, guard.accept("s3", AGENT, 1));
        assertEquals(REPLAYED, guard.accept("s1", AGENT, 7)); // s1 is now the most recent
        assertEquals(ACCEPTED, guard.accept("s4", AGENT, 1)); // evicts s2, the least recent
        assertEquals(3, guard.trackedPairs());

        // s1 kept its exact window: 6 is still new.
        assertEquals(ACCEPTED, guard.accept("s1", AGENT, 6));
        // s2 comes back from disk: everything up to its persisted mark is refused.
        assertEquals(TOO_OLD, guard.accept("s2", AGENT, 1));
        assertEquals(REPLAYED, guard.accept("s2", AGENT, 1 + RESERVE));
        assertEquals(ACCEPTED, guard.accept("s2", AGENT, 2 + RESERVE));
        assertEquals(3, guard.trackedPairs());
    }

    @Test
    void corruptStateRefusesToStart() throws Exception {
        ReplayGuard.open(state).accept(SESSION, AGENT, 1);
        Path file = HighWaterMarkStore.open(state).fileOf(SESSION, AGENT);
        byte[] content = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(content, content.length / 2));
        ReplayStateException e = assertThrows(ReplayStateException.class, () -> ReplayGuard.open(state));
        assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
    }

    @Test
    void aFailedMarkWriteRefusesTheNumber() throws Exception {
        HighWaterMarkStore store = HighWaterMarkStore.open(state);
        ReplayGuard guard = new ReplayGuard(store, 8);
        assertEquals(ACCEPTED, guard.accept(SESSION, AGENT, 1));
        // A directory where the temporary file must go makes the next write fail.
        Path other = store.fileOf("s9", AGENT);
        Files.createDirectory(other.resolveSibling(other.getFileName() + ".tmp"));
        assertThrows(ReplayStateException.class, () -> guard.accept("s9", AGENT, 1));
        // Not accepted: a retry after the disk is fixed still sees the number as new.
        Files.delete(other.resolveSibling(other.getFileName() + ".tmp"));
        assertEquals(ACCEPTED, guard.accept("s9", AGENT, 1));
    }

    @Test
    void malformedNamesAreRefused() throws Exception {
        ReplayGuard guard = ReplayGuard.open(state);
        for (String bad : new String[] {"", "a b", "a\nb", "../x", "x".repeat(129), null}) {
            assertThrows(IllegalArgumentException.class, () -> guard.accept(bad, AGENT, 1));
            assertThrows(IllegalArgumentException.class, () -> guard.accept(SESSION, bad, 1));
        }
    }
}
