package org.multiverse.scramble.host.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads what Linux says about a process under {@code /proc}. */
public final class ProcFiles {

    /** /proc/PID/cmdline of QEMU is a few KiB; a cap keeps a hostile process from costing memory. */
    private static final int MAX_CMDLINE_BYTES = 256 * 1024;

    private ProcFiles() {}

    /** The NUL-separated argument list of a live process, or empty when it is gone. */
    public static Optional<byte[]> cmdline(long pid) {
        try {
            byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return bytes.length > MAX_CMDLINE_BYTES ? Optional.empty() : Optional.of(bytes);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The process's start time (clock ticks since boot), or empty when it is gone or a
     * zombie: a zombie has exited and only waits for its parent to reap it.
     */
    public static OptionalLong startTimeIfRunning(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return OptionalLong.empty();
        }
        String[] f = stat.substring(close + 2).split(" ");
        // f[0] is field 3 (state); field 22 (starttime) is f[19].
        if (f.length < 20 || f[0].equals("Z") || f[0].equals("X")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(f[19]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The session id (field 6) of a process, or -1 when it is gone. */
    public static long sessionId(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
