package org.multiverse.scramble.host.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One QEMU process booting a kernel and initramfs directly under TCG, its serial console in a
 * file. Closing it kills QEMU if it is still running.
 */
public final class QemuGuest implements AutoCloseable {

    /** Enough for the busybox guest; portals use their own sizes. */
    public static final int MEMORY_MIB = 256;

    /** One vCPU: the busybox guest runs one script, and TCG runs each vCPU on a host thread. */
    public static final int CPUS = 1;

    /**
     * The serial console for the log file; panic=-1 with -no-reboot ends QEMU at once on a
     * kernel panic instead of hanging; loglevel=4 keeps the boot's chatter off the console.
     */
    public static final String KERNEL_CMDLINE = "console=ttyS0 panic=-1 loglevel=4";

    /** How long QEMU gets to exit after SIGTERM before SIGKILL. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /** The tail of the console shown on failure: the interesting part, not the whole boot. */
    static final int CONSOLE_TAIL_CHARS = 12_000;

    private final Process process;
    private final Path console;
    private final Path qemuLog;
    private final List<String> command;

    private QemuGuest(Process process, Path console, Path qemuLog, List<String> command) {
        this.process = process;
        this.console = console;
        this.qemuLog = qemuLog;
        this.command = command;
    }

    /**
     * Starts {@code qemu} with the kernel, the initramfs, the console in {@code workDir} and the
     * given extra device arguments, with {@link #MEMORY_MIB}, {@link #CPUS} and
     * {@link #KERNEL_CMDLINE}.
     */
    public static QemuGuest start(Path qemu, Path kernel, Path initramfs, Path workDir, List<String> deviceArguments)
            throws IOException {
        return start(qemu, kernel, initramfs, workDir, MEMORY_MIB, CPUS, KERNEL_CMDLINE, deviceArguments);
    }

    /**
     * Starts {@code qemu} (q35 under TCG, no default devices, no display, no reboot) with the
     * kernel (a bzImage, or an ELF vmlinux with a PVH entry), the initramfs, {@code memoryMib}
     * of memory, {@code cpus} vCPUs, the kernel command line {@code cmdline}, the serial console
     * in {@code workDir/console.log}, QEMU's own output in {@code workDir/qemu.log}, and the
     * given extra device arguments.
     */
    public static QemuGuest start(
            Path qemu,
            Path kernel,
            Path initramfs,
            Path workDir,
            int memoryMib,
            int cpus,
            String cmdline,
            List<String> deviceArguments)
            throws IOException {
        Path console = workDir.resolve("console.log");
        Path qemuLog = workDir.resolve("qemu.log");
        if (console.toString().contains(",")) {
            throw new IllegalArgumentException("work folder must not contain commas: " + workDir);
        }
        List<String> command = new ArrayList<>(List.of(
                qemu.toString(),
                "-machine",
                "q35,accel=tcg",
                "-m",
                Integer.toString(memoryMib),
                "-smp",
                Integer.toString(cpus),
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none",
                "-no-reboot",
                "-serial",
                "file:" + console,
                "-kernel",
                kernel.toString(),
                "-initrd",
                initramfs.toString(),
                "-append",
                cmdline));
        command.addAll(deviceArguments);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(qemuLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        return new QemuGuest(process, console, qemuLog, List.copyOf(command));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for QEMU to exit by itself (the guest powered off); false at the deadline. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int exitCode() {
        return process.exitValue();
    }

    /** The command line, QEMU's own output and the console's tail, for a failure message. */
    public String diagnostics() {
        return "\n--- QEMU command ---\n" + String.join(" ", command)
                + "\n--- QEMU output ---\n" + tail(qemuLog)
                + "\n--- guest console (tail) ---\n" + tail(console);
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            return text.length() <= CONSOLE_TAIL_CHARS ? text : text.substring(text.length() - CONSOLE_TAIL_CHARS);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }
}
