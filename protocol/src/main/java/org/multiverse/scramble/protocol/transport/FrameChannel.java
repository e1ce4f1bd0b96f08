package org.multiverse.scramble.protocol.transport;

import java.io.IOException;
import org.multiverse.scramble.protocol.frame.Frame;

/**
 * One bidirectional link carrying frames: a virtio-serial port, a QEMU chardev socket, a
 * unix or TCP connection, or a simulated link. Obtain one from {@link Transports}.
 *
 * <p>Frames are delivered to the {@link FrameListener} in the order they were decoded, one
 * at a time, on a thread owned by the channel. Implementations hold inbound traffic until a
 * listener is set, so set it before expecting traffic.
 */
public interface FrameChannel extends AutoCloseable {

    /**
     * Encodes {@code frame} with the frame encoder and queues it for the peer. Thread-safe.
     *
     * @throws IOException if the link is closed or cannot take the frame now
     * @throws org.multiverse.scramble.protocol.frame.FrameTooLargeException if the payload is
     *     above {@code FrameEncoder.DEFAULT_MAX_PAYLOAD}; the link stays up
     */
    void send(Frame frame) throws IOException;

    /** Sets the receiver of inbound frames and of the close notification; releases held input. */
    void setListener(FrameListener listener);

    /** Whether the link can still carry frames. */
    boolean isOpen();

    /** A description of the other end for logs and status lines, e.g. {@code unix:/run/x.sock}. */
    String peer();

    /**
     * Who is at the other end, for budgets shared across that peer's links: {@code uid:N} for a
     * unix socket (the connecting process's user, from {@code SO_PEERCRED}), {@code tcp:ADDRESS}
     * (without the port) for TCP, and the link itself for a chardev, virtio port or simulated
     * listener, each one peer.
     */
    default String peerKey() {
        return peer();
    }

    /**
     * Tells the transport that this link carried an authenticated envelope (an authorised
     * session's, fresh and in its sequence window): the link now has its own budgets instead of
     * sharing its peer's, and no authentication deadline. Thread-safe; does nothing on links
     * without edge limits.
     */
    default void markAuthenticated() {}

    /** Live traffic counters of this link. */
    LinkCounters counters();

    /** Closes the link; idempotent. The listener's {@code onClosed} runs once. */
    @Override
    void close();
}
