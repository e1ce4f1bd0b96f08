package org.multiverse.scramble.protocol.transport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.multiverse.scramble.protocol.testkit.Prerequisite;

/**
 * Two pseudo-terminals joined by socat: a character-device endpoint like a virtio-serial
 * port. Under {@code CI=true} a missing socat fails the test; elsewhere the test is skipped.
 */
final class SocatPtyPair implements AutoCloseable {
    /** socat creates the ptys in milliseconds; seconds only on a badly loaded machine. */
    private static final long START_TIMEOUT_MILLIS = 10_000;

    final Path a;
    final Path b;
    private final Process process;

    private SocatPtyPair(Path a, Path b, Process process) {
        this.a = a;
        this.b = b;
        this.process = process;
    }

    static void requireSocat() {
        boolean present = List.of("/usr/bin/socat", "/bin/socat", "/usr/local/bin/socat").stream()
                .anyMatch(p -> new File(p).canExecute());
        Prerequisite.require(present, "socat is required for the virtio pty test (apt-get install -y socat)");
    }

    /** Starts socat with stable symlinks {@code a} and {@code b} to its two ptys. */
    static SocatPtyPair start(Path a, Path b) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (!(Files.exists(a) && Files.exists(b))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("socat did not create " + a + " and " + b);
            }
            Thread.sleep(10);
        }
        return new SocatPtyPair(a, b, p);
    }

    /** Stops socat and waits until its links are gone. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try {
            Files.deleteIfExists(a);
            Files.deleteIfExists(b);
        } catch (IOException e) {
            // socat removes them itself on a clean exit.
        }
    }
}
