package org.multiverse.scramble.protocol.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameTooLargeException;

/**
 * A {@link FrameChannel} over a Netty socket channel (unix, chardev, TCP). The socket starts
 * with auto-read off and reads only once a listener is set, so no frame is lost to a
 * listener that is not there yet.
 */
final class NettyFrameChannel implements FrameChannel {
    private final Channel channel;
    private final String peer;
    /** The edge rules of an accepted link; null on a link this side dialled. */
    private final LinkGuard guard;

    private final LinkCounters counters = new LinkCounters();
    private final AtomicBoolean closedReported = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile FrameListener listener;

    private NettyFrameChannel(Channel channel, String peer, LinkGuard guard) {
        this.channel = channel;
        this.peer = peer;
        this.guard = guard;
    }

    /** Builds the pipeline of a dialled {@code ch} and returns the frame channel over it. */
    static NettyFrameChannel install(Channel ch, String peer) {
        return install(ch, peer, null);
    }

    /**
     * Builds the pipeline of {@code ch} and returns the frame channel over it; an accepted link
     * has a {@code guard} that meters its decoding and enforces its deadlines.
     */
    static NettyFrameChannel install(Channel ch, String peer, LinkGuard guard) {
        NettyFrameChannel frames = new NettyFrameChannel(ch, peer, guard);
        ChannelPipeline p = ch.pipeline();
        p.addLast("frame-decoder", new FrameDecodingHandler(frames.counters, guard));
        p.addLast("frame-encoder", new FrameEncodingHandler(frames.counters));
        p.addLast("frame-listener", new FrameListenerAdapter(frames));
        return frames;
    }

    @Override
    public void send(Frame frame) throws IOException {
        Objects.requireNonNull(frame, "frame");
        if (frame.payload().length > FrameEncoder.DEFAULT_MAX_PAYLOAD) {
            // Refused here, in the caller's thread: failing inside the pipeline would drop the link.
            throw new FrameTooLargeException(frame.payload().length, FrameEncoder.DEFAULT_MAX_PAYLOAD);
        }
        if (!channel.isActive()) {
            throw new IOException("link to " + peer + " is closed");
        }
        if (!channel.isWritable()) {
            // Past the high water mark the peer is not reading; failing fast beats growing a
            // buffer without bound. The caller keeps its request and resends after reconnect.
            throw new IOException("link to " + peer + " is not draining (send buffer full)");
        }
        channel.writeAndFlush(frame).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                fail(f.cause());
            }
        });
    }

    @Override
    public void setListener(FrameListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        channel.config().setAutoRead(true);
        if (!channel.isActive()) {
            channel.eventLoop().execute(this::closed);
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public String peerKey() {
        return guard != null ? guard.peer() : peer;
    }

    @Override
    public void markAuthenticated() {
        if (guard != null) {
            guard.authenticated();
        }
    }

    @Override
    public LinkCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        channel.close();
    }

    void deliver(Frame frame) {
        FrameListener l = listener;
        if (l == null) {
            return; // unreachable: reading starts only once a listener is set
        }
        try {
            l.onFrame(this, frame);
        } catch (RuntimeException e) {
            fail(e); // a listener that throws has lost track of the link's state: drop the link
        }
    }

    void fail(Throwable cause) {
        failure.compareAndSet(null, cause);
        channel.close();
    }

    void closed() {
        FrameListener l = listener;
        if (l != null && closedReported.compareAndSet(false, true)) {
            l.onClosed(this, failure.get());
        }
    }

    @Override
    public String toString() {
        return "FrameChannel[" + peer + "]";
    }
}
