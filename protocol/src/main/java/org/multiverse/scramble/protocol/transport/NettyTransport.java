package org.multiverse.scramble.protocol.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Socket transports on Netty: unix domain sockets (unix, chardev) and TCP. */
final class NettyTransport {
    /** A local socket answers at once; a remote one within a few seconds or not at all. */
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** Bind is local; waiting longer means something is badly wrong. */
    static final int BIND_TIMEOUT_MILLIS = 5_000;
    /**
     * Frames are at most 64 KiB; a link with more than 1 MiB queued has a peer that stopped
     * reading, and {@link NettyFrameChannel#send} then fails instead of queueing more.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private NettyTransport() {}

    static FrameChannel connect(TransportUri uri) throws IOException {
        Bootstrap b = new Bootstrap()
                .group(uri.scheme() == Scheme.TCP ? EventLoops.group() : EventLoops.epollGroup())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        SocketAddress address;
        if (uri.scheme() == Scheme.TCP) {
            b.channel(EventLoops.isEpoll() ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true);
            address = new InetSocketAddress(uri.host(), uri.port());
        } else {
            b.channel(EpollDomainSocketChannel.class);
            address = new DomainSocketAddress(uri.path());
        }
        NettyFrameChannel[] holder = new NettyFrameChannel[1];
        b.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                holder[0] = NettyFrameChannel.install(ch, uri.toString());
            }
        });
        ChannelFuture f = b.connect(address);
        if (!f.awaitUninterruptibly(CONNECT_TIMEOUT_MILLIS + 1_000L, TimeUnit.MILLISECONDS)) {
            f.channel().close();
            throw new IOException("cannot connect to " + uri + ": timed out");
        }
        if (!f.isSuccess()) {
            f.channel().close();
            throw new IOException("cannot connect to " + uri + ": " + f.cause().getMessage(), f.cause());
        }
        return holder[0];
    }

    static Listener listen(TransportUri uri, EdgeLimits edge, Consumer<FrameChannel> onAccept) throws IOException {
        ListenerLimits limits = new ListenerLimits(edge);
        ServerBootstrap b = new ServerBootstrap()
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        SocketAddress address;
        Path socketFile = null;
        if (uri.scheme() == Scheme.TCP) {
            b.group(EventLoops.group())
                    .channel(EventLoops.isEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true);
            address = new InetSocketAddress(uri.host(), uri.port());
        } else {
            b.group(EventLoops.epollGroup()).channel(EpollServerDomainSocketChannel.class);
            socketFile = Path.of(uri.path());
            UnixSocketFiles.prepareForBind(socketFile);
            address = new DomainSocketAddress(uri.path());
        }
        b.childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                String peer = uri.scheme() == Scheme.TCP ? "tcp:" + ch.remoteAddress() : uri + " (accepted)";
                long pause = limits.acceptPauseMillis();
                if (pause > 0) {
                    // A connect storm: stop taking sockets from the kernel for a moment.
                    Channel server = ch.parent();
                    server.config().setAutoRead(false);
                    server.eventLoop().schedule(() -> server.config().setAutoRead(true), pause, TimeUnit.MILLISECONDS);
                    ch.close();
                    return;
                }
                LinkGuard guard = limits.admit(PeerKeys.of(ch));
                if (guard == null) {
                    // Over a cap or an accept rate: closed at once, without a frame (a bare refusal).
                    ch.close();
                    return;
                }
                ch.closeFuture().addListener(f -> guard.release());
                // The callback runs on the event loop: it must only set the listener and return.
                onAccept.accept(NettyFrameChannel.install(ch, peer + " [" + guard.peer() + "]", guard));
            }
        });
        ChannelFuture f = b.bind(address);
        if (!f.awaitUninterruptibly(BIND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) || !f.isSuccess()) {
            f.channel().close();
            Throwable cause = f.cause();
            throw new IOException(
                    "cannot listen on " + uri + ": " + (cause == null ? "timed out" : cause.getMessage()), cause);
        }
        Channel server = f.channel();
        TransportUri bound = uri;
        if (socketFile != null) {
            try {
                UnixSocketFiles.restrictToOwner(socketFile);
            } catch (IOException e) {
                server.close().awaitUninterruptibly();
                throw e;
            }
        } else {
            bound = uri.withPort(((InetSocketAddress) server.localAddress()).getPort());
        }
        return new ServerListener(server, bound, socketFile);
    }

    private record ServerListener(Channel server, TransportUri uri, Path socketFile) implements Listener {
        @Override
        public void close() {
            server.close().awaitUninterruptibly(BIND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (socketFile != null) {
                try {
                    Files.deleteIfExists(socketFile);
                } catch (IOException e) {
                    // Left behind: the next listen removes a stale socket anyway.
                }
            }
        }
    }
}
