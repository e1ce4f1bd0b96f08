package org.multiverse.scramble.protocol.session;

/**
 * A reply that does not come from the pinned agent: another agent id, a reply key not signed
 * by the pinned identity, or a ciphertext that does not open. Never shown as a result.
 */
public final class AgentKeyException extends Exception {
    private static final long serialVersionUID = 1L;

    public AgentKeyException(String message) {
        super(message);
    }
}
