package org.multiverse.scramble.e2e.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard as a person uses it, in tmux, against a real host agent process (simulated
 * hypervisor: no VMs): start it, start a portal from another shell and see it change within a
 * second (the agent's sealed event), stop it with a key and a confirmation, leave with
 * {@code q} and find the terminal as it was. The pane at its busiest is saved to
 * {@code target/DASHBOARD.txt}.
 *
 * <p>The programs run from this build's class path through small launchers written here
 * (the same main classes as {@code bin/scramble-shell} and {@code bin/host-agent}), so the test
 * sees the code under test rather than whatever was last packaged.
 */
@Timeout(240)
class DashboardTmuxTest {

    /** A JVM with the agent or the shell starts in a few seconds; a loaded CI machine needs more. */
    static final long START_SECONDS = 60;
    /** What the dashboard promises: a change made elsewhere shows within a second. */
    static final long CHANGE_MILLIS = 1000;
    /** A confirmed action goes to the agent and back; the simulated hypervisor answers at once. */
    static final long ACTION_SECONDS = 15;

    static final String SHELL_MAIN = "org.multiverse.scramble.shell.ScrambleShell";
    static final String AGENT_MAIN = "org.multiverse.scramble.host.HostAgentMain";
    /** A template whose portal needs no host bridge (network none), so it starts on any machine. */
    static final String TEMPLATE = "application/filebrowser";

    static final String POLICY = """
            agent.*     @any        allow
            audit.*     @any        allow
            portal.*    @scope:all  allow rate=5/s burst=10
            *           @any        deny
            """;

    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void startElsewhereSeeItStopItHereLeaveClean() throws Exception {
        Tmux.require();
        Path shell = launcher("shell.sh", SHELL_MAIN);
        Path agent = launcher("agent.sh", AGENT_MAIN);
        Map<String, String> env = Map.of(
                "XDG_CONFIG_HOME",
                tmp.resolve("config").toString(),
                "XDG_STATE_HOME",
                tmp.resolve("state").toString());
        Path pass = tmp.resolve("pass");
        Files.writeString(pass, "a passphrase for the dashboard test\n");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));

        assertEquals(0, once(env, shell, "--passphrase-file", pass.toString(), "id", "init").exit);
        String root = once(env, shell, "id", "export").out.strip();
        Path state = tmp.resolve("agent");
        Result init = once(env, agent, "init", "--state-dir", state.toString());
        assertEquals(0, init.exit, init.err);
        String agentId =
                init.out.strip().lines().reduce((a, b) -> b).orElseThrow().strip();
        assertEquals(0, once(env, agent, "authorize", "--state-dir", state.toString(), root).exit);
        Path policy = tmp.resolve("host.policy");
        Files.writeString(policy, POLICY);
        Path socket = tmp.resolve("host.sock");
        Files.createDirectories(tmp.resolve("images"));
        startAgent(
                env,
                agent,
                "run",
                "--state-dir",
                state.toString(),
                "--listen",
                "unix:" + socket,
                "--policy",
                policy.toString(),
                "--hypervisor",
                "sim",
                "--images",
                tmp.resolve("images").toString());

        String[] connect = {"--agent", "host=unix:" + socket, "--trust", agentId, "--passphrase-file", pass.toString()};
        Result define = once(env, shell, concat(connect, "-c", "portal define files --template " + TEMPLATE));
        assertEquals(0, define.exit, define.err);

        try (Tmux tmux = Tmux.start("dash-" + ProcessHandle.current().pid(), tmp, 100, 30, env)) {
            tmux.line("stty sane; " + shell + " " + String.join(" ", connect) + " dashboard");
            waitFor(
                    tmux,
                    START_SECONDS * 1000,
                    s -> row(s, ">files").contains("stopped") && s.contains("host UP"),
                    "the dashboard with the stopped portal");

            Result start = once(env, shell, concat(connect, "-c", "portal start files"));
            assertEquals(0, start.exit, start.err);
            long started = System.nanoTime();
            waitFor(tmux, CHANGE_MILLIS, s -> row(s, ">files").contains("running"), "files running within a second");
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis <= CHANGE_MILLIS, "took " + millis + " ms");

            tmux.key("x");
            waitFor(
                    tmux,
                    ACTION_SECONDS * 1000,
                    s -> s.contains("CONFIRM: stop portal files?  [y/n]"),
                    "the confirmation");
            tmux.key("y");
            // The audit tail is asked again once the stop is answered: it shows the signed stop too.
            String stopped = waitFor(
                    tmux,
                    ACTION_SECONDS * 1000,
                    s -> row(s, ">files").contains("stopped")
                            && s.contains("stop files: done")
                            && s.contains(" portal.stop "),
                    "files stopped, the result, the audit");
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "DASHBOARD.txt"), stopped, StandardCharsets.UTF_8);

            tmux.key("q");
            waitFor(tmux, ACTION_SECONDS * 1000, s -> !s.contains("── Portals ──"), "the dashboard gone");
            assertEquals("0", tmux.display("#{alternate_on}"), "still on the alternate screen");
            assertEquals("1", tmux.display("#{cursor_flag}"), "cursor still hidden");
            // Type only once bash has the terminal again: keys typed while the JVM exits would be its input.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ACTION_SECONDS);
            while (!tmux.display("#{pane_current_command}").equals("bash")) {
                assertTrue(System.nanoTime() < deadline, "the dashboard did not exit: " + tmux.capture());
                Thread.sleep(20);
            }
            tmux.line("stty -a; echo restored-$((6*7))");
            String after =
                    waitFor(tmux, ACTION_SECONDS * 1000, s -> s.contains("restored-42"), "the shell prompt back");
            assertTrue(
                    Pattern.compile("(^|\\s)icanon(\\s|;|$)", Pattern.MULTILINE)
                            .matcher(after)
                            .find(),
                    after);
            assertTrue(
                    Pattern.compile("(^|\\s)echo(\\s|;|$)", Pattern.MULTILINE)
                            .matcher(after)
                            .find(),
                    after);
        }
    }

    /** Writes {@code NAME}: runs {@code main} on this build's class path, with cheap Argon2 for the key file. */
    private Path launcher(String name, String main) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path script = tmp.resolve(name);
        Files.writeString(
                script,
                "#!/bin/sh\nexec '" + java + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                        + " -Dscramble.shell.testing.argon2=m=64,t=1 -cp '" + System.getProperty("java.class.path")
                        + "' "
                        + main + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private record Result(int exit, String out, String err) {}

    private Result once(Map<String, String> env, Path program, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(program.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(START_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private void startAgent(Map<String, String> env, Path program, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(program.toString()));
        cmd.addAll(List.of(args));
        Path log = tmp.resolve("agent.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (!Files.readString(log).contains("serving as")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the host agent did not start:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    /** Polls the pane until {@code shown} holds (returns that capture) or the deadline passes. */
    private static String waitFor(Tmux tmux, long millis, Predicate<String> shown, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        String screen;
        do {
            screen = tmux.capture();
            if (shown.test(screen)) {
                return screen;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not shown within " + millis + " ms: " + what + "\n" + screen);
    }

    /** The pane line that begins with {@code prefix}, or "". */
    private static String row(String screen, String prefix) {
        return screen.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
