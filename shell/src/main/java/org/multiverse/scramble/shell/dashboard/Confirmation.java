package org.multiverse.scramble.shell.dashboard;

import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.shell.registry.AgentRole;

/**
 * A state-changing command waiting for the person's {@code y}: what the prompt says, and the
 * command that {@code y} signs and sends.
 *
 * @param question  shown in the status bar, e.g. "stop portal web?"
 * @param role      the agent that serves the command
 * @param command   the command, built when the key was pressed (so the row cannot change under it)
 * @param what      a short name of the action for the result line, e.g. "stop web"
 * @param refreshes what to query again once it is answered
 */
record Confirmation(String question, AgentRole role, Command command, String what, Refresh refreshes) {}
