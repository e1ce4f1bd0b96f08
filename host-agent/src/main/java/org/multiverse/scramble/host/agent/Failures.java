package org.multiverse.scramble.host.agent;

import org.multiverse.scramble.host.portal.PortalException;
import org.multiverse.scramble.host.share.ShareException;
import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.v1.ErrorCode;

/**
 * Maps the backends' typed failures onto the protocol's error codes. The backends' messages
 * are already written for the person at the shell, so they travel unchanged (sealed).
 */
final class Failures {

    private Failures() {}

    static CommandException of(PortalException e) {
        ErrorCode code = switch (e.kind()) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case ALREADY_EXISTS -> ErrorCode.ALREADY_EXISTS;
            case INVALID_ARGUMENT -> ErrorCode.INVALID_ARGUMENT;
            case FAILED_PRECONDITION -> ErrorCode.FAILED_PRECONDITION;
            case RESOURCE_EXHAUSTED -> ErrorCode.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            case INTERNAL -> ErrorCode.INTERNAL;
        };
        return new CommandException(code, e.getMessage(), e);
    }

    static CommandException of(ShareException e) {
        ErrorCode code = switch (e.kind()) {
            case INVALID_ARGUMENT -> ErrorCode.INVALID_ARGUMENT;
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case ALREADY_EXISTS -> ErrorCode.ALREADY_EXISTS;
            case PERMISSION -> ErrorCode.PERMISSION;
            case INTERNAL -> ErrorCode.INTERNAL;
        };
        return new CommandException(code, e.getMessage(), e);
    }

    static CommandException invalid(String message) {
        return new CommandException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
