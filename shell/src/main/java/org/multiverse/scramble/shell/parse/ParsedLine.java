package org.multiverse.scramble.shell.parse;

import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.shell.registry.CommandSpec;
import org.multiverse.scramble.shell.registry.ParsedArgs;

/**
 * A command line that parsed and validated: what to build and where it goes.
 *
 * @param spec   the command's declaration
 * @param args   its checked arguments
 * @param target the agent that serves it (for agent-wide commands, {@code --on}; default host)
 */
public record ParsedLine(CommandSpec spec, ParsedArgs args, AgentRole target) {}
