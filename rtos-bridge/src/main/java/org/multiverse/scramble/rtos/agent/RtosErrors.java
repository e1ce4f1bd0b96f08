package org.multiverse.scramble.rtos.agent;

import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.rtos.link.RtosException;

/**
 * A bridge failure as the typed error the person receives. A node's own refusal keeps its
 * wire code in the message and maps to the closest agent code, so a script can tell a forged
 * or replayed write (authentication codes) from a late one or a bad argument.
 */
final class RtosErrors {

    private RtosErrors() {}

    static CommandException toCommandException(RtosException e) {
        ErrorCode code = switch (e.kind()) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case INVALID_ARGUMENT -> ErrorCode.INVALID_ARGUMENT;
            case REFUSED_BY_NODE -> nodeRefusal(e.nodeCode());
            // Retrying the same signed command cannot help: it is a precondition, not a timeout.
            case DEADLINE_MISSED -> ErrorCode.FAILED_PRECONDITION;
            case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            case TIMEOUT -> ErrorCode.TIMEOUT;
        };
        String message =
                e.kind() == RtosException.Kind.DEADLINE_MISSED ? "deadline missed: " + e.getMessage() : e.getMessage();
        return new CommandException(code, message, e);
    }

    /**
     * The node's error code (WIRE.md section 6) as the agent's code. Exhaustive, without a
     * default: a code added to node.proto fails to compile here until it is given a meaning.
     */
    static ErrorCode nodeRefusal(org.multiverse.scramble.protocol.rtos.v1.ErrorCode nodeCode) {
        return switch (nodeCode) {
            case BAD_SIGNATURE -> ErrorCode.BAD_SIGNATURE;
            case BAD_CERTIFICATE -> ErrorCode.BAD_CERTIFICATE;
            case REPLAYED -> ErrorCode.REPLAYED;
            case EXPIRED -> ErrorCode.STALE;
            case WRONG_NODE -> ErrorCode.WRONG_TARGET;
            case READ_ONLY_CHANNEL, BAD_ARGUMENT, BAD_MESSAGE -> ErrorCode.INVALID_ARGUMENT;
            case UNKNOWN_CHANNEL -> ErrorCode.NOT_FOUND;
            case BUSY -> ErrorCode.RESOURCE_EXHAUSTED;
            case CLOCK_UNSYNCED -> ErrorCode.UNAVAILABLE;
            // A session the node forgot is re-sent by the bridge before it gets here; a missed
            // deadline has its own kind; an unspecified or unknown code is the node's own failure.
            case SESSION_UNKNOWN, DEADLINE_MISSED, ERROR_UNSPECIFIED, UNRECOGNIZED -> ErrorCode.FAILED_PRECONDITION;
        };
    }
}
