package org.multiverse.scramble.e2e.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real shell, started by the built launcher {@code bin/scramble-shell}, driven in tmux as a
 * person would: completion of verbs and of live portal names, a command, Ctrl-C on a slow one.
 * It runs {@code --demo}, which starts the real agent modules (host, controller, RTOS bridge)
 * in the shell's process with simulated backends; the shell reaches them over the real
 * pipeline. Under {@code CI=true} a missing tmux fails the test; elsewhere it is skipped.
 */
class ShellTmuxTest {

    /** How long the demo may take to come up on a busy two-core machine. */
    static final long START_MILLIS = 60_000;
    /** How long one screen change may take. */
    static final long STEP_MILLIS = 20_000;

    @TempDir
    Path tmp;
    private final String server = "scramble-e2e-" + ProcessHandle.current().pid();

    @AfterEach
    void killServer() throws Exception {
        run(List.of("tmux", "-L", server, "kill-server"));
    }

    @Test
    void completionLiveNamesACommandAndCtrlC() throws Exception {
        requireTmux();
        Path top = Path.of("").toAbsolutePath().getParent();
        Path launcher = top.resolve("bin/scramble-shell");
        assertTrue(Files.isExecutable(launcher), "built launcher " + launcher);
        String cmd = "env HOME=" + tmp + " XDG_CONFIG_HOME=" + tmp.resolve("cfg") + " XDG_STATE_HOME=" + tmp.resolve("st")
                + " " + launcher + " --demo --no-history";
        tmux("new-session", "-d", "-s", "e2e", "-x", "160", "-y", "50", cmd);
        // tmux drops trailing blanks: the prompt line ends in '>'.
        waitFor(s -> s.lines().anyMatch(l -> l.contains(" DEMO ") && l.stripTrailing().endsWith(">")), START_MILLIS,
                "the prompt");

        keys("por", "Tab");
        waitFor(s -> s.contains("> portal"), STEP_MILLIS, "por<Tab> completed to portal");
        keys("C-u");

        keys("portal start ", "Tab", "Tab");
        waitFor(s -> s.contains("demo-firefox") && s.contains("demo-chromium"), STEP_MILLIS,
                "the live portal names listed");
        keys("C-u");

        keys("portal show demo-firefox", "Enter");
        waitFor(s -> s.contains("template:") && s.contains("application/browser/firefox"), STEP_MILLIS,
                "the portal shown");

        keys("rtos stream lab-sensor temp --hz 10 --seconds 60", "Enter");
        Thread.sleep(1500); // let it be in flight: this is the person's pause before Ctrl-C, not a wait for a result
        keys("C-c");
        waitFor(s -> s.contains("cancelled"), STEP_MILLIS, "Ctrl-C cancelled the stream");
        keys("agent ping", "Enter");
        waitFor(s -> s.contains("pong from agent"), STEP_MILLIS, "the shell still works after Ctrl-C");
        keys("exit", "Enter");
    }

    private void requireTmux() throws Exception {
        boolean present = run(List.of("tmux", "-V")) == 0;
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(present, "tmux is required under CI=true (apt-get install -y tmux)");
        }
        Assumptions.assumeTrue(present, "tmux is not installed");
    }

    private void tmux(String... args) throws Exception {
        List<String> c = new ArrayList<>(List.of("tmux", "-L", server));
        c.addAll(List.of(args));
        if (run(c) != 0) {
            fail("tmux " + String.join(" ", args) + " failed");
        }
    }

    private void keys(String... k) throws Exception {
        List<String> c = new ArrayList<>(List.of("send-keys", "-t", "e2e"));
        c.addAll(List.of(k));
        tmux(c.toArray(String[]::new));
    }

    private String screen() throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", server, "capture-pane", "-p", "-t", "e2e").redirectErrorStream(true)
                .start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return s;
    }

    private void waitFor(Predicate<String> what, long millis, String description) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        String s = "";
        while (System.nanoTime() < deadline) {
            s = screen();
            if (what.test(s)) {
                return;
            }
            Thread.sleep(100); // polling tmux's screen: there is no event to wait on
        }
        fail("timed out waiting for " + description + "; screen:\n" + s);
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
