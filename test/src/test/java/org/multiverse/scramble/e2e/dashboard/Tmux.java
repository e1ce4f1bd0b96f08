package org.multiverse.scramble.e2e.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.multiverse.scramble.protocol.testkit.Prerequisite;

/**
 * A private tmux server (its own socket name, so a person's tmux is never touched) with one
 * session running {@code bash}: keys are typed into it and the pane is read back as text.
 */
final class Tmux implements AutoCloseable {

    /** One tmux command answers in milliseconds; this only stops a hung server from hanging the test. */
    static final long COMMAND_SECONDS = 10;

    private final String socket;
    private final Map<String, String> env;

    private Tmux(String socket, Map<String, String> env) {
        this.socket = socket;
        this.env = env;
    }

    /**
     * Requires tmux, by the project's rule ({@link Prerequisite}): under {@code CI=true} its absence
     * fails the test (a CI machine must have it); on a laptop the test is skipped with the reason.
     */
    static void require() {
        boolean present;
        try {
            Process p =
                    new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            present = p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        Prerequisite.require(present, "tmux is required (apt-get install -y tmux)");
    }

    /** Starts the server and a {@code columns}×{@code rows} session running bash in {@code dir}. */
    static Tmux start(String socket, Path dir, int columns, int rows, Map<String, String> env) throws Exception {
        Tmux t = new Tmux(socket, env);
        t.run(
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "main",
                "-x",
                Integer.toString(columns),
                "-y",
                Integer.toString(rows),
                "-c",
                dir.toString(),
                "bash --norc --noprofile");
        return t;
    }

    /** Types {@code text} literally, then Enter. */
    void line(String text) throws Exception {
        run("send-keys", "-t", "main", "-l", text);
        run("send-keys", "-t", "main", "Enter");
    }

    /** Presses one key ({@code q}, {@code Down}, {@code C-c}...). */
    void key(String key) throws Exception {
        run("send-keys", "-t", "main", key);
    }

    /** The pane's visible text. */
    String capture() throws Exception {
        return run("capture-pane", "-p", "-t", "main");
    }

    /** A tmux format of the pane, e.g. {@code #{alternate_on}}. */
    String display(String format) throws Exception {
        return run("display-message", "-p", "-t", "main", format).strip();
    }

    private String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().remove("TMUX");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tmux " + String.join(" ", args) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + text);
        }
        return text;
    }

    /** Ends this test's own tmux server (and with it the bash and anything still running in it). */
    @Override
    public void close() throws Exception {
        try {
            run("kill-server");
        } catch (AssertionError e) {
            // Already gone.
        }
    }
}
