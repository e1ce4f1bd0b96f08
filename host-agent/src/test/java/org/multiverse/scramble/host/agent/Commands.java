package org.multiverse.scramble.host.agent;

import java.util.Map;
import org.multiverse.scramble.protocol.v1.AgentSubscribe;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.PortalConsoleTail;
import org.multiverse.scramble.protocol.v1.PortalDefine;
import org.multiverse.scramble.protocol.v1.PortalKill;
import org.multiverse.scramble.protocol.v1.PortalList;
import org.multiverse.scramble.protocol.v1.PortalPause;
import org.multiverse.scramble.protocol.v1.PortalReset;
import org.multiverse.scramble.protocol.v1.PortalResume;
import org.multiverse.scramble.protocol.v1.PortalRevert;
import org.multiverse.scramble.protocol.v1.PortalShow;
import org.multiverse.scramble.protocol.v1.PortalSnapshot;
import org.multiverse.scramble.protocol.v1.PortalSnapshotList;
import org.multiverse.scramble.protocol.v1.PortalStart;
import org.multiverse.scramble.protocol.v1.PortalStop;
import org.multiverse.scramble.protocol.v1.PortalUndefine;
import org.multiverse.scramble.protocol.v1.ShareFstab;
import org.multiverse.scramble.protocol.v1.ShareLink;
import org.multiverse.scramble.protocol.v1.ShareList;
import org.multiverse.scramble.protocol.v1.ShareUnlink;
import org.multiverse.scramble.protocol.v1.TemplateList;

/** The host commands as a shell would build them. */
final class Commands {

    private Commands() {}

    static Command list() {
        return Command.newBuilder()
                .setPortalList(PortalList.getDefaultInstance())
                .build();
    }

    static Command templates() {
        return Command.newBuilder()
                .setTemplateList(TemplateList.getDefaultInstance())
                .build();
    }

    static Command show(String n) {
        return Command.newBuilder()
                .setPortalShow(PortalShow.newBuilder().setName(n))
                .build();
    }

    static Command define(String n, String template, Map<String, String> overrides) {
        return Command.newBuilder()
                .setPortalDefine(PortalDefine.newBuilder()
                        .setName(n)
                        .setTemplate(template)
                        .putAllOverrides(overrides))
                .build();
    }

    static Command defineToml(String n, String toml) {
        return Command.newBuilder()
                .setPortalDefine(PortalDefine.newBuilder().setName(n).setDefinitionToml(toml))
                .build();
    }

    static Command undefine(String n) {
        return Command.newBuilder()
                .setPortalUndefine(PortalUndefine.newBuilder().setName(n))
                .build();
    }

    static Command start(String n) {
        return Command.newBuilder()
                .setPortalStart(PortalStart.newBuilder().setName(n))
                .build();
    }

    static Command stop(String n, int seconds) {
        return Command.newBuilder()
                .setPortalStop(PortalStop.newBuilder().setName(n).setTimeoutSeconds(seconds))
                .build();
    }

    static Command kill(String n) {
        return Command.newBuilder()
                .setPortalKill(PortalKill.newBuilder().setName(n))
                .build();
    }

    static Command pause(String n) {
        return Command.newBuilder()
                .setPortalPause(PortalPause.newBuilder().setName(n))
                .build();
    }

    static Command resume(String n) {
        return Command.newBuilder()
                .setPortalResume(PortalResume.newBuilder().setName(n))
                .build();
    }

    static Command reset(String n) {
        return Command.newBuilder()
                .setPortalReset(PortalReset.newBuilder().setName(n))
                .build();
    }

    static Command snapshot(String n, String tag) {
        return Command.newBuilder()
                .setPortalSnapshot(PortalSnapshot.newBuilder().setName(n).setTag(tag))
                .build();
    }

    static Command revert(String n, String tag) {
        return Command.newBuilder()
                .setPortalRevert(PortalRevert.newBuilder().setName(n).setTag(tag))
                .build();
    }

    static Command snapshots(String n) {
        return Command.newBuilder()
                .setPortalSnapshotList(PortalSnapshotList.newBuilder().setName(n))
                .build();
    }

    static Command tail(String n, int lines) {
        return Command.newBuilder()
                .setPortalConsoleTail(PortalConsoleTail.newBuilder().setName(n).setLines(lines))
                .build();
    }

    static Command shareList(String n) {
        return Command.newBuilder()
                .setShareList(ShareList.newBuilder().setPortal(n))
                .build();
    }

    static Command link(String n, String hostPath, String as, boolean readOnly) {
        return Command.newBuilder()
                .setShareLink(ShareLink.newBuilder()
                        .setPortal(n)
                        .setHostPath(hostPath)
                        .setAsName(as)
                        .setReadOnly(readOnly))
                .build();
    }

    static Command unlink(String n, String as) {
        return Command.newBuilder()
                .setShareUnlink(ShareUnlink.newBuilder().setPortal(n).setAsName(as))
                .build();
    }

    static Command fstab(String n) {
        return Command.newBuilder()
                .setShareFstab(ShareFstab.newBuilder().setPortal(n))
                .build();
    }

    static Command subscribe(String kind) {
        return Command.newBuilder()
                .setAgentSubscribe(AgentSubscribe.newBuilder().addKinds(kind))
                .build();
    }

    /** A diskless definition without network: it starts on any backend. */
    static String diskless(String name) {
        return "name = \"" + name + "\"\ntype = \"service\"\ncpus = 1\nmemory_mib = 64\nnetwork = \"none\"\n"
                + "channels = [\"org.multiverse.host.0\"]\n";
    }

    /** A definition with a disk image (the test creates the base file). */
    static String withDisk(String name, String image) {
        return diskless(name) + "image = \"" + image + "\"\nephemeral = false\n";
    }
}
