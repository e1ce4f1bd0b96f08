package org.multiverse.scramble.host.portal;

import static org.multiverse.scramble.host.portal.PortalFiles.CONSOLE_FILE;
import static org.multiverse.scramble.host.portal.PortalFiles.OVERLAY_FILE;
import static org.multiverse.scramble.host.portal.PortalFiles.PID_FILE;
import static org.multiverse.scramble.host.portal.PortalFiles.QMP_SOCKET;
import static org.multiverse.scramble.host.portal.PortalFiles.REVERT_MARKER;
import static org.multiverse.scramble.host.portal.PortalFiles.SHARE_DIR;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.multiverse.scramble.host.hypervisor.Hypervisor;
import org.multiverse.scramble.host.hypervisor.HypervisorException;
import org.multiverse.scramble.host.hypervisor.VmEvent;
import org.multiverse.scramble.host.hypervisor.VmHandle;
import org.multiverse.scramble.host.hypervisor.VmSpec;
import org.multiverse.scramble.host.hypervisor.VmStatus;

/**
 * The life of portals' VMs: start, stop, kill, pause, resume, reset, adoption after an agent
 * restart, and the VM's own events.
 *
 * <p>Every operation is called with the portal's lifecycle lock held by the caller (the
 * {@link PortalService} facade takes it), so operations on one portal run one at a time and
 * operations on different portals run side by side. The portal's fields are read and written
 * under its monitor only, in short sections: the QEMU launch, QMP calls and waits for the
 * process run outside it, so {@code list()} and the VM events thread never wait for them.
 */
final class PortalLifecycle {

    /** A SIGKILLed process is gone within milliseconds; 10 s means the kernel is stuck on it. */
    static final Duration KILL_WAIT = Duration.ofSeconds(10);
    /** Console lines attached to a crash report. */
    static final int CRASH_REPORT_LINES = 10;

    private static final System.Logger LOG = System.getLogger(PortalLifecycle.class.getName());

    private final PortalServiceConfig config;
    private final Hypervisor hypervisor;
    private final MemoryBudget budget;
    private final PortalEvents events;
    /**
     * Backend events are applied here, never on the backend's threads (which QMP replies
     * need). One thread for all portals keeps each VM's events in order; it takes portal
     * monitors only, so a slow operation on one portal holds up no portal's events.
     */
    private final ExecutorService vmEvents = daemonThread("portal-vm-events");

    PortalLifecycle(PortalServiceConfig config, Hypervisor hypervisor, MemoryBudget budget, PortalEvents events) {
        this.config = config;
        this.hypervisor = hypervisor;
        this.budget = budget;
        this.events = events;
    }

    // ---------------------------------------------------------------- views

    /** What list reports: the recorded state, without asking QEMU. */
    PortalInfo info(PortalRuntime rt) {
        synchronized (rt) {
            return rt.info();
        }
    }

    /**
     * What show reports: QEMU's own answer, not the last event seen (events arrive on another
     * thread and a STOP/RESUME pair, a snapshot's pause, may still be in flight). While an
     * operation on the portal is under way, QEMU is not asked and the recorded state is
     * returned at once: the operation asks QEMU itself when it ends, and waiting for it (a
     * launch takes up to 30 s) is what show must not do.
     */
    PortalInfo show(PortalRuntime rt) {
        if (rt.lifecycle.tryLock()) {
            try {
                refresh(rt);
            } finally {
                rt.lifecycle.unlock();
            }
        }
        return info(rt);
    }

    // ---------------------------------------------------------------- adoption

    /** Takes over the portal's VM if one still runs from an earlier agent process. Caller holds the lifecycle lock. */
    void adopt(PortalRuntime rt) {
        long gen = beginLaunch(rt);
        try {
            Optional<VmHandle> found;
            try {
                found = hypervisor.adopt(adoptionSpec(rt), listenerFor(rt, gen));
            } catch (HypervisorException e) {
                synchronized (rt) {
                    rt.warnings = List.of(e.getMessage());
                    rt.state = PortalState.CRASHED;
                    rt.lastExit = "found running after an agent restart but not manageable: " + e.getMessage();
                }
                return;
            }
            if (found.isEmpty()) {
                return;
            }
            VmHandle h = found.get();
            boolean disk = rt.definition.image() != null && Files.isRegularFile(rt.dir.resolve(OVERLAY_FILE));
            synchronized (rt) {
                rt.handle = h;
                rt.state = PortalState.RUNNING;
                rt.diskInUse = disk;
                budget.hold(rt);
            }
            refresh(rt);
            synchronized (rt) {
                events.publish(rt, PortalEvent.Kind.ADOPTED, "pid " + h.pid(), null, List.of());
            }
        } finally {
            endLaunch(rt);
        }
    }

    // ---------------------------------------------------------------- start

    /**
     * Starts a stopped or crashed portal. Caller holds the lifecycle lock.
     *
     * @throws PortalException FAILED_PRECONDITION (running, no bridge), RESOURCE_EXHAUSTED
     *                         (memory), UNAVAILABLE, INTERNAL
     */
    PortalInfo start(PortalRuntime rt) throws PortalException {
        refresh(rt);
        synchronized (rt) {
            if (rt.live()) {
                throw new PortalException(
                        PortalException.Kind.FAILED_PRECONDITION,
                        "portal " + rt.definition.name() + " is already "
                                + rt.state.name().toLowerCase());
            }
        }
        launch(rt, false);
        return info(rt);
    }

    /**
     * Reserves the portal's memory, prepares its disk and files, and launches its VM (up to the
     * backend's start timeout, with only the lifecycle lock held). Caller holds the lifecycle lock.
     *
     * @param keepOverlay boot the overlay as it is (reset and revert have just written it)
     */
    void launch(PortalRuntime rt, boolean keepOverlay) throws PortalException {
        budget.reserve(rt);
        long gen = beginLaunch(rt);
        boolean launched = false;
        try {
            List<String> warnings = new ArrayList<>();
            VmSpec spec = spec(rt, keepOverlay, warnings);
            VmHandle handle;
            try {
                handle = hypervisor.launch(spec, listenerFor(rt, gen));
            } catch (HypervisorException e) {
                throw fromBackend("start " + rt.definition.name(), e);
            }
            synchronized (rt) {
                rt.handle = handle;
                rt.state = PortalState.RUNNING;
                rt.diskInUse = spec.disk() != null;
                rt.warnings = warnings;
                rt.lastExit = null;
            }
            launched = true;
            warnings.forEach(w -> LOG.log(Level.WARNING, w));
            refresh(rt);
            synchronized (rt) {
                events.publish(rt, PortalEvent.Kind.STARTED, "pid " + handle.pid(), null, List.of());
            }
        } finally {
            if (!launched) {
                budget.release(rt);
            }
            endLaunch(rt);
        }
    }

    /** Marks a launch (or adoption) of a new generation under way; returns the generation. */
    private static long beginLaunch(PortalRuntime rt) {
        synchronized (rt) {
            long gen = ++rt.generation;
            rt.launching = gen;
            rt.expectingExit = false;
            rt.guestShutdown = false;
            return gen;
        }
    }

    /** Ends a launch or adoption: the events its VM sent meanwhile are applied now, in order. */
    private void endLaunch(PortalRuntime rt) {
        synchronized (rt) {
            long gen = rt.launching;
            rt.launching = 0;
            for (VmEvent ev : rt.heldEvents) {
                apply(rt, gen, ev);
            }
            rt.heldEvents.clear();
        }
    }

    private VmSpec spec(PortalRuntime rt, boolean keepOverlay, List<String> warnings) throws PortalException {
        PortalDefinition d = rt.definition;
        Path disk = prepareDisk(rt, keepOverlay, warnings);
        Path kernel = null;
        Path initrd = null;
        String cmdline = null;
        if (d.kernel() != null) {
            Path k = image(d.kernel());
            Path i = d.initrd() == null ? null : image(d.initrd());
            if (!Files.isRegularFile(k) || (i != null && !Files.isRegularFile(i))) {
                warnings.add("kernel or initrd of " + d.name() + " is not under " + config.imageDir()
                        + " yet: no direct kernel boot");
            } else {
                kernel = k;
                initrd = i;
                cmdline = d.cmdline();
            }
        }
        if (disk == null && kernel == null) {
            warnings.add("no disk image and no kernel: " + d.name() + " boots firmware only (diskless)");
        }
        String bridge = null;
        if (d.network() != Network.NONE) {
            bridge = config.bridges().get(d.network());
            if (bridge == null) {
                throw new PortalException(
                        PortalException.Kind.FAILED_PRECONDITION,
                        "no host bridge is configured for network "
                                + d.network().tomlName());
            }
        }
        Map<String, Path> channels = new LinkedHashMap<>();
        d.channels().forEach(c -> channels.put(c, rt.dir.resolve(c + ".sock")));
        Path console = rt.dir.resolve(CONSOLE_FILE);
        Path share = rt.dir.resolve(SHARE_DIR);
        try {
            if (d.consoleLog()) {
                ConsoleLog.rotate(console);
            }
            if (d.share()) {
                Files.createDirectories(share);
            }
        } catch (IOException e) {
            throw new PortalException(
                    PortalException.Kind.INTERNAL, "cannot prepare " + d.name() + ": " + e.getMessage(), e);
        }
        return new VmSpec(
                d.name(),
                d.cpus(),
                d.memoryMiB(),
                disk,
                kernel,
                initrd,
                cmdline,
                bridge,
                d.mac(),
                channels,
                d.share() ? share : null,
                d.consoleLog() ? console : null,
                rt.dir.resolve(QMP_SOCKET),
                rt.dir.resolve(PID_FILE),
                rt.dir);
    }

    /** The overlay to boot, or null when the base image is not there (diskless, with a warning). */
    private Path prepareDisk(PortalRuntime rt, boolean keepOverlay, List<String> warnings) throws PortalException {
        PortalDefinition d = rt.definition;
        if (d.image() == null) {
            return null;
        }
        Path base = image(d.image());
        if (!Files.isRegularFile(base)) {
            warnings.add("image " + d.image() + " is not under " + config.imageDir() + " yet: " + d.name()
                    + " starts diskless (firmware only)");
            return null;
        }
        Path overlay = rt.dir.resolve(OVERLAY_FILE);
        Path marker = rt.dir.resolve(REVERT_MARKER);
        try {
            boolean reverted = Files.deleteIfExists(marker) && Files.isRegularFile(overlay);
            if (!keepOverlay && !reverted && (d.ephemeral() || !Files.isRegularFile(overlay))) {
                hypervisor.createOverlay(base, overlay);
            }
        } catch (IOException e) {
            throw new PortalException(
                    PortalException.Kind.INTERNAL, "cannot prepare the disk of " + d.name() + ": " + e.getMessage(), e);
        } catch (HypervisorException e) {
            throw fromBackend("create the disk overlay of " + d.name(), e);
        }
        return overlay;
    }

    /** Resolves an image reference under the image directory (references are validated relative paths). */
    private Path image(String reference) throws PortalException {
        Path p = config.imageDir().resolve(reference).normalize();
        if (!p.startsWith(config.imageDir())) {
            throw new PortalException(
                    PortalException.Kind.INVALID_ARGUMENT,
                    "image reference " + Printable.quote(reference) + " leaves the image directory");
        }
        return p;
    }

    // ---------------------------------------------------------------- stop, kill, pause, resume, reset

    /**
     * The ACPI power button, then SIGKILL when the guest has not powered off within
     * {@code timeout}. Caller holds the lifecycle lock. @throws PortalException FAILED_PRECONDITION
     */
    PortalInfo stop(PortalRuntime rt, Duration timeout) throws PortalException {
        VmHandle h = requireLive(rt, "stop", true);
        boolean paused;
        synchronized (rt) {
            paused = rt.state == PortalState.PAUSED;
        }
        boolean clean = false;
        try {
            if (paused) {
                h.resume(); // a frozen guest cannot see the power button
            }
            h.powerdown();
            clean = h.awaitExit(timeout);
        } catch (HypervisorException e) {
            LOG.log(Level.WARNING, "ACPI power-off of {0} failed, forcing: {1}", rt.definition.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!clean) {
            forceExit(rt, h);
        }
        synchronized (rt) {
            gone(
                    rt,
                    PortalState.STOPPED,
                    clean
                            ? "powered off (ACPI)"
                            : "forced off: the guest did not power off within " + timeout.toMillis() + " ms");
            return rt.info();
        }
    }

    /** SIGKILL. Caller holds the lifecycle lock. @throws PortalException FAILED_PRECONDITION */
    PortalInfo kill(PortalRuntime rt) throws PortalException {
        VmHandle h = requireLive(rt, "kill", true);
        forceExit(rt, h);
        synchronized (rt) {
            gone(rt, PortalState.STOPPED, "killed");
            return rt.info();
        }
    }

    /** Freezes the CPUs. Caller holds the lifecycle lock. @throws PortalException FAILED_PRECONDITION, UNAVAILABLE */
    PortalInfo pause(PortalRuntime rt) throws PortalException {
        VmHandle h = requireLive(rt, "pause", false);
        synchronized (rt) {
            if (rt.state != PortalState.RUNNING) {
                throw new PortalException(
                        PortalException.Kind.FAILED_PRECONDITION,
                        "portal " + rt.definition.name() + " is already paused");
            }
        }
        try {
            h.pause();
        } catch (HypervisorException e) {
            throw fromBackend("pause " + rt.definition.name(), e);
        }
        refresh(rt);
        return info(rt);
    }

    /** Lets frozen CPUs run. Caller holds the lifecycle lock. @throws PortalException FAILED_PRECONDITION, UNAVAILABLE */
    PortalInfo resume(PortalRuntime rt) throws PortalException {
        VmHandle h = requireLive(rt, "resume", false);
        synchronized (rt) {
            if (rt.state != PortalState.PAUSED) {
                throw new PortalException(
                        PortalException.Kind.FAILED_PRECONDITION, "portal " + rt.definition.name() + " is not paused");
            }
        }
        try {
            h.resume();
        } catch (HypervisorException e) {
            throw fromBackend("resume " + rt.definition.name(), e);
        }
        refresh(rt);
        return info(rt);
    }

    /**
     * A new overlay from the base, and a restart if the portal was running. Caller holds the
     * lifecycle lock. @throws PortalException UNAVAILABLE, INTERNAL
     */
    PortalInfo reset(PortalRuntime rt) throws PortalException {
        String name = rt.definition.name();
        boolean wasLive = endForDiskChange(rt, "reset");
        Path overlay = rt.dir.resolve(OVERLAY_FILE);
        try {
            Files.deleteIfExists(rt.dir.resolve(REVERT_MARKER));
            Path base = rt.definition.image() == null ? null : image(rt.definition.image());
            if (base != null && Files.isRegularFile(base)) {
                hypervisor.createOverlay(base, overlay);
            } else {
                Files.deleteIfExists(overlay);
            }
        } catch (IOException e) {
            throw new PortalException(PortalException.Kind.INTERNAL, "cannot reset " + name + ": " + e.getMessage(), e);
        } catch (HypervisorException e) {
            throw fromBackend("reset " + name, e);
        }
        synchronized (rt) {
            events.publish(rt, PortalEvent.Kind.RESET, "disk overlay discarded", null, List.of());
        }
        if (wasLive) {
            launch(rt, true);
        }
        return info(rt);
    }

    /**
     * Ends the portal's VM, if one runs, before its disk is replaced (reset, revert). Caller
     * holds the lifecycle lock.
     *
     * @param how the last exit recorded
     * @return whether a VM ran (and must be started again on the new disk)
     */
    boolean endForDiskChange(PortalRuntime rt, String how) throws PortalException {
        refresh(rt);
        VmHandle h;
        synchronized (rt) {
            if (!rt.live() || rt.handle == null) {
                return false;
            }
            rt.expectingExit = true;
            h = rt.handle;
        }
        forceExit(rt, h);
        synchronized (rt) {
            gone(rt, PortalState.STOPPED, how);
        }
        return true;
    }

    /** Refuses a running or paused portal, e.g. for undefine. Caller holds the lifecycle lock. */
    void requireStopped(PortalRuntime rt) throws PortalException {
        refresh(rt);
        synchronized (rt) {
            if (rt.live()) {
                throw new PortalException(
                        PortalException.Kind.FAILED_PRECONDITION,
                        "portal " + rt.definition.name() + " is "
                                + rt.state.name().toLowerCase() + "; stop it before undefining it");
            }
        }
    }

    /**
     * The running VM's handle, or FAILED_PRECONDITION.
     *
     * @param endingIt the caller is about to end the VM: its exit is marked as asked for in the
     *                 same section as the check, so an exit event applied at any time after is
     *                 not taken for a crash
     */
    private VmHandle requireLive(PortalRuntime rt, String action, boolean endingIt) throws PortalException {
        refresh(rt);
        synchronized (rt) {
            if (!rt.live() || rt.handle == null) {
                throw new PortalException(
                        PortalException.Kind.FAILED_PRECONDITION,
                        "cannot " + action + " " + rt.definition.name() + ": it is "
                                + rt.state.name().toLowerCase());
            }
            if (endingIt) {
                rt.expectingExit = true;
            }
            return rt.handle;
        }
    }

    private static void forceExit(PortalRuntime rt, VmHandle h) throws PortalException {
        h.kill();
        try {
            if (!h.awaitExit(KILL_WAIT)) {
                throw new PortalException(
                        PortalException.Kind.INTERNAL,
                        "the VM process of " + rt.definition.name() + " (pid " + h.pid() + ") survived SIGKILL for "
                                + KILL_WAIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PortalException(
                    PortalException.Kind.UNAVAILABLE, "interrupted while killing " + rt.definition.name());
        }
    }

    /** The VM is gone: no handle, its memory back in the budget. Call holding the monitor. */
    private void gone(PortalRuntime rt, PortalState state, String lastExit) {
        rt.handle = null;
        rt.state = state;
        rt.lastExit = lastExit;
        budget.release(rt);
    }

    // ---------------------------------------------------------------- the backend's view

    /**
     * Asks the backend for the truth (QMP query-status and the process). The question is asked
     * outside the portal's monitor; the answer is applied only if the VM asked about is still
     * the portal's (an exit event applied meanwhile is newer than the answer).
     */
    void refresh(PortalRuntime rt) {
        VmHandle h;
        synchronized (rt) {
            h = rt.handle;
        }
        if (h == null) {
            return;
        }
        VmStatus s;
        try {
            s = h.status();
        } catch (HypervisorException e) {
            synchronized (rt) {
                if (rt.handle == h) {
                    rt.warnings = appended(rt.warnings, e.getMessage());
                }
            }
            return;
        }
        synchronized (rt) {
            if (rt.handle != h) {
                return;
            }
            switch (s) {
                case RUNNING, SHUTDOWN -> rt.state = PortalState.RUNNING;
                case PAUSED -> rt.state = PortalState.PAUSED;
                case ERROR -> {
                    rt.state = PortalState.PAUSED;
                    rt.warnings = appended(rt.warnings, "QEMU reports an error state (internal error or guest panic)");
                }
                case EXITED -> {
                    boolean asked = rt.expectingExit || rt.guestShutdown;
                    gone(
                            rt,
                            asked ? PortalState.STOPPED : PortalState.CRASHED,
                            rt.lastExit != null ? rt.lastExit : asked ? "exited" : "crashed: the VM process is gone");
                }
                default -> {}
            }
        }
    }

    private Consumer<VmEvent> listenerFor(PortalRuntime rt, long gen) {
        return ev -> vmEvents.execute(() -> onVmEvent(rt, gen, ev));
    }

    private void onVmEvent(PortalRuntime rt, long gen, VmEvent ev) {
        synchronized (rt) {
            if (rt.launching == gen) {
                rt.heldEvents.add(ev); // applied after STARTED, when the launch ends
                return;
            }
            apply(rt, gen, ev);
        }
    }

    /** Applies one VM event and publishes it. Call holding the monitor. */
    private void apply(PortalRuntime rt, long gen, VmEvent ev) {
        boolean current = rt.generation == gen;
        switch (ev.kind()) {
            case STOP -> {
                if (current && rt.state == PortalState.RUNNING) {
                    rt.state = PortalState.PAUSED;
                }
                events.publish(rt, PortalEvent.Kind.STOP, ev.detail(), null, List.of());
            }
            case RESUME -> {
                if (current && rt.state == PortalState.PAUSED) {
                    rt.state = PortalState.RUNNING;
                }
                events.publish(rt, PortalEvent.Kind.RESUME, ev.detail(), null, List.of());
            }
            case RESET -> events.publish(rt, PortalEvent.Kind.RESET, ev.detail(), null, List.of());
            case SHUTDOWN -> {
                if (current) {
                    rt.guestShutdown = true;
                }
                events.publish(rt, PortalEvent.Kind.SHUTDOWN, ev.detail(), null, List.of());
            }
            case EXIT -> {
                boolean asked = !current || rt.expectingExit || rt.guestShutdown;
                if (current && rt.handle != null) {
                    gone(
                            rt,
                            asked ? PortalState.STOPPED : PortalState.CRASHED,
                            asked ? ev.detail() : "crashed: " + ev.detail());
                }
                if (asked) {
                    events.publish(rt, PortalEvent.Kind.EXITED, ev.detail(), ev.exitStatus(), List.of());
                } else {
                    // A bounded read (CONSOLE_FILE's last 256 KiB at most), once per crash.
                    List<String> tail = crashTail(rt);
                    LOG.log(Level.WARNING, "portal {0} crashed: {1}", rt.definition.name(), ev.detail());
                    events.publish(rt, PortalEvent.Kind.CRASHED, ev.detail(), ev.exitStatus(), tail);
                }
            }
            default -> {}
        }
    }

    private static List<String> crashTail(PortalRuntime rt) {
        try {
            return ConsoleLog.tail(rt.dir.resolve(CONSOLE_FILE), CRASH_REPORT_LINES);
        } catch (IOException e) {
            return List.of("(console log unreadable: " + e.getMessage() + ")");
        }
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Lets go of every running VM without stopping it; an operation in flight on a portal
     * finishes first. Events of the VMs let go are ignored from then on.
     */
    void detach(List<PortalRuntime> all) {
        for (PortalRuntime rt : all) {
            rt.lifecycle.lock();
            try {
                VmHandle h;
                synchronized (rt) {
                    h = rt.handle;
                    rt.handle = null;
                    rt.generation++;
                }
                if (h != null) {
                    h.detach(); // closes the QMP connection: outside the monitor
                }
            } finally {
                rt.lifecycle.unlock();
            }
        }
        vmEvents.shutdown();
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> appended(List<String> list, String item) {
        if (list.contains(item)) {
            return list;
        }
        List<String> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    static PortalException fromBackend(String action, HypervisorException e) {
        PortalException.Kind kind = switch (e.reason()) {
            case PRECONDITION -> PortalException.Kind.FAILED_PRECONDITION;
            case UNAVAILABLE -> PortalException.Kind.UNAVAILABLE;
            case FAILED -> PortalException.Kind.INTERNAL;
        };
        return new PortalException(kind, "cannot " + action + ": " + e.getMessage(), e);
    }

    private static VmSpec adoptionSpec(PortalRuntime rt) {
        PortalDefinition d = rt.definition;
        return new VmSpec(
                d.name(),
                d.cpus(),
                d.memoryMiB(),
                null,
                null,
                null,
                null,
                null,
                d.mac(),
                Map.of(),
                null,
                null,
                rt.dir.resolve(QMP_SOCKET),
                rt.dir.resolve(PID_FILE),
                rt.dir);
    }

    static ExecutorService daemonThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
