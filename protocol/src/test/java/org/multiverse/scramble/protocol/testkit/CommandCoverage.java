package org.multiverse.scramble.protocol.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.command.CommandCatalog;
import org.multiverse.scramble.protocol.command.CommandInfo;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ServingAgent;

/**
 * The check every agent's tests run: the core, with the agent's handlers installed, serves
 * exactly the commands whose descriptors name that agent, plus the agent-wide ones. A command
 * added to {@code commands.proto} without its handler fails here, naming it.
 */
public final class CommandCoverage {

    private CommandCoverage() {}

    /** Asserts that {@code core} handles exactly the commands of {@code agent} and of {@link ServingAgent#ANY}. */
    public static void assertServesExactly(AgentCore core, ServingAgent agent) {
        Set<Command.KindCase> expected = EnumSet.noneOf(Command.KindCase.class);
        for (CommandInfo c : CommandCatalog.all()) {
            if (c.agent() == agent || c.agent() == ServingAgent.ANY) {
                expected.add(c.kind());
            }
        }
        assertEquals(
                names(expected),
                names(core.handlers().kinds()),
                "the commands this agent's descriptors assign to it, and only those, must have handlers");
    }

    private static Set<String> names(Set<Command.KindCase> kinds) {
        Set<String> out = new TreeSet<>();
        kinds.forEach(k -> out.add(CommandCatalog.of(k).name()));
        return out;
    }
}
