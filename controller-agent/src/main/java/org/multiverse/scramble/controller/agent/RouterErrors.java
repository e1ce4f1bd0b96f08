package org.multiverse.scramble.controller.agent;

import org.multiverse.scramble.controller.router.RouterException;
import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.v1.ErrorCode;

/** Maps the router service's failure kinds onto the wire's error codes, message unchanged. */
final class RouterErrors {

    private RouterErrors() {}

    static ErrorCode code(RouterException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case INVALID_ARGUMENT -> ErrorCode.INVALID_ARGUMENT;
            case FAILED_PRECONDITION -> ErrorCode.FAILED_PRECONDITION;
            case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            case INTERNAL -> ErrorCode.INTERNAL;
        };
    }

    /** The router's message is already written for the person (it never holds key material). */
    static CommandException toCommandException(RouterException e) {
        return new CommandException(code(e.kind()), e.getMessage(), e);
    }
}
