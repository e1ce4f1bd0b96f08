package org.multiverse.scramble.rtos.serial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pseudo-terminal pair made by {@code socat -d -d pty,raw,echo=0,link=A
 * pty,raw,echo=0,link=B}: bytes written to one end come out of the other, as on a null-modem
 * cable. Killing it cuts the line (both links disappear); {@link #start} again with the same
 * paths brings it back, as a re-plugged USB device does.
 */
public final class PtyPair implements AutoCloseable {

    /** socat creates both ptys in milliseconds; a slow machine under load gets ample margin. */
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private static final long POLL_MILLIS = 10;

    private final Path a;
    private final Path b;
    private final Process socat;

    private PtyPair(Path a, Path b, Process socat) {
        this.a = a;
        this.b = b;
        this.socat = socat;
    }

    /** True if socat is on the PATH. */
    public static boolean socatAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "socat"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts socat and waits until both links exist.
     *
     * @throws IOException if socat is missing, exits, or does not create the links in time
     */
    public static PtyPair start(Path a, Path b) throws IOException {
        Files.deleteIfExists(a);
        Files.deleteIfExists(b);
        List<String> command = List.of("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b);
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (!(Files.exists(a) && Files.exists(b))) {
            if (!p.isAlive()) {
                throw new IOException("socat exited with " + p.exitValue() + " before creating ptys");
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("socat did not create " + a + " and " + b + " in time");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted", e);
            }
        }
        return new PtyPair(a, b, p);
    }

    public Path a() {
        return a;
    }

    public Path b() {
        return b;
    }

    public long pid() {
        return socat.pid();
    }

    /** Kills socat and waits for it, so both ends see the line drop. */
    @Override
    public void close() {
        socat.destroy();
        try {
            if (!socat.waitFor(5, TimeUnit.SECONDS)) {
                socat.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            socat.destroyForcibly();
        }
    }
}
