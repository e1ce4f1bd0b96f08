package org.multiverse.scramble.protocol.frame;

import java.util.Optional;

/**
 * What a frame's payload is. The code is the frame's type byte on the wire (see
 * {@code protocol/FRAMES.md}); codes are never reused for a different meaning.
 */
public enum FrameType {
    /** A serialized {@code Envelope}: a signed command, shell to agent. */
    ENVELOPE(1),
    /** A serialized {@code Reply}: an HPKE-sealed answer, agent to shell. */
    REPLY(2),
    /** A serialized {@code Event}: a sealed subscription event, agent to shell. */
    EVENT(3),
    /** A serialized {@code Rejected}: input the agent could not attribute to a key. */
    REJECTED(4),
    /** A serialized {@code Heartbeat}: link liveness, both directions. */
    HEARTBEAT(5),
    /**
     * A serialized {@code Envelope} forwarded by a relaying agent: its one hop is used up, so the
     * receiver serves it if it is the target and never relays it again (SPEC.md section 12).
     */
    RELAYED_ENVELOPE(6),
    /**
     * A serialized {@code ReplyPart}: one piece of a {@code Reply} larger than a frame, agent to
     * shell; the shell reassembles them into the Reply (SPEC.md §8.1).
     */
    REPLY_PART(7);

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type byte written on the wire, 1..255. */
    public int code() {
        return code;
    }

    /**
     * The type for a wire type byte.
     *
     * @param code the type byte, as an unsigned value
     * @return the type, or empty when the code is unknown (the decoder drops such frames)
     */
    public static Optional<FrameType> fromCode(int code) {
        for (FrameType type : values()) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
