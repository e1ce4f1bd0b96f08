package org.multiverse.scramble.protocol.command;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.CommandDescriptor;
import org.multiverse.scramble.protocol.v1.CommandDescriptorOptions;
import org.multiverse.scramble.protocol.v1.RateClass;
import org.multiverse.scramble.protocol.v1.ServingAgent;

/**
 * Every command, read once from the descriptors on the {@code Command} oneof's fields
 * ({@code [(command) = {...}]} in {@code commands.proto}): the only place a command's name,
 * serving agent, rate class and read-only rule are written. Agents, the shell and the tests ask
 * here; nothing else lists commands.
 *
 * <p>The schema is checked when this class loads: a field without a descriptor, an unspecified
 * agent or class, a malformed or duplicate name, or a state-changing command open to read-only
 * sessions stops every program at start, before it can serve or send anything.
 */
public final class CommandCatalog {

    /** Lower-case words joined by '.', '-' inside a word: safe in policy files, audit and shell. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");

    private static final Map<Command.KindCase, CommandInfo> BY_KIND;
    private static final Map<String, CommandInfo> BY_NAME;

    static {
        Map<Command.KindCase, CommandInfo> byKind = new EnumMap<>(Command.KindCase.class);
        Map<String, CommandInfo> byName = new LinkedHashMap<>();
        OneofDescriptor oneof = Command.getDescriptor().getOneofs().get(0);
        for (FieldDescriptor field : oneof.getFields()) {
            CommandInfo info = read(field);
            if (byName.put(info.name(), info) != null) {
                throw new IllegalStateException("commands.proto: the name " + info.name() + " is used twice");
            }
            byKind.put(info.kind(), info);
        }
        BY_KIND = Collections.unmodifiableMap(byKind);
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private CommandCatalog() {}

    private static CommandInfo read(FieldDescriptor field) {
        String where = "commands.proto: Command." + field.getName();
        if (!field.getOptions().hasExtension(CommandDescriptorOptions.command)) {
            throw new IllegalStateException(where + " has no [(command) = {...}] descriptor");
        }
        CommandDescriptor d = field.getOptions().getExtension(CommandDescriptorOptions.command);
        if (!NAME.matcher(d.getName()).matches()) {
            throw new IllegalStateException(where + ": name '" + d.getName() + "' is not dotted lower-case words");
        }
        if (d.getAgent() == ServingAgent.SERVING_AGENT_UNSPECIFIED || d.getAgent() == ServingAgent.UNRECOGNIZED) {
            throw new IllegalStateException(where + ": no serving agent");
        }
        if (d.getRateClass() == RateClass.RATE_CLASS_UNSPECIFIED || d.getRateClass() == RateClass.UNRECOGNIZED) {
            throw new IllegalStateException(where + ": no rate class");
        }
        if (d.getChangesState() && d.getReadOnlyAllowed()) {
            throw new IllegalStateException(where + ": changes state, so a read-only session may not run it");
        }
        Command.KindCase kind = Command.KindCase.forNumber(field.getNumber());
        return new CommandInfo(
                kind, d.getName(), d.getAgent(), d.getRateClass(), d.getChangesState(), d.getReadOnlyAllowed());
    }

    /**
     * The command of a kind.
     *
     * @throws IllegalArgumentException for {@code KIND_NOT_SET} (an empty or unknown command)
     */
    public static CommandInfo of(Command.KindCase kind) {
        CommandInfo info = BY_KIND.get(kind);
        if (info == null) {
            throw new IllegalArgumentException("no command for " + kind);
        }
        return info;
    }

    /** The command with this dotted name, if any. */
    public static Optional<CommandInfo> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Every command, in schema order. */
    public static Collection<CommandInfo> all() {
        return BY_NAME.values();
    }
}
