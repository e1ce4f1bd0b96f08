package org.multiverse.scramble.host.agent;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.multiverse.scramble.host.portal.PortalDefinition;
import org.multiverse.scramble.host.portal.PortalEvent;
import org.multiverse.scramble.host.portal.PortalEventListener;
import org.multiverse.scramble.host.portal.PortalException;
import org.multiverse.scramble.host.portal.PortalInfo;
import org.multiverse.scramble.host.portal.PortalService;
import org.multiverse.scramble.host.portal.PortalState;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;

/**
 * Serves the agent channels portals declare, for as long as each portal runs: no socket path is
 * ever wired by hand.
 * <ul>
 *   <li>{@code serve = ["org.multiverse.host.0"]}: the host agent serves its own commands on that
 *       virtio-serial channel (the User Controller's shell talks to it there). QEMU owns the
 *       channel's socket, so serving means dialling it, and dialling again after it drops.</li>
 *   <li>{@code routes = ["router=org.multiverse.controller.0"]}: envelopes routed to {@code router}
 *       are relayed through that channel to the agent inside the portal (the Router Controller).</li>
 * </ul>
 * A channel is opened when its portal starts or is adopted after an agent restart, and closed
 * when its VM process ends. Opening and closing are idempotent, so a start seen both as an event
 * and by {@link #serveRunning()} opens once.
 */
final class PortalAgentChannels implements PortalEventListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PortalAgentChannels.class.getName());

    private final AgentCore core;
    private final PortalService portals;
    /** What is open per portal; guarded by {@code this}. */
    private final Map<String, Opened> open = new HashMap<>();

    private boolean closed;

    /** The dialers serving a portal's channels and the routes it carries. */
    private record Opened(List<Listener> served, List<String> routes) {}

    PortalAgentChannels(AgentCore core, PortalService portals) {
        this.core = core;
        this.portals = portals;
    }

    /** Opens the channels of every portal running now (those adopted before this listened). */
    void serveRunning() {
        for (PortalInfo info : portals.list()) {
            if (info.state() == PortalState.RUNNING || info.state() == PortalState.PAUSED) {
                openFor(info.name());
            }
        }
    }

    @Override
    public void onEvent(PortalEvent event) {
        switch (event.kind()) {
            case STARTED, ADOPTED -> openFor(event.portal());
            case EXITED, CRASHED -> {
                // A reset or revert replaces the VM: the old one's exit may be reported after the
                // new one's start. Its channels are the new VM's now, so they stay.
                if (!runsNow(event.portal())) {
                    closeFor(event.portal());
                }
            }
            default -> {
                // Pause, resume, guest reset: the VM process and its sockets stay.
            }
        }
    }

    /** The channel URIs a portal's agent channels use, for {@code agent status} and tests. */
    synchronized List<String> describe(String portal) {
        Opened o = open.get(portal);
        if (o == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        o.served().forEach(l -> out.add("serving " + l.uri()));
        o.routes().forEach(r -> out.add("route " + r));
        return out;
    }

    private synchronized void openFor(String name) {
        if (closed || open.containsKey(name)) {
            return;
        }
        PortalDefinition d;
        Path dir;
        try {
            d = portals.show(name).definition();
            dir = portals.portalDir(name);
        } catch (PortalException e) {
            return; // undefined meanwhile
        }
        if (!d.hasAgentChannels()) {
            return;
        }
        List<Listener> served = new ArrayList<>();
        List<String> routes = new ArrayList<>();
        for (String channel : d.serve()) {
            TransportUri uri = socketOf(dir, channel);
            try {
                served.add(Transports.listen(uri, core::attach));
                LOG.log(Level.INFO, "serving agent commands on portal {0} channel {1}", name, channel);
            } catch (java.io.IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot serve portal {0} channel {1}: {2}", name, channel, e.getMessage());
            }
        }
        d.routes().forEach((route, channel) -> {
            try {
                core.addRoute(route, socketOf(dir, channel));
                routes.add(route);
                LOG.log(Level.INFO, "route {0} goes through portal {1} channel {2}", route, name, channel);
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "portal {0}: route {1} not added: {2}", name, route, e.getMessage());
            }
        });
        open.put(name, new Opened(served, routes));
    }

    private boolean runsNow(String name) {
        try {
            PortalState state = portals.show(name).state();
            return state == PortalState.RUNNING || state == PortalState.PAUSED;
        } catch (PortalException undefined) {
            return false;
        }
    }

    private synchronized void closeFor(String name) {
        Opened o = open.remove(name);
        if (o != null) {
            release(o);
        }
    }

    private void release(Opened o) {
        o.served().forEach(PortalAgentChannels::closeQuietly);
        o.routes().forEach(core::removeRoute);
    }

    /** QEMU's socket for a portal's virtio-serial channel, where {@code PortalService} puts it. */
    private static TransportUri socketOf(Path portalDir, String channel) {
        return TransportUri.parse("chardev:" + portalDir.resolve(channel + ".sock"));
    }

    private static void closeQuietly(Listener l) {
        try {
            l.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing {0}: {1}", l.uri(), e.getMessage());
        }
    }

    /** Stops serving every channel (the portals keep running; the next agent process serves them). */
    @Override
    public synchronized void close() {
        closed = true;
        open.values().forEach(this::release);
        open.clear();
    }
}
