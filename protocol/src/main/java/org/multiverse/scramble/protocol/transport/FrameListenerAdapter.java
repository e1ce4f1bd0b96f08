package org.multiverse.scramble.protocol.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.multiverse.scramble.protocol.frame.Frame;

/** The last inbound handler: hands decoded frames and the close to the channel's listener. */
final class FrameListenerAdapter extends ChannelInboundHandlerAdapter {
    private final NettyFrameChannel channel;

    FrameListenerAdapter(NettyFrameChannel channel) {
        this.channel = channel;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Frame frame) {
            channel.deliver(frame);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        channel.closed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        channel.fail(cause);
    }
}
