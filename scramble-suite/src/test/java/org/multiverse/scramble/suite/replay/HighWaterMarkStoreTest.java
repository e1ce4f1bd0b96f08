package org.multiverse.scramble.suite.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HighWaterMarkStoreTest {
    @TempDir
    Path state;

    @Test
    void writesAndReadsBackAcrossReopen() throws Exception {
        HighWaterMarkStore store = HighWaterMarkStore.open(state);
        assertEquals(0, store.read("s", "r"));
        store.write("s", "r", 42);
        store.write("s", "r", 43);
        store.write("s", "other", -1L);
        HighWaterMarkStore reopened = HighWaterMarkStore.open(state);
        assertEquals(43, reopened.read("s", "r"));
        assertEquals(-1L, reopened.read("s", "other"));
        try (var files = Files.list(state)) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void fileFormatIsTheDocumentedOne() throws Exception {
        HighWaterMarkStore store = HighWaterMarkStore.open(state);
        store.write("abc", "host", 1025);
        String text = Files.readString(store.fileOf("abc", "host"), StandardCharsets.US_ASCII);
        String[] lines = text.split("\n");
        assertEquals("scramble-replay-hwm v1", lines[0]);
        assertEquals("sender abc", lines[1]);
        assertEquals("receiver host", lines[2]);
        assertEquals("mark 1025", lines[3]);
        assertTrue(lines[4].matches("check [0-9a-f]{64}"), lines[4]);
    }

    @Test
    void createsAMissingStateDirectoryPrivately() throws Exception {
        Path dir = state.resolve("new/state");
        HighWaterMarkStore.open(dir).write("s", "r", 1);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsAClearError() throws Exception {
        Path file = Files.writeString(state.resolve("plain"), "x");
        ReplayStateException e = assertThrows(ReplayStateException.class, () -> HighWaterMarkStore.open(file));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void leftoverTemporaryFileIsRemovedAndTheMarkKept() throws Exception {
        HighWaterMarkStore store = HighWaterMarkStore.open(state);
        store.write("s", "r", 9);
        Path temp = store.fileOf("s", "r").resolveSibling(store.fileOf("s", "r").getFileName() + ".tmp");
        Files.writeString(temp, "scramble-replay-hwm v1\nsend");
        assertEquals(9, HighWaterMarkStore.open(state).read("s", "r"));
        assertFalse(Files.exists(temp));
    }

    @Test
    void everyKindOfCorruptionIsRefusedWithItsReason() throws Exception {
        HighWaterMarkStore store = HighWaterMarkStore.open(state);
        store.write("s", "r", 77);
        Path file = store.fileOf("s", "r");
        String good = Files.readString(file, StandardCharsets.US_ASCII);

        assertCorrupt(file, "", "truncated");
        assertCorrupt(file, good.substring(0, good.length() - 1), "truncated");
        assertCorrupt(file, good.substring(0, good.indexOf("mark")), "expected 5 lines");
        assertCorrupt(file, good.replace("v1", "v2"), "unknown header");
        assertCorrupt(file, good.replace("mark 77", "mark 78"), "check value");
        assertCorrupt(file, good.replace("mark 77", "mork 77"), "'mark' line");
        assertCorrupt(file, good + "extra\n", "expected 5 lines");
        assertCorrupt(file, "x".repeat(HighWaterMarkStore.MAX_FILE_BYTES + 1), "larger than");
        assertCorrupt(file, good.replace('7', '\u00e9'), "check value");
        // Well-formed files whose content is wrong for where they are.
        assertCorrupt(file, HighWaterMarkStore.format("s", "x", 77), "file name");
        assertCorrupt(file, HighWaterMarkStore.format("s", "r", 1).replace("mark 1", "mark -1"), "check value");
        String overflowing = "scramble-replay-hwm v1\nsender s\nreceiver r\nmark 18446744073709551616\n";
        assertCorrupt(file, withCheck(overflowing), "exceeds 2^64-1");
        String notANumber = "scramble-replay-hwm v1\nsender s\nreceiver r\nmark 0x10\n";
        assertCorrupt(file, withCheck(notANumber), "not an unsigned decimal");
        String badName = "scramble-replay-hwm v1\nsender s s\nreceiver r\nmark 1\n";
        assertCorrupt(file, withCheck(badName), "malformed sender");

        Files.writeString(file, good, StandardCharsets.US_ASCII);
        assertEquals(77, HighWaterMarkStore.open(state).read("s", "r"));
    }

    @Test
    void aFileHoldingAnotherPairIsRefusedOnRead() throws Exception {
        HighWaterMarkStore store = HighWaterMarkStore.open(state);
        store.write("s", "r", 5);
        store.write("t", "r", 6);
        // Copy t's (valid) file over s's: open() catches the name mismatch.
        Files.copy(store.fileOf("t", "r"), store.fileOf("s", "r"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ReplayStateException e = assertThrows(ReplayStateException.class, () -> store.read("s", "r"));
        assertTrue(e.getMessage().contains("file name"), e.getMessage());
    }

    private void assertCorrupt(Path file, String content, String reason) throws Exception {
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);
        ReplayStateException atStart =
                assertThrows(ReplayStateException.class, () -> HighWaterMarkStore.open(state), content);
        assertTrue(atStart.getMessage().contains(reason), atStart.getMessage());
        assertTrue(atStart.getMessage().contains("refusing to use it"), atStart.getMessage());
    }

    private static String withCheck(String body) throws Exception {
        byte[] digest =
                java.security.MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.US_ASCII));
        return body + "check " + java.util.HexFormat.of().formatHex(digest) + "\n";
    }
}
