package org.multiverse.scramble.protocol.agent;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.multiverse.scramble.protocol.command.CommandCatalog;
import org.multiverse.scramble.protocol.command.CommandInfo;
import org.multiverse.scramble.protocol.v1.Command;

/**
 * The dotted name of each command ({@code portal.start}, {@code router.vpn.use}), as it appears
 * in policy files, audit entries and the shell: read from the command's descriptor in
 * {@code commands.proto} ({@link CommandCatalog}).
 */
public final class CommandName {

    private static final Set<String> ALL =
            CommandCatalog.all().stream().map(CommandInfo::name).collect(Collectors.toUnmodifiableSet());

    private CommandName() {}

    /** The dotted name of a command kind; {@code "none"} for an empty command. */
    public static String of(Command.KindCase kind) {
        return kind == Command.KindCase.KIND_NOT_SET
                ? "none"
                : CommandCatalog.of(kind).name();
    }

    /** The command kind with this dotted name, if any. */
    public static Optional<Command.KindCase> parse(String name) {
        return CommandCatalog.named(name).map(CommandInfo::kind);
    }

    /** Every known dotted name (for policy validation and completion). */
    public static Set<String> all() {
        return ALL;
    }
}
