package org.multiverse.scramble.host.agent;

import org.multiverse.scramble.host.portal.PortalException;
import org.multiverse.scramble.host.portal.PortalLock;
import org.multiverse.scramble.host.portal.PortalService;
import org.multiverse.scramble.host.share.ShareException;
import org.multiverse.scramble.host.share.ShareLink;
import org.multiverse.scramble.host.share.ShareService;
import org.multiverse.scramble.host.share.Unlinked;
import org.multiverse.scramble.protocol.agent.CommandContext;
import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.agent.HandlerRegistry;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Result;

/**
 * The handlers of the 9p share commands. A link's host folder must lie under a root the agent
 * was started with ({@code --share-root}, checked by the share service) and under a root the
 * allowing policy rule names ({@code roots=}, checked here before and after).
 */
final class ShareHandlers {

    private final ShareService shares;
    private final PortalService portals;

    ShareHandlers(HostAgent agent) {
        this.shares = agent.shares;
        this.portals = agent.portals;
    }

    @FunctionalInterface
    private interface ShareCall<T> {
        T call() throws ShareException;
    }

    private static <T> T call(ShareCall<T> c) throws CommandException {
        try {
            return c.call();
        } catch (ShareException e) {
            throw Failures.of(e);
        }
    }

    void register(HandlerRegistry r) {
        r.register(Command.KindCase.SHARE_LIST, (ctx, cmd) -> {
            String portal = cmd.getShareList().getPortal();
            return ProtoResults.shares(portal, call(() -> shares.list(portal)));
        });
        r.register(
                Command.KindCase.SHARE_FSTAB,
                (ctx, cmd) -> ProtoResults.text(
                        call(() -> shares.fstab(cmd.getShareFstab().getPortal()))));
        r.register(Command.KindCase.SHARE_LINK, this::link);
        r.register(Command.KindCase.SHARE_UNLINK, (ctx, cmd) -> {
            String portal = cmd.getShareUnlink().getPortal();
            String name = cmd.getShareUnlink().getAsName();
            if (name.isEmpty()) {
                throw Failures.invalid("name the link to remove (see 'share list " + portal + "')");
            }
            Unlinked u = call(() -> shares.unlink(portal, name));
            return ProtoResults.ack("unlinked " + u.link().name() + " from " + portal + " (" + u.unmount() + ")"
                    + (u.mountPointRemoved()
                            ? ""
                            : "; its folder in the share was kept: something was written under it"));
        });
    }

    @SuppressWarnings("try") // the resource is the portal's lock: held for the block, not used in it
    private Result link(CommandContext ctx, Command cmd) throws CommandException {
        var l = cmd.getShareLink();
        PolicyRoots policyRoots = PolicyRoots.from(ctx.policyOptions());
        String asName = l.getAsName().isEmpty() ? null : l.getAsName();
        call(() -> shares.list(l.getPortal())); // the portal first: a bad or unknown name says so
        // Held so an undefine of this portal (which unlinks its share first) cannot interleave.
        try (PortalLock held = lockPortal(l.getPortal())) {
            policyRoots.precheck(l.getHostPath());
            ShareLink made = call(() -> shares.link(l.getPortal(), l.getHostPath(), asName, l.getReadOnly()));
            if (!policyRoots.allows(made.hostPath())) {
                // The folder changed between the policy's look and the share service's (a renamed
                // or swapped symlink): undo at once rather than keep a link the policy forbids.
                call(() -> shares.unlink(l.getPortal(), made.name()));
                throw policyRoots.refusal(l.getHostPath(), made.hostPath());
            }
            return ProtoResults.ack("linked " + made.hostPath() + " into " + l.getPortal() + " as " + made.name()
                    + (made.readOnly() ? " (read-only)" : " (read-write)"));
        }
    }

    /** The portal's lifecycle lock; NOT_FOUND when it was undefined since the share service saw it. */
    private PortalLock lockPortal(String portal) throws CommandException {
        try {
            return portals.lockPortal(portal);
        } catch (PortalException e) {
            throw Failures.of(e);
        }
    }
}
