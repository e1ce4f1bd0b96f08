package org.multiverse.scramble.protocol.session;

/**
 * The shell's mirror of the agent's token bucket is empty: the command was not sent, and
 * the person is told when the next token is due instead of being refused by the agent.
 */
public final class RateLimitedLocallyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long retryAfterMillis;

    public RateLimitedLocallyException(String commandClass, long retryAfterMillis) {
        super("rate limited (" + commandClass + "): next token in " + retryAfterMillis + " ms");
        this.retryAfterMillis = retryAfterMillis;
    }

    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
