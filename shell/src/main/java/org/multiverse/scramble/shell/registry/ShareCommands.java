package org.multiverse.scramble.shell.registry;

import static org.multiverse.scramble.shell.registry.CommandSpec.command;

import java.util.List;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Command.KindCase;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.ShareFstab;
import org.multiverse.scramble.protocol.v1.ShareLink;
import org.multiverse.scramble.protocol.v1.ShareList;
import org.multiverse.scramble.protocol.v1.ShareUnlink;

/** The host agent's 9p share commands: one share per portal, host folders linked into it. */
final class ShareCommands {

    private static final ArgSpec PORTAL = ArgSpec.positional("PORTAL", ArgType.NAME, LiveName.PORTAL, "the portal");

    private ShareCommands() {}

    static List<CommandSpec> all() {
        return List.of(
                command(KindCase.SHARE_LIST)
                        .help("The host folders linked into a portal's share.", "share list web")
                        .arg(PORTAL)
                        .answers(Result.KindCase.SHARE_LIST)
                        .builds((a, c) -> Command.newBuilder()
                                .setShareList(ShareList.newBuilder().setPortal(a.text("PORTAL")))
                                .build()),
                command(KindCase.SHARE_LINK)
                        .help(
                                "Link a host folder (under a root the policy allows) into a portal's share.",
                                "share link web /srv/multiverse/shared/docs --as docs --read-only")
                        .arg(PORTAL)
                        .arg(ArgSpec.positional("HOST-PATH", ArgType.HOST_PATH, null, "absolute host folder"))
                        .arg(ArgSpec.option("--as", ArgType.NAME, "name under the share root (default: last element)"))
                        .arg(ArgSpec.flag("--read-only", "the guest cannot write it"))
                        .answers(Result.KindCase.ACK)
                        .builds((a, c) -> Command.newBuilder()
                                .setShareLink(ShareLink.newBuilder()
                                        .setPortal(a.text("PORTAL"))
                                        .setHostPath(a.text("HOST-PATH"))
                                        .setAsName(a.textOr("--as", ""))
                                        .setReadOnly(a.flag("--read-only")))
                                .build()),
                command(KindCase.SHARE_UNLINK)
                        .help("Remove a linked folder from a portal's share.", "share unlink web docs")
                        .arg(PORTAL)
                        .arg(ArgSpec.positional("NAME", ArgType.NAME, null, "the link's name"))
                        .answers(Result.KindCase.ACK)
                        .builds((a, c) -> Command.newBuilder()
                                .setShareUnlink(ShareUnlink.newBuilder()
                                        .setPortal(a.text("PORTAL"))
                                        .setAsName(a.text("NAME")))
                                .build()),
                command(KindCase.SHARE_FSTAB)
                        .help("The guest's /etc/fstab line(s) for the share.", "share fstab web")
                        .arg(PORTAL)
                        .answers(Result.KindCase.TEXT)
                        .builds((a, c) -> Command.newBuilder()
                                .setShareFstab(ShareFstab.newBuilder().setPortal(a.text("PORTAL")))
                                .build()));
    }
}
