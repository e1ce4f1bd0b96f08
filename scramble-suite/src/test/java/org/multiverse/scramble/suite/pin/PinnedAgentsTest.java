package org.multiverse.scramble.suite.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;

class PinnedAgentsTest {

    @TempDir
    Path dir;

    private static ScrambleId id(long seed) {
        byte[] s = new byte[32];
        new Random(seed).nextBytes(s);
        try (Identity identity = Identity.fromSeed(s)) {
            return identity.id();
        }
    }

    private Path file(String content) throws IOException {
        Path f = dir.resolve("agents");
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    void firstContactIsNewThenTrustedAfterPinning() throws Exception {
        PinFile<ScrambleId> pins = PinnedAgents.open(dir.resolve("agents"));
        assertEquals(Optional.empty(), pins.lookup("host"));
        assertEquals(PinStatus.NEW, pins.check("host", id(1)));
        pins.pin("host", id(1));
        assertEquals(PinStatus.TRUSTED, pins.check("host", id(1)));
        assertEquals(Optional.of(id(1)), pins.lookup("host"));

        PinFile<ScrambleId> reopened = PinnedAgents.open(dir.resolve("agents"));
        assertEquals(PinStatus.TRUSTED, reopened.check("host", id(1)));
        assertEquals(PinStatus.NEW, reopened.check("router-controller", id(1)));
    }

    @Test
    void aChangedKeyIsALoudRefusalShowingBothIds() throws Exception {
        PinFile<ScrambleId> pins = PinnedAgents.open(dir.resolve("agents"));
        pins.pin("host", id(1));
        PinnedKeyChangedException e = assertThrows(PinnedKeyChangedException.class, () -> pins.check("host", id(2)));
        assertTrue(e.getMessage().contains("AGENT IDENTITY HAS CHANGED"), e.getMessage());
        assertTrue(e.getMessage().contains("Pinned ID:    " + id(1).text()), e.getMessage());
        assertTrue(e.getMessage().contains("Presented ID: " + id(2).text()), e.getMessage());
        assertTrue(e.getMessage().contains("\"host\""), e.getMessage());
        assertTrue(
                e.getMessage().contains("@    WARNING: AGENT IDENTITY HAS CHANGED!                 @\n"),
                e.getMessage());
        assertEquals(id(1).text(), e.pinned());
        assertEquals(id(2).text(), e.presented());
        assertEquals("host", e.name());
        assertEquals(dir.resolve("agents").toString(), e.file());
    }

    @Test
    void repinningReplacesTheLineAndKeepsComments() throws Exception {
        Path f = file("# enrolled agents\nhost " + id(1).text() + "\n\n  # router\nrouter " + id(3).text() + "\n");
        PinFile<ScrambleId> pins = PinnedAgents.open(f);
        pins.pin("host", id(2));
        assertEquals(
                "# enrolled agents\nhost " + id(2).text() + "\n\n  # router\nrouter " + id(3).text() + "\n",
                Files.readString(f));
        assertEquals(PinStatus.TRUSTED, PinnedAgents.open(f).check("host", id(2)));
        assertEquals(PinStatus.TRUSTED, PinnedAgents.open(f).check("router", id(3)));
    }

    @Test
    void rewrittenFileIsMode0600() throws Exception {
        Path f = dir.resolve("agents");
        PinnedAgents.open(f).pin("host", id(1));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    private String malformed(String content) throws IOException {
        Path f = file(content);
        return assertThrows(PinFileException.class, () -> PinnedAgents.open(f)).getMessage();
    }

    @Test
    void malformedLinesAreReportedWithFileAndLine() throws IOException {
        Path f = dir.resolve("agents");
        String good = "host " + id(1).text();
        assertEquals(f + ":2: expected \"NAME SCRAMBLE-ID\", found 1 field", malformed("# ok\nhost\n"));
        assertEquals(f + ":1: expected \"NAME SCRAMBLE-ID\", found 3 fields", malformed(good + " extra\n"));
        assertEquals(f + ":1: bad agent name \"-host\"", malformed("-host " + id(1).text() + "\n"));
        assertTrue(malformed("\n\nhost scr1abc\n").startsWith(f + ":3: bad Scramble ID for host: wrong length"));
        String typo = good.substring(0, good.length() - 3)
                + (good.charAt(good.length() - 3) == 'a' ? 'b' : 'a')
                + good.substring(good.length() - 2);
        assertTrue(malformed(typo + "\n").startsWith(f + ":1: bad Scramble ID for host:"));
        assertEquals(f + ":2: agent \"host\" is pinned twice", malformed(good + "\n" + good + "\n"));
    }

    @Test
    void aFileOthersCanWriteIsRefused() throws IOException {
        Path f = file("host " + id(1).text() + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
        PinFileException e = assertThrows(PinFileException.class, () -> PinnedAgents.open(f));
        assertTrue(e.getMessage().contains("chmod 600 " + f), e.getMessage());
    }

    @Test
    void badNamesCannotBePinned() throws IOException {
        PinFile<ScrambleId> pins = PinnedAgents.open(dir.resolve("agents"));
        for (String bad : new String[] {"", "a b", "#host", "x".repeat(65), "host\nevil scr1", null}) {
            assertThrows(IllegalArgumentException.class, () -> pins.pin(bad, id(1)), String.valueOf(bad));
        }
        assertTrue(Files.notExists(dir.resolve("agents")));
    }

    @Test
    void oversizedFileIsRefused() throws IOException {
        Path f = file("#" + "x".repeat(PinFile.MAX_FILE_BYTES) + "\n");
        assertThrows(PinFileException.class, () -> PinnedAgents.open(f));
    }
}
