package org.multiverse.scramble.shell.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;

class SessionFileTest {

    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private Identity root;
    private SessionKeys session;
    private Path file;

    @BeforeEach
    void setUp() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        root = Identity.generate(new SecureRandom());
        session = SessionKeys.create(root, Scope.ALL, Duration.ofHours(12), CLOCK, new SecureRandom());
        file = tmp.resolve("session");
        SessionFile.write(file, session);
    }

    @Test
    void roundTripGivesTheSameSessionInAPrivateFile() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(SessionFile.LENGTH, Files.size(file));
        try (SessionKeys read = SessionFile.read(file, root.id(), CLOCK)) {
            assertEquals(session.certificate(), read.certificate());
            assertArrayEquals(session.exportSecret(), read.exportSecret());
        }
    }

    @Test
    void theRootSecretIsNotInTheFile() throws Exception {
        byte[] content = Files.readAllBytes(file);
        byte[] seed = root.seedCopy();
        assertEquals(-1, indexOf(content, seed), "the root seed must never be written");
    }

    @Test
    void writingIntoADirectoryOthersCanWriteIsRefused() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        ShellFailure f = assertThrows(ShellFailure.class, () -> SessionFile.write(shared.resolve("s"), session));
        assertEquals(ExitCodes.REFUSED, f.exitCode());
        assertTrue(f.getMessage().contains("group or others may write"), f.getMessage());
        assertTrue(Files.notExists(shared.resolve("s")));
    }

    @Test
    void readableByOthersIsRefusedNamingChmod() throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ShellFailure f = assertThrows(ShellFailure.class, () -> SessionFile.read(file, root.id(), CLOCK));
        assertEquals(ExitCodes.REFUSED, f.exitCode());
        assertTrue(f.getMessage().contains("chmod 600 " + file), f.getMessage());
    }

    @Test
    void expiredSaysWhenAndHowToMakeANewOne() {
        Clock later = Clock.offset(CLOCK, Duration.ofHours(12));
        ShellFailure f = assertThrows(ShellFailure.class, () -> SessionFile.read(file, root.id(), later));
        assertEquals(ExitCodes.REFUSED, f.exitCode());
        assertTrue(f.getMessage().contains("expired at 2026-03-01T21:00:00Z"), f.getMessage());
        assertTrue(f.getMessage().contains("id session-export " + file), f.getMessage());
    }

    @Test
    void anotherRootIsRefused() {
        try (Identity other = Identity.generate(new SecureRandom())) {
            ShellFailure f = assertThrows(ShellFailure.class, () -> SessionFile.read(file, other.id(), CLOCK));
            assertEquals(ExitCodes.REFUSED, f.exitCode());
            assertTrue(
                    f.getMessage()
                            .contains("not by your Scramble ID " + other.id().text()),
                    f.getMessage());
        }
    }

    @Test
    void everyFlippedBitIsCaught() throws Exception {
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            Files.write(file, bad);
            ShellFailure f =
                    assertThrows(ShellFailure.class, () -> SessionFile.read(file, root.id(), CLOCK), "byte " + i);
            String expected = i < SessionFile.MAGIC.length
                    ? "not a Scramble session file"
                    : i == SessionFile.MAGIC.length ? "has format 0" : "checksum mismatch";
            assertTrue(f.getMessage().contains(expected), i + ": " + f.getMessage());
        }
    }

    @Test
    void truncatedOversizedAndEmptyFilesAreNamed() throws Exception {
        byte[] good = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(good, good.length - 1));
        assertMessage("truncated: " + (good.length - 1) + " bytes");
        Files.write(file, Arrays.copyOf(good, good.length + 1));
        assertMessage("oversized: " + (good.length + 1) + " bytes");
        Files.write(file, new byte[1 << 20]);
        assertMessage("not a Scramble session file");
        byte[] huge = Arrays.copyOf(good, 1 << 20);
        Files.write(file, huge);
        assertMessage("oversized: " + (SessionFile.MAX_READ + 1) + "+ bytes");
        Files.write(file, new byte[0]);
        assertMessage("not a Scramble session file");
    }

    @Test
    void aValidChecksumOverAForeignSecretIsStillRefused() throws Exception {
        try (SessionKeys other = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), CLOCK, new SecureRandom())) {
            byte[] mixed = SessionFile.encode(session);
            System.arraycopy(other.exportSecret(), 0, mixed, SessionFile.MAGIC.length + 1, SessionKeys.SECRET_LENGTH);
            byte[] rehashed = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Arrays.copyOf(mixed, SessionFile.LENGTH - SessionFile.CHECKSUM_LENGTH));
            System.arraycopy(rehashed, 0, mixed, SessionFile.LENGTH - SessionFile.CHECKSUM_LENGTH, rehashed.length);
            Files.write(file, mixed);
            assertMessage("does not belong to certificate");
        }
    }

    @Test
    void missingFileNamesTheExportCommand() throws Exception {
        Files.delete(file);
        ShellFailure f = assertThrows(ShellFailure.class, () -> SessionFile.read(file, root.id(), CLOCK));
        assertEquals(ExitCodes.USAGE, f.exitCode());
        assertTrue(
                f.getMessage().contains("does not exist; make one with: scramble-shell id session-export"),
                f.getMessage());
    }

    private void assertMessage(String part) {
        ShellFailure f = assertThrows(ShellFailure.class, () -> SessionFile.read(file, root.id(), CLOCK));
        assertEquals(ExitCodes.FAILED, f.exitCode());
        assertTrue(f.getMessage().contains(part), f.getMessage());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
