package org.multiverse.scramble.host.portal;

import static org.multiverse.scramble.host.portal.PortalFiles.CONSOLE_FILE;
import static org.multiverse.scramble.host.portal.PortalFiles.SHARE_DIR;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.multiverse.scramble.host.hypervisor.Hypervisor;

/**
 * The portal facade the agent's command handlers call: definitions, lifecycle, disk
 * resets, snapshots, console tails and events, on whichever {@link Hypervisor} runs. It
 * delegates to three parts:
 * <ul>
 *   <li>{@link PortalRegistry}: the defined portals (definitions, names, directories) and the
 *       limits on defining them (portal count, route-name uniqueness, socket path length);</li>
 *   <li>{@link PortalLifecycle}: start, stop, kill, pause, resume, reset, adoption after an
 *       agent restart, and the VMs' events, with the {@link MemoryBudget} ledger;</li>
 *   <li>{@link PortalSnapshots}: snapshot, revert and list, with retention.</li>
 * </ul>
 * Events reach listeners through {@link PortalEvents}, on one notification thread, in the
 * order of each portal's state changes.
 *
 * <p>State on disk is described in {@link PortalFiles}. Opening the service on an existing
 * state directory adopts every VM still running from an earlier agent process: none is
 * orphaned, none started twice.
 *
 * <p><b>Locks.</b> Each portal has its own <em>lifecycle lock</em>, held for a whole
 * operation on it (start, stop, kill, pause, resume, reset, snapshot, revert, undefine), across
 * the QEMU launch (up to the backend's start timeout, 30 s by default), QMP calls and disk
 * copies. An operation on one portal therefore never waits for another portal, and
 * {@link #list()}, {@link #show(String)} and the VM events thread never wait for an operation:
 * they only take the short locks. The lock order, the only one in which locks are ever taken:
 * <ol>
 *   <li>a portal's lifecycle lock ({@code PortalRuntime.lifecycle}); a thread holds at most
 *       one portal's lifecycle lock (no operation spans two portals);</li>
 *   <li>that portal's monitor ({@code synchronized (runtime)}): its state fields, and queueing
 *       its events; held for a few assignments, never across a QEMU launch, a QMP call, a wait
 *       or a file copy; a thread holds at most one portal's monitor;</li>
 *   <li>the registry's monitor or the memory budget's monitor: leaf locks, held for a few map
 *       operations; nothing is taken while holding one, and never both at once.</li>
 * </ol>
 * That is: portal lock, then portal monitor, then registry or budget lock; never the other
 * way. A lock may be taken without the ones before it ({@code list()} takes monitors only),
 * never while holding one after it. Listeners run on the notification thread holding none.
 *
 * <p>All methods are thread-safe. Errors are {@link PortalException}s with a kind and a
 * message for a person.
 */
public final class PortalService implements AutoCloseable {

    /** Longest ACPI wait a person may ask for before the force. */
    public static final Duration MAX_STOP_TIMEOUT = Duration.ofMinutes(10);
    /** Most console lines one tail returns. */
    public static final int MAX_TAIL_LINES = 1000;

    private final PortalServiceConfig config;
    private final Hypervisor hypervisor;
    private final PortalRegistry registry;
    private final MemoryBudget budget;
    private final PortalEvents events = new PortalEvents();
    private final PortalLifecycle lifecycle;
    private final PortalSnapshots snapshots;

    private PortalService(PortalServiceConfig config, Hypervisor hypervisor) {
        this.config = config;
        this.hypervisor = hypervisor;
        this.registry = new PortalRegistry(config.stateDir().resolve(PortalFiles.PORTALS_DIR), config.maxPortals());
        this.budget = new MemoryBudget(config.memoryBudgetMiB());
        this.lifecycle = new PortalLifecycle(config, hypervisor, budget, events);
        this.snapshots = new PortalSnapshots(lifecycle, config.snapshotRetention());
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
    public static PortalService open(
            PortalServiceConfig config, Hypervisor hypervisor, List<PortalEventListener> listeners)
            throws PortalException {
        PortalService s = new PortalService(config, hypervisor);
        listeners.forEach(s.events::add);
        for (PortalRuntime rt : s.registry.load()) {
            rt.lifecycle.lock();
            try {
                s.lifecycle.adopt(rt);
            } finally {
                rt.lifecycle.unlock();
            }
        }
        return s;
    }

    /** An operation on one portal, run with its lifecycle lock held. */
    @FunctionalInterface
    private interface Operation<T> {
        T on(PortalRuntime rt) throws PortalException;
    }

    /** Runs an operation holding the portal's lifecycle lock, which waits only for that portal. */
    private <T> T locked(String name, Operation<T> op) throws PortalException {
        PortalRuntime rt = registry.acquire(name);
        try {
            return op.on(rt);
        } finally {
            rt.lifecycle.unlock();
        }
    }

    // ---------------------------------------------------------------- queries

    /**
     * Every defined portal, by name, with its recorded state (kept current by the VMs' events
     * and by each operation). Never waits for an operation in flight: a portal being started
     * shows its state before the start, with a warning saying a start is under way.
     */
    public List<PortalInfo> list() {
        List<PortalInfo> out = new ArrayList<>();
        for (PortalRuntime rt : registry.all()) {
            out.add(lifecycle.info(rt));
        }
        return out;
    }

    /**
     * One portal, with its state asked from the backend now; while an operation on that
     * portal is under way, its recorded state at once instead (see {@link #list()}).
     *
     * @throws PortalException NOT_FOUND
     */
    public PortalInfo show(String name) throws PortalException {
        return lifecycle.show(registry.get(name));
    }

    /** The template tree. */
    public List<PortalTemplate> templates() {
        return config.templates().all();
    }

    /** The portal's directory under the state dir. @throws PortalException NOT_FOUND */
    public Path portalDir(String name) throws PortalException {
        return registry.get(name).dir;
    }

    /** The portal's 9p share root ({@code portalDir/share}), created on define. @throws PortalException NOT_FOUND */
    public Path shareRoot(String name) throws PortalException {
        return registry.get(name).dir.resolve(SHARE_DIR);
    }

    /** A one-line description of the backend. */
    public String backend() {
        return hypervisor.describe();
    }

    /**
     * Holds the portal's lifecycle lock until the returned lock is closed, for a step made of
     * several calls on that portal; waits for an operation in flight on that portal only.
     *
     * @throws PortalException INVALID_ARGUMENT (name), NOT_FOUND
     */
    public PortalLock lockPortal(String name) throws PortalException {
        return new PortalLock(registry.acquire(name).lifecycle);
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
        return lifecycle.info(registry.register(d));
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
            d = DefinitionParser.parse(PortalFiles.DEFINITION_FILE, text);
        } catch (DefinitionException e) {
            throw new PortalException(PortalException.Kind.INVALID_ARGUMENT, e.getMessage(), e);
        }
        return lifecycle.info(registry.register(d));
    }

    /**
     * Removes a stopped portal's definition and files. Refused while it runs, and while
     * its share still holds links (the share engineer's bind mounts must be undone first:
     * deleting through a mount would delete the host's files).
     *
     * @throws PortalException NOT_FOUND, FAILED_PRECONDITION
     */
    public void undefine(String name) throws PortalException {
        locked(name, rt -> {
            lifecycle.requireStopped(rt);
            registry.remove(rt);
            return null;
        });
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
        return locked(name, lifecycle::start);
    }

    /**
     * Stops a portal: the ACPI power button through QMP, then SIGKILL when the guest has
     * not powered off within {@code timeout} (a diskless guest never does).
     *
     * @throws PortalException NOT_FOUND, INVALID_ARGUMENT (timeout), FAILED_PRECONDITION (not running)
     */
    public PortalInfo stop(String name, Duration timeout) throws PortalException {
        if (timeout == null || timeout.isNegative() || timeout.compareTo(MAX_STOP_TIMEOUT) > 0) {
            throw new PortalException(
                    PortalException.Kind.INVALID_ARGUMENT,
                    "stop timeout must be between 0 and " + MAX_STOP_TIMEOUT.toMinutes() + " minutes");
        }
        return locked(name, rt -> lifecycle.stop(rt, timeout));
    }

    /** Ends a portal's VM at once (SIGKILL). @throws PortalException NOT_FOUND, FAILED_PRECONDITION */
    public PortalInfo kill(String name) throws PortalException {
        return locked(name, lifecycle::kill);
    }

    /** Freezes a running portal's CPUs. @throws PortalException NOT_FOUND, FAILED_PRECONDITION, UNAVAILABLE */
    public PortalInfo pause(String name) throws PortalException {
        return locked(name, lifecycle::pause);
    }

    /** Lets a paused portal run again. @throws PortalException NOT_FOUND, FAILED_PRECONDITION, UNAVAILABLE */
    public PortalInfo resume(String name) throws PortalException {
        return locked(name, lifecycle::resume);
    }

    /**
     * Discards the portal's disk changes: a new overlay from the base (a new file), and a
     * restart if the portal was running (its memory state is discarded with the disk).
     *
     * @throws PortalException NOT_FOUND, UNAVAILABLE, INTERNAL
     */
    public PortalInfo reset(String name) throws PortalException {
        return locked(name, lifecycle::reset);
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
        return locked(name, rt -> snapshots.take(rt, tag));
    }

    /**
     * Boots an earlier disk state: the snapshot becomes the overlay (a copy, the snapshot
     * stays), and a running portal restarts on it; a stopped one boots it at its next start.
     *
     * @throws PortalException NOT_FOUND (portal or tag), INVALID_ARGUMENT, INTERNAL
     */
    public PortalInfo revert(String name, String tag) throws PortalException {
        SnapshotStore.validateTag(tag);
        return locked(name, rt -> snapshots.revert(rt, tag));
    }

    /** The kept snapshots, oldest first. @throws PortalException NOT_FOUND, INTERNAL */
    public List<SnapshotInfo> snapshots(String name) throws PortalException {
        return snapshots.list(registry.get(name));
    }

    // ---------------------------------------------------------------- console and events

    /**
     * The last lines of the portal's serial console, terminal escapes stripped.
     *
     * @throws PortalException NOT_FOUND, INVALID_ARGUMENT (lines outside 1..1000), INTERNAL
     */
    public List<String> consoleTail(String name, int lines) throws PortalException {
        if (lines < 1 || lines > MAX_TAIL_LINES) {
            throw new PortalException(
                    PortalException.Kind.INVALID_ARGUMENT, "lines must be between 1 and " + MAX_TAIL_LINES);
        }
        PortalRuntime rt = registry.get(name);
        try {
            return ConsoleLog.tail(rt.dir.resolve(CONSOLE_FILE), lines);
        } catch (IOException e) {
            throw new PortalException(
                    PortalException.Kind.INTERNAL, "cannot read the console of " + name + ": " + e.getMessage(), e);
        }
    }

    /** Subscribes to every portal's events. */
    public void addListener(PortalEventListener listener) {
        events.add(listener);
    }

    public void removeListener(PortalEventListener listener) {
        events.remove(listener);
    }

    /** MiB of memory reserved by running and starting portals now (tests, diagnostics). */
    long reservedMemoryMiB() {
        return budget.usedMiB();
    }

    /** How many portals hold a memory reservation now (tests, diagnostics). */
    int memoryHolders() {
        return budget.holders();
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Lets go of every running portal without stopping it (agent shutdown or upgrade): a
     * service opened later on the same state directory adopts them. An operation in flight
     * on a portal finishes first. The service is not usable afterwards.
     */
    public void detach() {
        lifecycle.detach(registry.all());
        registry.clear();
        events.shutdown();
    }

    /** Same as {@link #detach()}: closing the agent never stops portals. */
    @Override
    public void close() {
        detach();
    }
}
