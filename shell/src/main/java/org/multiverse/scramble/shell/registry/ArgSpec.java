package org.multiverse.scramble.shell.registry;

import java.util.List;
import java.util.Objects;

/**
 * One argument of a command: a positional ({@code NAME}) or an option ({@code --timeout N}).
 *
 * @param name       positional: its placeholder, e.g. {@code NAME}; option: its long form, e.g. {@code --timeout}
 * @param aliases    other spellings of an option ({@code -n})
 * @param type       how its value is checked and converted
 * @param required   whether it must be given
 * @param repeatable whether an option may be given more than once ({@code --set k=v --set k2=v2})
 * @param live       the kind of live name completion offers for it, or null
 * @param help       one line for {@code help VERB}
 */
public record ArgSpec(
        String name,
        List<String> aliases,
        ArgType type,
        boolean required,
        boolean repeatable,
        LiveName live,
        String help) {

    public ArgSpec {
        Objects.requireNonNull(name, "name");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
    }

    /** A required positional argument. */
    public static ArgSpec positional(String name, ArgType type, LiveName live, String help) {
        return new ArgSpec(name, List.of(), type, true, false, live, help);
    }

    /** An optional positional argument, only ever last. */
    public static ArgSpec optionalPositional(String name, ArgType type, LiveName live, String help) {
        return new ArgSpec(name, List.of(), type, false, false, live, help);
    }

    /** An option with a value. */
    public static ArgSpec option(String name, ArgType type, String help, String... aliases) {
        return new ArgSpec(name, List.of(aliases), type, false, false, null, help);
    }

    /** An option whose value is a live name. */
    public static ArgSpec option(String name, ArgType type, LiveName live, String help) {
        return new ArgSpec(name, List.of(), type, false, false, live, help);
    }

    /** A switch. */
    public static ArgSpec flag(String name, String help) {
        return new ArgSpec(name, List.of(), ArgType.FLAG, false, false, null, help);
    }

    /** A repeatable option. */
    public static ArgSpec repeated(String name, ArgType type, String help) {
        return new ArgSpec(name, List.of(), type, false, true, null, help);
    }

    public boolean isOption() {
        return name.startsWith("-");
    }

    /** Whether {@code token} names this option. */
    public boolean named(String token) {
        return name.equals(token) || aliases.contains(token);
    }

    /** How it appears in a usage line: {@code NAME}, {@code [--timeout N]}, {@code [--set KEY=VALUE]...}. */
    public String usage() {
        String body = isOption() ? (type == ArgType.FLAG ? name : name + " " + type.placeholder()) : name;
        String shown = required ? body : "[" + body + "]";
        return repeatable ? shown + "..." : shown;
    }
}
