package org.multiverse.scramble.suite.seal;

/**
 * A sealed reply or stream message could not be opened.
 *
 * <p>Every failure (wrong sender key, wrong recipient key, altered or truncated ciphertext,
 * garbage or low-order encapsulated key, a message for another request or stream, a replayed
 * stream message) gives the same message and no cause, so the result tells an attacker
 * nothing about which check failed.
 */
public final class SealException extends Exception {

    /** The one message of a reply that could not be opened. */
    public static final String REPLY_MESSAGE =
            "reply could not be opened: not from the pinned agent, altered, or for another request";

    /** The one message of a stream message that could not be opened. */
    public static final String STREAM_MESSAGE =
            "stream message could not be opened: not from the pinned agent, altered, replayed,"
                    + " or for another stream";

    private SealException(String message) {
        super(message);
    }

    static SealException reply() {
        return new SealException(REPLY_MESSAGE);
    }

    static SealException stream() {
        return new SealException(STREAM_MESSAGE);
    }
}
