package org.multiverse.scramble.host.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.multiverse.scramble.host.portal.DefinitionException;
import org.multiverse.scramble.host.portal.DefinitionParser;
import org.multiverse.scramble.host.portal.PortalException;
import org.multiverse.scramble.host.portal.PortalService;
import org.multiverse.scramble.host.portal.PortalTemplate;
import org.multiverse.scramble.host.portal.SnapshotInfo;
import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.agent.HandlerRegistry;
import org.multiverse.scramble.protocol.text.EscapeStripper;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ConsoleLines;
import org.multiverse.scramble.protocol.v1.PortalDefine;
import org.multiverse.scramble.protocol.v1.PortalListResult;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.SnapshotListResult;
import org.multiverse.scramble.protocol.v1.TemplateListResult;

/**
 * The handlers of the portal commands. Each checks what the wire gives it (sizes, unsigned
 * numbers, which fields go together), lets the portal service validate names and values
 * before it acts, and answers with the typed result.
 */
final class PortalHandlers {

    /** {@code portal stop} without a timeout: time for a guest OS to shut down cleanly. */
    static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(20);
    /** {@code portal console tail} without a count: a screenful. */
    static final int DEFAULT_TAIL_LINES = 20;
    /**
     * A definition file is a few hundred bytes; 16 KiB is generous, bounds the parser's work,
     * and stays well inside one 64 KiB frame.
     */
    static final int MAX_DEFINITION_CHARS = 16 * 1024;
    /** A template has about fifteen keys; more overrides than that is not a definition. */
    static final int MAX_OVERRIDES = 16;
    /** Longest override key and value (a kernel command line is the longest legitimate value). */
    static final int MAX_OVERRIDE_KEY_CHARS = 32;

    static final int MAX_OVERRIDE_VALUE_CHARS = 2048;

    private final HostAgent agent;
    private final PortalService portals;

    PortalHandlers(HostAgent agent) {
        this.agent = agent;
        this.portals = agent.portals;
    }

    /** Backend call that may fail with a portal exception. */
    @FunctionalInterface
    private interface PortalCall<T> {
        T call() throws PortalException;
    }

    private static <T> T call(PortalCall<T> c) throws CommandException {
        try {
            return c.call();
        } catch (PortalException e) {
            throw Failures.of(e);
        }
    }

    private Result info(org.multiverse.scramble.host.portal.PortalInfo info) throws CommandException {
        return ProtoResults.of(
                ProtoResults.portal(info, call(() -> portals.portalDir(info.name())), agent.activity, Instant.now()));
    }

    void register(HandlerRegistry r) {
        r.register(Command.KindCase.PORTAL_LIST, (ctx, cmd) -> list());
        r.register(
                Command.KindCase.PORTAL_SHOW,
                (ctx, cmd) -> info(call(() -> portals.show(cmd.getPortalShow().getName()))));
        r.register(Command.KindCase.PORTAL_DEFINE, (ctx, cmd) -> define(cmd.getPortalDefine()));
        r.register(Command.KindCase.PORTAL_UNDEFINE, (ctx, cmd) -> {
            String name = cmd.getPortalUndefine().getName();
            agent.undefine(name);
            return ProtoResults.ack("portal " + name + " undefined");
        });
        r.register(
                Command.KindCase.PORTAL_START,
                (ctx, cmd) -> info(call(() -> portals.start(cmd.getPortalStart().getName()))));
        r.register(Command.KindCase.PORTAL_STOP, (ctx, cmd) -> {
            Duration timeout = stopTimeout(cmd.getPortalStop().getTimeoutSeconds());
            return info(call(() -> portals.stop(cmd.getPortalStop().getName(), timeout)));
        });
        r.register(
                Command.KindCase.PORTAL_KILL,
                (ctx, cmd) -> info(call(() -> portals.kill(cmd.getPortalKill().getName()))));
        r.register(
                Command.KindCase.PORTAL_PAUSE,
                (ctx, cmd) -> info(call(() -> portals.pause(cmd.getPortalPause().getName()))));
        r.register(
                Command.KindCase.PORTAL_RESUME,
                (ctx, cmd) ->
                        info(call(() -> portals.resume(cmd.getPortalResume().getName()))));
        r.register(
                Command.KindCase.PORTAL_RESET,
                (ctx, cmd) -> info(call(() -> portals.reset(cmd.getPortalReset().getName()))));
        r.register(Command.KindCase.PORTAL_SNAPSHOT, (ctx, cmd) -> {
            SnapshotInfo s = call(() -> portals.snapshot(
                    cmd.getPortalSnapshot().getName(), cmd.getPortalSnapshot().getTag()));
            return ProtoResults.ack("snapshot " + s.tag() + " of "
                    + cmd.getPortalSnapshot().getName() + " kept (" + s.sizeBytes() + " bytes)");
        });
        r.register(
                Command.KindCase.PORTAL_REVERT,
                (ctx, cmd) -> info(call(() -> portals.revert(
                        cmd.getPortalRevert().getName(), cmd.getPortalRevert().getTag()))));
        r.register(Command.KindCase.PORTAL_SNAPSHOT_LIST, (ctx, cmd) -> {
            List<SnapshotInfo> all =
                    call(() -> portals.snapshots(cmd.getPortalSnapshotList().getName()));
            return Result.newBuilder()
                    .setSnapshotList(SnapshotListResult.newBuilder()
                            .addAllTags(all.stream().map(SnapshotInfo::tag).toList()))
                    .build();
        });
        r.register(Command.KindCase.PORTAL_CONSOLE_TAIL, (ctx, cmd) -> {
            int lines = tailLines(cmd.getPortalConsoleTail().getLines());
            List<String> tail =
                    call(() -> portals.consoleTail(cmd.getPortalConsoleTail().getName(), lines));
            return Result.newBuilder()
                    .setConsoleLines(ConsoleLines.newBuilder()
                            .addAllLines(tail.stream()
                                    .map(EscapeStripper::stripKeepingNewlines)
                                    .toList()))
                    .build();
        });
        r.register(
                Command.KindCase.TEMPLATE_LIST,
                (ctx, cmd) -> Result.newBuilder()
                        .setTemplateList(TemplateListResult.newBuilder()
                                .addAllTemplates(portals.templates().stream()
                                        .map(PortalTemplate::path)
                                        .toList()))
                        .build());
    }

    private Result list() throws CommandException {
        PortalListResult.Builder b = PortalListResult.newBuilder();
        Instant now = Instant.now();
        for (org.multiverse.scramble.host.portal.PortalInfo p : portals.list()) {
            java.nio.file.Path dir;
            try {
                dir = portals.portalDir(p.name());
            } catch (PortalException e) {
                continue; // undefined between the list and now
            }
            b.addPortals(ProtoResults.portal(p, dir, agent.activity, now));
        }
        return Result.newBuilder().setPortalList(b).build();
    }

    private Result define(PortalDefine d) throws CommandException {
        boolean hasTemplate = !d.getTemplate().isEmpty();
        boolean hasToml = !d.getDefinitionToml().isEmpty();
        if (hasTemplate == hasToml) {
            throw Failures.invalid("give exactly one of a template or a definition file");
        }
        if (hasToml) {
            if (d.getOverridesCount() > 0) {
                throw Failures.invalid("overrides apply to templates; edit the definition file instead");
            }
            String text = d.getDefinitionToml();
            if (text.length() > MAX_DEFINITION_CHARS) {
                throw Failures.invalid("the definition file has " + text.length() + " characters; at most "
                        + MAX_DEFINITION_CHARS + " are allowed");
            }
            if (!d.getName().isEmpty()) {
                String named;
                try {
                    named = DefinitionParser.parse("portal.toml", text).name();
                } catch (DefinitionException e) {
                    throw Failures.invalid(e.getMessage());
                }
                if (!named.equals(d.getName())) {
                    throw Failures.invalid("the definition file names " + named + ", not " + shown(d.getName()));
                }
            }
            return info(call(() -> portals.defineFromToml(text)));
        }
        Map<String, String> overrides = d.getOverridesMap();
        if (overrides.size() > MAX_OVERRIDES) {
            throw Failures.invalid(overrides.size() + " overrides; at most " + MAX_OVERRIDES + " are allowed");
        }
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            if (o.getKey().length() > MAX_OVERRIDE_KEY_CHARS || o.getValue().length() > MAX_OVERRIDE_VALUE_CHARS) {
                throw Failures.invalid("override " + shown(o.getKey()) + " is too long (keys up to "
                        + MAX_OVERRIDE_KEY_CHARS + ", values up to " + MAX_OVERRIDE_VALUE_CHARS + " characters)");
            }
        }
        return info(call(() -> portals.define(d.getName(), d.getTemplate(), overrides)));
    }

    static Duration stopTimeout(int wireSeconds) throws CommandException {
        long seconds = Integer.toUnsignedLong(wireSeconds);
        if (seconds == 0) {
            return DEFAULT_STOP_TIMEOUT;
        }
        if (seconds > PortalService.MAX_STOP_TIMEOUT.toSeconds()) {
            throw Failures.invalid("stop timeout " + seconds + " s is over the "
                    + PortalService.MAX_STOP_TIMEOUT.toSeconds() + " s allowed");
        }
        return Duration.ofSeconds(seconds);
    }

    static int tailLines(int wireLines) throws CommandException {
        long lines = Integer.toUnsignedLong(wireLines);
        if (lines == 0) {
            return DEFAULT_TAIL_LINES;
        }
        if (lines > PortalService.MAX_TAIL_LINES) {
            throw Failures.invalid("lines must be between 1 and " + PortalService.MAX_TAIL_LINES + ", not " + lines);
        }
        return (int) lines;
    }

    /** Person-supplied text quoted for a message: control characters made visible, long text cut. */
    static String shown(String text) {
        String s = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return "'" + s.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
