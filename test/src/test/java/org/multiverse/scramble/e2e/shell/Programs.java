package org.multiverse.scramble.e2e.shell;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The product's programs as real processes, started through small launchers written into a
 * work directory that run their main classes on this build's class path (the same main classes
 * as {@code bin/scramble-shell}, {@code bin/host-agent}...), so the test sees the code under test
 * rather than whatever was last packaged. One-shot commands run to their end; long-running ones
 * are kept and ended by their own handle on {@link #close()}.
 */
final class Programs implements AutoCloseable {

    /** A JVM starts in a few seconds; several at once on a loaded two-core machine need more. */
    static final long START_SECONDS = 60;
    /** SIGKILL ends a process at once; this only stops a wedged kernel from hanging the test. */
    static final long STOP_SECONDS = 10;

    static final String SHELL = "org.multiverse.scramble.shell.ScrambleShell";
    static final String HOST_AGENT = "org.multiverse.scramble.host.HostAgentMain";
    static final String CONTROLLER_AGENT = "org.multiverse.scramble.controller.ControllerAgentMain";
    static final String RTOS_BRIDGE = "org.multiverse.scramble.rtos.RtosBridgeMain";

    /** The output of a one-shot command. */
    record Result(int exit, String out, String err) {}

    /** A one-shot command started but not yet waited for, so several can run at once. */
    final class Pending {
        private final String what;
        private final Process process;
        private final Path out;
        private final Path err;

        private Pending(String what, Process process, Path out, Path err) {
            this.what = what;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** Waits for the end; fails the test when it exits non-zero or hangs. */
        Result ok() throws Exception {
            if (!process.waitFor(START_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(what + " did not finish");
            }
            Result r = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            if (r.exit() != 0) {
                throw new AssertionError(what + " exited " + r.exit() + ":\n" + r.out() + r.err());
            }
            return r;
        }
    }

    private final Path dir;
    private final Map<String, String> env;
    private final List<Process> running = new ArrayList<>();

    /**
     * @param dir the work directory (launchers, output files, logs)
     * @param env variables added to every program's environment (XDG directories)
     */
    Programs(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = Map.copyOf(env);
    }

    /** Writes a launcher for {@code main}, with cheap Argon2 for the shell's key file, and returns it. */
    Path launcher(String main) throws IOException {
        Path script = dir.resolve(main.substring(main.lastIndexOf('.') + 1) + ".sh");
        if (Files.exists(script)) {
            return script;
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // Serial GC and C1 only: a short-lived test JVM on two shared cores starts faster so.
        Files.writeString(
                script,
                "#!/bin/sh\nexec '" + java + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                        + " -Dscramble.shell.testing.argon2=m=64,t=1 -cp '" + System.getProperty("java.class.path")
                        + "' "
                        + main + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** Starts a one-shot command; {@link Pending#ok()} waits for it. */
    Pending start(String main, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command(main, args))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        String what = main.substring(main.lastIndexOf('.') + 1) + " " + String.join(" ", args);
        return new Pending(what, pb.start(), out, err);
    }

    /** Starts a long-running program with its output in {@code log}; {@link #awaitLog} waits for it. */
    Process serve(Path log, String main, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command(main, args))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        running.add(p);
        return p;
    }

    /** Waits until {@code log} contains {@code text}; fails if {@code p} exits first or the deadline passes. */
    static void awaitLog(Process p, Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            if (!p.isAlive()) {
                throw new AssertionError(
                        "exited " + p.exitValue() + " before \"" + text + "\":\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + text + "\" in time:\n" + Files.readString(log));
            }
            Thread.sleep(20); // polling a log file: the process gives no other signal
        }
    }

    private List<String> command(String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(launcher(main).toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * SIGKILL to every long-running program this started: a graceful stop would drain in-flight
     * commands (a cancelled stream the agent still serves) for up to 30 s, and its work directory
     * is thrown away anyway.
     */
    @Override
    public void close() throws InterruptedException {
        for (Process p : running) {
            p.destroyForcibly();
        }
        for (Process p : running) {
            p.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
        }
    }
}
