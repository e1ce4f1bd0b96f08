package org.multiverse.scramble.protocol.transport;

import java.io.IOException;
import org.multiverse.scramble.protocol.frame.Frame;

/**
 * A channel that forwards everything to another one, for decorators that change one behaviour
 * (redial after a close, keep a copy of what is sent). Listeners see this channel, not the inner
 * one, in their callbacks.
 */
public class ForwardingFrameChannel implements FrameChannel {

    private final FrameChannel inner;

    public ForwardingFrameChannel(FrameChannel inner) {
        this.inner = inner;
    }

    @Override
    public void send(Frame frame) throws IOException {
        inner.send(frame);
    }

    @Override
    public void setListener(FrameListener listener) {
        inner.setListener(new FrameListener() {
            @Override
            public void onFrame(FrameChannel ch, Frame frame) {
                listener.onFrame(ForwardingFrameChannel.this, frame);
            }

            @Override
            public void onClosed(FrameChannel ch, Throwable cause) {
                try {
                    listener.onClosed(ForwardingFrameChannel.this, cause);
                } finally {
                    afterClosed();
                }
            }
        });
    }

    /** Called after the listener heard that the inner channel closed. Does nothing by default. */
    protected void afterClosed() {}

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public String peer() {
        return inner.peer();
    }

    @Override
    public String peerKey() {
        return inner.peerKey();
    }

    @Override
    public void markAuthenticated() {
        inner.markAuthenticated();
    }

    @Override
    public LinkCounters counters() {
        return inner.counters();
    }

    @Override
    public void close() {
        inner.close();
    }
}
