package org.multiverse.scramble.protocol.command;

import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.RateClass;
import org.multiverse.scramble.protocol.v1.ServingAgent;

/**
 * What one command is, as its descriptor in {@code commands.proto} declares it.
 *
 * @param kind            the command's case of the {@code Command} oneof
 * @param name            its dotted name ({@code portal.start}), as in policy files, audit and the shell
 * @param agent           the agent that serves it ({@link ServingAgent#ANY} for agent-wide commands)
 * @param rateClass       the token bucket it draws from
 * @param changesState    whether running it changes anything
 * @param readOnlyAllowed whether a read-only session may run it
 */
public record CommandInfo(
        Command.KindCase kind,
        String name,
        ServingAgent agent,
        RateClass rateClass,
        boolean changesState,
        boolean readOnlyAllowed) {

    /** The words of the dotted name: what a person types in the shell ({@code portal console tail}). */
    public String words() {
        return name.replace('.', ' ');
    }
}
