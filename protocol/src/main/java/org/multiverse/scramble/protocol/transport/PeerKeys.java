package org.multiverse.scramble.protocol.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Names the peer of an accepted socket for {@link FrameChannel#peerKey()}. */
final class PeerKeys {
    private PeerKeys() {}

    /**
     * {@code uid:N} for a unix socket (the kernel's {@code SO_PEERCRED}, which the peer cannot
     * forge), {@code tcp:ADDRESS} for TCP (every port of an address is one peer). A unix peer whose
     * credentials cannot be read is {@code uid:?}: one shared peer, never a fresh one per link.
     */
    static String of(Channel ch) {
        if (ch instanceof EpollDomainSocketChannel unix) {
            try {
                return "uid:" + unix.peerCredentials().uid();
            } catch (IOException | RuntimeException e) {
                return "uid:?";
            }
        }
        SocketAddress remote = ch.remoteAddress();
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return "tcp:" + inet.getAddress().getHostAddress();
        }
        return "tcp:?";
    }
}
