package org.multiverse.scramble.e2e.router;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.transport.ForwardingFrameChannel;
import org.multiverse.scramble.protocol.transport.FrameChannel;

/** A channel that keeps a copy of every frame an agent sends on it, so a test can compare bytes. */
final class TappedChannel extends ForwardingFrameChannel {

    final List<Frame> sent;

    TappedChannel(FrameChannel inner, List<Frame> sent) {
        super(inner);
        this.sent = sent;
    }

    static List<Frame> newLog() {
        return new CopyOnWriteArrayList<>();
    }

    @Override
    public void send(Frame frame) throws IOException {
        sent.add(frame);
        super.send(frame);
    }
}
