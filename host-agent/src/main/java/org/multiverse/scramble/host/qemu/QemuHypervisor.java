package org.multiverse.scramble.host.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.multiverse.scramble.host.hypervisor.Hypervisor;
import org.multiverse.scramble.host.hypervisor.HypervisorException;
import org.multiverse.scramble.host.hypervisor.VmEvent;
import org.multiverse.scramble.host.hypervisor.VmHandle;
import org.multiverse.scramble.host.hypervisor.VmSpec;

/**
 * The real backend: starts {@code qemu-system-x86_64} itself (no libvirt), drives it over
 * QMP, and finds it again after an agent restart.
 *
 * <p>QEMU must outlive the agent: it runs in its own session ({@code setsid}), so no
 * terminal hang-up reaches it, and its standard streams go to {@code /dev/null} and a
 * log file, never to pipes that would break (SIGPIPE) when the agent dies.
 *
 * <p>Adoption trusts nothing but the kernel: the pid file names a process, and it is
 * ours only if {@code /proc/PID/cmdline} equals, byte for byte, the argument list we
 * recorded ({@code qemu.args}) when we launched it.
 */
public final class QemuHypervisor implements Hypervisor {

    /** File in the run directory holding the launched argument list, NUL-separated like /proc's. */
    public static final String ARGS_FILE = "qemu.args";
    /** File in the run directory receiving QEMU's own stdout and stderr. */
    public static final String LOG_FILE = "qemu.log";
    /** sun_path holds 108 bytes including the terminating NUL. */
    static final int MAX_UNIX_SOCKET_PATH_BYTES = 107;
    /** Between looks for the QMP socket during start-up: QEMU creates it within milliseconds. */
    private static final long STARTUP_POLL_MILLIS = 1;
    /** How long a QEMU whose QMP greeting broke off gets to exit, so its own error can be quoted. */
    private static final long EXIT_GRACE_MILLIS = 2_000;
    /** Lines of qemu.log quoted when a start fails. */
    private static final int FAILURE_LOG_LINES = 5;
    /** util-linux setsid: execs the program in a new session without forking (we are no group leader). */
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    /** A pid file holds a decimal pid and a newline; anything longer is not one. */
    private static final int MAX_PIDFILE_BYTES = 32;

    private final QemuSettings settings;
    private final Accelerator accelerator;
    private final QemuCapabilities capabilities;
    private final ScheduledExecutorService exitPoller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "qemu-exit-poller");
        t.setDaemon(true);
        return t;
    });

    private QemuHypervisor(QemuSettings settings, Accelerator accelerator, QemuCapabilities capabilities) {
        this.settings = settings;
        this.accelerator = accelerator;
        this.capabilities = capabilities;
    }

    /**
     * Probes the QEMU binary once (version, seccomp) and resolves the accelerator.
     *
     * @throws HypervisorException (PRECONDITION) when QEMU or qemu-img is not installed
     */
    public static QemuHypervisor create(QemuSettings settings) throws HypervisorException {
        if (!Files.isExecutable(settings.qemuImg())) {
            throw new HypervisorException(
                    HypervisorException.Reason.PRECONDITION,
                    settings.qemuImg() + " is not installed (apt-get install qemu-utils)");
        }
        try {
            return new QemuHypervisor(
                    settings, settings.accelerator().resolve(), QemuCapabilities.of(settings.qemuBinary()));
        } catch (IOException e) {
            throw new HypervisorException(
                    HypervisorException.Reason.PRECONDITION, e.getMessage() + " (apt-get install qemu-system-x86)", e);
        }
    }

    /** The accelerator portals run with. */
    public Accelerator accelerator() {
        return accelerator;
    }

    /** Whether portals run under {@code -sandbox on}. */
    public boolean sandboxed() {
        return capabilities.sandbox();
    }

    @Override
    public String describe() {
        return capabilities.version() + ", accel=" + accelerator.qemuName()
                + (capabilities.sandbox() ? ", sandbox on" : ", no seccomp sandbox in this build");
    }

    /** The argument list this backend would run for a spec. */
    public List<String> commandLine(VmSpec spec) {
        return QemuCommandLine.build(spec, settings.qemuBinary(), accelerator, capabilities.sandbox());
    }

    @Override
    public VmHandle launch(VmSpec spec, Consumer<VmEvent> events) throws HypervisorException {
        checkHost(spec);
        Optional<Long> running = ourLiveProcess(spec);
        if (running.isPresent()) {
            throw new HypervisorException(
                    HypervisorException.Reason.FAILED,
                    "QEMU for " + spec.name() + " already runs as pid " + running.get());
        }
        List<String> args = commandLine(spec);
        Path log = spec.runDir().resolve(LOG_FILE);
        Process child;
        try {
            Files.deleteIfExists(spec.qmpSocket());
            Files.deleteIfExists(spec.pidFile());
            for (Path socket : spec.channels().values()) {
                Files.deleteIfExists(socket);
            }
            // Atomic but not fsync'd: the record only matters while this QEMU lives, and a host
            // crash that could lose the page cache kills QEMU too. Saves ~10 ms per start.
            Path argsFile = spec.runDir().resolve(ARGS_FILE);
            Path argsTmp = spec.runDir().resolve("." + ARGS_FILE + ".tmp");
            Files.write(argsTmp, nulJoined(args));
            Files.move(
                    argsTmp,
                    argsFile,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(SETSID)) {
                command.add(SETSID.toString());
            }
            command.addAll(args);
            child = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new HypervisorException(
                    HypervisorException.Reason.FAILED,
                    "cannot start QEMU for " + spec.name() + ": " + e.getMessage(),
                    e);
        }
        QemuVm vm = QemuVm.started(spec.name(), child, settings.qmpTimeout(), events);
        try {
            vm.attachQmp(connectDuringStartup(spec, child, vm, log));
        } catch (HypervisorException e) {
            child.destroyForcibly();
            throw e;
        }
        vm.watchExit(exitPoller);
        return vm;
    }

    private QmpClient connectDuringStartup(VmSpec spec, Process child, QemuVm vm, Path log) throws HypervisorException {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        try {
            while (true) {
                if (!child.isAlive()) {
                    throw new HypervisorException(
                            HypervisorException.Reason.FAILED,
                            "QEMU for " + spec.name() + " exited during start-up ("
                                    + QemuVm.describeExit(child.exitValue()) + "): " + tail(log));
                }
                if (Files.exists(spec.qmpSocket())) {
                    try {
                        return QmpClient.connect(spec.qmpSocket(), settings.qmpTimeout(), vm::onQmpEvent, () -> {});
                    } catch (IOException notListeningYet) {
                        // The socket file appears just before QEMU listens on it.
                    } catch (QmpException e) {
                        // Usually QEMU itself gave up right after opening the socket (a bridge its
                        // helper may not use, a missing file): its own words say why, QMP's do not.
                        if (child.waitFor(EXIT_GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                            throw new HypervisorException(
                                    HypervisorException.Reason.FAILED,
                                    "QEMU for " + spec.name() + " exited during start-up ("
                                            + QemuVm.describeExit(child.exitValue()) + "): " + tail(log));
                        }
                        throw new HypervisorException(
                                HypervisorException.Reason.UNAVAILABLE,
                                "QEMU for " + spec.name() + " does not speak QMP: " + e.getMessage() + "; QEMU said: "
                                        + tail(log));
                    }
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new HypervisorException(
                            HypervisorException.Reason.UNAVAILABLE,
                            "QEMU for " + spec.name() + " did not open QMP within "
                                    + settings.startTimeout().toSeconds() + " s: " + tail(log));
                }
                Thread.sleep(STARTUP_POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(HypervisorException.Reason.UNAVAILABLE, "interrupted while starting QEMU");
        }
    }

    @Override
    public Optional<VmHandle> adopt(VmSpec spec, Consumer<VmEvent> events) throws HypervisorException {
        Optional<Long> pid = ourLiveProcess(spec);
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        OptionalLong start = ProcFiles.startTimeIfRunning(pid.get());
        if (start.isEmpty()) {
            return Optional.empty();
        }
        QemuVm vm = QemuVm.adopted(spec.name(), pid.get(), start.getAsLong(), settings.qmpTimeout(), events);
        try {
            vm.attachQmp(QmpClient.connect(spec.qmpSocket(), settings.qmpTimeout(), vm::onQmpEvent, () -> {}));
        } catch (IOException | QmpException e) {
            throw new HypervisorException(
                    HypervisorException.Reason.UNAVAILABLE,
                    "QEMU for " + spec.name() + " runs as pid " + pid.get() + " but its QMP socket does not answer: "
                            + e.getMessage());
        }
        vm.watchExit(exitPoller);
        return Optional.of(vm);
    }

    /**
     * The pid of the QEMU we launched for this spec if it still runs: the pid file's
     * process must carry exactly the recorded argument list.
     */
    private static Optional<Long> ourLiveProcess(VmSpec spec) {
        try {
            Path args = spec.runDir().resolve(ARGS_FILE);
            if (!Files.isRegularFile(spec.pidFile())
                    || !Files.isRegularFile(args)
                    || Files.size(spec.pidFile()) > MAX_PIDFILE_BYTES) {
                return Optional.empty();
            }
            String text =
                    Files.readString(spec.pidFile(), StandardCharsets.US_ASCII).strip();
            if (!text.matches("[1-9][0-9]{0,9}")) {
                return Optional.empty();
            }
            long pid = Long.parseLong(text);
            byte[] expected = Files.readAllBytes(args);
            Optional<byte[]> actual = ProcFiles.cmdline(pid);
            if (actual.isPresent()
                    && Arrays.equals(actual.get(), expected)
                    && ProcFiles.startTimeIfRunning(pid).isPresent()) {
                return Optional.of(pid);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void createOverlay(Path base, Path overlay) throws HypervisorException {
        if (!Files.isRegularFile(base)) {
            throw new HypervisorException(
                    HypervisorException.Reason.PRECONDITION, "base image " + base + " is missing");
        }
        try {
            QemuImg.createOverlay(settings.qemuImg(), base, overlay);
        } catch (IOException e) {
            throw new HypervisorException(HypervisorException.Reason.FAILED, e.getMessage(), e);
        }
    }

    private static void checkHost(VmSpec spec) throws HypervisorException {
        if (spec.bridge() != null && !Files.isDirectory(Path.of("/sys/class/net", spec.bridge(), "bridge"))) {
            throw new HypervisorException(
                    HypervisorException.Reason.PRECONDITION,
                    "bridge " + spec.bridge() + " does not exist on this host (create it, or use network = \"none\")");
        }
        List<Path> sockets = new ArrayList<>(spec.channels().values());
        sockets.add(spec.qmpSocket());
        for (Path socket : sockets) {
            int length = socket.toString().getBytes(StandardCharsets.UTF_8).length;
            if (length > MAX_UNIX_SOCKET_PATH_BYTES) {
                throw new HypervisorException(
                        HypervisorException.Reason.PRECONDITION,
                        "socket path " + socket + " is " + length + " bytes, more than the "
                                + MAX_UNIX_SOCKET_PATH_BYTES + " a unix socket allows: use a shorter state directory");
            }
        }
    }

    private static byte[] nulJoined(List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            sb.append(a).append('\0');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - FAILURE_LOG_LINES), lines.size()));
        } catch (IOException e) {
            return "(no QEMU log)";
        }
    }
}
