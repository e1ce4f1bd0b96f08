package org.multiverse.scramble.suite.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.keyfile.PrivateFiles;

/**
 * Fuzzes the pin file ({@code known_agents}, the bridge's known nodes), which tells a reader
 * whom to trust: for any bytes, {@link PinFile#open} refuses with a {@link PinFileException}
 * naming the file, or loads pins that survive a rewrite: pinning a new name keeps every other
 * pin and comment, and the file opens again to the same pins. Seeds:
 * {@code src/test/resources/.../PinFileFuzzTestInputs/opensOrRefusesAndRewrites/}.
 */
class PinFileFuzzTest {

    private static final ScrambleId NEW = Identity.generate(new SecureRandom()).id();
    private static final Path FILE;

    static {
        try {
            Path dir = Files.createTempDirectory("pin-fuzz");
            dir.toFile().deleteOnExit();
            FILE = dir.resolve("known_agents");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void opensOrRefusesAndRewrites(byte[] input) throws IOException {
        PrivateFiles.writeAtomically(FILE, input);
        FILE.toFile().deleteOnExit();
        PinFile<ScrambleId> pins;
        try {
            pins = PinnedAgents.open(FILE);
        } catch (PinFileException e) {
            assertTrue(e.getMessage().startsWith(FILE.toString()), e.getMessage());
            return;
        }
        Map<String, ScrambleId> before = pins.all();
        String name = "fuzz-new-agent";
        if (before.containsKey(name)) {
            return;
        }
        pins.pin(name, NEW);
        Map<String, ScrambleId> expected = new HashMap<>(before);
        expected.put(name, NEW);
        PinFile<ScrambleId> reopened;
        try {
            reopened = PinnedAgents.open(FILE);
        } catch (PinFileException e) {
            throw new AssertionError("a file the store rewrote does not open: " + e.getMessage(), e);
        }
        assertEquals(expected, reopened.all());
    }
}
