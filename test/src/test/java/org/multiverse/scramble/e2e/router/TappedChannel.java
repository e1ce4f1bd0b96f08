package org.multiverse.scramble.e2e.router;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.FrameListener;
import org.multiverse.scramble.protocol.transport.LinkCounters;

/** A channel that keeps a copy of every frame an agent sends on it, so a test can compare bytes. */
final class TappedChannel implements FrameChannel {

    private final FrameChannel inner;
    final List<Frame> sent;

    TappedChannel(FrameChannel inner, List<Frame> sent) {
        this.inner = inner;
        this.sent = sent;
    }

    static List<Frame> newLog() {
        return new CopyOnWriteArrayList<>();
    }

    @Override
    public void send(Frame frame) throws IOException {
        sent.add(frame);
        inner.send(frame);
    }

    @Override
    public void setListener(FrameListener listener) {
        inner.setListener(new FrameListener() {
            @Override
            public void onFrame(FrameChannel channel, Frame frame) {
                listener.onFrame(TappedChannel.this, frame);
            }

            @Override
            public void onClosed(FrameChannel channel, Throwable causeOrNull) {
                listener.onClosed(TappedChannel.this, causeOrNull);
            }
        });
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public String peer() {
        return inner.peer();
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
