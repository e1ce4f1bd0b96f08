package org.multiverse.scramble.shell.interactive;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.shell.registry.ArgSpec;
import org.multiverse.scramble.shell.registry.ArgType;
import org.multiverse.scramble.shell.registry.CommandRegistry;
import org.multiverse.scramble.shell.registry.CommandSpec;
import org.multiverse.scramble.shell.registry.LiveName;

/**
 * Tab completion from the registry: verbs word by word, then a command's options, and for
 * arguments that name something the agents know (portals, templates, routers, VPN profiles,
 * RTOS nodes and channels) the live names from {@link LiveNames}.
 */
public final class ShellCompleter implements Completer {

    private final CommandRegistry registry;
    private final LiveNames live;

    /** @param live the live-name source, or null when no session is open (then only verbs and options) */
    public ShellCompleter(CommandRegistry registry, LiveNames live) {
        this.registry = registry;
        this.live = live;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> before =
                line.words().subList(0, Math.min(line.wordIndex(), line.words().size()));
        String current =
                line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        for (String c : candidates(before, current)) {
            candidates.add(new Candidate(c, c, null, null, null, null, true));
        }
    }

    /** The words that may replace {@code current}, given the complete words before it (sorted). */
    public List<String> candidates(List<String> before, String current) {
        TreeSet<String> out = new TreeSet<>();
        List<String> words = before.stream().filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty()) {
            out.addAll(registry.nextWords(List.of()));
            out.addAll(CommandRegistry.SHELL_WORDS);
            return filter(out, current);
        }
        if (words.get(0).equals("help")) {
            if (words.size() == 1 || registry.isVerbPrefix(words.subList(1, words.size()))) {
                out.addAll(registry.nextWords(words.subList(1, words.size())));
            }
            return filter(out, current);
        }
        if (words.get(0).equals("id") && words.size() == 1) {
            out.addAll(List.of("show", "export", "lock"));
            return filter(out, current);
        }
        out.addAll(registry.nextWords(words));
        Optional<CommandSpec> match = registry.longestMatch(words);
        if (match.isEmpty()) {
            return filter(out, current);
        }
        CommandSpec spec = match.get();
        List<String> args = words.subList(spec.verb().size(), words.size());
        argumentCandidates(spec, args, current, out);
        return filter(out, current);
    }

    private void argumentCandidates(CommandSpec spec, List<String> args, String current, TreeSet<String> out) {
        // Walk the arguments typed so far: which option awaits a value, which positional is next.
        List<String> positionalValues = new ArrayList<>();
        ArgSpec awaiting = null;
        boolean awaitingOn = false;
        for (String a : args) {
            if (awaiting != null || awaitingOn) {
                awaiting = null;
                awaitingOn = false;
                continue;
            }
            if (a.startsWith("-")) {
                if (spec.role() == AgentRole.ANY && a.equals("--on")) {
                    awaitingOn = true;
                    continue;
                }
                Optional<ArgSpec> o = spec.option(a);
                if (o.isPresent() && o.get().type() != ArgType.FLAG && !a.contains("=")) {
                    awaiting = o.get();
                }
                continue;
            }
            positionalValues.add(a);
        }
        if (awaitingOn) {
            out.addAll(List.of("host", "router", "rtos"));
            return;
        }
        if (awaiting != null) {
            if (awaiting.live() != null) {
                out.addAll(names(awaiting.live(), null));
            }
            return;
        }
        if (current.startsWith("-")) {
            spec.options().forEach(o -> out.add(o.name()));
            if (spec.role() == AgentRole.ANY) {
                out.add("--on");
            }
            return;
        }
        List<ArgSpec> positionals = spec.positionals();
        if (positionalValues.size() < positionals.size()) {
            ArgSpec next = positionals.get(positionalValues.size());
            if (next.live() != null) {
                String context = positionalValues.isEmpty() ? null : positionalValues.get(0);
                out.addAll(names(next.live(), context));
            }
        }
    }

    private List<String> names(LiveName kind, String context) {
        return live == null ? List.of() : live.names(kind, context);
    }

    private static List<String> filter(TreeSet<String> all, String prefix) {
        return all.stream().filter(s -> s.startsWith(prefix)).toList();
    }
}
