package org.multiverse.scramble.protocol.agent;

import org.multiverse.scramble.protocol.v1.ErrorCode;

/**
 * A command handler's typed failure: the code is for programs (and the shell's exit
 * status), the message is for the person and is sealed to them with the rest of the reply.
 */
public class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public CommandException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public CommandException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
