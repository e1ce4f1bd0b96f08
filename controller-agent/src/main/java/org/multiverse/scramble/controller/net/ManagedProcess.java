package org.multiverse.scramble.controller.net;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.multiverse.scramble.protocol.process.ProcessFailedException;

/**
 * A long-running child (Tor, wireguard-go) started with an argument list, its output
 * appended to a log file, stopped with SIGTERM and then SIGKILL after a grace period.
 */
public final class ManagedProcess implements AutoCloseable {
    /** Tor and wireguard-go exit within a second of SIGTERM; more means they are stuck. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String label;
    private final Process process;

    private ManagedProcess(String label, Process process) {
        this.label = label;
        this.process = process;
    }

    /**
     * Starts {@code argv} with stdin closed and stdout+stderr appended to {@code log}.
     *
     * @throws ProcessFailedException if it cannot be started
     */
    public static ManagedProcess start(String label, List<String> argv, Path log) {
        try {
            Process p = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ManagedProcess(label, p);
        } catch (IOException e) {
            throw new ProcessFailedException(argv, "cannot start " + label + ": " + e.getMessage(), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status if it has ended. */
    public java.util.OptionalInt exitCode() {
        return process.isAlive() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(process.exitValue());
    }

    public String label() {
        return label;
    }

    /** Stops the process (SIGTERM, then SIGKILL after {@link #STOP_GRACE}); idempotent. */
    @Override
    public void close() {
        stop(process.toHandle());
    }

    /** Stops any process by handle the same way (used for processes left by a crashed predecessor). */
    public static void stop(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception ignored) {
                // Nothing more can be done than SIGKILL; the caller checks liveness.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // onExit never completes exceptionally; treat as exited.
        }
    }
}
