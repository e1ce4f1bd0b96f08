package org.multiverse.scramble.protocol.envelope;

/**
 * A wire message that cannot be accepted: not protobuf, a field too long or too short,
 * a field of the wrong type, repeated or unknown where that is not allowed. The only
 * exception {@link EnvelopeCodec} throws for bad input.
 *
 * <p>The message names the message and field ("Envelope.request_id: must be exactly 16
 * bytes, got 15") for the audit log. It never contains field contents, so it is safe to
 * log; what the remote side is told is the agent's choice ({@code Rejected{MALFORMED}}).
 */
public final class MalformedMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field the offending field as {@code Message.field_name}, or {@code Message}
     *     when the problem is the message as a whole
     * @param reason what is wrong with it
     */
    public MalformedMessageException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    /** The offending field as {@code Message.field_name}, or the message name alone. */
    public String field() {
        return field;
    }
}
