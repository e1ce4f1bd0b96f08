package org.multiverse.scramble.protocol.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;

/** Turns outbound {@link Frame}s into their encoded bytes. */
final class FrameEncodingHandler extends ChannelOutboundHandlerAdapter {
    private final LinkCounters counters;

    FrameEncodingHandler(LinkCounters counters) {
        this.counters = counters;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Frame frame)) {
            ctx.write(msg, promise);
            return;
        }
        byte[] encoded;
        try {
            encoded = FrameEncoder.encode(frame);
        } catch (RuntimeException e) {
            promise.setFailure(e);
            return;
        }
        counters.addOut(encoded.length);
        ctx.write(Unpooled.wrappedBuffer(encoded), promise);
    }
}
