package org.multiverse.scramble.host.share;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one program with an argument list (never a shell string), a clean environment, a
 * deadline, and its output captured to a bounded length for the error message.
 */
final class CommandRunner {

  /** Enough for mount(8)'s one-line complaints; a runaway program cannot fill the heap. */
  static final int MAX_OUTPUT_BYTES = 4096;

  /** What a finished (or killed) program left behind. */
  record Result(int exitCode, String output, boolean timedOut) {
    boolean succeeded() {
      return !timedOut && exitCode == 0;
    }

    /** The first line of the output, for a one-line error message. */
    String firstLine() {
      String text = output.strip();
      int newline = text.indexOf('\n');
      return Display.quote(newline < 0 ? text : text.substring(0, newline));
    }
  }

  private CommandRunner() {}

  /**
   * Runs {@code argv} and waits at most {@code timeout}; a program still running then is
   * killed and reported as timed out.
   */
  static Result run(List<String> argv, Duration timeout) throws IOException {
    Path output = Files.createTempFile("multiverse-cmd", ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder(argv)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      Map<String, String> env = builder.environment();
      env.clear();
      // Fixed locale so messages are stable; fixed PATH so helpers mount(8) runs are the system's.
      env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
      env.put("LC_ALL", "C");
      Process process = builder.start();
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running " + argv.get(0), e);
      }
      if (!finished) {
        process.destroyForcibly();
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(output)) {
        bytes = in.readNBytes(MAX_OUTPUT_BYTES);
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      return new Result(finished ? process.exitValue() : -1, text, !finished);
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
