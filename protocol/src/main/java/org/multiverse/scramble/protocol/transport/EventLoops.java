package org.multiverse.scramble.protocol.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The process-wide Netty event loop group, created on first use and shut down by
 * {@link Transports#shutdown()}. One group serves every socket link: the control plane
 * carries a few small frames per second, so a pair of threads is plenty.
 */
final class EventLoops {
    /** Control-plane traffic is light; two threads match the small VMs this runs in. */
    static final int THREADS = 2;
    /** Shutdown quiet period 0: nothing is in flight once callers closed their links. */
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

    private static EventLoopGroup group;
    private static boolean epoll;

    private EventLoops() {}

    /** The shared group: epoll when the native library loads, else NIO (TCP only). */
    static synchronized EventLoopGroup group() {
        if (group == null || group.isShuttingDown()) {
            epoll = Epoll.isAvailable();
            DefaultThreadFactory threads = new DefaultThreadFactory("scramble-io", true);
            group = new MultiThreadIoEventLoopGroup(
                    THREADS, threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        }
        return group;
    }

    /** Whether {@link #group()} runs on epoll; unix sockets need it. */
    static synchronized boolean isEpoll() {
        group();
        return epoll;
    }

    /** The group for unix domain sockets, which only epoll offers. */
    static EventLoopGroup epollGroup() throws IOException {
        if (!isEpoll()) {
            throw new IOException("unix sockets need Netty's native epoll transport, which did not load: "
                    + Epoll.unavailabilityCause());
        }
        return group();
    }

    static synchronized void shutdown() {
        if (group != null) {
            group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
            group = null;
        }
    }
}
