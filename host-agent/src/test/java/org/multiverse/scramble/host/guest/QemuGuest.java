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
final class QemuGuest implements AutoCloseable {

  /** Enough for the busybox guest; portals use their own sizes. */
  static final int MEMORY_MIB = 256;

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
   * given extra device arguments.
   */
  static QemuGuest start(Path qemu, Path kernel, Path initramfs, Path workDir,
      List<String> deviceArguments) throws IOException {
    Path console = workDir.resolve("console.log");
    Path qemuLog = workDir.resolve("qemu.log");
    if (console.toString().contains(",")) {
      throw new IllegalArgumentException("work folder must not contain commas: " + workDir);
    }
    List<String> command = new ArrayList<>(List.of(qemu.toString(),
        "-machine", "q35,accel=tcg", "-m", Integer.toString(MEMORY_MIB), "-smp", "1",
        "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
        "-serial", "file:" + console,
        "-kernel", kernel.toString(), "-initrd", initramfs.toString(),
        // panic=-1 with -no-reboot: a kernel panic ends QEMU at once instead of hanging.
        "-append", "console=ttyS0 panic=-1 loglevel=4"));
    command.addAll(deviceArguments);
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(qemuLog.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .start();
    return new QemuGuest(process, console, qemuLog, List.copyOf(command));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for QEMU to exit by itself (the guest powered off); false at the deadline. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  int exitCode() {
    return process.exitValue();
  }

  /** The command line, QEMU's own output and the console's tail, for a failure message. */
  String diagnostics() {
    return "\n--- QEMU command ---\n" + String.join(" ", command)
        + "\n--- QEMU output ---\n" + tail(qemuLog)
        + "\n--- guest console (tail) ---\n" + tail(console);
  }

  private static String tail(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.ISO_8859_1);
      return text.length() <= CONSOLE_TAIL_CHARS ? text
          : text.substring(text.length() - CONSOLE_TAIL_CHARS);
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
