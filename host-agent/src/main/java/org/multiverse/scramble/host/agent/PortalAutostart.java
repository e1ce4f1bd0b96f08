package org.multiverse.scramble.host.agent;

import java.lang.System.Logger.Level;
import java.util.Comparator;
import java.util.List;
import org.multiverse.scramble.host.portal.PortalDefinition;
import org.multiverse.scramble.host.portal.PortalException;
import org.multiverse.scramble.host.portal.PortalInfo;
import org.multiverse.scramble.host.portal.PortalLock;
import org.multiverse.scramble.host.portal.PortalService;
import org.multiverse.scramble.host.portal.PortalState;

/**
 * Starts the portals marked {@code autostart = true} when the host agent starts, like libvirt's
 * autostart: lower {@code autostart_order} first, ties by name, one after the other (the Router
 * Controller before the User Controller, so the person's first router command finds its route).
 * Portals already running (adopted from an earlier agent process) are left alone. A portal that
 * fails to start is logged and the next one is tried: one broken image must not keep the person
 * out of their User Controller.
 *
 * <p>It runs on its own thread, so the agent serves its sockets while QEMU boots.
 */
final class PortalAutostart implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PortalAutostart.class.getName());

    /** Autostart order: the declared order, then the name, so the order never depends on a directory listing. */
    static final Comparator<PortalDefinition> ORDER =
            Comparator.comparingInt(PortalDefinition::autostartOrder).thenComparing(PortalDefinition::name);

    private final Thread thread;
    private volatile boolean closed;

    private PortalAutostart(PortalService portals) {
        this.thread = new Thread(() -> run(portals), "portal-autostart");
        this.thread.setDaemon(true);
    }

    /** Starts the autostart portals in the background. */
    static PortalAutostart begin(PortalService portals) {
        PortalAutostart a = new PortalAutostart(portals);
        a.thread.start();
        return a;
    }

    /** The names of the portals that autostart would start now, in order. */
    static List<String> due(List<PortalInfo> portals) {
        return portals.stream()
                .filter(p -> p.definition().autostart())
                .filter(p -> p.state() != PortalState.RUNNING && p.state() != PortalState.PAUSED)
                .map(PortalInfo::definition)
                .sorted(ORDER)
                .map(PortalDefinition::name)
                .toList();
    }

    @SuppressWarnings("try") // the resource is the portal's lock: held for the block, not used in it
    private void run(PortalService portals) {
        for (String name : due(portals.list())) {
            if (closed) {
                return;
            }
            // The portal's lock, so the check and the start are one step: a start by a command
            // in between would make this one fail as "already running".
            try (PortalLock held = portals.lockPortal(name)) {
                PortalState state = portals.show(name).state();
                if (state == PortalState.RUNNING || state == PortalState.PAUSED) {
                    continue; // started by a command meanwhile
                }
                portals.start(name);
                LOG.log(Level.INFO, "autostart: portal {0} started", name);
            } catch (PortalException e) {
                LOG.log(Level.WARNING, "autostart: portal {0} did not start: {1}", name, e.getMessage());
            }
        }
    }

    /** Starts no further portal; one being started finishes its start. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(PortalService.MAX_STOP_TIMEOUT.toMillis());
    }

    /** Waits until every autostart portal has been tried (tests, and a clean shutdown). */
    void awaitDone(long millis) throws InterruptedException {
        thread.join(millis);
    }
}
