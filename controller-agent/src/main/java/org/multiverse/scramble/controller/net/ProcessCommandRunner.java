package org.multiverse.scramble.controller.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The real {@link CommandRunner}: {@link ProcessBuilder} with an argument list, stdin closed. */
public final class ProcessCommandRunner implements CommandRunner {
    /** `nft list ruleset` and `ip -j` output stay far below this; more means something is wrong. */
    static final int MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

    @Override
    public CommandResult run(List<String> argv, Duration timeout) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new CommandException(argv, "cannot start: " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new CommandException(argv, "did not finish within " + timeout.toSeconds() + " s", null);
            }
            return new CommandResult(process.exitValue(), out.get(), new String(err.get(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandException(argv, "interrupted", e);
        } catch (ExecutionException e) {
            throw new CommandException(argv, "output could not be read: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static byte[] drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (buffer.size() + n > MAX_OUTPUT_BYTES) {
                    throw new IOException("output exceeds " + MAX_OUTPUT_BYTES + " bytes");
                }
                buffer.write(chunk, 0, n);
            }
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
