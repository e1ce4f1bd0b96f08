package org.multiverse.scramble.protocol.transport;

import org.multiverse.scramble.protocol.frame.Frame;

/** Receives what arrives on a {@link FrameChannel}. Called on the channel's own thread. */
public interface FrameListener {

    /** One well-formed frame, in arrival order. Must not block for long. */
    void onFrame(FrameChannel channel, Frame frame);

    /**
     * The link closed, once per channel.
     *
     * @param causeOrNull why, or {@code null} for an orderly close by either side
     */
    default void onClosed(FrameChannel channel, Throwable causeOrNull) {}
}
