package org.multiverse.scramble.suite.sign;

import java.nio.charset.StandardCharsets;

/**
 * Domain separation for every signature the product makes. The bytes actually
 * signed are {@code len(ctx) ‖ ctx ‖ message} (one length byte, then the ASCII
 * context string), so a signature made for one kind of object never verifies
 * as another kind, whatever the message bytes are.
 *
 * <p>The context string, not the enum's ordinal or name, is what gets signed:
 * constants may be added or reordered, but a string must never change meaning.
 */
public enum SignatureContext {
    /** A command envelope signed by a session key (shell to agent). */
    ENVELOPE("scramble/v1/envelope"),
    /** A session certificate signed by a person's root key. */
    SESSION_CERTIFICATE("scramble/v1/session-certificate"),
    /** A "revoke every session issued before T" statement signed by a root key. */
    REVOCATION("scramble/v1/revocation"),
    /** A command relayed to a real-time node by the RTOS bridge. */
    RTOS_COMMAND("scramble/v1/rtos-command"),
    /** An agent's signed checkpoint over its audit log (hash chain head). */
    AUDIT_CHECKPOINT("scramble/v1/audit-checkpoint"),
    /**
     * An agent's identity vouching for its X25519 reply key, sent with every reply and event
     * (the shell checks it against the pinned agent ID, at enrolment and after).
     */
    AGENT_ENROLMENT("scramble/v1/agent-enrolment");

    /** Longest allowed context string: its length must fit the single length byte. */
    static final int MAX_CONTEXT_LENGTH = 255;

    private final String text;
    private final byte[] bytes;

    SignatureContext(String text) {
        this.text = text;
        this.bytes = text.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length > MAX_CONTEXT_LENGTH) {
            throw new IllegalStateException("context string length out of range: " + text);
        }
    }

    /** The ASCII context string, e.g. {@code scramble/v1/envelope}. */
    public String text() {
        return text;
    }

    /** {@code len(ctx) ‖ ctx ‖ message}: the exact bytes given to Ed25519. */
    byte[] frame(byte[] message) {
        byte[] framed = new byte[1 + bytes.length + message.length];
        framed[0] = (byte) bytes.length;
        System.arraycopy(bytes, 0, framed, 1, bytes.length);
        System.arraycopy(message, 0, framed, 1 + bytes.length, message.length);
        return framed;
    }
}
