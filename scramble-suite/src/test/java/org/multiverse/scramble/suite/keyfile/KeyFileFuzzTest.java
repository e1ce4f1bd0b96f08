package org.multiverse.scramble.suite.keyfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Fuzzes {@link KeyFile#read}, which opens a root key file that may have been swapped or
 * damaged: for any bytes, a {@link KeyFileException} with a typed reason, or the seed; never
 * another exception, never a derivation costlier than {@link Argon2Params}' limits. A file
 * whose Argon2 parameters are accepted but dear (up to 1 GiB by design) has them lowered by
 * the harness to the cheapest accepted ones, so the fuzzer runs thousands of inputs a second
 * and still reaches the decryption. When the first byte is odd the input instead picks a
 * seed and passphrase that must survive {@link KeyFile#write} then {@code read}, and be
 * refused under another passphrase. Seeds:
 * {@code src/test/resources/.../KeyFileFuzzTestInputs/readsOrRefusesWithAReason/}.
 */
class KeyFileFuzzTest {

    /** Cheapest parameters a key file may carry: fast enough to fuzz, still a real Argon2id. */
    private static final Argon2Params CHEAP = new Argon2Params(8, 1, 1);

    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    private static final Path FILE;

    static {
        try {
            Path dir = Files.createTempDirectory("keyfile-fuzz");
            dir.toFile().deleteOnExit();
            FILE = dir.resolve("root.key");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void readsOrRefusesWithAReason(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        if ((input[0] & 1) == 1) {
            roundTrip(new ByteArrayInputStream(input, 1, input.length - 1));
            return;
        }
        byte[] file = cheapened(Arrays.copyOfRange(input, 1, input.length));
        PrivateFiles.writeAtomically(FILE, file);
        FILE.toFile().deleteOnExit();
        try {
            byte[] seed = KeyFile.read(FILE, PASSPHRASE);
            assertEquals(KeyFile.SEED_LENGTH, seed.length);
        } catch (KeyFileException refused) {
            // the one allowed failure, with its reason
        }
    }

    /** The input is the seed (32 bytes, zero-padded), then the passphrase in UTF-8. */
    private static void roundTrip(ByteArrayInputStream data) throws IOException {
        byte[] seed = Arrays.copyOf(data.readNBytes(KeyFile.SEED_LENGTH), KeyFile.SEED_LENGTH);
        char[] passphrase = new String(data.readAllBytes(), StandardCharsets.UTF_8).toCharArray();
        if (passphrase.length == 0) {
            return;
        }
        try {
            KeyFile.write(FILE, seed, passphrase, CHEAP);
        } catch (IllegalArgumentException notUnicode) {
            return; // a lone surrogate is not a passphrase anyone can type; refused on write
        }
        FILE.toFile().deleteOnExit();
        assertArrayEquals(seed, KeyFile.read(FILE, passphrase));
        char[] other = Arrays.copyOf(passphrase, passphrase.length + 1);
        other[passphrase.length] = 'x';
        assertEquals(
                KeyFileException.Reason.WRONG_PASSPHRASE_OR_DAMAGED,
                assertThrows(KeyFileException.class, () -> KeyFile.read(FILE, other))
                        .reason());
    }

    /** The file with accepted but costly Argon2 parameters lowered to the cheapest accepted. */
    private static byte[] cheapened(byte[] file) {
        if (file.length < KeyFile.HEADER_LENGTH) {
            return file;
        }
        ByteBuffer header = ByteBuffer.wrap(file, KeyFile.MAGIC.length + 1, 9);
        long memory = Integer.toUnsignedLong(header.getInt());
        long iterations = Integer.toUnsignedLong(header.getInt());
        int parallelism = header.get() & 0xff;
        if (Argon2Params.problem(memory, iterations, parallelism) == null) {
            ByteBuffer.wrap(file, KeyFile.MAGIC.length + 1, 8)
                    .putInt(Argon2Params.MIN_MEMORY_KIB_PER_LANE * parallelism)
                    .putInt(1);
        }
        return file;
    }
}
