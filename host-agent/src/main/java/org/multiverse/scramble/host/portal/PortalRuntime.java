package org.multiverse.scramble.host.portal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.multiverse.scramble.host.hypervisor.VmEvent;
import org.multiverse.scramble.host.hypervisor.VmHandle;

/**
 * The service's record of one defined portal, with the portal's two locks (see
 * {@link PortalService} for the order in which they are taken):
 * <ul>
 *   <li>{@link #lifecycle}: held by whoever starts, stops, kills, pauses, resumes, resets,
 *       snapshots, reverts or undefines the portal, for the whole operation, across the QEMU
 *       launch and QMP calls. It serialises the operations on this portal and on no other.</li>
 *   <li>the object's monitor, {@code synchronized (runtime)}: guards every mutable field below.
 *       It is held only to read or write them and to hand an event to the notifier, never
 *       across a QEMU launch, a QMP call or a wait, so {@code list()} and the VM events thread
 *       never wait for an operation in flight.</li>
 * </ul>
 */
final class PortalRuntime {

    final PortalDefinition definition;
    final Path dir;
    /** The portal's lifecycle lock; reentrant so the agent can hold it around a call that takes it. */
    final ReentrantLock lifecycle = new ReentrantLock();

    PortalState state = PortalState.STOPPED;
    VmHandle handle;
    /** Bumped at every start/adoption; events of an older VM change nothing. */
    long generation;
    /**
     * The generation being launched or adopted, or 0. Its VM's events wait in
     * {@link #heldEvents} until the launch ends, so STARTED (or ADOPTED) is published first,
     * as it was when the launch held the monitor.
     */
    long launching;
    /** Events of the generation being launched, in arrival order. */
    final List<VmEvent> heldEvents = new ArrayList<>();
    /** Set before the agent stops or kills the VM, so its exit is not a crash. */
    boolean expectingExit;
    /** Set when the guest reported SHUTDOWN, so the following exit is not a crash. */
    boolean guestShutdown;
    /** Whether the running VM boots from the overlay (false for a diskless start). */
    boolean diskInUse;

    List<String> warnings = new ArrayList<>();
    String lastExit;

    PortalRuntime(PortalDefinition definition, Path dir) {
        this.definition = definition;
        this.dir = dir;
    }

    /** Call holding the monitor. */
    boolean live() {
        return state == PortalState.RUNNING || state == PortalState.PAUSED;
    }

    /** What list and show report; call holding the monitor. */
    PortalInfo info() {
        List<String> shown = warnings;
        if (launching != 0) {
            // The state is the one before the start until QEMU answers; say why it may look stale.
            shown = new ArrayList<>(warnings);
            shown.add("a start of " + definition.name() + " is under way");
        }
        return new PortalInfo(definition, state, handle == null ? -1 : handle.pid(), shown, lastExit);
    }
}
