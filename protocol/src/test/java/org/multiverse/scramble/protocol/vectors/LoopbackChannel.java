package org.multiverse.scramble.protocol.vectors;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameDecoder;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.FrameListener;
import org.multiverse.scramble.protocol.transport.LinkCounters;

/**
 * An in-memory link to one agent, for driving the real pipeline without sockets or threads of
 * its own: {@link #deliver} hands the agent a frame on the caller's thread, and every frame the
 * agent sends goes through the real frame encoder and decoder into a queue that
 * {@link #next} reads.
 */
final class LoopbackChannel implements FrameChannel {

    private final FrameDecoder decoder = new FrameDecoder();
    private final LinkedBlockingQueue<Frame> sent = new LinkedBlockingQueue<>();
    private volatile FrameListener listener;
    private volatile boolean open = true;

    /** Gives the agent one frame, as if it had just arrived. */
    void deliver(Frame frame) {
        FrameListener l = listener;
        if (l == null) {
            throw new IllegalStateException("no agent is attached");
        }
        l.onFrame(this, frame);
    }

    /** The next frame the agent sent, or an error after {@code timeout}. */
    Frame next(Duration timeout) throws InterruptedException {
        Frame f = sent.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new IllegalStateException("the agent did not answer within " + timeout.toSeconds() + " s");
        }
        return f;
    }

    /** Frames the agent sent that nobody read. */
    List<Frame> unread() {
        return List.copyOf(sent);
    }

    @Override
    public synchronized void send(Frame frame) throws IOException {
        if (!open) {
            throw new IOException("loopback closed");
        }
        byte[] wire = FrameEncoder.encode(frame);
        sent.addAll(decoder.feed(wire, 0, wire.length));
    }

    @Override
    public void setListener(FrameListener listener) {
        this.listener = listener;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String peer() {
        return "vector-loopback";
    }

    /** The pipeline never asks; {@code LinkCounters} cannot be made outside its package. */
    @Override
    public LinkCounters counters() {
        throw new UnsupportedOperationException("a loopback link keeps no counters");
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            FrameListener l = listener;
            if (l != null) {
                l.onClosed(this, null);
            }
        }
    }
}
