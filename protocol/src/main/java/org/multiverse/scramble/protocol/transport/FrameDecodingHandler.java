package org.multiverse.scramble.protocol.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.WorkMeter;

/**
 * Turns inbound bytes into {@link Frame}s with the resynchronising frame decoder. On an
 * accepted link (one with a {@link LinkGuard}) the decoder's parse work is paid from the
 * guard's budget: when it runs out, reading pauses until the budget refills (the unconsumed
 * bytes wait here, at most one socket read), and a link throttled too long, idle too long,
 * unauthenticated too long, or stuck on an incomplete frame is closed.
 */
final class FrameDecodingHandler extends ChannelInboundHandlerAdapter {
    /** How often an accepted link's deadlines are checked; they are seconds long. */
    static final long CHECK_MILLIS = 250;
    /** The most work one frame can need: a CRC over the largest frame. */
    private static final long MAX_FRAME_WORK = FrameEncoder.DEFAULT_MAX_PAYLOAD + 64L;

    private static final byte[] NOTHING = new byte[0];

    private final CountingDecoder decoder;
    /** Null on links this side dialled: the agent it dialled is not an anonymous peer. */
    private final LinkGuard guard;

    private byte[] held;
    private int heldOffset;
    private boolean paused;
    private ScheduledFuture<?> ticker;

    FrameDecodingHandler(LinkCounters counters, LinkGuard guard) {
        this.decoder = new CountingDecoder(counters);
        this.guard = guard;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (guard != null) {
            ticker = ctx.executor()
                    .scheduleAtFixedRate(() -> check(ctx), CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (guard != null) {
            guard.release();
        }
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
        if (guard == null) {
            for (Frame frame : decoder.feed(bytes, 0, bytes.length)) {
                ctx.fireChannelRead(frame);
            }
            return;
        }
        guard.onRead(System.nanoTime());
        if (held == null) {
            held = bytes;
            heldOffset = 0;
        } else {
            // A read that was already under way when reading paused: keep it behind the rest.
            byte[] joined = Arrays.copyOfRange(held, heldOffset, held.length + bytes.length);
            System.arraycopy(bytes, 0, joined, held.length - heldOffset, bytes.length);
            held = joined;
            heldOffset = 0;
        }
        if (!paused) {
            drain(ctx);
        }
    }

    /** Decodes held input as far as the budget allows; pauses reading when it does not. */
    private void drain(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        byte[] input = held == null ? NOTHING : held;
        int offset = held == null ? 0 : heldOffset;
        WorkMeter meter = guard.meter();
        List<Frame> frames = new ArrayList<>(1);
        int consumed = decoder.feedMetered(input, offset, input.length - offset, meter, frames);
        heldOffset = offset + consumed;
        if (heldOffset >= input.length) {
            held = null;
        }
        guard.afterDecode(System.nanoTime(), !frames.isEmpty(), decoder.bufferedBytes());
        for (Frame frame : frames) {
            ctx.fireChannelRead(frame);
        }
        if (decoder.starved()) {
            long pause = guard.pauseMillis(MAX_FRAME_WORK);
            guard.throttled(TimeUnit.MILLISECONDS.toNanos(pause));
            if (!closeIfOverdue(ctx)) {
                paused = true;
                ctx.channel().config().setAutoRead(false);
                ctx.executor().schedule(() -> resume(ctx), pause, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void resume(ChannelHandlerContext ctx) {
        paused = false;
        drain(ctx);
        if (!paused && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void check(ChannelHandlerContext ctx) {
        closeIfOverdue(ctx);
    }

    private boolean closeIfOverdue(ChannelHandlerContext ctx) {
        Optional<String> why = guard.overdue(System.nanoTime());
        if (why.isEmpty()) {
            return false;
        }
        // Closed without a frame: the peer may be an attacker, and a well-behaved client only
        // sees a dropped link, which it redials.
        ctx.fireExceptionCaught(new LinkCutException(guard.peer() + ": " + why.get()));
        ctx.close();
        return true;
    }
}
