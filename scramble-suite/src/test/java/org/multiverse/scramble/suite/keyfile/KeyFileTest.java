package org.multiverse.scramble.suite.keyfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.suite.keyfile.KeyFileException.Reason;

class KeyFileTest {

    /** Cheap Argon2 so that the many reads below stay fast; one test uses the real defaults. */
    private static final Argon2Params CHEAP = new Argon2Params(256, 1, 1);

    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;

    private final byte[] seed = seed(1);

    private static byte[] seed(long s) {
        byte[] b = new byte[32];
        new Random(s).nextBytes(b);
        return b;
    }

    private Path written() throws IOException {
        Path file = dir.resolve("root.key");
        KeyFile.write(file, seed, PASSPHRASE, CHEAP);
        return file;
    }

    private Path withContent(byte[] content) throws IOException {
        Path file = dir.resolve("edited.key");
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static KeyFileException failure(Path file, char[] passphrase) {
        return assertThrows(KeyFileException.class, () -> KeyFile.read(file, passphrase));
    }

    @Test
    void roundTrips() throws IOException {
        Path file = written();
        assertEquals(KeyFile.FILE_LENGTH, Files.size(file));
        assertArrayEquals(seed, KeyFile.read(file, PASSPHRASE));
        assertArrayEquals(seed, KeyFile.read(file, PASSPHRASE), "reading does not consume the passphrase");
    }

    @Test
    void roundTripsWithTheDefaultParameters() throws IOException {
        assertEquals(new Argon2Params(64 * 1024, 3, 1), Argon2Params.DEFAULT);
        Path file = dir.resolve("default.key");
        KeyFile.write(file, seed, PASSPHRASE, Argon2Params.DEFAULT);
        byte[] content = Files.readAllBytes(file);
        ByteBuffer header = ByteBuffer.wrap(content, 9, 9);
        assertEquals(65536, header.getInt());
        assertEquals(3, header.getInt());
        assertEquals(1, header.get());
        assertArrayEquals(seed, KeyFile.read(file, PASSPHRASE));
    }

    @Test
    void nonAsciiPassphrasesWork() throws IOException {
        char[] unicode = "pässwörd \uD83D\uDD11 секрет".toCharArray();
        Path file = dir.resolve("u.key");
        KeyFile.write(file, seed, unicode, CHEAP);
        assertArrayEquals(seed, KeyFile.read(file, unicode));
        assertEquals(
                Reason.WRONG_PASSPHRASE_OR_DAMAGED,
                failure(file, "passswörd \uD83D\uDD11 секрет".toCharArray()).reason());
        assertThrows(
                IllegalArgumentException.class,
                () -> KeyFile.write(file, seed, new char[] {'a', '\uD83D'}, CHEAP),
                "lone surrogate");
    }

    @Test
    void wrongPassphraseSaysSo() throws IOException {
        Path file = written();
        KeyFileException e = failure(file, "correct horse battery stapler".toCharArray());
        assertEquals(Reason.WRONG_PASSPHRASE_OR_DAMAGED, e.reason());
        assertEquals("wrong passphrase or damaged file: " + file, e.getMessage());
        assertEquals(
                Reason.WRONG_PASSPHRASE_OR_DAMAGED, failure(file, new char[0]).reason());
    }

    @Test
    void eachEncryptionIsFresh() throws IOException {
        Path a = dir.resolve("a.key");
        Path b = dir.resolve("b.key");
        KeyFile.write(a, seed, PASSPHRASE, CHEAP);
        KeyFile.write(b, seed, PASSPHRASE, CHEAP);
        assertFalse(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)), "salt and nonce are random");
    }

    @Test
    void aFlippedByteAnywhereIsRefused() throws IOException {
        byte[] good = Files.readAllBytes(written());
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= (byte) 0xff;
            Path file = withContent(bad);
            KeyFileException e = failure(file, PASSPHRASE);
            Reason expected = i < 8 ? Reason.BAD_MAGIC : i == 8 ? Reason.UNKNOWN_VERSION : null;
            if (expected != null) {
                assertEquals(expected, e.reason(), "byte " + i);
            } else {
                assertTrue(
                        e.reason() == Reason.UNSAFE_PARAMETERS || e.reason() == Reason.WRONG_PASSPHRASE_OR_DAMAGED,
                        "byte " + i + ": " + e.reason());
            }
        }
    }

    @Test
    void truncatedAndOversizedFilesAreNamed() throws IOException {
        byte[] good = Files.readAllBytes(written());
        for (int n : new int[] {0, 1, 8, 9, 17, 46, good.length - 1}) {
            KeyFileException e = failure(withContent(Arrays.copyOf(good, n)), PASSPHRASE);
            assertEquals(Reason.TRUNCATED, e.reason(), "length " + n);
        }
        KeyFileException truncated = failure(withContent(Arrays.copyOf(good, 50)), PASSPHRASE);
        assertTrue(
                truncated.getMessage().endsWith("is truncated: 50 bytes, a key file has 94"), truncated.getMessage());
        assertEquals(
                Reason.TOO_LARGE,
                failure(withContent(Arrays.copyOf(good, good.length + 1)), PASSPHRASE)
                        .reason());
        byte[] huge = Arrays.copyOf(good, 10 << 20);
        assertEquals(Reason.TOO_LARGE, failure(withContent(huge), PASSPHRASE).reason());
        assertEquals(
                Reason.BAD_MAGIC,
                failure(withContent(new byte[10 << 20]), PASSPHRASE).reason(),
                "large garbage is first of all not a key file");
    }

    @Test
    void wrongMagicAndVersionAreNamed() throws IOException {
        byte[] good = Files.readAllBytes(written());
        byte[] magic = good.clone();
        magic[0] = 'X';
        KeyFileException e = failure(withContent(magic), PASSPHRASE);
        assertEquals(Reason.BAD_MAGIC, e.reason());
        assertTrue(e.getMessage().contains("is not a Scramble key file"), e.getMessage());
        assertEquals(
                Reason.BAD_MAGIC,
                failure(
                                withContent("-----BEGIN OPENSSH PRIVATE KEY-----\n"
                                        .repeat(3)
                                        .getBytes()),
                                PASSPHRASE)
                        .reason());

        byte[] version = good.clone();
        version[8] = 2;
        KeyFileException v = failure(withContent(version), PASSPHRASE);
        assertEquals(Reason.UNKNOWN_VERSION, v.reason());
        assertTrue(v.getMessage().contains("is key-file version 2; this program reads version 1"), v.getMessage());
    }

    @Test
    void absurdArgon2ParametersAreRefusedBeforeAnyWork() throws IOException {
        byte[] good = Files.readAllBytes(written());
        int[][] cases = {
            {9, Integer.MAX_VALUE}, // 2 TiB of memory
            {9, -1}, // 4 GiB unsigned
            {9, 4}, // below 8 KiB per lane
            {13, 0}, // no passes
            {13, 1_000_000}, // a million passes
        };
        for (int[] c : cases) {
            byte[] bad = good.clone();
            ByteBuffer.wrap(bad).putInt(c[0], c[1]);
            KeyFileException e = failure(withContent(bad), PASSPHRASE);
            assertEquals(Reason.UNSAFE_PARAMETERS, e.reason(), Arrays.toString(c) + ": " + e.getMessage());
        }
        byte[] lanes = good.clone();
        lanes[17] = 0;
        assertEquals(
                Reason.UNSAFE_PARAMETERS,
                failure(withContent(lanes), PASSPHRASE).reason());
        lanes[17] = (byte) 200;
        assertEquals(
                Reason.UNSAFE_PARAMETERS,
                failure(withContent(lanes), PASSPHRASE).reason());
    }

    @Test
    void createdFileIsMode0600AndNoTemporaryFileIsLeft() throws IOException {
        Path file = written();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        // Replacing a file that had become world-readable still leaves 0600.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        KeyFile.write(file, seed(2), PASSPHRASE, CHEAP);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(seed(2), KeyFile.read(file, PASSPHRASE));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the key file remains");
        }
    }

    @Test
    void groupOrWorldAccessibleFileIsRefusedNamingChmod() throws IOException {
        Path file = written();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        KeyFileException e = failure(file, PASSPHRASE);
        assertEquals(Reason.INSECURE_PERMISSIONS, e.reason());
        assertEquals(
                "permissions 0644 for key file " + file + " are too open: it must be readable and writable"
                        + " by you only. Run: chmod 600 " + file,
                e.getMessage());
        for (String mode : new String[] {"rw-r-----", "rw----r--", "rw--w----", "rw-----w-", "rw------x"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertEquals(Reason.INSECURE_PERMISSIONS, failure(file, PASSPHRASE).reason(), mode);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertArrayEquals(seed, KeyFile.read(file, PASSPHRASE), "0400 is fine");
    }

    @Test
    void aDirectoryIsNotAKeyFile() throws IOException {
        Path sub = Files.createDirectory(
                dir.resolve("d"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertEquals(Reason.NOT_A_REGULAR_FILE, failure(sub, PASSPHRASE).reason());
    }

    @Test
    void writeRefusesBadArguments() {
        Path file = dir.resolve("x.key");
        assertThrows(IllegalArgumentException.class, () -> KeyFile.write(file, new byte[31], PASSPHRASE, CHEAP));
        assertThrows(IllegalArgumentException.class, () -> KeyFile.write(file, seed, new char[0], CHEAP));
        assertThrows(IllegalArgumentException.class, () -> new Argon2Params(Argon2Params.MAX_MEMORY_KIB + 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Argon2Params(256, 0, 1));
        assertFalse(Files.exists(file));
    }
}
