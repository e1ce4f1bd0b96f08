package org.multiverse.scramble.protocol.agent;

import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Result;

/**
 * Executes one kind of command for an agent. Called only after the envelope was verified,
 * deduplicated, allowed by policy, rate-limited and audited; whatever it returns or throws is
 * audited and sealed to the sender. Handlers must validate their own arguments and throw
 * {@link CommandException} with {@code INVALID_ARGUMENT} rather than act on bad input.
 */
@FunctionalInterface
public interface CommandHandler {

    Result handle(CommandContext context, Command command) throws CommandException;
}
