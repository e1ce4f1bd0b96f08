package org.multiverse.scramble.e2e.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/host-agent} as a real process: one-shot commands with their output, and the
 * long-running {@code run} with its log in a file. Processes are ended by their own handle only.
 */
final class AgentProcess implements AutoCloseable {

    /** A JVM with its class-data archive starts in about a second; a loaded CI machine needs more. */
    static final long START_SECONDS = 60;
    /** SIGTERM drains in-flight commands (the core waits up to 30 s) and exits. */
    static final long STOP_SECONDS = 45;

    /** The output of a one-shot command. */
    record Output(int exitCode, String stdout, String stderr) {}

    final Process process;
    final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The repository root: the test module runs in {@code test/}. */
    static Path repoRoot() throws IOException {
        Path root = Path.of("..").toRealPath();
        if (!Files.isExecutable(root.resolve("bin/host-agent"))) {
            throw new IllegalStateException("bin/host-agent not found under " + root);
        }
        return root;
    }

    static List<String> command(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(repoRoot().resolve("bin/host-agent").toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a one-shot command (init, authorize, audit ...) to its end. */
    static Output once(Path work, String... args) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = new ProcessBuilder(command(args))
                .directory(repoRoot().toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(START_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("host-agent " + String.join(" ", args) + " did not finish");
        }
        return new Output(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts {@code run} and waits until it serves (its log says so) or fails. */
    static AgentProcess run(Path work, Path log, String... args) throws Exception {
        List<String> cmd = command("run");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(repoRoot().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        AgentProcess a = new AgentProcess(p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (!a.logText().contains("serving as")) {
            if (!p.isAlive()) {
                throw new AssertionError("host-agent run exited " + p.exitValue() + ":\n" + a.logText());
            }
            if (System.nanoTime() > deadline) {
                a.close();
                throw new AssertionError("host-agent run did not start serving:\n" + a.logText());
            }
            Thread.sleep(20);
        }
        return a;
    }

    String logText() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** kill -9: no drain, no goodbye. */
    void killHard() throws Exception {
        process.destroyForcibly();
        process.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
    }

    /** SIGTERM; returns the exit code. */
    int terminate() throws Exception {
        process.destroy();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("host-agent did not exit after SIGTERM:\n" + logText());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            killHard();
        }
    }
}
