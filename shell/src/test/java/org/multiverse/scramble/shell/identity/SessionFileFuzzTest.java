package org.multiverse.scramble.shell.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.keyfile.PrivateFiles;

/**
 * Fuzzes {@link SessionFile#read}, which turns a file named by {@code --session} or
 * {@code SCRAMBLE_SESSION} into signing keys: for any bytes, a {@link ShellFailure} saying what
 * is wrong, or keys certified by the expected root, valid now, whose file is exactly what
 * {@link SessionFile#encode} writes for them. The first input byte steers the harness: bit 1
 * starts from a real session file of a fixed root (the rest of the input is XORed over it),
 * bit 0 recomputes the SHA-256 checksum, so the fuzzer gets past the frame to the certificate
 * and key checks. Seeds:
 * {@code src/test/resources/.../SessionFileFuzzTestInputs/readsOrRefusesWithAReason/}.
 */
class SessionFileFuzzTest {

    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Identity ROOT = Identity.fromSeed(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32
    });
    private static final byte[] VALID;
    private static final Path FILE;

    static {
        try (SessionKeys session =
                SessionKeys.create(ROOT, Scope.READ_ONLY, Duration.ofHours(12), CLOCK, new SecureRandom())) {
            VALID = SessionFile.encode(session);
            Path dir = Files.createTempDirectory("session-fuzz");
            dir.toFile().deleteOnExit();
            FILE = dir.resolve("session");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void readsOrRefusesWithAReason(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        int steer = input[0];
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        if ((steer & 2) != 0) {
            byte[] patched = VALID.clone();
            for (int i = 0; i < bytes.length && i < patched.length; i++) {
                patched[i] ^= bytes[i];
            }
            bytes = patched;
        }
        if ((steer & 1) != 0 && bytes.length == SessionFile.LENGTH) {
            byte[] sum = sha256(bytes, SessionFile.LENGTH - SessionFile.CHECKSUM_LENGTH);
            System.arraycopy(sum, 0, bytes, SessionFile.LENGTH - SessionFile.CHECKSUM_LENGTH, sum.length);
        }
        PrivateFiles.writeAtomically(FILE, bytes);
        FILE.toFile().deleteOnExit();
        try (SessionKeys keys = SessionFile.read(FILE, ROOT.id(), CLOCK)) {
            assertEquals(ROOT.id(), keys.certificate().root());
            assertTrue(NOW.toEpochMilli() < keys.certificate().notAfterMillis());
            byte[] written = SessionFile.encode(keys);
            assertArrayEquals(bytes, written);
            Arrays.fill(written, (byte) 0);
        } catch (ShellFailure refused) {
            // the one allowed failure
        }
    }

    private static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
