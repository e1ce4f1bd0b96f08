package org.multiverse.scramble.shell.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.shell.registry.ArgSpec;
import org.multiverse.scramble.shell.registry.ArgType;
import org.multiverse.scramble.shell.registry.CommandRegistry;
import org.multiverse.scramble.shell.registry.CommandSpec;
import org.multiverse.scramble.shell.registry.ParsedArgs;

/**
 * Parses one command line against the {@link CommandRegistry}: the longest matching verb path,
 * then positionals in order and options anywhere after the verb ({@code --opt VALUE} or
 * {@code --opt=VALUE}); {@code --} ends options. Every value is checked by its {@link ArgType};
 * a FILE argument is read here, so that {@code --dry-run} checks it too.
 */
public final class LineParser {

    /** How many values a repeatable option may take on one line. */
    static final int MAX_REPEATS = 64;

    private final CommandRegistry registry;

    public LineParser(CommandRegistry registry) {
        this.registry = registry;
    }

    public ParsedLine parse(String line) throws ParseException {
        return parse(Tokenizer.tokenize(line));
    }

    /** Parses with {@code ${NAME}} expanded from {@code vars}. */
    public ParsedLine parse(String line, Tokenizer.Variables vars) throws ParseException {
        return parse(Tokenizer.tokenize(line, vars));
    }

    public ParsedLine parse(List<Token> tokens) throws ParseException {
        if (tokens.isEmpty()) {
            throw new ParseException("empty command", 0);
        }
        List<String> words = tokens.stream().map(Token::text).toList();
        Optional<CommandSpec> match = registry.longestMatch(words);
        if (match.isEmpty()) {
            throw unknownVerb(tokens);
        }
        CommandSpec spec = match.get();
        Map<String, Object> values = new LinkedHashMap<>();
        List<ArgSpec> positionals = spec.positionals();
        int nextPositional = 0;
        AgentRole target = spec.role() == AgentRole.ANY ? AgentRole.HOST : spec.role();
        boolean optionsEnded = false;
        for (int i = spec.verb().size(); i < tokens.size(); i++) {
            Token t = tokens.get(i);
            String w = t.text();
            if (!optionsEnded && w.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (!optionsEnded && w.startsWith("-") && w.length() > 1 && !looksNumeric(w)) {
                int eq = w.indexOf('=');
                boolean hasInline = w.startsWith("--") && eq > 2;
                String name = hasInline ? w.substring(0, eq) : w;
                String inline = hasInline ? w.substring(eq + 1) : null;
                if (spec.role() == AgentRole.ANY && name.equals("--on")) {
                    String v = hasInline ? inline : valueAfter(tokens, i++, name);
                    target = AgentRole.parseAgent(v)
                            .orElseThrow(() -> new ParseException(
                                    "--on takes host, router or rtos, not '" + printable(v) + "'", t.start()));
                    continue;
                }
                ArgSpec opt = spec.option(name)
                        .orElseThrow(() -> new ParseException(
                                spec.verbText() + " has no option " + printable(name) + optionList(spec), t.start()));
                if (opt.type() == ArgType.FLAG) {
                    if (inline != null) {
                        throw new ParseException(opt.name() + " takes no value", t.start());
                    }
                    values.put(opt.name(), Boolean.TRUE);
                    continue;
                }
                String raw = inline != null ? inline : valueAfter(tokens, i++, name);
                Object v = convert(spec, opt, raw, t);
                if (opt.repeatable()) {
                    @SuppressWarnings("unchecked")
                    List<String> list = (List<String>) values.computeIfAbsent(opt.name(), k -> new ArrayList<String>());
                    if (list.size() == MAX_REPEATS) {
                        throw new ParseException(opt.name() + " given more than " + MAX_REPEATS + " times", t.start());
                    }
                    list.add((String) v);
                } else if (values.putIfAbsent(opt.name(), v) != null) {
                    throw new ParseException(opt.name() + " given twice", t.start());
                }
                continue;
            }
            if (nextPositional >= positionals.size()) {
                throw new ParseException(
                        "unexpected argument '" + printable(w) + "'; usage: " + spec.usage(), t.start());
            }
            ArgSpec p = positionals.get(nextPositional++);
            values.put(p.name(), convert(spec, p, w, t));
        }
        for (int k = nextPositional; k < positionals.size(); k++) {
            if (positionals.get(k).required()) {
                int at = tokens.get(tokens.size() - 1).end();
                throw new ParseException(
                        spec.verbText() + ": missing " + positionals.get(k).name() + "; usage: " + spec.usage(), at);
            }
        }
        return new ParsedLine(spec, new ParsedArgs(values), target);
    }

    private ParseException unknownVerb(List<Token> tokens) {
        List<String> matched = new ArrayList<>();
        for (Token t : tokens) {
            List<String> next = new ArrayList<>(matched);
            next.add(t.text());
            if (!registry.isVerbPrefix(next)) {
                List<String> options = registry.nextWords(matched);
                String what = matched.isEmpty()
                        ? "unknown command '" + printable(t.text()) + "'"
                        : "'" + String.join(" ", matched) + "' has no '" + printable(t.text()) + "'";
                return new ParseException(
                        what + "; expected one of: " + String.join(", ", options)
                                + (matched.isEmpty() ? " (help lists them)" : ""),
                        t.start());
            }
            matched = next;
        }
        return new ParseException(
                "incomplete command '" + String.join(" ", matched) + "'; expected one of: "
                        + String.join(", ", registry.nextWords(matched)),
                tokens.get(tokens.size() - 1).end());
    }

    private static String valueAfter(List<Token> tokens, int i, String name) throws ParseException {
        if (i + 1 >= tokens.size()) {
            throw new ParseException(name + " needs a value", tokens.get(i).end());
        }
        return tokens.get(i + 1).text();
    }

    private static Object convert(CommandSpec spec, ArgSpec a, String raw, Token where) throws ParseException {
        if (a.type() == ArgType.FILE) {
            return readFile(a, raw, where);
        }
        try {
            return a.type().convert(raw);
        } catch (IllegalArgumentException e) {
            throw new ParseException(spec.verbText() + " " + a.name() + ": " + e.getMessage(), where.start());
        }
    }

    private static String readFile(ArgSpec a, String raw, Token where) throws ParseException {
        Path p = Path.of(raw);
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes(ArgType.MAX_FILE_BYTES + 1);
            if (b.length > ArgType.MAX_FILE_BYTES) {
                throw new ParseException(
                        a.name() + ": " + raw + " is larger than " + ArgType.MAX_FILE_BYTES + " bytes", where.start());
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParseException(
                    a.name() + ": cannot read " + printable(raw) + " ("
                            + e.getClass().getSimpleName() + ")",
                    where.start());
        }
    }

    private static String optionList(CommandSpec spec) {
        List<String> names =
                new ArrayList<>(spec.options().stream().map(ArgSpec::name).toList());
        if (spec.role() == AgentRole.ANY) {
            names.add("--on");
        }
        return names.isEmpty() ? " (it takes no options)" : " (options: " + String.join(", ", names) + ")";
    }

    private static boolean looksNumeric(String w) {
        return w.matches("-[0-9.].*");
    }

    static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 40 ? p.substring(0, 40) + "…" : p;
    }
}
