package org.multiverse.scramble.protocol.agent;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.multiverse.scramble.protocol.v1.Command;

/**
 * The closed set of commands one agent serves: a handler per command kind. Every kind not
 * registered here is answered with {@code UNSUPPORTED_COMMAND}.
 */
public final class HandlerRegistry {

    private final Map<Command.KindCase, CommandHandler> handlers = new EnumMap<>(Command.KindCase.class);

    /** Registers the handler for one command kind; a kind can have only one handler. */
    public HandlerRegistry register(Command.KindCase kind, CommandHandler handler) {
        if (kind == Command.KindCase.KIND_NOT_SET) {
            throw new IllegalArgumentException("cannot register a handler for an empty command");
        }
        if (handlers.putIfAbsent(kind, handler) != null) {
            throw new IllegalStateException("a handler for " + CommandName.of(kind) + " is already registered");
        }
        return this;
    }

    Optional<CommandHandler> lookup(Command.KindCase kind) {
        return Optional.ofNullable(handlers.get(kind));
    }

    /** The command kinds this agent serves. */
    public Set<Command.KindCase> kinds() {
        return Set.copyOf(handlers.keySet());
    }
}
