package org.multiverse.scramble.protocol.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameDecoder;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameType;

/**
 * The host side of virtio-serial. QEMU is the server of a chardev socket; here a plain JDK
 * unix server stands in for it, and "restarts" by closing everything and binding again.
 */
class ChardevTransportTest {
    @TempDir
    Path dir;

    @AfterAll
    static void releaseEventLoops() {
        Transports.shutdown();
    }

    /** A QEMU stand-in: accepts one connection and talks raw frame bytes over it. */
    private static final class FakeQemu implements AutoCloseable {
        private final ServerSocketChannel server;
        private SocketChannel conn;
        private final FrameDecoder decoder = new FrameDecoder();
        private final List<Frame> received = new ArrayList<>();

        FakeQemu(Path path) throws IOException {
            Files.deleteIfExists(path);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
        }

        void accept() throws IOException {
            conn = server.accept(); // blocking: the dialer connects within its backoff
        }

        void send(Frame f) throws IOException {
            conn.write(ByteBuffer.wrap(FrameEncoder.encode(f)));
        }

        Frame receive() throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (received.isEmpty()) {
                buf.clear();
                int n = conn.read(buf);
                if (n < 0) {
                    throw new IOException("agent closed");
                }
                received.addAll(decoder.feed(buf.array(), 0, n));
            }
            return received.remove(0);
        }

        @Override
        public void close() throws IOException {
            if (conn != null) {
                conn.close();
            }
            server.close();
        }
    }

    @Test
    void agentDialsQemuAndRedialsAfterARestart() throws Exception {
        Path sock = dir.resolve("portal-1.sock");
        BlockingQueue<FrameChannel> links = new LinkedBlockingQueue<>();
        BlockingQueue<Frame> inbound = new LinkedBlockingQueue<>();
        Inbox closes = new Inbox();
        FakeQemu qemu = new FakeQemu(sock);
        try (Listener agent = Transports.listen(TransportUri.parse("chardev:" + sock), ch -> {
            ch.setListener(new FrameListener() {
                @Override
                public void onFrame(FrameChannel c, Frame f) {
                    inbound.add(f);
                }

                @Override
                public void onClosed(FrameChannel c, Throwable cause) {
                    closes.onClosed(c, cause);
                }
            });
            links.add(ch);
        })) {
            qemu.accept();
            FrameChannel first = links.poll(Inbox.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(first, "the agent dialed QEMU");
            assertEquals("chardev:" + sock, first.peer());
            exchange(qemu, first, inbound, "before restart");

            qemu.close(); // QEMU exits...
            assertTrue(closes.awaitClosed(Inbox.WAIT), "the agent notices QEMU went away");
            qemu = new FakeQemu(sock); // ...and comes back on the same path
            qemu.accept();
            FrameChannel second = links.poll(Inbox.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(second, "the agent dialed again");
            assertTrue(second.isOpen());
            exchange(qemu, second, inbound, "after restart");
        } finally {
            qemu.close();
        }
    }

    @Test
    void dialerKeepsTryingUntilQemuAppears() throws Exception {
        Path sock = dir.resolve("late.sock");
        BlockingQueue<FrameChannel> links = new LinkedBlockingQueue<>();
        BlockingQueue<Frame> inbound = new LinkedBlockingQueue<>();
        try (Listener agent = Transports.listen(TransportUri.parse("chardev:" + sock), ch -> {
            ch.setListener((c, f) -> inbound.add(f));
            links.add(ch);
        })) {
            // Several dial attempts fail while nothing listens; none of them is a link.
            assertEquals(null, links.poll(300, TimeUnit.MILLISECONDS));
            try (FakeQemu qemu = new FakeQemu(sock)) {
                qemu.accept();
                FrameChannel ch = links.poll(Inbox.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertNotNull(ch);
                exchange(qemu, ch, inbound, "finally");
            }
        }
    }

    private static void exchange(FakeQemu qemu, FrameChannel agentSide, BlockingQueue<Frame> inbound, String text)
            throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        qemu.send(new Frame(FrameType.ENVELOPE, payload));
        Frame got = inbound.poll(Inbox.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(got, "frame from QEMU side arrived");
        assertArrayEquals(payload, got.payload());
        agentSide.send(new Frame(FrameType.REPLY, payload));
        Frame back = qemu.receive();
        assertEquals(FrameType.REPLY, back.type());
        assertArrayEquals(payload, back.payload());
    }
}
