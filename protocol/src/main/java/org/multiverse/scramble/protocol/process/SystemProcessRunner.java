package org.multiverse.scramble.protocol.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link ProcessRunner}: {@link ProcessBuilder} with an argument list, standard input
 * from {@code /dev/null} (a program that asks a question gets end-of-file, not a hang), a clean
 * environment, both output streams captured separately and bounded, and one deadline for the
 * whole run. Thread-safe: every run has its own process and readers.
 */
public final class SystemProcessRunner implements ProcessRunner {

    /**
     * The most either output stream may carry. {@code nft list ruleset} and {@code ip -j} stay far
     * below it; more means something is wrong, and since standard output is parsed, a cut copy
     * would be read wrongly: the run is refused, not truncated. It also bounds the heap a runaway
     * program can take.
     */
    public static final int MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

    /**
     * The only search path the program gets: the system's tools, never a directory the agent's
     * own caller put first, and the same for the helpers the program itself runs
     * ({@code mount} runs {@code mount.<type>}).
     */
    static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    /** Messages in a fixed locale, so callers can recognise them ("Permission denied"). */
    static final String LOCALE = "C";

    private static final File NO_INPUT = new File("/dev/null");

    @Override
    public ProcessResult run(List<String> argv, Duration timeout) {
        List<String> command = List.copyOf(argv);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Process process = start(command);
        Runnable kill = () -> kill(process);
        OutputCapture out = OutputCapture.start("standard output", MAX_OUTPUT_BYTES, process.getInputStream(), kill);
        OutputCapture err = OutputCapture.start("error output", MAX_OUTPUT_BYTES, process.getErrorStream(), kill);
        try {
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                kill(process);
                throw new ProcessFailedException(command, "did not finish within " + show(timeout) + "; killed", null);
            }
            byte[] stdout = out.await(deadline);
            byte[] stderr = err.await(deadline);
            for (OutputCapture capture : List.of(out, err)) {
                if (capture.overflowed()) {
                    throw new ProcessFailedException(
                            command,
                            "wrote more than " + MAX_OUTPUT_BYTES + " bytes of " + capture.name() + "; killed",
                            null);
                }
            }
            if (stdout == null || stderr == null) {
                throw new ProcessFailedException(
                        command,
                        "exited, but a program it started still held its output" + " open after " + show(timeout),
                        null);
            }
            return new ProcessResult(process.exitValue(), stdout, new String(stderr, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new ProcessFailedException(command, "interrupted", e);
        } catch (IOException e) {
            throw new ProcessFailedException(command, "output could not be read: " + e.getMessage(), e);
        }
    }

    private static Process start(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", PATH);
        env.put("LC_ALL", LOCALE);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new ProcessFailedException(command, "cannot start: " + e.getMessage(), e);
        }
    }

    /** Kills the program and what it started, so no grandchild outlives a killed run. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String show(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
