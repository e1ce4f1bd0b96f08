package org.multiverse.scramble.shell.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code help} and {@code help VERB}, written from the registry's declarations. */
public final class HelpText {

    private HelpText() {}

    /** Every command with its one-line summary, then the shell's own words. */
    public static List<String> overview(CommandRegistry registry) {
        List<String> out = new ArrayList<>();
        int w = registry.all().stream()
                .mapToInt(s -> s.verbText().length())
                .max()
                .orElse(0);
        String group = "";
        for (CommandSpec s : registry.all()) {
            String g = s.verb().get(0);
            if (!g.equals(group)) {
                if (!group.isEmpty()) {
                    out.add("");
                }
                group = g;
            }
            out.add("  " + s.verbText() + " ".repeat(w - s.verbText().length() + 2) + s.summary());
        }
        out.add("");
        out.add("  help [VERB]   this list, or one command in detail");
        out.add(
                "  id show | id export | id lock   your ID; lock forgets the session (unlock again on the next command)");
        out.add("  exit          leave (also Ctrl-D); Ctrl-C cancels the command in flight");
        return out;
    }

    /** One command in detail, or the commands under a first word; empty when nothing matches. */
    public static Optional<List<String>> verb(CommandRegistry registry, List<String> words) {
        Optional<CommandSpec> exact = registry.byVerb(String.join(" ", words));
        if (exact.isPresent()) {
            return Optional.of(detail(exact.get()));
        }
        List<CommandSpec> under = new ArrayList<>();
        for (CommandSpec s : registry.all()) {
            if (s.verb().size() > words.size()
                    && s.verb().subList(0, words.size()).equals(words)) {
                under.add(s);
            }
        }
        if (under.isEmpty()) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        under.forEach(s -> out.add("  " + s.usage() + "\n      " + s.summary()));
        return Optional.of(out);
    }

    static List<String> detail(CommandSpec s) {
        List<String> out = new ArrayList<>();
        out.add("usage: " + s.usage());
        out.add("  " + s.summary());
        for (ArgSpec a : s.args()) {
            String names = a.isOption() && !a.aliases().isEmpty()
                    ? a.name() + ", " + String.join(", ", a.aliases())
                    : a.name();
            out.add("  " + names
                    + (a.type().placeholder().isEmpty() || !a.isOption()
                            ? ""
                            : " " + a.type().placeholder()) + "  " + a.help());
        }
        if (s.role() == AgentRole.ANY) {
            out.add("  --on AGENT  host (default), router or rtos");
        }
        out.add("served by: "
                + (s.role() == AgentRole.ANY ? "every agent" : "the " + s.role().text() + " agent")
                + (s.changesState() ? "; changes state" : "; read-only"));
        out.add("example: " + s.example());
        return out;
    }
}
