package org.multiverse.scramble.protocol.frame;

/**
 * Thrown by {@link FrameEncoder} when a payload exceeds the maximum payload size: the
 * receiving decoder would drop such a frame, so the sender learns about it at once
 * instead of through a silent timeout.
 */
public final class FrameTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int payloadBytes;
    private final int maxPayloadBytes;

    /**
     * @param payloadBytes the size that was refused
     * @param maxPayloadBytes the limit it exceeded
     */
    public FrameTooLargeException(int payloadBytes, int maxPayloadBytes) {
        super("frame payload of " + payloadBytes + " bytes exceeds the maximum of " + maxPayloadBytes + " bytes");
        this.payloadBytes = payloadBytes;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The size that was refused, in bytes. */
    public int payloadBytes() {
        return payloadBytes;
    }

    /** The limit the payload exceeded, in bytes. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }
}
