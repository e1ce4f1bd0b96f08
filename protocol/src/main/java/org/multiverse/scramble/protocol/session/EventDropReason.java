package org.multiverse.scramble.protocol.session;

/**
 * Why the shell dropped an EVENT frame instead of handing it on (SPEC §14.2). Each is counted
 * by {@link EventReceiver} and shown by {@code agent status} and the dashboard.
 */
public enum EventDropReason {
    /** Not from the agent the subscription was made with: an unpinned stranger, or another pinned agent (misrouted). */
    STRANGER("stranger"),
    /** For a subscription id this session did not make on this link, or no longer holds. */
    UNKNOWN_SUBSCRIPTION("unknown subscription"),
    /** From the right agent's claimed key, but the sealed body does not open: altered, replayed or forged. */
    DOES_NOT_OPEN("does not open"),
    /** An Event or EventBody that does not parse, or fields of the wrong length. */
    MALFORMED("malformed"),
    /** Authentic, but the shell's event queue was full (a terminal that stopped reading). */
    BACKLOG("backlog");

    private final String text;

    EventDropReason(String text) {
        this.text = text;
    }

    /** The words shown to the person. */
    public String text() {
        return text;
    }
}
