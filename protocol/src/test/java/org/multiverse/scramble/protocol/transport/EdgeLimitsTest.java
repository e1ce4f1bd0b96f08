package org.multiverse.scramble.protocol.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.ratelimit.BucketSpec;

/**
 * The edge rules of unix and TCP listeners, each reproducing an attack of issue 14 at small
 * scale: held connections past the cap, a link that never authenticates, an idle link, a slow
 * writer that never completes a frame, and a header bomb (overlapping valid headers each
 * claiming 64 KiB, so every header costs a CRC over 64 KiB).
 */
class EdgeLimitsTest {
    /** Long enough not to fire in a test that is about another rule. */
    private static final Duration NEVER = Duration.ofMinutes(10);
    /** How long a test waits for the agent's side to close a link. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @AfterAll
    static void releaseEventLoops() {
        Transports.shutdown();
    }

    /** One accepted link as the agent's side sees it. */
    private record Accepted(FrameChannel channel, Inbox inbox) {}

    private final BlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();

    private Listener listen(String scheme, EdgeLimits limits, boolean authenticate) throws IOException {
        TransportUri uri = scheme.equals("unix")
                ? TransportUri.parse("unix:" + dir.resolve("edge.sock"))
                : TransportUri.parse("tcp:127.0.0.1:0");
        return Transports.listen(uri, limits, ch -> {
            Inbox inbox = new Inbox();
            ch.setListener(inbox);
            if (authenticate) {
                ch.markAuthenticated(); // as the agent does after a good envelope
            }
            accepted.add(new Accepted(ch, inbox));
        });
    }

    private static SocketChannel raw(Listener l) throws IOException {
        TransportUri uri = l.uri();
        if (uri.scheme() == Scheme.UNIX) {
            SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
            s.connect(UnixDomainSocketAddress.of(uri.path()));
            return s;
        }
        return SocketChannel.open(new InetSocketAddress(uri.host(), uri.port()));
    }

    /** Whether the other side closed {@code s} within {@link #CLOSE_WAIT} (a read sees end of stream). */
    private static boolean closedByAgent(SocketChannel s) throws IOException, InterruptedException {
        s.configureBlocking(false);
        ByteBuffer sink = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            sink.clear();
            try {
                if (s.read(sink) == -1) {
                    return true;
                }
            } catch (IOException e) {
                return true; // reset
            }
            Thread.sleep(10);
        }
        return false;
    }

    private Accepted nextAccepted() throws InterruptedException {
        Accepted a = accepted.poll(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(a, "nothing accepted");
        return a;
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void thePeerIsTheUserOrTheAddressNotTheConnection(String scheme) throws Exception {
        try (Listener l = listen(scheme, EdgeLimits.DEFAULTS, false);
                SocketChannel a = raw(l);
                SocketChannel b = raw(l)) {
            String first = nextAccepted().channel().peerKey();
            String second = nextAccepted().channel().peerKey();
            assertEquals(first, second, "two connections of one peer");
            if (scheme.equals("unix")) {
                assertEquals("uid:" + Files.getAttribute(dir, "unix:uid"), first);
            } else {
                assertEquals("tcp:127.0.0.1", first);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void heldConnectionsPastThePeersCapAreClosedAtOnce(String scheme) throws Exception {
        List<SocketChannel> held = new ArrayList<>();
        try (Listener l = listen(scheme, EdgeLimits.DEFAULTS.withConnections(100, 3), false)) {
            for (int i = 0; i < 3; i++) {
                held.add(raw(l));
                nextAccepted();
            }
            try (SocketChannel fourth = raw(l)) {
                assertTrue(closedByAgent(fourth), "a connection past the cap stayed open");
            }
            assertEquals(0, accepted.size(), "a connection past the cap reached the agent");
            for (SocketChannel s : held) {
                assertTrue(s.isConnected());
            }
            held.remove(0).close(); // a place frees up
            Thread.sleep(200);
            try (SocketChannel again = raw(l)) {
                nextAccepted();
            }
        } finally {
            for (SocketChannel s : held) {
                s.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void aLinkThatNeverAuthenticatesIsClosed(String scheme) throws Exception {
        EdgeLimits limits = EdgeLimits.DEFAULTS.withDeadlines(Duration.ofMillis(500), NEVER, NEVER, NEVER);
        try (Listener l = listen(scheme, limits, false);
                SocketChannel s = raw(l)) {
            Accepted a = nextAccepted();
            s.write(ByteBuffer.wrap(FrameEncoder.encode(new Frame(FrameType.HEARTBEAT, new byte[4]))));
            assertTrue(closedByAgent(s), "an unauthenticated link stayed open");
            assertTrue(a.inbox().awaitClosed(CLOSE_WAIT));
            assertInstanceOf(LinkCutException.class, a.inbox().closeCause());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void anIdleLinkIsClosedEvenWhenAuthenticated(String scheme) throws Exception {
        EdgeLimits limits = EdgeLimits.DEFAULTS.withDeadlines(NEVER, Duration.ofMillis(500), NEVER, NEVER);
        try (Listener l = listen(scheme, limits, true);
                SocketChannel s = raw(l)) {
            nextAccepted();
            assertTrue(closedByAgent(s), "an idle link stayed open");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void aSlowWriterThatNeverCompletesAFrameIsClosed(String scheme) throws Exception {
        EdgeLimits limits = EdgeLimits.DEFAULTS.withDeadlines(NEVER, NEVER, Duration.ofMillis(600), NEVER);
        byte[] frame = FrameEncoder.encode(new Frame(FrameType.ENVELOPE, new byte[1000]));
        try (Listener l = listen(scheme, limits, true);
                SocketChannel s = raw(l)) {
            Accepted a = nextAccepted();
            AtomicReference<IOException> writeFailed = new AtomicReference<>();
            Thread slow = new Thread(() -> {
                try {
                    for (int i = 0; i < frame.length; i++) { // one byte every 50 ms: 50 s for the frame
                        s.write(ByteBuffer.wrap(frame, i, 1));
                        Thread.sleep(50);
                    }
                } catch (IOException e) {
                    writeFailed.set(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            slow.setDaemon(true);
            slow.start();
            assertTrue(a.inbox().awaitClosed(CLOSE_WAIT), "the slow writer's link stayed open");
            assertInstanceOf(LinkCutException.class, a.inbox().closeCause());
            slow.interrupt();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void aHeaderBombIsThrottledThenCut(String scheme) throws Exception {
        // 1 MiB/s of parse work for the peer: good input costs about a unit a byte, the bomb
        // below asks for about 4 700 CRCs over 64 KiB for each 64 KiB it sends.
        EdgeLimits limits = EdgeLimits.DEFAULTS
                .withWork(new BucketSpec(256 * 1024, 250, 0), new BucketSpec(1 << 20, 250, 0), EdgeLimits.WORK_PER_LINK)
                .withDeadlines(NEVER, NEVER, NEVER, Duration.ofMillis(1500));
        byte[] header = new byte[14];
        System.arraycopy(
                FrameEncoder.encode(new Frame(FrameType.ENVELOPE, new byte[FrameEncoder.DEFAULT_MAX_PAYLOAD])),
                0,
                header,
                0,
                14);
        byte[] bomb = new byte[14 * 10_000];
        for (int i = 0; i < bomb.length; i += 14) {
            System.arraycopy(header, 0, bomb, i, 14);
        }
        try (Listener l = listen(scheme, limits, false);
                SocketChannel s = raw(l)) {
            Accepted a = nextAccepted();
            s.configureBlocking(false);
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            ByteBuffer out = ByteBuffer.wrap(bomb);
            while (a.channel().isOpen() && System.nanoTime() < deadline) {
                try {
                    if (!out.hasRemaining()) {
                        out = ByteBuffer.wrap(bomb);
                    }
                    s.write(out);
                } catch (IOException e) {
                    break; // cut
                }
                Thread.sleep(1);
            }
            assertTrue(a.inbox().awaitClosed(CLOSE_WAIT), "the bomb's link was never cut");
            Throwable cause = a.inbox().closeCause();
            assertInstanceOf(LinkCutException.class, cause);
            assertTrue(cause.getMessage().contains("parse work"), cause.getMessage());
            // Work is bounded by the budget: about 1 MiB/s for the time the link lived, not the
            // hundreds of MiB an unmetered decoder would have checked.
            assertTrue(
                    a.channel().counters().badFrames() < 200,
                    a.channel().counters().toString());
        }
    }
}
