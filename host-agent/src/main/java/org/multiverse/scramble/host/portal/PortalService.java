package org.multiverse.scramble.host.portal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.multiverse.scramble.host.hypervisor.DurableFiles;
import org.multiverse.scramble.host.hypervisor.Hypervisor;
import org.multiverse.scramble.host.hypervisor.HypervisorException;
import org.multiverse.scramble.host.hypervisor.VmEvent;
import org.multiverse.scramble.host.hypervisor.VmHandle;
import org.multiverse.scramble.host.hypervisor.VmSpec;
import org.multiverse.scramble.host.hypervisor.VmStatus;

/**
 * The portal facade the agent's command handlers call: definitions, lifecycle, disk
 * resets, snapshots, console tails and events, on whichever {@link Hypervisor} runs.
 *
 * <p>State on disk, per portal, in {@code STATE/portals/NAME/}: {@code portal.toml} (the
 * definition, fsync'd), {@code share/} (the 9p share root), {@code overlay.qcow2} (the
 * ephemeral disk over the read-only base), {@code status.out} (the serial console),
 * {@code qmp.sock}, {@code qemu.pid}, {@code qemu.args}, {@code qemu.log},
 * {@code CHANNEL.sock} per virtio-serial channel, and {@code snapshots/}. Opening the
 * service on an existing state directory adopts every VM still running from an earlier
 * agent process: none is orphaned, none started twice.
 *
 * <p>All methods are thread-safe. Errors are {@link PortalException}s with a kind and a
 * message for a person.
 */
public final class PortalService implements AutoCloseable {

    static final String DEFINITION_FILE = "portal.toml";
    static final String SHARE_DIR = "share";
    static final String OVERLAY_FILE = "overlay.qcow2";
    static final String CONSOLE_FILE = "status.out";
    static final String QMP_SOCKET = "qmp.sock";
    static final String PID_FILE = "qemu.pid";
    static final String SNAPSHOT_DIR = "snapshots";
    /** Present when a reverted overlay must be booted as is by the next start. */
    static final String REVERT_MARKER = "revert-pending";

    /** A SIGKILLed process is gone within milliseconds; 10 s means the kernel is stuck on it. */
    static final Duration KILL_WAIT = Duration.ofSeconds(10);
    /** Longest ACPI wait a person may ask for before the force. */
    public static final Duration MAX_STOP_TIMEOUT = Duration.ofMinutes(10);
    /** Most console lines one tail returns. */
    public static final int MAX_TAIL_LINES = 1000;
    /** Console lines attached to a crash report. */
    static final int CRASH_REPORT_LINES = 10;
    /** sun_path holds 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    private static final System.Logger LOG = System.getLogger(PortalService.class.getName());

    private final PortalServiceConfig config;
    private final Hypervisor hypervisor;
    private final Path portalsDir;
    private final Map<String, PortalRuntime> portals = new ConcurrentHashMap<>();
    /** Guards the set of portals and the memory budget; always taken after a runtime's monitor. */
    private final Object registry = new Object();
    private final List<PortalEventListener> listeners = new CopyOnWriteArrayList<>();
    /** Backend events are applied here, never on the backend's threads (which QMP replies need). */
    private final ExecutorService vmEvents = daemonThread("portal-vm-events");
    /** Listeners are called here, so a listener may call the service. */
    private final ExecutorService notifier = daemonThread("portal-notifier");

    private PortalService(PortalServiceConfig config, Hypervisor hypervisor) {
        this.config = config;
        this.hypervisor = hypervisor;
        this.portalsDir = config.stateDir().resolve("portals");
    }

    /**
     * Opens the service on a state directory: loads every definition and adopts the VMs
     * that still run from an earlier agent process.
     *
     * @throws PortalException INTERNAL when the state directory cannot be used
     */
    public static PortalService open(PortalServiceConfig config, Hypervisor hypervisor) throws PortalException {
        return open(config, hypervisor, List.of());
    }

    /**
     * Like {@link #open(PortalServiceConfig, Hypervisor)}, with listeners subscribed before
     * adoption, so they also receive the {@link PortalEvent.Kind#ADOPTED} events.
     */
    public static PortalService open(PortalServiceConfig config, Hypervisor hypervisor,
                                     List<PortalEventListener> listeners) throws PortalException {
        PortalService s = new PortalService(config, hypervisor);
        s.listeners.addAll(listeners);
        try {
            Files.createDirectories(s.portalsDir);
        } catch (IOException e) {
            throw new PortalException(PortalException.Kind.INTERNAL, "cannot create " + s.portalsDir + ": " + e.getMessage(), e);
        }
        s.loadAndAdopt();
        return s;
    }

    private void loadAndAdopt() throws PortalException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(portalsDir)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                Path file = dir.resolve(DEFINITION_FILE);
                if (PortalName.problem(name) != null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    LOG.log(Level.WARNING, "ignoring {0}: not a portal directory", dir);
                    continue;
                }
                PortalDefinition d;
                try {
                    d = DefinitionParser.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
                } catch (DefinitionException | IOException e) {
                    LOG.log(Level.WARNING, "ignoring portal {0}: {1}", name, e.getMessage());
                    continue;
                }
                if (!d.name().equals(name)) {
                    LOG.log(Level.WARNING, "ignoring {0}: its definition names {1}", dir, d.name());
                    continue;
                }
                PortalRuntime rt = new PortalRuntime(d, dir);
                portals.put(name, rt);
                adopt(rt);
            }
        } catch (IOException e) {
            throw new PortalException(PortalException.Kind.INTERNAL, "cannot read " + portalsDir + ": " + e.getMessage(), e);
        }
    }

    private void adopt(PortalRuntime rt) {
        synchronized (rt) {
            long gen = ++rt.generation;
            Optional<VmHandle> found;
            try {
                found = hypervisor.adopt(adoptionSpec(rt), listenerFor(rt, gen));
            } catch (HypervisorException e) {
                rt.warnings = List.of(e.getMessage());
                rt.state = PortalState.CRASHED;
                rt.lastExit = "found running after an agent restart but not manageable: " + e.getMessage();
                return;
            }
            if (found.isEmpty()) {
                return;
            }
            rt.handle = found.get();
            rt.state = PortalState.RUNNING;
            rt.diskInUse = rt.definition.image() != null && Files.isRegularFile(rt.dir.resolve(OVERLAY_FILE));
            refresh(rt);
            publish(rt, PortalEvent.Kind.ADOPTED, "pid " + rt.handle.pid(), null, List.of());
        }
    }

    // ---------------------------------------------------------------- queries

    /** Every defined portal, by name, with its state asked from the backend now. */
    public List<PortalInfo> list() {
        List<PortalRuntime> all = new ArrayList<>(portals.values());
        all.sort(Comparator.comparing(rt -> rt.definition.name()));
        List<PortalInfo> out = new ArrayList<>();
        for (PortalRuntime rt : all) {
            synchronized (rt) {
                out.add(info(rt));
            }
        }
        return out;
    }

    /** One portal. @throws PortalException NOT_FOUND */
    public PortalInfo show(String name) throws PortalException {
        PortalRuntime rt = runtime(name);
        synchronized (rt) {
            // QEMU's own answer, not the last event seen: events arrive on another thread and a
            // STOP/RESUME pair (a snapshot's pause) may still be in flight.
            refresh(rt);
            return info(rt);
        }
    }

    /** The template tree. */
    public List<PortalTemplate> templates() {
        return config.templates().all();
    }

    /** The portal's directory under the state dir. @throws PortalException NOT_FOUND */
    public Path portalDir(String name) throws PortalException {
        return runtime(name).dir;
    }

    /** The portal's 9p share root ({@code portalDir/share}), created on define. @throws PortalException NOT_FOUND */
    public Path shareRoot(String name) throws PortalException {
        return runtime(name).dir.resolve(SHARE_DIR);
    }

    /** A one-line description of the backend. */
    public String backend() {
        return hypervisor.describe();
    }

    // ---------------------------------------------------------------- definitions

    /**
     * Defines a portal from a template with overrides ({@code cpus -> "2"}, {@code channels -> "a,b"}).
     *
     * @throws PortalException INVALID_ARGUMENT (name, override), NOT_FOUND (template),
     *                         ALREADY_EXISTS, RESOURCE_EXHAUSTED (portal count)
     */
    public PortalInfo define(String name, String templatePath, Map<String, String> overrides) throws PortalException {
        PortalName.validate(name);
        PortalTemplate template = config.templates().get(templatePath);
        PortalDefinition d;
        try {
            d = DefinitionParser.fromTemplate(template.path(), template.entries(), name, overrides);
        } catch (DefinitionException e) {
            throw new PortalException(PortalException.Kind.INVALID_ARGUMENT, e.getMessage(), e);
        }
        return register(d);
    }

    /**
     * Defines a portal from a whole definition file's text.
     *
     * @throws PortalException INVALID_ARGUMENT with {@code portal.toml:LINE: reason},
     *                         ALREADY_EXISTS, RESOURCE_EXHAUSTED
     */
    public PortalInfo defineFromToml(String text) throws PortalException {
        PortalDefinition d;
        try {
            d = DefinitionParser.parse(DEFINITION_FILE, text);
        } catch (DefinitionException e) {
            throw new PortalException(PortalException.Kind.INVALID_ARGUMENT, e.getMessage(), e);
        }
        return register(d);
    }

    private PortalInfo register(PortalDefinition d) throws PortalException {
        synchronized (registry) {
            if (portals.containsKey(d.name())) {
                throw new PortalException(PortalException.Kind.ALREADY_EXISTS, "portal " + d.name() + " is already defined");
            }
            if (portals.size() >= config.maxPortals()) {
                throw new PortalException(PortalException.Kind.RESOURCE_EXHAUSTED, "cannot define " + d.name()
                        + ": the host allows at most " + config.maxPortals() + " portals; undefine one first");
            }
            for (PortalRuntime other : portals.values()) {
                for (String route : d.routes().keySet()) {
                    if (other.definition.routes().containsKey(route)) {
                        throw new PortalException(PortalException.Kind.ALREADY_EXISTS, "cannot define " + d.name()
                                + ": route '" + route + "' is already carried by portal " + other.definition.name());
                    }
                }
            }
            Path dir = portalsDir.resolve(d.name());
            checkSocketPaths(dir, d);
            try {
                Files.createDirectories(dir.resolve(SHARE_DIR));
                DurableFiles.write(dir.resolve(DEFINITION_FILE), d.toToml().getBytes(StandardCharsets.UTF_8));
                DurableFiles.syncDirectory(portalsDir);
            } catch (IOException e) {
                throw new PortalException(PortalException.Kind.INTERNAL, "cannot store " + d.name() + ": " + e.getMessage(), e);
            }
            PortalRuntime rt = new PortalRuntime(d, dir);
            portals.put(d.name(), rt);
            synchronized (rt) {
                return info(rt);
            }
        }
    }

    private static void checkSocketPaths(Path dir, PortalDefinition d) throws PortalException {
        List<String> names = new ArrayList<>(d.channels().stream().map(c -> c + ".sock").toList());
        names.add(QMP_SOCKET);
        for (String n : names) {
            int len = dir.resolve(n).toString().getBytes(StandardCharsets.UTF_8).length;
            if (len > MAX_SOCKET_PATH_BYTES) {
                throw new PortalException(PortalException.Kind.INVALID_ARGUMENT, "portal " + d.name() + ": socket path "
                        + dir.resolve(n) + " would be " + len + " bytes, over the " + MAX_SOCKET_PATH_BYTES
                        + " a unix socket allows; use a shorter name or channel");
            }
        }
    }

    /**
     * Removes a stopped portal's definition and files. Refused while it runs, and while
     * its share still holds links (the share engineer's bind mounts must be undone first:
     * deleting through a mount would delete the host's files).
     *
     * @throws PortalException NOT_FOUND, FAILED_PRECONDITION
     */
    public void undefine(String name) throws PortalException {
        PortalRuntime rt = runtime(name);
        synchronized (rt) {
            refresh(rt);
            if (rt.live()) {
                throw new PortalException(PortalException.Kind.FAILED_PRECONDITION,
                        "portal " + name + " is " + rt.state.name().toLowerCase() + "; stop it before undefining it");
            }
            Path share = rt.dir.resolve(SHARE_DIR);
            try {
                if (Files.isDirectory(share, LinkOption.NOFOLLOW_LINKS)) {
                    try (DirectoryStream<Path> entries = Files.newDirectoryStream(share)) {
                        if (entries.iterator().hasNext()) {
                            throw new PortalException(PortalException.Kind.FAILED_PRECONDITION,
                                    "the share of " + name + " still holds links; unlink them before undefining");
                        }
                    }
                }
                synchronized (registry) {
                    Files.deleteIfExists(rt.dir.resolve(DEFINITION_FILE));
                    DurableFiles.syncDirectory(rt.dir);
                    portals.remove(name);
                    new SnapshotStore(rt.dir.resolve(SNAPSHOT_DIR)).deleteAll();
                    Files.deleteIfExists(share);
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(rt.dir)) {
                        for (Path f : files) {
                            if (!Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                                Files.delete(f);
                            }
                        }
                    }
                    Files.delete(rt.dir);
                    DurableFiles.syncDirectory(portalsDir);
                }
            } catch (IOException e) {
                throw new PortalException(PortalException.Kind.INTERNAL, "cannot remove the files of " + name + ": "
                        + e.getMessage(), e);
            }
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts a portal: a fresh overlay for an ephemeral disk, the VM, QMP. A portal whose
     * image is not there yet starts diskless (firmware only) with a warning.
     *
     * @throws PortalException NOT_FOUND, FAILED_PRECONDITION (running, no bridge),
     *                         RESOURCE_EXHAUSTED (memory), UNAVAILABLE, INTERNAL
     */
    public PortalInfo start(String name) throws PortalException {
        PortalRuntime rt = runtime(name);
        synchronized (rt) {
            refresh(rt);
            if (rt.live()) {
                throw new PortalException(PortalException.Kind.FAILED_PRECONDITION,
                        "portal " + name + " is already " + rt.state.name().toLowerCase());
            }
            startLocked(rt, false);
            return info(rt);
        }
    }

    private void startLocked(PortalRuntime rt, boolean keepOverlay) throws PortalException {
        PortalDefinition d = rt.definition;
        reserveMemory(rt);
        try {
            List<String> warnings = new ArrayList<>();
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
                    throw new PortalException(PortalException.Kind.FAILED_PRECONDITION,
                            "no host bridge is configured for network " + d.network().tomlName());
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
                throw new PortalException(PortalException.Kind.INTERNAL, "cannot prepare " + d.name() + ": " + e.getMessage(), e);
            }
            VmSpec spec = new VmSpec(d.name(), d.cpus(), d.memoryMiB(), disk, kernel, initrd, cmdline, bridge, d.mac(),
                    channels, d.share() ? share : null, d.consoleLog() ? console : null,
                    rt.dir.resolve(QMP_SOCKET), rt.dir.resolve(PID_FILE), rt.dir);
            long gen = ++rt.generation;
            rt.expectingExit = false;
            rt.guestShutdown = false;
            VmHandle handle;
            try {
                handle = hypervisor.launch(spec, listenerFor(rt, gen));
            } catch (HypervisorException e) {
                throw fromBackend("start " + d.name(), e);
            }
            rt.handle = handle;
            rt.state = PortalState.RUNNING;
            rt.diskInUse = disk != null;
            rt.warnings = warnings;
            rt.lastExit = null;
            warnings.forEach(w -> LOG.log(Level.WARNING, w));
            refresh(rt);
            publish(rt, PortalEvent.Kind.STARTED, "pid " + handle.pid(), null, List.of());
        } finally {
            synchronized (registry) {
                rt.starting = false;
            }
        }
    }

    private void reserveMemory(PortalRuntime rt) throws PortalException {
        synchronized (registry) {
            long used = 0;
            for (PortalRuntime other : portals.values()) {
                // Reading another portal's state without its monitor: a start or stop racing
                // with this check moves the sum by at most one portal, and starts serialise here.
                if (other != rt && (other.starting || other.state == PortalState.RUNNING
                        || other.state == PortalState.PAUSED)) {
                    used += other.definition.memoryMiB();
                }
            }
            long want = rt.definition.memoryMiB();
            if (used + want > config.memoryBudgetMiB()) {
                throw new PortalException(PortalException.Kind.RESOURCE_EXHAUSTED, "cannot start "
                        + rt.definition.name() + ": it needs " + want + " MiB and running portals use " + used
                        + " of the " + config.memoryBudgetMiB() + " MiB this host allows; stop a portal first");
            }
            rt.starting = true;
        }
    }

    /** The overlay to boot, or null when the base image is not there (diskless, with a warning). */
    private Path prepareDisk(PortalRuntime rt, boolean keepOverlay, List<String> warnings) throws PortalException {
        PortalDefinition d = rt.definition;
        if (d.image() == null) {
            return null;
        }
        Path base = image(d.image());
        if (!Files.isRegularFile(base)) {
            warnings.add("image " + d.image() + " is not under " + config.imageDir()
                    + " yet: " + d.name() + " starts diskless (firmware only)");
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
            throw new PortalException(PortalException.Kind.INTERNAL, "cannot prepare the disk of " + d.name() + ": "
                    + e.getMessage(), e);
        } catch (HypervisorException e) {
            throw fromBackend("create the disk overlay of " + d.name(), e);
        }
        return overlay;
    }

    /** Resolves an image reference under the image directory (references are validated relative paths). */
    private Path image(String reference) throws PortalException {
        Path p = config.imageDir().resolve(reference).normalize();
        if (!p.startsWith(config.imageDir())) {
            throw new PortalException(PortalException.Kind.INVALID_ARGUMENT,
                    "image reference " + Printable.quote(reference) + " leaves the image directory");
        }
        return p;
    }

    /**
     * Stops a portal: the ACPI power button through QMP, then SIGKILL when the guest has
     * not powered off within {@code timeout} (a diskless guest never does).
     *
     * @throws PortalException NOT_FOUND, INVALID_ARGUMENT (timeout), FAILED_PRECONDITION (not running)
     */
    public PortalInfo stop(String name, Duration timeout) throws PortalException {
        if (timeout == null || timeout.isNegative() || timeout.compareTo(MAX_STOP_TIMEOUT) > 0) {
            throw new PortalException(PortalException.Kind.INVALID_ARGUMENT,
                    "stop timeout must be between 0 and " + MAX_STOP_TIMEOUT.toMinutes() + " minutes");
        }
        PortalRuntime rt = runtime(name);
        synchronized (rt) {
            VmHandle h = requireLive(rt, "stop");
            rt.expectingExit = true;
            boolean clean = false;
            try {
                if (rt.state == PortalState.PAUSED) {
                    h.resume(); // a frozen guest cannot see the power button
                }
                h.powerdown();
                clean = h.awaitExit(timeout);
            } catch (HypervisorException e) {
                LOG.log(Level.WARNING, "ACPI power-off of {0} failed, forcing: {1}", name, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!clean) {
                forceExit(rt, h);
            }
            exitedLocked(rt, clean ? "powered off (ACPI)"
                    : "forced off: the guest did not power off within " + timeout.toMillis() + " ms");
            return info(rt);
        }
    }

    /** Ends a portal's VM at once (SIGKILL). @throws PortalException NOT_FOUND, FAILED_PRECONDITION */
    public PortalInfo kill(String name) throws PortalException {
        PortalRuntime rt = runtime(name);
        synchronized (rt) {
            VmHandle h = requireLive(rt, "kill");
            rt.expectingExit = true;
            forceExit(rt, h);
            exitedLocked(rt, "killed");
            return info(rt);
        }
    }

    private void forceExit(PortalRuntime rt, VmHandle h) throws PortalException {
        h.kill();
        try {
            if (!h.awaitExit(KILL_WAIT)) {
                throw new PortalException(PortalException.Kind.INTERNAL, "the VM process of " + rt.definition.name()
                        + " (pid " + h.pid() + ") survived SIGKILL for " + KILL_WAIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PortalException(PortalException.Kind.UNAVAILABLE, "interrupted while killing " + rt.definition.name());
        }
    }

    private void exitedLocked(PortalRuntime rt, String how) {
        rt.handle = null;
        rt.state = PortalState.STOPPED;
        rt.lastExit = how;
    }

    /** Freezes a running portal's CPUs. @throws PortalException NOT_FOUND, FAILED_PRECONDITION, UNAVAILABLE */
    public PortalInfo pause(String name) throws PortalException {
        PortalRuntime rt = runtime(name);
        synchronized (rt) {
            VmHandle h = requireLive(rt, "pause");
            if (rt.state != PortalState.RUNNING) {
                throw new PortalException(PortalException.Kind.FAILED_PRECONDITION, "portal " + name + " is already paused");
            }
            try {
                h.pause();
            } catch (HypervisorException e) {
                throw fromBackend("pause " + name, e);
            }
            refresh(rt);
            return info(rt);
        }
    }

    /** Lets a paused portal run again. @throws PortalException NOT_FOUND, FAILED_PRECONDITION, UNAVAILABLE */
    public PortalInfo resume(String name) throws PortalException {
        PortalRuntime rt = runtime(name);
        synchronized (rt) {
            VmHandle h = requireLive(rt, "resume");
            if (rt.state != PortalState.PAUSED) {
                throw new PortalException(PortalException.Kind.FAILED_PRECONDITION, "portal " + name + " is not paused");
            }
            try {
                h.resume();
            } catch (HypervisorException e) {
                throw fromBackend("resume " + name, e);
            }
            refresh(rt);
            return info(rt);
        }
    }

    /**
     * Discards the portal's disk changes: a new overlay from the base (a new file), and a
     * restart if the portal was running (its memory state is discarded with the disk).
     *
     * @throws PortalException NOT_FOUND, UNAVAILABLE, INTERNAL
     */
    public PortalInfo reset(String name) throws PortalException {
        PortalRuntime rt = runtime(name);
        synchronized (rt) {
            refresh(rt);
            boolean wasLive = rt.live();
            if (wasLive) {
                rt.expectingExit = true;
                forceExit(rt, rt.handle);
                exitedLocked(rt, "reset");
            }
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
            publish(rt, PortalEvent.Kind.RESET, "disk overlay discarded", null, List.of());
            if (wasLive) {
                startLocked(rt, true);
            }
            return info(rt);
        }
    }

    // ---------------------------------------------------------------- time dilation

    /**
     * Keeps the portal's current disk state under a tag. A running portal is paused for
     * the copy (QEMU flushes its disk on pause) and resumed after. Only the newest
     * {@link PortalServiceConfig#snapshotRetention()} snapshots are kept.
     *
     * @throws PortalException NOT_FOUND, INVALID_ARGUMENT (tag), ALREADY_EXISTS,
     *                         FAILED_PRECONDITION (diskless), UNAVAILABLE, INTERNAL
     */
    public SnapshotInfo snapshot(String name, String tag) throws PortalException {
        SnapshotStore.validateTag(tag);
        PortalRuntime rt = runtime(name);
        synchronized (rt) {
            refresh(rt);
            Path overlay = rt.dir.resolve(OVERLAY_FILE);
            if (!Files.isRegularFile(overlay) || (rt.live() && !rt.diskInUse)) {
                throw new PortalException(PortalException.Kind.FAILED_PRECONDITION,
                        "portal " + name + " has no disk to snapshot (it runs diskless)");
            }
            SnapshotStore store = new SnapshotStore(rt.dir.resolve(SNAPSHOT_DIR));
            boolean paused = false;
            try {
                if (store.find(tag).isPresent()) {
                    throw new PortalException(PortalException.Kind.ALREADY_EXISTS,
                            "portal " + name + " already has a snapshot " + tag);
                }
                if (rt.state == PortalState.RUNNING) {
                    rt.handle.pause();
                    paused = true;
                }
                return store.take(tag, overlay, config.snapshotRetention());
            } catch (IOException e) {
                throw new PortalException(PortalException.Kind.INTERNAL, "cannot snapshot " + name + ": " + e.getMessage(), e);
            } catch (HypervisorException e) {
                throw fromBackend("pause " + name + " for a snapshot", e);
            } finally {
                if (paused) {
                    try {
                        rt.handle.resume();
                    } catch (HypervisorException e) {
                        LOG.log(Level.WARNING, "could not resume {0} after a snapshot: {1}", name, e.getMessage());
                    }
                    refresh(rt);
                }
            }
        }
    }

    /**
     * Boots an earlier disk state: the snapshot becomes the overlay (a copy, the snapshot
     * stays), and a running portal restarts on it; a stopped one boots it at its next start.
     *
     * @throws PortalException NOT_FOUND (portal or tag), INVALID_ARGUMENT, INTERNAL
     */
    public PortalInfo revert(String name, String tag) throws PortalException {
        SnapshotStore.validateTag(tag);
        PortalRuntime rt = runtime(name);
        synchronized (rt) {
            SnapshotStore store = new SnapshotStore(rt.dir.resolve(SNAPSHOT_DIR));
            try {
                Path snap = store.find(tag).orElseThrow(() -> new PortalException(PortalException.Kind.NOT_FOUND,
                        "portal " + name + " has no snapshot " + tag));
                refresh(rt);
                boolean wasLive = rt.live();
                if (wasLive) {
                    rt.expectingExit = true;
                    forceExit(rt, rt.handle);
                    exitedLocked(rt, "reverted to snapshot " + tag);
                }
                Path overlay = rt.dir.resolve(OVERLAY_FILE);
                Path tmp = rt.dir.resolve(OVERLAY_FILE + ".revert");
                Files.copy(snap, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, overlay, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                if (wasLive) {
                    startLocked(rt, true);
                } else {
                    DurableFiles.write(rt.dir.resolve(REVERT_MARKER), (tag + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                return info(rt);
            } catch (IOException e) {
                throw new PortalException(PortalException.Kind.INTERNAL, "cannot revert " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /** The kept snapshots, oldest first. @throws PortalException NOT_FOUND, INTERNAL */
    public List<SnapshotInfo> snapshots(String name) throws PortalException {
        PortalRuntime rt = runtime(name);
        try {
            return new SnapshotStore(rt.dir.resolve(SNAPSHOT_DIR)).list();
        } catch (IOException e) {
            throw new PortalException(PortalException.Kind.INTERNAL, "cannot list snapshots of " + name + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- console and events

    /**
     * The last lines of the portal's serial console, terminal escapes stripped.
     *
     * @throws PortalException NOT_FOUND, INVALID_ARGUMENT (lines outside 1..1000), INTERNAL
     */
    public List<String> consoleTail(String name, int lines) throws PortalException {
        if (lines < 1 || lines > MAX_TAIL_LINES) {
            throw new PortalException(PortalException.Kind.INVALID_ARGUMENT,
                    "lines must be between 1 and " + MAX_TAIL_LINES);
        }
        PortalRuntime rt = runtime(name);
        try {
            return ConsoleLog.tail(rt.dir.resolve(CONSOLE_FILE), lines);
        } catch (IOException e) {
            throw new PortalException(PortalException.Kind.INTERNAL, "cannot read the console of " + name + ": " + e.getMessage(), e);
        }
    }

    /** Subscribes to every portal's events. */
    public void addListener(PortalEventListener listener) {
        listeners.add(listener);
    }

    public void removeListener(PortalEventListener listener) {
        listeners.remove(listener);
    }

    private Consumer<VmEvent> listenerFor(PortalRuntime rt, long gen) {
        return ev -> vmEvents.execute(() -> onVmEvent(rt, gen, ev));
    }

    private void onVmEvent(PortalRuntime rt, long gen, VmEvent ev) {
        synchronized (rt) {
            boolean current = rt.generation == gen;
            switch (ev.kind()) {
                case STOP -> {
                    if (current && rt.state == PortalState.RUNNING) {
                        rt.state = PortalState.PAUSED;
                    }
                    publish(rt, PortalEvent.Kind.STOP, ev.detail(), null, List.of());
                }
                case RESUME -> {
                    if (current && rt.state == PortalState.PAUSED) {
                        rt.state = PortalState.RUNNING;
                    }
                    publish(rt, PortalEvent.Kind.RESUME, ev.detail(), null, List.of());
                }
                case RESET -> publish(rt, PortalEvent.Kind.RESET, ev.detail(), null, List.of());
                case SHUTDOWN -> {
                    if (current) {
                        rt.guestShutdown = true;
                    }
                    publish(rt, PortalEvent.Kind.SHUTDOWN, ev.detail(), null, List.of());
                }
                case EXIT -> {
                    boolean asked = !current || rt.expectingExit || rt.guestShutdown;
                    if (current && rt.handle != null) {
                        rt.handle = null;
                        rt.state = asked ? PortalState.STOPPED : PortalState.CRASHED;
                        rt.lastExit = asked ? ev.detail() : "crashed: " + ev.detail();
                    }
                    if (asked) {
                        publish(rt, PortalEvent.Kind.EXITED, ev.detail(), ev.exitStatus(), List.of());
                    } else {
                        List<String> tail = crashTail(rt);
                        LOG.log(Level.WARNING, "portal {0} crashed: {1}", rt.definition.name(), ev.detail());
                        publish(rt, PortalEvent.Kind.CRASHED, ev.detail(), ev.exitStatus(), tail);
                    }
                }
                default -> {
                }
            }
        }
    }

    private static List<String> crashTail(PortalRuntime rt) {
        try {
            return ConsoleLog.tail(rt.dir.resolve(CONSOLE_FILE), CRASH_REPORT_LINES);
        } catch (IOException e) {
            return List.of("(console log unreadable: " + e.getMessage() + ")");
        }
    }

    private void publish(PortalRuntime rt, PortalEvent.Kind kind, String detail, Integer status, List<String> tail) {
        PortalEvent event = new PortalEvent(rt.definition.name(), kind, detail, status, tail, Instant.now());
        notifier.execute(() -> {
            for (PortalEventListener l : listeners) {
                try {
                    l.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "portal event listener failed: {0}", e.toString());
                }
            }
        });
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Lets go of every running portal without stopping it (agent shutdown or upgrade): a
     * service opened later on the same state directory adopts them. The service is not
     * usable afterwards.
     */
    public void detach() {
        for (PortalRuntime rt : portals.values()) {
            synchronized (rt) {
                if (rt.handle != null) {
                    rt.handle.detach();
                    rt.handle = null;
                }
                rt.generation++;
            }
        }
        portals.clear();
        vmEvents.shutdown();
        notifier.shutdown();
    }

    /** Same as {@link #detach()}: closing the agent never stops portals. */
    @Override
    public void close() {
        detach();
    }

    // ---------------------------------------------------------------- helpers

    private PortalRuntime runtime(String name) throws PortalException {
        PortalName.validate(name);
        PortalRuntime rt = portals.get(name);
        if (rt == null) {
            throw new PortalException(PortalException.Kind.NOT_FOUND, "no portal named " + name);
        }
        return rt;
    }

    private VmHandle requireLive(PortalRuntime rt, String action) throws PortalException {
        refresh(rt);
        if (!rt.live() || rt.handle == null) {
            throw new PortalException(PortalException.Kind.FAILED_PRECONDITION,
                    "cannot " + action + " " + rt.definition.name() + ": it is " + rt.state.name().toLowerCase());
        }
        return rt.handle;
    }

    /** Asks the backend for the truth (QMP query-status and the process); call holding rt's monitor. */
    private void refresh(PortalRuntime rt) {
        VmHandle h = rt.handle;
        if (h == null) {
            return;
        }
        VmStatus s;
        try {
            s = h.status();
        } catch (HypervisorException e) {
            rt.warnings = appended(rt.warnings, e.getMessage());
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
                rt.handle = null;
                rt.state = asked ? PortalState.STOPPED : PortalState.CRASHED;
                if (rt.lastExit == null) {
                    rt.lastExit = asked ? "exited" : "crashed: the VM process is gone";
                }
            }
            default -> {
            }
        }
    }

    private static List<String> appended(List<String> list, String item) {
        if (list.contains(item)) {
            return list;
        }
        List<String> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    private static PortalInfo info(PortalRuntime rt) {
        return new PortalInfo(rt.definition, rt.state, rt.handle == null ? -1 : rt.handle.pid(), rt.warnings,
                rt.lastExit);
    }

    private static PortalException fromBackend(String action, HypervisorException e) {
        PortalException.Kind kind = switch (e.reason()) {
            case PRECONDITION -> PortalException.Kind.FAILED_PRECONDITION;
            case UNAVAILABLE -> PortalException.Kind.UNAVAILABLE;
            case FAILED -> PortalException.Kind.INTERNAL;
        };
        return new PortalException(kind, "cannot " + action + ": " + e.getMessage(), e);
    }

    private static VmSpec adoptionSpec(PortalRuntime rt) {
        PortalDefinition d = rt.definition;
        return new VmSpec(d.name(), d.cpus(), d.memoryMiB(), null, null, null, null, null, d.mac(), Map.of(), null, null,
                rt.dir.resolve(QMP_SOCKET), rt.dir.resolve(PID_FILE), rt.dir);
    }

    private static ExecutorService daemonThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
