package org.multiverse.scramble.shell.registry;

import static org.multiverse.scramble.shell.registry.CommandSpec.command;

import java.util.List;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Command.KindCase;
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
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.TemplateList;
import org.multiverse.scramble.shell.ShellFailure;

/** The host agent's portal commands. */
final class PortalCommands {

    private static final ArgSpec PORTAL = ArgSpec.positional("NAME", ArgType.NAME, LiveName.PORTAL, "the portal");

    private PortalCommands() {}

    static List<CommandSpec> all() {
        return List.of(
                command(KindCase.PORTAL_LIST)
                        .help("Every defined portal with its state.", "portal list")
                        .answers(Result.KindCase.PORTAL_LIST)
                        .builds((a, c) -> Command.newBuilder()
                                .setPortalList(PortalList.getDefaultInstance())
                                .build()),
                command(KindCase.PORTAL_SHOW)
                        .help("One portal in detail.", "portal show web")
                        .arg(PORTAL)
                        .answers(Result.KindCase.PORTAL_INFO)
                        .builds((a, c) -> Command.newBuilder()
                                .setPortalShow(PortalShow.newBuilder().setName(a.text("NAME")))
                                .build()),
                command(KindCase.PORTAL_DEFINE)
                        .help(
                                "Define a portal from a template (with --set overrides) or from a TOML definition file.",
                                "portal define web --template application/browser/firefox --set memory=2048M")
                        .arg(ArgSpec.positional("NAME", ArgType.NAME, null, "the new portal's name"))
                        .arg(ArgSpec.option(
                                "--template",
                                ArgType.TEMPLATE_PATH,
                                LiveName.TEMPLATE,
                                "template from the portal tree"))
                        .arg(ArgSpec.repeated(
                                "--set",
                                ArgType.KEY_VALUE,
                                "override a template field: cpus=2, " + "memory=1024M, network=star"))
                        .arg(ArgSpec.option(
                                "--definition", ArgType.FILE, "a full TOML definition instead of a template"))
                        .answers(Result.KindCase.PORTAL_INFO)
                        .builds((a, c) -> {
                            boolean template = a.has("--template");
                            if (template == a.has("--definition")) {
                                throw ShellFailure.usage(
                                        "portal define needs exactly one of --template or --definition");
                            }
                            if (!template && a.has("--set")) {
                                throw ShellFailure.usage("--set overrides a template; it cannot go with --definition");
                            }
                            PortalDefine.Builder b = PortalDefine.newBuilder().setName(a.text("NAME"));
                            if (template) {
                                b.setTemplate(a.text("--template")).putAllOverrides(a.keyValues("--set"));
                            } else {
                                b.setDefinitionToml(a.text("--definition"));
                            }
                            return Command.newBuilder().setPortalDefine(b).build();
                        }),
                command(KindCase.PORTAL_UNDEFINE)
                        .help("Remove a stopped portal's definition.", "portal undefine web")
                        .arg(PORTAL)
                        .answers(Result.KindCase.ACK)
                        .builds((a, c) -> Command.newBuilder()
                                .setPortalUndefine(PortalUndefine.newBuilder().setName(a.text("NAME")))
                                .build()),
                command(KindCase.PORTAL_START)
                        .help("Start a portal on a fresh ephemeral overlay.", "portal start web")
                        .arg(PORTAL)
                        .answers(Result.KindCase.PORTAL_INFO)
                        .builds((a, c) -> Command.newBuilder()
                                .setPortalStart(PortalStart.newBuilder().setName(a.text("NAME")))
                                .build()),
                command(KindCase.PORTAL_STOP)
                        .help("ACPI power-down, then force after the timeout.", "portal stop web --timeout 30")
                        .arg(PORTAL)
                        .arg(ArgSpec.option("--timeout", ArgType.UINT, "seconds before forcing (default: agent's)"))
                        .answers(Result.KindCase.PORTAL_INFO)
                        .builds((a, c) -> Command.newBuilder()
                                .setPortalStop(PortalStop.newBuilder()
                                        .setName(a.text("NAME"))
                                        .setTimeoutSeconds(a.uint("--timeout", 0)))
                                .build()),
                command(KindCase.PORTAL_KILL)
                        .help("Stop a portal at once.", "portal kill web")
                        .arg(PORTAL)
                        .answers(Result.KindCase.PORTAL_INFO)
                        .builds((a, c) -> Command.newBuilder()
                                .setPortalKill(PortalKill.newBuilder().setName(a.text("NAME")))
                                .build()),
                command(KindCase.PORTAL_PAUSE)
                        .help("Freeze a running portal.", "portal pause web")
                        .arg(PORTAL)
                        .answers(Result.KindCase.PORTAL_INFO)
                        .builds((a, c) -> Command.newBuilder()
                                .setPortalPause(PortalPause.newBuilder().setName(a.text("NAME")))
                                .build()),
                command(KindCase.PORTAL_RESUME)
                        .help("Continue a paused portal.", "portal resume web")
                        .arg(PORTAL)
                        .answers(Result.KindCase.PORTAL_INFO)
                        .builds((a, c) -> Command.newBuilder()
                                .setPortalResume(PortalResume.newBuilder().setName(a.text("NAME")))
                                .build()),
                command(KindCase.PORTAL_RESET)
                        .help("Discard the overlay and make a new one (restarts a running portal).", "portal reset web")
                        .arg(PORTAL)
                        .answers(Result.KindCase.PORTAL_INFO)
                        .builds((a, c) -> Command.newBuilder()
                                .setPortalReset(PortalReset.newBuilder().setName(a.text("NAME")))
                                .build()),
                command(KindCase.PORTAL_SNAPSHOT)
                        .help("Keep the portal's current state under TAG.", "portal snapshot web before-update")
                        .arg(PORTAL)
                        .arg(ArgSpec.positional("TAG", ArgType.NAME, null, "snapshot tag"))
                        .answers(Result.KindCase.ACK)
                        .builds((a, c) -> Command.newBuilder()
                                .setPortalSnapshot(PortalSnapshot.newBuilder()
                                        .setName(a.text("NAME"))
                                        .setTag(a.text("TAG")))
                                .build()),
                command(KindCase.PORTAL_REVERT)
                        .help("Boot an earlier state of the portal (time dilation).", "portal revert web before-update")
                        .arg(PORTAL)
                        .arg(ArgSpec.positional("TAG", ArgType.NAME, LiveName.SNAPSHOT, "snapshot tag"))
                        .answers(Result.KindCase.PORTAL_INFO)
                        .builds((a, c) -> Command.newBuilder()
                                .setPortalRevert(PortalRevert.newBuilder()
                                        .setName(a.text("NAME"))
                                        .setTag(a.text("TAG")))
                                .build()),
                command(KindCase.PORTAL_SNAPSHOT_LIST)
                        .help("The snapshot tags of a portal.", "portal snapshot list web")
                        .arg(PORTAL)
                        .answers(Result.KindCase.SNAPSHOT_LIST)
                        .builds((a, c) -> Command.newBuilder()
                                .setPortalSnapshotList(
                                        PortalSnapshotList.newBuilder().setName(a.text("NAME")))
                                .build()),
                command(KindCase.PORTAL_CONSOLE_TAIL)
                        .help("The last lines of a portal's console log.", "portal console tail web -n 50")
                        .arg(PORTAL)
                        .arg(ArgSpec.option("--lines", ArgType.UINT, "how many lines", "-n"))
                        .answers(Result.KindCase.CONSOLE_LINES)
                        .builds((a, c) -> Command.newBuilder()
                                .setPortalConsoleTail(PortalConsoleTail.newBuilder()
                                        .setName(a.text("NAME"))
                                        .setLines(a.uint("--lines", 0)))
                                .build()),
                command(KindCase.TEMPLATE_LIST)
                        .help("The template tree portals are defined from.", "portal templates")
                        .answers(Result.KindCase.TEMPLATE_LIST)
                        .builds((a, c) -> Command.newBuilder()
                                .setTemplateList(TemplateList.getDefaultInstance())
                                .build()));
    }
}
