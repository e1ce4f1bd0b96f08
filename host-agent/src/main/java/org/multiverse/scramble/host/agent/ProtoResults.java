package org.multiverse.scramble.host.agent;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.multiverse.scramble.host.portal.PortalDefinition;
import org.multiverse.scramble.host.portal.PortalState;
import org.multiverse.scramble.host.share.NinePShare;
import org.multiverse.scramble.host.share.ShareLink;
import org.multiverse.scramble.protocol.text.EscapeStripper;
import org.multiverse.scramble.protocol.v1.Ack;
import org.multiverse.scramble.protocol.v1.PortalInfo;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.ShareLinkInfo;
import org.multiverse.scramble.protocol.v1.ShareListResult;
import org.multiverse.scramble.protocol.v1.TextResult;

/** The backends' answers written as the protocol's typed results. */
final class ProtoResults {

    /** The overlay's file name in the portal's directory (the portal service's layout). */
    static final String OVERLAY_FILE = "overlay.qcow2";

    private ProtoResults() {}

    static PortalInfo portal(
            org.multiverse.scramble.host.portal.PortalInfo info, Path portalDir, PortalActivity activity, Instant now) {
        PortalDefinition d = info.definition();
        PortalInfo.Builder b = PortalInfo.newBuilder()
                .setName(d.name())
                .setType(d.type().tomlName())
                .setTemplate(d.template() == null ? "" : d.template())
                .setState(runState(info.state()))
                .setCpus(d.cpus())
                .setMemoryMib(d.memoryMiB())
                .setNetwork(d.network().tomlName())
                .setEphemeral(d.ephemeral())
                .setPid(info.pid())
                .setMac(d.mac());
        boolean live = info.state() == PortalState.RUNNING || info.state() == PortalState.PAUSED;
        if (live) {
            activity.uptimeMillis(d.name(), now).ifPresent(b::setUptimeMillis);
        }
        String last = activity.lastEvent(d.name()).orElse(info.lastExit());
        if (last != null) {
            b.setLastEvent(EscapeStripper.stripKeepingNewlines(last));
        }
        info.warnings().forEach(w -> b.addWarnings(EscapeStripper.stripKeepingNewlines(w)));
        if (portalDir != null) {
            Path overlay = portalDir.resolve(OVERLAY_FILE);
            if (Files.isRegularFile(overlay, LinkOption.NOFOLLOW_LINKS)) {
                b.setOverlay(overlay.toString());
            }
        }
        return b.build();
    }

    static Result of(PortalInfo info) {
        return Result.newBuilder().setPortalInfo(info).build();
    }

    static Result ack(String message) {
        return Result.newBuilder().setAck(Ack.newBuilder().setMessage(message)).build();
    }

    static Result text(String text) {
        return Result.newBuilder()
                .setText(TextResult.newBuilder().setText(text))
                .build();
    }

    static Result shares(String portal, List<ShareLink> links) {
        ShareListResult.Builder b =
                ShareListResult.newBuilder().setPortal(portal).setMountTag(NinePShare.MOUNT_TAG);
        for (ShareLink l : links) {
            b.addLinks(ShareLinkInfo.newBuilder()
                    .setAsName(l.name())
                    .setHostPath(l.hostPath().toString())
                    .setReadOnly(l.readOnly()));
        }
        return Result.newBuilder().setShareList(b).build();
    }

    /** The wire's state of a portal; exhaustive over the host's states. */
    static org.multiverse.scramble.protocol.v1.PortalRunState runState(PortalState state) {
        return switch (state) {
            case STOPPED -> org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_STOPPED;
            case RUNNING -> org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING;
            case PAUSED -> org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_PAUSED;
            case CRASHED -> org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_CRASHED;
        };
    }
}
