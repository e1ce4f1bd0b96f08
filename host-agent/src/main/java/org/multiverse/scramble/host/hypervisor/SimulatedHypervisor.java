package org.multiverse.scramble.host.hypervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A backend without virtual machines, for unit tests and the demo on machines without
 * QEMU. It keeps QEMU's state machine (running, paused, shut down, exited), writes the
 * same files a real start writes (pid file, console log, overlays) and reports events
 * from its own thread, as the real backend does. One instance plays one host: a second
 * service built on the same instance adopts the VMs the first one left running.
 */
public final class SimulatedHypervisor implements Hypervisor {

    /** Simulated pids start high so they are never mistaken for small real ones in logs. */
    private static final long FIRST_PID = 900_000;
    /** Exit status of a process killed by SIGKILL, as a shell reports it (128 + 9). */
    static final int KILLED_STATUS = 137;

    private final boolean guestObeysAcpi;
    private final Set<String> bridges;
    private final Map<Path, SimulatedVm> vmsByPidFile = new ConcurrentHashMap<>();
    private final AtomicLong nextPid = new AtomicLong(FIRST_PID);
    private final ExecutorService eventThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "simulated-hypervisor-events");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param guestObeysAcpi whether simulated guests power off on ACPI power-button
     *                       presses (a diskless firmware-only guest does not)
     */
    public SimulatedHypervisor(boolean guestObeysAcpi) {
        this(guestObeysAcpi, Set.of());
    }

    /**
     * @param guestObeysAcpi as above
     * @param bridges        the host bridges this simulated host has (the demo's), which a VM may
     *                       be attached to; any other bridge is refused as the real backend does
     */
    public SimulatedHypervisor(boolean guestObeysAcpi, Set<String> bridges) {
        this.guestObeysAcpi = guestObeysAcpi;
        this.bridges = Set.copyOf(bridges);
    }

    @Override
    public String describe() {
        return "simulated hypervisor (no virtual machines run)";
    }

    @Override
    public VmHandle launch(VmSpec spec, Consumer<VmEvent> events) throws HypervisorException {
        if (spec.bridge() != null && !bridges.contains(spec.bridge())) {
            throw new HypervisorException(
                    HypervisorException.Reason.PRECONDITION,
                    "bridge " + spec.bridge() + " does not exist on this (simulated) host");
        }
        SimulatedVm old = vmsByPidFile.get(spec.pidFile());
        if (old != null && old.alive()) {
            throw new HypervisorException(
                    HypervisorException.Reason.FAILED,
                    "a VM for " + spec.name() + " already runs (pid " + old.pid + ")");
        }
        long pid = nextPid.getAndIncrement();
        try {
            Files.writeString(spec.pidFile(), pid + "\n", StandardCharsets.US_ASCII);
            if (spec.consoleLog() != null) {
                Files.writeString(
                        spec.consoleLog(),
                        "\u001b[2J\u001b[HSimulated firmware for " + spec.name() + "\r\n"
                                + (spec.disk() == null ? "No bootable device.\r\n" : "Booting from disk...\r\n"),
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
            }
        } catch (IOException e) {
            throw new HypervisorException(
                    HypervisorException.Reason.FAILED,
                    "cannot write the files of " + spec.name() + ": " + e.getMessage(),
                    e);
        }
        SimulatedVm vm = new SimulatedVm(pid, spec);
        vmsByPidFile.put(spec.pidFile(), vm);
        return vm.attach(events);
    }

    @Override
    public Optional<VmHandle> adopt(VmSpec spec, Consumer<VmEvent> events) {
        SimulatedVm vm = vmsByPidFile.get(spec.pidFile());
        if (vm == null || !vm.alive()) {
            return Optional.empty();
        }
        return Optional.of(vm.attach(events));
    }

    @Override
    public void createOverlay(Path base, Path overlay) throws HypervisorException {
        if (!Files.isRegularFile(base)) {
            throw new HypervisorException(
                    HypervisorException.Reason.PRECONDITION, "base image " + base + " is missing");
        }
        Path fresh = overlay.resolveSibling(overlay.getFileName() + ".new");
        try {
            Files.writeString(fresh, "simulated qcow2 overlay on " + base + "\n", StandardCharsets.UTF_8);
            Files.move(fresh, overlay, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HypervisorException(
                    HypervisorException.Reason.FAILED, "cannot create overlay: " + e.getMessage(), e);
        }
    }

    /**
     * Makes a simulated VM process die as if it crashed, for tests of crash reporting.
     *
     * @return whether a live VM with that pid existed
     */
    public boolean crash(long pid, int exitStatus) {
        for (SimulatedVm vm : vmsByPidFile.values()) {
            if (vm.pid == pid && vm.alive()) {
                vm.exit(exitStatus, "simulated crash");
                return true;
            }
        }
        return false;
    }

    /** Number of simulated VM processes alive, like counting QEMU processes in /proc. */
    public long aliveCount() {
        return vmsByPidFile.values().stream().filter(SimulatedVm::alive).count();
    }

    /** One simulated VM process; its state machine mirrors QEMU's run states. */
    private final class SimulatedVm {
        final long pid;
        final VmSpec spec;
        private VmStatus status = VmStatus.RUNNING;
        private Integer exitStatus;
        private Consumer<VmEvent> listener;

        SimulatedVm(long pid, VmSpec spec) {
            this.pid = pid;
            this.spec = spec;
        }

        synchronized boolean alive() {
            return status != VmStatus.EXITED;
        }

        synchronized VmHandle attach(Consumer<VmEvent> events) {
            Handle handle = new Handle(this);
            listener = events;
            handle.listener = events;
            return handle;
        }

        synchronized void emit(VmEvent event) {
            Consumer<VmEvent> target = listener;
            if (target != null) {
                eventThread.execute(() -> target.accept(event));
            }
        }

        synchronized void exit(int status, String detail) {
            if (this.status == VmStatus.EXITED) {
                return;
            }
            this.status = VmStatus.EXITED;
            this.exitStatus = status;
            try {
                Files.deleteIfExists(spec.pidFile());
            } catch (IOException ignored) {
                // A stale pid file is harmless: adoption checks the process, not the file.
            }
            emit(new VmEvent(VmEvent.Kind.EXIT, detail, status));
            notifyAll();
        }

        synchronized VmStatus status() {
            return status;
        }

        synchronized void require(VmStatus expected, String action) throws HypervisorException {
            if (status == VmStatus.EXITED) {
                throw new HypervisorException(
                        HypervisorException.Reason.UNAVAILABLE, "cannot " + action + ": the VM process has exited");
            }
            if (expected != null && status != expected) {
                throw new HypervisorException(
                        HypervisorException.Reason.FAILED,
                        "cannot " + action + " a VM that is " + status.name().toLowerCase());
            }
        }

        synchronized void pause() throws HypervisorException {
            require(null, "pause");
            if (status == VmStatus.RUNNING) {
                status = VmStatus.PAUSED;
                emit(new VmEvent(VmEvent.Kind.STOP, "", null));
            }
        }

        synchronized void resume() throws HypervisorException {
            require(null, "resume");
            if (status == VmStatus.PAUSED) {
                status = VmStatus.RUNNING;
                emit(new VmEvent(VmEvent.Kind.RESUME, "", null));
            }
        }

        synchronized void powerdown() throws HypervisorException {
            require(null, "power down");
            if (guestObeysAcpi && status == VmStatus.RUNNING) {
                status = VmStatus.SHUTDOWN;
                emit(new VmEvent(VmEvent.Kind.SHUTDOWN, "guest-shutdown", null));
                exit(0, "guest powered off");
            }
        }

        synchronized boolean awaitExit(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (status != VmStatus.EXITED) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                long millis = Math.max(1, left / 1_000_000);
                wait(millis);
            }
            return true;
        }
    }

    /** A service's hold on one simulated VM; detaching stops its events only. */
    private static final class Handle implements VmHandle {
        private final SimulatedVm vm;
        Consumer<VmEvent> listener;

        Handle(SimulatedVm vm) {
            this.vm = vm;
        }

        @Override
        public long pid() {
            return vm.pid;
        }

        @Override
        public VmStatus status() {
            return vm.status();
        }

        @Override
        public void pause() throws HypervisorException {
            vm.pause();
        }

        @Override
        public void resume() throws HypervisorException {
            vm.resume();
        }

        @Override
        public void powerdown() throws HypervisorException {
            vm.powerdown();
        }

        @Override
        public void kill() {
            vm.exit(KILLED_STATUS, "killed");
        }

        @Override
        public boolean awaitExit(Duration timeout) throws InterruptedException {
            return vm.awaitExit(timeout);
        }

        @Override
        public boolean isAlive() {
            return vm.alive();
        }

        @Override
        public void detach() {
            synchronized (vm) {
                if (vm.listener == listener) {
                    vm.listener = null;
                }
            }
        }
    }
}
