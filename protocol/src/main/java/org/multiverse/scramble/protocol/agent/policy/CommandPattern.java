package org.multiverse.scramble.protocol.agent.policy;

import org.multiverse.scramble.protocol.agent.CommandName;

/**
 * Which commands a rule covers: an exact dotted name ({@code portal.start}), a prefix
 * ending in {@code .*} ({@code portal.*}, {@code router.vpn.*}) or {@code *} for all.
 * A pattern that can match no known command is a typo and is refused at parse time.
 */
record CommandPattern(String text) {

    static CommandPattern parse(String text) throws IllegalArgumentException {
        if (text.equals("*")) {
            return new CommandPattern(text);
        }
        if (!text.matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*(\\.\\*)?")) {
            throw new IllegalArgumentException("bad command pattern '" + text
                    + "' (expected a name like portal.start, a prefix like portal.*, or *)");
        }
        CommandPattern pattern = new CommandPattern(text);
        if (CommandName.all().stream().noneMatch(pattern::matches)) {
            throw new IllegalArgumentException("command pattern '" + text + "' matches no known command");
        }
        return pattern;
    }

    boolean matches(String commandName) {
        if (text.equals("*")) {
            return true;
        }
        if (text.endsWith(".*")) {
            return commandName.startsWith(text.substring(0, text.length() - 1));
        }
        return commandName.equals(text);
    }
}
