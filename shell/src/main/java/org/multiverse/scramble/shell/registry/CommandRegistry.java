package org.multiverse.scramble.shell.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.multiverse.scramble.protocol.v1.Command;

/**
 * Every command the shell knows, declared once (in {@link AgentWideCommands},
 * {@link PortalCommands}, {@link ShareCommands}, {@link RouterCommands}, {@link RtosCommands}),
 * looked up by verb path and by protobuf command kind.
 */
public final class CommandRegistry {

    /** Words the shell itself handles, which are not agent commands. */
    public static final List<String> SHELL_WORDS = List.of("help", "exit", "quit", "id", "dashboard");

    private static final CommandRegistry STANDARD = new CommandRegistry(standardSpecs());

    private final Map<String, CommandSpec> byVerb = new LinkedHashMap<>();
    private final Map<Command.KindCase, CommandSpec> byKind = new EnumMap<>(Command.KindCase.class);
    private final int longestVerb;

    CommandRegistry(List<CommandSpec> specs) {
        int longest = 0;
        for (CommandSpec s : specs) {
            if (byVerb.putIfAbsent(s.verbText(), s) != null) {
                throw new IllegalStateException("verb '" + s.verbText() + "' declared twice");
            }
            if (byKind.putIfAbsent(s.kind(), s) != null) {
                throw new IllegalStateException(s.kind() + " declared twice");
            }
            if (SHELL_WORDS.contains(s.verb().get(0))) {
                throw new IllegalStateException("verb '" + s.verbText() + "' shadows a shell word");
            }
            longest = Math.max(longest, s.verb().size());
        }
        this.longestVerb = longest;
    }

    /** The product's registry. */
    public static CommandRegistry standard() {
        return STANDARD;
    }

    private static List<CommandSpec> standardSpecs() {
        List<CommandSpec> all = new ArrayList<>();
        all.addAll(AgentWideCommands.all());
        all.addAll(PortalCommands.all());
        all.addAll(ShareCommands.all());
        all.addAll(RouterCommands.all());
        all.addAll(RtosCommands.all());
        return all;
    }

    public List<CommandSpec> all() {
        return List.copyOf(byVerb.values());
    }

    public Optional<CommandSpec> byKind(Command.KindCase kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    public Optional<CommandSpec> byVerb(String verbText) {
        return Optional.ofNullable(byVerb.get(verbText));
    }

    /**
     * The longest verb path that prefixes {@code words}: {@code portal snapshot list web} is
     * {@code portal snapshot list}, not {@code portal snapshot} with a portal called "list".
     */
    public Optional<CommandSpec> longestMatch(List<String> words) {
        for (int n = Math.min(longestVerb, words.size()); n > 0; n--) {
            CommandSpec s = byVerb.get(String.join(" ", words.subList(0, n)));
            if (s != null) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * The words that may follow {@code prefix} in some verb path (for completion): after
     * nothing, the first words ({@code agent}, {@code portal}, ...); after {@code portal},
     * {@code start}, {@code stop}, ...
     */
    public List<String> nextWords(List<String> prefix) {
        TreeSet<String> out = new TreeSet<>();
        for (CommandSpec s : byVerb.values()) {
            List<String> v = s.verb();
            if (v.size() > prefix.size() && v.subList(0, prefix.size()).equals(prefix)) {
                out.add(v.get(prefix.size()));
            }
        }
        return List.copyOf(out);
    }

    /** Whether some verb path starts with {@code words}. */
    public boolean isVerbPrefix(List<String> words) {
        return !nextWords(words).isEmpty() || byVerb.containsKey(String.join(" ", words));
    }

    /** The specs under a first word ({@code help portal}). */
    public List<CommandSpec> group(String firstWord) {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandSpec s : byVerb.values()) {
            if (s.verb().get(0).equals(firstWord)) {
                out.add(s);
            }
        }
        return Collections.unmodifiableList(out);
    }
}
