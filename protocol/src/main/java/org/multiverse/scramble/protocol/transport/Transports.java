package org.multiverse.scramble.protocol.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The entry point to every transport. The client side {@link #connect}s; the agent side
 * {@link #listen}s. Socket transports share one Netty event loop group, released by
 * {@link #shutdown()}.
 */
public final class Transports {
    private Transports() {}

    /**
     * Opens one link to {@code uri}: connects a socket (unix, chardev, tcp), opens the guest's
     * virtio-serial device, or connects to a simulated listener.
     *
     * @throws IOException if it cannot be reached now; callers retry with a {@link Backoff}
     */
    public static FrameChannel connect(TransportUri uri) throws IOException {
        Objects.requireNonNull(uri, "uri");
        return switch (uri.scheme()) {
            case UNIX, CHARDEV, TCP -> NettyTransport.connect(uri);
            case VIRTIO -> VirtioFrameChannel.open(Path.of(uri.path()));
            case SIM -> SimNetwork.connect(uri.path());
        };
    }

    /**
     * Starts accepting links at {@code uri} and hands each one to {@code onAccept}, which must
     * set the channel's listener and return quickly (it may run on an I/O thread).
     * <ul>
     *   <li>unix: binds a socket file with mode 0600, replacing a stale socket but never
     *       another kind of file; unix and tcp enforce {@link EdgeLimits#DEFAULTS}
     *   <li>tcp: binds host:port; {@link Listener#uri()} tells the port when 0 was asked
     *   <li>chardev: QEMU is the server, so this dials its socket and dials again, with
     *       backoff, each time the connection drops
     *   <li>virtio: opens the device and hands over that one link
     *   <li>sim: registers the name in {@link SimNetwork}
     * </ul>
     */
    public static Listener listen(TransportUri uri, Consumer<FrameChannel> onAccept) throws IOException {
        return listen(uri, EdgeLimits.DEFAULTS, onAccept);
    }

    /**
     * Like {@link #listen(TransportUri, Consumer)} with other {@link EdgeLimits} (connection caps,
     * parse-work budgets, deadlines) for the unix and TCP listeners; other schemes have none, as a
     * chardev, virtio port or simulated listener is one peer with one link at a time.
     */
    public static Listener listen(TransportUri uri, EdgeLimits edge, Consumer<FrameChannel> onAccept)
            throws IOException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(edge, "edge");
        Objects.requireNonNull(onAccept, "onAccept");
        return switch (uri.scheme()) {
            case UNIX, TCP -> NettyTransport.listen(uri, edge, onAccept);
            case CHARDEV -> ChardevDialer.start(uri, onAccept);
            case VIRTIO -> {
                FrameChannel ch = VirtioFrameChannel.open(Path.of(uri.path()));
                onAccept.accept(ch);
                yield new Listener() {
                    @Override
                    public TransportUri uri() {
                        return uri;
                    }

                    @Override
                    public void close() {
                        // A character device is a single link; its channel is closed by its owner.
                    }
                };
            }
            case SIM -> SimNetwork.listen(uri.path(), onAccept);
        };
    }

    /**
     * Stops the shared Netty event loops, closing any socket link still open. Links made
     * afterwards start a new group. Call at process exit and after test classes.
     */
    public static void shutdown() {
        EventLoops.shutdown();
    }
}
