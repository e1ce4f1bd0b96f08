package org.multiverse.scramble.host.portal;

import java.util.HashMap;
import java.util.Map;

/**
 * The memory all portals' VMs may have together, as a ledger of reservations: a portal
 * reserves its memory before its VM is launched, keeps it while the VM runs or is paused,
 * and gives it back when the VM is gone (stopped, killed, crashed) or its launch failed.
 *
 * <p>A ledger rather than a sum over the portals' states: the sum would have to read every
 * other portal's state, under their locks or racing with them, while a ledger only needs its
 * own. Reserving twice for the same portal counts once, and so does releasing, so each
 * running portal is accounted exactly once whatever the interleaving.
 *
 * <p>Thread-safe; its monitor is a leaf lock: held for a few map operations, nothing else is
 * taken while it is held.
 */
final class MemoryBudget {

    private final long limitMiB;
    /** MiB held per portal; keyed by the runtime (identity), so a redefined name is another entry. */
    private final Map<PortalRuntime, Long> held = new HashMap<>();

    MemoryBudget(long limitMiB) {
        this.limitMiB = limitMiB;
    }

    /**
     * Reserves the portal's memory for a start; does nothing when it holds it already.
     *
     * @throws PortalException RESOURCE_EXHAUSTED when the other reservations leave too little
     */
    synchronized void reserve(PortalRuntime rt) throws PortalException {
        if (held.containsKey(rt)) {
            return;
        }
        long used = usedMiB();
        long want = rt.definition.memoryMiB();
        if (used + want > limitMiB) {
            throw new PortalException(
                    PortalException.Kind.RESOURCE_EXHAUSTED,
                    "cannot start "
                            + rt.definition.name() + ": it needs " + want + " MiB and running portals use " + used
                            + " of the " + limitMiB + " MiB this host allows; stop a portal first");
        }
        held.put(rt, want);
    }

    /**
     * Counts a VM found running after an agent restart. Never refused: the VM runs whatever the
     * budget says, and leaving it out would let new starts overcommit the host.
     */
    synchronized void hold(PortalRuntime rt) {
        held.putIfAbsent(rt, (long) rt.definition.memoryMiB());
    }

    /** Gives the portal's memory back; does nothing when it holds none. */
    synchronized void release(PortalRuntime rt) {
        held.remove(rt);
    }

    /** MiB reserved by all portals now. */
    synchronized long usedMiB() {
        return held.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The portals holding a reservation now (tests and diagnostics). */
    synchronized int holders() {
        return held.size();
    }
}
