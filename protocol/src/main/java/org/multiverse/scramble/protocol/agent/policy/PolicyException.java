package org.multiverse.scramble.protocol.agent.policy;

/** A policy file that cannot be used; the message names the file, the line and the reason. */
public final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    PolicyException(String source, int line, String reason) {
        super(source + ":" + line + ": " + reason);
    }

    PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
