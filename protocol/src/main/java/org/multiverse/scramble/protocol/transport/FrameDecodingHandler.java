package org.multiverse.scramble.protocol.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.multiverse.scramble.protocol.frame.Frame;

/** Turns inbound bytes into {@link Frame}s with the resynchronising frame decoder. */
final class FrameDecodingHandler extends ChannelInboundHandlerAdapter {
    private final CountingDecoder decoder;

    FrameDecodingHandler(LinkCounters counters) {
        this.decoder = new CountingDecoder(counters);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        byte[] bytes;
        try {
            bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
        } finally {
            buf.release();
        }
        for (Frame frame : decoder.feed(bytes, 0, bytes.length)) {
            ctx.fireChannelRead(frame);
        }
    }
}
