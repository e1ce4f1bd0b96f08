package org.multiverse.scramble.host.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the installed QEMU binary supports, probed once per binary and cached: its
 * version line and whether it was built with seccomp ({@code -sandbox}).
 *
 * @param version first line of {@code -version}
 * @param sandbox whether {@code -help} lists {@code -sandbox}
 */
public record QemuCapabilities(String version, boolean sandbox) {

    /** {@code -help} and {@code -version} print and exit at once; 10 s means something is broken. */
    private static final long PROBE_TIMEOUT_SECONDS = 10;

    private static final Map<Path, QemuCapabilities> CACHE = new ConcurrentHashMap<>();

    /** Probes (or returns the cached probe of) a QEMU binary. */
    public static QemuCapabilities of(Path binary) throws IOException {
        QemuCapabilities known = CACHE.get(binary);
        if (known != null) {
            return known;
        }
        if (!Files.isExecutable(binary)) {
            throw new IOException(binary + " is not installed (or not executable)");
        }
        String version = run(binary, "-version")
                .lines()
                .findFirst()
                .orElse("unknown version")
                .strip();
        boolean sandbox = run(binary, "-help").lines().anyMatch(l -> l.startsWith("-sandbox"));
        QemuCapabilities caps = new QemuCapabilities(version, sandbox);
        CACHE.put(binary, caps);
        return caps;
    }

    private static String run(Path binary, String option) throws IOException {
        Process p = new ProcessBuilder(List.of(binary.toString(), option))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(binary + " " + option + " did not finish");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while probing " + binary, e);
        }
    }
}
