package org.multiverse.scramble.e2e.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.host.portal.RealQemu;

/**
 * The real topology, under QEMU TCG: the host agent, started with a folder of declared portals,
 * boots the User Controller itself ({@code autostart}) and serves its virtio-serial port
 * {@code org.multiverse.host.0} (no socket path given by hand); inside that VM the real
 * {@code bin/scramble-shell} talks to it through {@code /dev/virtio-ports/org.multiverse.host.0}
 * and nothing else. The guest is the host's own kernel with the host's root read-only over the
 * portal's 9p share ({@link HostRootGuest}); the test drives it through a second port
 * ({@link GuestCommandPort}).
 *
 * <p>Then, with a shell still running inside the VM: the agent is stopped (a one-shot shell
 * exits 4, "cannot reach", within its timeout instead of hanging on the port, whose writes block
 * while nobody serves the host side), started again (it adopts the running VM and serves its
 * port again), and the running shell's next command is answered over the reopened link.
 */
class UserControllerVmTest {

    /** The whole scenario: a boot, five JVM starts under TCG, an agent restart. */
    private static final Duration DEADLINE = Duration.ofMinutes(8);
    /** One shell command in the guest: a JVM start under TCG takes 2 to 20 s on a loaded machine. */
    private static final Duration COMMAND = Duration.ofMinutes(3);
    /** The agent-down one-shot's own --timeout, and the most it may take beyond it to give up. */
    private static final int DOWN_TIMEOUT_SECONDS = 5;

    private static final Duration DOWN_BOUND = Duration.ofSeconds(60);
    /**
     * Agent restarts under a running shell: no pause, and a short one (the kept link). A pause
     * past the heartbeat limit (9 s: the client declares the link dead and reopens the port while
     * the host side is absent) lost the next command in 1 of 7 runs; that path is open work.
     */
    private static final long[] RESTART_DOWN_MILLIS = {0, 2_000};

    private static final String UC = "e2e-uc";
    private static final String RC = "e2e-rc";
    /** The Router Controller's agent port, relayed by the host agent as route "router". */
    private static final String CONTROLLER_PORT = "org.multiverse.controller.0";
    /** The Router Controller runs only the controller agent (simulated routers): less than the UC. */
    private static final int RC_MEMORY_MIB = 1024;

    private static final String IDLE = "e2e-idle";

    private Path tmp;
    private final List<Process> agents = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : agents) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (tmp != null) {
            RealQemu.killAllUnder(tmp);
            List<Path> left = HostRootMount.unmountAllUnder(tmp);
            // Never delete through a bind of the host's root: only when nothing is mounted below.
            if (HostRootMount.mountPoints().stream().noneMatch(m -> m.startsWith(tmp))) {
                deleteTree(tmp);
            }
            assertEquals(List.of(), left, "host root mounts left behind");
        }
    }

    @Test
    void theShellInsideTheUserControllerReachesTheHostAgentThroughItsPortOnly() throws Exception {
        HostRootGuest guest = HostRootGuest.prepare();
        HostRootGuest.requireShellPackaged();
        Instant deadline = Instant.now().plus(DEADLINE);
        // Not JUnit's @TempDir under the build folder: QEMU's socket paths must stay under 108 bytes.
        tmp = Files.createTempDirectory("mvuc").toRealPath();
        Path repo = guest.repository();
        Path state = tmp.resolve("state");
        Path images = tmp.resolve("images");
        Path declared = Files.createDirectories(tmp.resolve("portals"));
        Path config = Files.createDirectories(tmp.resolve("cfg"));
        guest.writeImages(images, "vmlinux", "initramfs.img");
        // The User Controller: the host agent serves its commands on the VM's host port.
        Files.writeString(
                declared.resolve(UC + ".toml"),
                controller(
                        UC,
                        HostRootGuest.CPUS,
                        HostRootGuest.MEMORY_MIB,
                        guest,
                        HostRootGuest.HOST_PORT,
                        "serve = [\"" + HostRootGuest.HOST_PORT + "\"]\nautostart_order = 20"));
        // The Router Controller: the controller agent inside serves its own virtio port, and the host
        // agent relays route "router" through it. Started first.
        Files.writeString(
                declared.resolve(RC + ".toml"),
                controller(
                        RC,
                        1,
                        RC_MEMORY_MIB,
                        guest,
                        CONTROLLER_PORT,
                        "routes = [\"router=" + CONTROLLER_PORT + "\"]\nautostart_order = 10"));
        // A second portal for the shell inside to start: diskless, firmware only, cheap.
        Files.writeString(declared.resolve(IDLE + ".toml"), """
        name = "%s"
        type = "service"
        cpus = 1
        memory_mib = 64
        network = "none"
        share = false
        """.formatted(IDLE));

        // The person's identity and a session handed to the guest (no passphrase inside).
        Path pass = tmp.resolve("pass");
        Files.writeString(pass, "the user controller test passphrase\n");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
        Path keyFile = config.resolve("scramble/identity.key");
        Path session = tmp.resolve("session");
        Map<String, String> shellEnv = Map.of(
                "XDG_CONFIG_HOME",
                config.toString(),
                "HOME",
                tmp.toString(),
                "SCRAMBLE_JAVA_OPTS",
                "-Dscramble.shell.testing.argon2=m=64,t=1");
        once(shellEnv, repo.resolve("bin/scramble-shell"), "--passphrase-file", pass.toString(), "id", "init");
        String root = once(shellEnv, repo.resolve("bin/scramble-shell"), "id", "export")
                .strip();
        once(
                shellEnv,
                repo.resolve("bin/scramble-shell"),
                "--passphrase-file",
                pass.toString(),
                "id",
                "session-export",
                session.toString());
        String agentId =
                lastLine(once(Map.of(), repo.resolve("bin/host-agent"), "init", "--state-dir", state.toString()));
        once(Map.of(), repo.resolve("bin/host-agent"), "authorize", "--state-dir", state.toString(), root);

        List<String> run = List.of(
                repo.resolve("bin/host-agent").toString(),
                "run",
                "--state-dir",
                state.toString(),
                "--listen",
                "unix:" + tmp.resolve("host.sock"),
                "--policy",
                repo.resolve("protocol/agent.policy.sample").toString(),
                "--portals",
                declared.toString(),
                "--images",
                images.toString(),
                "--hypervisor",
                "qemu",
                "--accel",
                "tcg");
        Path log1 = tmp.resolve("agent-1.log");
        Process agent = startAgent(run, log1);
        awaitLog(
                agent,
                log1,
                "serving agent commands on portal " + UC + " channel " + HostRootGuest.HOST_PORT,
                deadline);

        awaitLog(agent, log1, "route router goes through portal " + RC + " channel " + CONTROLLER_PORT, deadline);

        Path portalDir = state.resolve("portals").resolve(UC);
        Path routerDir = state.resolve("portals").resolve(RC);
        try (HostRootMount hostRoot = HostRootGuest.mountHostRoot(portalDir.resolve("share"));
                HostRootMount routerRoot = HostRootGuest.mountHostRoot(routerDir.resolve("share"));
                GuestCommandPort port = GuestCommandPort.connect(
                        portalDir.resolve(HostRootGuest.TEST_PORT + ".sock"), deadline, agent::isAlive);
                GuestCommandPort router = GuestCommandPort.connect(
                        routerDir.resolve(HostRootGuest.TEST_PORT + ".sock"), deadline, agent::isAlive)) {
            try {
                String release = port.hello(deadline);
                router.hello(deadline);
                System.out.println("user and router controller VMs up (kernel " + release + "); " + guest.report());
                // Inside the Router Controller: the controller agent, serving its virtio port.
                String ctl = repo.resolve("bin/controller-agent").toString();
                router.run(
                        "agent",
                        ctl + " init --state-dir /tmp/rc && " + ctl + " authorize --state-dir /tmp/rc " + root
                                + " && exec " + ctl + " run --state-dir /tmp/rc --listen virtio:/dev/virtio-ports/"
                                + CONTROLLER_PORT
                                + " --policy " + repo.resolve("protocol/agent.policy.sample") + " --backend sim");
                String routerId = awaitLines(
                                router, "agent", "scr1", 1, Instant.now().plus(COMMAND))
                        .strip();
                awaitLines(
                        router,
                        "agent",
                        "serving as " + routerId,
                        1,
                        Instant.now().plus(COMMAND));
                // No --agent: inside the User Controller the shell finds its port by itself.
                String shell = repo.resolve("bin/scramble-shell") + " --keyfile " + keyFile + " --session " + session
                        + " --trust " + agentId + " --trust " + routerId;

                // router list crosses the UC's port, the host agent's relay and the RC's port.
                port.run(
                        "first",
                        shell + " -c 'agent ping; portal list; portal start " + IDLE + "; portal show " + IDLE
                                + "; router list'");
                GuestCommandPort.Exit first =
                        port.awaitExit("first", Instant.now().plus(COMMAND));
                assertEquals(0, first.code(), "the shell inside the VM: " + first.output());
                String out = String.join("\n", first.output());
                assertTrue(out.contains("pong from agent"), out);
                assertTrue(out.contains(UC) && out.contains(IDLE), out);
                assertTrue(out.contains("universe") && out.contains("galaxy") && out.contains("star"), out);
                System.out.println(
                        "inside the VM: ping, list, start, show, router list in " + first.elapsedMillis() + " ms");

                // A shell that stays: interactive, on a pseudo-terminal, across the agent's restart.
                port.run("live", "script -qfec '" + shell + " --no-history' /dev/null");
                port.send("live", "agent ping");
                awaitLines(port, "live", "pong from agent", 1, Instant.now().plus(COMMAND));

                // The port opens once: a second shell in the VM is told so, plainly, and exits 4.
                port.run("second", shell + " -c 'agent ping'");
                GuestCommandPort.Exit second =
                        port.awaitExit("second", Instant.now().plus(COMMAND));
                assertEquals(4, second.code(), "a second shell while the first holds the port: " + second.output());
                assertTrue(
                        String.join("\n", second.output()).contains("in use by another program"),
                        second.output().toString());

                // The agent goes away (the VM and the shell inside stay), and comes back: it adopts the
                // running VM, serves its port again, and the running shell's next command is answered.
                // Down for no time and for a moment: the shell keeps its link and its port.
                int pongs = 1;
                for (long downMillis : RESTART_DOWN_MILLIS) {
                    agent.destroy(); // SIGTERM: drain and exit
                    assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent did not stop on SIGTERM");
                    Thread.sleep(downMillis); // how long the port has no host side
                    Path log = tmp.resolve("agent-" + (pongs + 1) + ".log");
                    agent = startAgent(run, log);
                    awaitLog(
                            agent,
                            log,
                            "serving agent commands on portal " + UC + " channel " + HostRootGuest.HOST_PORT,
                            deadline);
                    port.send("live", "agent ping");
                    pongs++;
                    try {
                        awaitLines(
                                port,
                                "live",
                                "pong from agent",
                                pongs,
                                Instant.now().plus(COMMAND));
                    } catch (AssertionError e) {
                        throw new AssertionError(
                                "after a restart with the agent down " + downMillis + " ms: " + e.getMessage()
                                        + "\n--- the guest's java processes ---\n" + guestJavaState(port),
                                e);
                    }
                    System.out.println(
                            "agent down " + downMillis + " ms, restarted: the running shell's next ping answered");
                }
                port.send("live", "exit");
                port.closeInput("live");
                GuestCommandPort.Exit live =
                        port.awaitExit("live", Instant.now().plus(COMMAND));
                assertEquals(0, live.code(), "the interactive shell: " + live.output());

                // With the agent down, a one-shot gives up within its timeout (exit 4) instead of hanging
                // on the port, whose writes block while nothing serves the host side.
                agent.destroy();
                assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent did not stop on SIGTERM");
                port.run("down", shell + " --timeout " + DOWN_TIMEOUT_SECONDS + " -c 'agent ping'");
                GuestCommandPort.Exit down =
                        port.awaitExit("down", Instant.now().plus(COMMAND));
                assertEquals(4, down.code(), "with the agent down: " + down.output());
                assertTrue(
                        down.elapsedMillis() < DOWN_BOUND.toMillis(),
                        "gave up only after " + down.elapsedMillis() + " ms: " + down.output());
                System.out.println("agent down: the shell exited 4 after " + down.elapsedMillis() + " ms: "
                        + String.join(" | ", down.output()));

                String audit = once(
                        Map.of(),
                        repo.resolve("bin/host-agent"),
                        "audit",
                        "tail",
                        "--state-dir",
                        state.toString(),
                        "-n",
                        "200");
                assertTrue(audit.contains("portal.start"), audit);
                port.powerOff();
                router.powerOff();
            } catch (AssertionError | IOException | RuntimeException e) {
                throw new AssertionError(
                        e.getMessage() + diagnostics(portalDir, port) + "\n--- router controller ---"
                                + diagnostics(routerDir, router) + "\n--- controller agent in the RC: "
                                + router.output("agent"),
                        e);
            }
        }
    }

    /**
     * A controller portal booting the host-root guest, with its agent port, the test's command
     * port, and {@code agentLines} (its serve or routes declaration and its autostart order).
     */
    private static String controller(
            String name, int cpus, int memoryMib, HostRootGuest guest, String agentPort, String agentLines) {
        return """
        name        = "%s"
        type        = "controller"
        cpus        = %d
        memory_mib  = %d
        kernel      = "vmlinux"
        initrd      = "initramfs.img"
        cmdline     = "%s"
        network     = "none"
        channels    = ["%s", "%s"]
        autostart   = true
        %s
        """.formatted(
                name, cpus, memoryMib, guest.kernelCommandLine(), agentPort, HostRootGuest.TEST_PORT, agentLines);
    }

    /** Waits until {@code id} has printed {@code count} lines containing {@code text}; returns the last. */
    private static String awaitLines(GuestCommandPort port, String id, String text, int count, Instant deadline)
            throws InterruptedException {
        while (true) {
            List<String> matching =
                    port.output(id).stream().filter(l -> l.contains(text)).toList();
            if (matching.size() >= count) {
                return matching.get(count - 1);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        "no " + count + " lines with '" + text + "' from " + id + ": " + port.output(id));
            }
            Thread.sleep(50); // the port's reader fills the output; polling a snapshot is simplest
        }
    }

    /** Which java processes hold the guest's ports, and their threads: why a shell did not get through. */
    private static String guestJavaState(GuestCommandPort port) {
        try {
            port.run(
                    "diag",
                    "for p in $(pgrep java); do echo \"== $p: $(tr '\\0' ' ' < /proc/$p/cmdline | cut -c1-120)\";"
                            + " ls -l /proc/$p/fd | grep -e vport -e virtio; jcmd $p Thread.print 2>&1 | grep -A12 -e virtio -e agent-client;"
                            + " done");
            return String.join(
                    "\n", port.awaitExit("diag", Instant.now().plus(COMMAND)).output());
        } catch (Exception e) {
            return "(no diagnostics: " + e + ")";
        }
    }

    private Process startAgent(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        agents.add(p);
        return p;
    }

    /** Runs a one-shot program on the host to its end; fails unless it exits 0. Returns its stdout. */
    private String once(Map<String, String> env, Path program, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(program.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + Files.readString(out)
                    + Files.readString(err));
        }
        return Files.readString(out);
    }

    private static void awaitLog(Process p, Path log, String text, Instant deadline) throws Exception {
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            if (!p.isAlive()) {
                throw new AssertionError(
                        "the agent exited " + p.exitValue() + " before \"" + text + "\":\n" + Files.readString(log));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no \"" + text + "\" in the agent's log:\n" + Files.readString(log));
            }
            Thread.sleep(50); // a log file gives no other signal
        }
    }

    private String diagnostics(Path portalDir, GuestCommandPort port) {
        StringBuilder b = new StringBuilder("\n--- guest protocol errors: ").append(port.errors());
        for (String f : List.of("status.out", "qemu.log")) {
            b.append("\n--- ").append(f).append(" (tail) ---\n").append(tail(portalDir.resolve(f), 60));
        }
        for (String f : List.of("agent-1.log", "agent-2.log", "agent-3.log", "agent-4.log")) {
            b.append("\n--- ").append(f).append(" (tail) ---\n").append(tail(tmp.resolve(f), 60));
        }
        return b.toString();
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(none: " + e.getMessage() + ")";
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
