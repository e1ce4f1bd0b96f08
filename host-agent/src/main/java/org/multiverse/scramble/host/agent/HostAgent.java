package org.multiverse.scramble.host.agent;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import org.multiverse.scramble.host.hypervisor.Hypervisor;
import org.multiverse.scramble.host.portal.PortalException;
import org.multiverse.scramble.host.portal.PortalLock;
import org.multiverse.scramble.host.portal.PortalService;
import org.multiverse.scramble.host.portal.PortalServiceConfig;
import org.multiverse.scramble.host.portal.PortalState;
import org.multiverse.scramble.host.share.FstabGenerator;
import org.multiverse.scramble.host.share.Mounter;
import org.multiverse.scramble.host.share.RestoreOutcome;
import org.multiverse.scramble.host.share.ShareException;
import org.multiverse.scramble.host.share.ShareLink;
import org.multiverse.scramble.host.share.ShareService;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.v1.ErrorCode;

/**
 * The host agent's backends wired to one agent core: the portal service (which adopts the VMs
 * an earlier agent process left running), the share service (whose links are mounted again at
 * start), the event relay, and the handlers of every portal and share command.
 *
 * <p>Closing it lets go of the portals without stopping them: the next agent process adopts them.
 *
 * <p>A step that changes a portal's VM and its share together (undefine, which unlinks the share
 * first; a share link) holds that portal's lifecycle lock ({@link PortalService#lockPortal}) so
 * no start, stop or undefine of the same portal interleaves; other portals are not held up. Lock
 * order: the portal's lifecycle lock, then the share service's monitor, then the portal
 * service's short locks (see {@link PortalService}).
 */
final class HostAgent implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HostAgent.class.getName());

    final PortalService portals;
    final ShareService shares;
    final PortalActivity activity;
    private PortalAgentChannels agentChannels;
    private PortalAutostart autostart;

    private HostAgent(PortalService portals, ShareService shares, PortalActivity activity) {
        this.portals = portals;
        this.shares = shares;
        this.activity = activity;
    }

    /**
     * Opens the backends on {@code core}: adopts running VMs, restores share links, registers
     * the handlers.
     *
     * @param shareRoots the host folders under which links may point (the policy narrows them further)
     * @throws PortalException when the state directory cannot be used
     * @throws ShareException when the portals' shares cannot be listed at all
     */
    static HostAgent open(
            AgentCore core,
            PortalServiceConfig config,
            Hypervisor hypervisor,
            List<Path> shareRoots,
            Mounter mounter,
            FstabGenerator fstab)
            throws PortalException, ShareException {
        return open(core, config, hypervisor, shareRoots, mounter, fstab, null);
    }

    /**
     * Like {@link #open(AgentCore, PortalServiceConfig, Hypervisor, List, Mounter, FstabGenerator)},
     * then defines the portals declared in {@code declaredPortals} (null: none), serves the agent
     * channels of the running portals, and starts the autostart portals in the background.
     */
    static HostAgent open(
            AgentCore core,
            PortalServiceConfig config,
            Hypervisor hypervisor,
            List<Path> shareRoots,
            Mounter mounter,
            FstabGenerator fstab,
            Path declaredPortals)
            throws PortalException, ShareException {
        PortalActivity activity = new PortalActivity(core::events);
        PortalService portals = PortalService.open(config, hypervisor, List.of(activity));
        try {
            ShareService shares = new ShareService(new ServicePortalDirectories(portals), shareRoots, mounter, fstab);
            for (RestoreOutcome o : shares.restoreAll()) {
                if (o.status() == RestoreOutcome.Status.FAILED) {
                    LOG.log(
                            Level.WARNING,
                            "share link {0} of {1} not restored: {2}",
                            o.name(),
                            o.portal(),
                            o.message());
                }
            }
            if (declaredPortals != null) {
                try {
                    DeclaredPortals.load(declaredPortals, portals);
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("--portals " + declaredPortals + ": " + e.getMessage(), e);
                }
            }
            HostAgent agent = new HostAgent(portals, shares, activity);
            new PortalHandlers(agent).register(core.handlers());
            new ShareHandlers(agent).register(core.handlers());
            agent.agentChannels = new PortalAgentChannels(core, portals);
            portals.addListener(agent.agentChannels);
            agent.agentChannels.serveRunning();
            agent.autostart = PortalAutostart.begin(portals);
            LOG.log(
                    Level.INFO,
                    "portals on {0}; {1} defined",
                    portals.backend(),
                    portals.list().size());
            return agent;
        } catch (RuntimeException | ShareException e) {
            portals.close();
            throw e;
        }
    }

    /**
     * Undefines a stopped portal: unlinks every share link (so no bind mount can be deleted
     * through), removes the agent's share files, then the definition and the portal's files.
     * A running portal is refused before anything is touched.
     */
    @SuppressWarnings("try") // the resource is the portal's lock: held for the block, not used in it
    void undefine(String name) throws CommandException {
        try (PortalLock held = portals.lockPortal(name)) {
            PortalState state = portals.show(name).state();
            if (state == PortalState.RUNNING || state == PortalState.PAUSED) {
                throw new CommandException(
                        ErrorCode.FAILED_PRECONDITION,
                        "portal " + name + " is " + state.name().toLowerCase(java.util.Locale.ROOT)
                                + "; stop it before undefining it");
            }
            for (ShareLink link : shares.list(name)) {
                shares.unlink(name, link.name());
            }
            shares.release(name);
            portals.undefine(name);
            activity.forget(name);
        } catch (PortalException e) {
            throw Failures.of(e);
        } catch (ShareException e) {
            throw Failures.of(e);
        }
    }

    /** The portal channels served and routed (tests, diagnostics). */
    PortalAgentChannels agentChannels() {
        return agentChannels;
    }

    /** Waits until the autostart portals have been tried (tests). */
    void awaitAutostart(long millis) throws InterruptedException {
        autostart.awaitDone(millis);
    }

    /** Lets go of the portals (they keep running) for the next agent process to adopt. */
    @Override
    public void close() {
        try {
            autostart.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        agentChannels.close();
        portals.close();
    }
}
