package org.multiverse.scramble.protocol.reply;

/** A reply that cannot be sent at all, even in parts (SPEC.md §8.1). */
public final class ReplyTooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is too large, for the agent's log and audit */
    public ReplyTooLargeException(String message) {
        super(message);
    }
}
