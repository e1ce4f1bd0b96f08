package org.multiverse.scramble.e2e.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.testkit.Prerequisite;
import org.multiverse.scramble.rtos.serial.PtyPair;

/**
 * The real shell driven in tmux as a person would, against real agent processes on unix
 * sockets: a host agent (simulated hypervisor) that relays to a controller agent (simulated
 * router backend) over {@code --route router=unix:...}, and an RTOS bridge serving a simulated
 * node over a socat pty pair. Each agent is {@code init}ed, {@code authorize}s the person's
 * Scramble ID (made by {@code scramble-shell id init --passphrase-file}) and runs with the sample
 * policy. The test types {@code por}⇥, {@code portal start }⇥⇥ (live portal names), runs a
 * command, Ctrl-Cs a genuinely slow one (a 60-second RTOS stream: neither simulated backend
 * has a slow portal or router command, since the simulated guest always obeys ACPI) and checks
 * the shell still answers, through the relay too, reading the screen with capture-pane.
 * Under {@code CI=true} a missing tmux or socat fails the test; elsewhere it is skipped.
 */
@Timeout(240)
class ShellTmuxTest {

    /** How long the shell may take to come up on a busy two-core machine. */
    static final long START_MILLIS = 60_000;
    /** How long one screen change may take. */
    static final long STEP_MILLIS = 20_000;
    /** The simulated node's handshake and first time sync once bridge and node both run. */
    static final long NODE_UP_MILLIS = 30_000;
    /** A template whose portal needs no host bridge (network none), so it starts on any machine. */
    static final String TEMPLATE = "application/filebrowser";

    static final String NODE = "lab";

    @TempDir
    Path tmp;

    private final String server = "scramble-e2e-" + ProcessHandle.current().pid();
    private Programs programs;
    private PtyPair pty;

    @AfterEach
    void stopEverything() throws Exception {
        run(List.of("tmux", "-L", server, "kill-server"));
        if (programs != null) {
            programs.close();
        }
        if (pty != null) {
            pty.close();
        }
    }

    @Test
    void completionLiveNamesACommandAndCtrlC() throws Exception {
        requireTool("tmux", run(List.of("tmux", "-V")) == 0);
        requireTool("socat", PtyPair.socatAvailable());
        Path policy = Path.of("").toAbsolutePath().getParent().resolve("protocol/agent.policy.sample");
        assertTrue(Files.isRegularFile(policy), "the sample policy " + policy);
        Map<String, String> env = Map.of(
                "HOME",
                tmp.toString(),
                "XDG_CONFIG_HOME",
                tmp.resolve("cfg").toString(),
                "XDG_STATE_HOME",
                tmp.resolve("st").toString());
        programs = new Programs(tmp, env);
        Path pass = tmp.resolve("pass");
        Files.writeString(pass, "a passphrase for the shell tmux test\n");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));

        // One-shot set-up commands run side by side: each is a JVM start.
        Path hostState = tmp.resolve("host");
        Path routerState = tmp.resolve("router");
        Path rtosState = tmp.resolve("rtos");
        Programs.Pending idInit = programs.start(Programs.SHELL, "--passphrase-file", pass.toString(), "id", "init");
        Programs.Pending hostInit = programs.start(Programs.HOST_AGENT, "init", "--state-dir", hostState.toString());
        Programs.Pending routerInit =
                programs.start(Programs.CONTROLLER_AGENT, "init", "--state-dir", routerState.toString());
        Programs.Pending rtosInit = programs.start(Programs.RTOS_BRIDGE, "init", "--state-dir", rtosState.toString());
        idInit.ok();
        String root = programs.start(Programs.SHELL, "id", "export").ok().out().strip();
        String hostId = lastLine(hostInit.ok().out());
        String routerId = lastLine(routerInit.ok().out());
        String rtosId = lastLine(rtosInit.ok().out());
        List<Programs.Pending> authorize = List.of(
                programs.start(Programs.HOST_AGENT, "authorize", "--state-dir", hostState.toString(), root),
                programs.start(Programs.CONTROLLER_AGENT, "authorize", "--state-dir", routerState.toString(), root),
                programs.start(Programs.RTOS_BRIDGE, "authorize", "--state-dir", rtosState.toString(), root));
        for (Programs.Pending p : authorize) {
            p.ok();
        }

        Path routerSocket = tmp.resolve("router.sock");
        Path hostSocket = tmp.resolve("host.sock");
        Path rtosSocket = tmp.resolve("rtos.sock");
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path nodeConfig = tmp.resolve("node.properties");
        Files.writeString(nodeConfig, "node_id = lab-e2e\nenrolled_roots = " + root + "\nkey_file = node.key\n");
        pty = PtyPair.start(tmp.resolve("bridge-tty"), tmp.resolve("node-tty"));
        Path routerLog = tmp.resolve("router.log");
        Process router = programs.serve(
                routerLog,
                Programs.CONTROLLER_AGENT,
                "run",
                "--state-dir",
                routerState.toString(),
                "--listen",
                "unix:" + routerSocket,
                "--policy",
                policy.toString(),
                "--backend",
                "sim");
        Path nodeLog = tmp.resolve("node.log");
        Process node = programs.serve(
                nodeLog,
                Programs.RTOS_BRIDGE,
                "simulate-node",
                "--serial",
                pty.b().toString(),
                "--config",
                nodeConfig.toString(),
                "--seed",
                "7");
        Path rtosLog = tmp.resolve("rtos.log");
        Process rtos = programs.serve(
                rtosLog,
                Programs.RTOS_BRIDGE,
                "run",
                "--state-dir",
                rtosState.toString(),
                "--listen",
                "unix:" + rtosSocket,
                "--policy",
                policy.toString(),
                "--node",
                NODE + "=" + pty.a());
        Programs.awaitLog(router, routerLog, "serving as " + routerId);
        // The host agent's route is dialled once the router listens.
        Path hostLog = tmp.resolve("host.log");
        Process host = programs.serve(
                hostLog,
                Programs.HOST_AGENT,
                "run",
                "--state-dir",
                hostState.toString(),
                "--listen",
                "unix:" + hostSocket,
                "--policy",
                policy.toString(),
                "--hypervisor",
                "sim",
                "--images",
                images.toString(),
                "--route",
                "router=unix:" + routerSocket);
        Programs.awaitLog(rtos, rtosLog, "serving as " + rtosId);
        Programs.awaitLog(node, nodeLog, "simulated node lab-e2e");
        Programs.awaitLog(host, hostLog, "serving as " + hostId);

        List<String> connect = List.of(
                "--agent",
                "host=unix:" + hostSocket,
                "--agent",
                "rtos=unix:" + rtosSocket,
                "--trust",
                hostId,
                "--trust",
                routerId,
                "--trust",
                rtosId,
                "--passphrase-file",
                pass.toString());
        List<String> define = new ArrayList<>(connect);
        define.addAll(List.of(
                "-c", "portal define files --template " + TEMPLATE + "; portal define notes --template " + TEMPLATE));
        programs.start(Programs.SHELL, define.toArray(String[]::new)).ok();

        StringBuilder cmd = new StringBuilder("env");
        env.forEach((k, v) -> cmd.append(' ').append(k).append('=').append(v));
        cmd.append(' ').append(programs.launcher(Programs.SHELL));
        connect.forEach(a -> cmd.append(' ').append(a));
        cmd.append(" --no-history");
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "160", "-y", "50", cmd.toString());
        // tmux drops trailing blanks: the prompt line ends in '>'.
        waitFor(
                s -> s.contains("Unlocked ")
                        && s.lines()
                                .anyMatch(l -> l.startsWith("scr1")
                                        && l.stripTrailing().endsWith(">")),
                START_MILLIS,
                "the prompt");

        keys("por", "Tab");
        waitFor(s -> s.contains("> portal"), STEP_MILLIS, "por<Tab> completed to portal");
        keys("C-u");

        keys("portal start ", "Tab", "Tab");
        waitFor(s -> s.contains("files") && s.contains("notes"), STEP_MILLIS, "the live portal names listed");
        keys("C-u");

        keys("portal show files", "Enter");
        waitFor(s -> s.contains("template:") && s.contains(TEMPLATE), STEP_MILLIS, "the portal shown");

        // The node comes up on its own (hello, channel pages, time sync): until then the bridge says UNAVAILABLE.
        long nodeDeadline = System.nanoTime() + NODE_UP_MILLIS * 1_000_000;
        keys("clear", "Enter");
        keys("rtos ping " + NODE, "Enter");
        while (!waitFor(s -> s.contains("round trip") || s.contains("error:"), STEP_MILLIS, "an rtos ping answer")
                .contains("round trip")) {
            assertTrue(
                    System.nanoTime() < nodeDeadline,
                    "the simulated node never came up:\n" + Files.readString(rtosLog));
            Thread.sleep(200); // the node's handshake runs on its own; ask again shortly
            keys("clear", "Enter");
            keys("rtos ping " + NODE, "Enter");
        }

        keys("clear", "Enter");
        keys("rtos stream " + NODE + " temp --hz 10 --seconds 60", "Enter");
        Thread.sleep(1500); // let it be in flight: this is the person's pause before Ctrl-C, not a wait for a result
        keys("C-c");
        waitFor(s -> s.contains("cancelled"), STEP_MILLIS, "Ctrl-C cancelled the stream");
        keys("agent ping", "Enter");
        waitFor(s -> s.contains("pong from agent"), STEP_MILLIS, "the shell still works after Ctrl-C");
        keys("clear", "Enter");
        keys("agent ping --on router", "Enter");
        waitFor(s -> s.contains("pong from agent"), STEP_MILLIS, "the router answers through the host's relay");
        keys("exit", "Enter");
    }

    private static String lastLine(String out) {
        return out.strip().lines().reduce((a, b) -> b).orElseThrow().strip();
    }

    private static void requireTool(String tool, boolean present) {
        Prerequisite.require(present, tool + " is required (apt-get install -y " + tool + ")");
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
        Process p = new ProcessBuilder("tmux", "-L", server, "capture-pane", "-p", "-t", "e2e")
                .redirectErrorStream(true)
                .start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return s;
    }

    /** Polls the pane until {@code what} holds (returns that screen) or the deadline passes. */
    private String waitFor(Predicate<String> what, long millis, String description) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        String s = "";
        while (System.nanoTime() < deadline) {
            s = screen();
            if (what.test(s)) {
                return s;
            }
            Thread.sleep(100); // polling tmux's screen: there is no event to wait on
        }
        throw new AssertionError("timed out waiting for " + description + "; screen:\n" + s);
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
