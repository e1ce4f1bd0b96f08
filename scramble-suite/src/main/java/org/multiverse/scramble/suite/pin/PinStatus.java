package org.multiverse.scramble.suite.pin;

/** The outcome of {@link PinnedAgents#check}. A changed key is not a status: it is an exception. */
public enum PinStatus {
    /** The agent presented the key pinned for its name. */
    TRUSTED,
    /** No key is pinned for this name yet: first contact, the caller decides whether to pin. */
    NEW
}
