package org.multiverse.scramble.host.portal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multiverse.scramble.host.hypervisor.VmHandle;

/**
 * The service's record of one defined portal. Guarded by its own monitor: every field is
 * read and written only while holding {@code synchronized (runtime)}.
 */
final class PortalRuntime {

    final PortalDefinition definition;
    final Path dir;
    PortalState state = PortalState.STOPPED;
    VmHandle handle;
    /** Bumped at every start/adoption; events of an older VM change nothing. */
    long generation;
    /** Set before the agent stops or kills the VM, so its exit is not a crash. */
    boolean expectingExit;
    /** Set when the guest reported SHUTDOWN, so the following exit is not a crash. */
    boolean guestShutdown;
    /** Counted in the memory budget while a start is under way. */
    boolean starting;
    /** Whether the running VM boots from the overlay (false for a diskless start). */
    boolean diskInUse;
    List<String> warnings = new ArrayList<>();
    String lastExit;

    PortalRuntime(PortalDefinition definition, Path dir) {
        this.definition = definition;
        this.dir = dir;
    }

    boolean live() {
        return state == PortalState.RUNNING || state == PortalState.PAUSED;
    }
}
