package org.multiverse.scramble.protocol.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.frame.FrameType;

/** unix and tcp: a real listener and a real client over Netty. */
class SocketTransportTest {
    @TempDir
    Path dir;

    @AfterAll
    static void releaseEventLoops() throws InterruptedException {
        Transports.shutdown();
        // The group's termination completes from inside its last thread, just before that thread
        // returns: join what is left (bounded) rather than race its final instructions.
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("scramble-io")) {
                t.join(TimeUnit.SECONDS.toMillis(5));
            }
        }
        assertFalse(
                Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().startsWith("scramble-io") && t.isAlive()),
                "event loop threads must end on shutdown");
    }

    private void roundTrip(TransportUri listenAt) throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        Inbox serverInbox = new Inbox();
        try (Listener l = Transports.listen(listenAt, ch -> {
            ch.setListener(serverInbox);
            accepted.add(ch);
        })) {
            Inbox clientInbox = new Inbox();
            FrameChannel client = Transports.connect(l.uri());
            client.setListener(clientInbox);
            FrameChannel server = accepted.poll(Inbox.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(server, "nothing accepted");
            Inbox.assertRoundTrips(client, clientInbox, server, serverInbox);
            assertTrue(client.peer().startsWith(listenAt.scheme().token() + ":"), client.peer());
            byte[] tooBig = new byte[org.multiverse.scramble.protocol.frame.FrameEncoder.DEFAULT_MAX_PAYLOAD + 1];
            assertThrows(
                    org.multiverse.scramble.protocol.frame.FrameTooLargeException.class,
                    () -> client.send(new org.multiverse.scramble.protocol.frame.Frame(FrameType.ENVELOPE, tooBig)));
            assertTrue(client.isOpen(), "an oversized frame is refused without dropping the link");
            client.close();
            assertTrue(serverInbox.awaitClosed(Inbox.WAIT), "the server side learns of the close");
            assertTrue(clientInbox.awaitClosed(Inbox.WAIT));
            assertEquals(null, clientInbox.closeCause(), "an orderly close has no cause");
            assertThrows(IOException.class, () -> client.send(Inbox.frame(FrameType.ENVELOPE, "late")));
        }
    }

    @Test
    void unixRoundTrips() throws Exception {
        roundTrip(TransportUri.parse("unix:" + dir.resolve("agent.sock")));
    }

    @Test
    void tcpRoundTripsOnAnEphemeralPort() throws Exception {
        TransportUri any = TransportUri.parse("tcp:127.0.0.1:0");
        try (Listener l = Transports.listen(any, ch -> ch.setListener(new Inbox()))) {
            assertNotEquals(0, l.uri().port(), "the bound port is reported");
        }
        roundTrip(any);
    }

    @Test
    void unixSocketIsOwnerOnlyAndRemovedOnClose() throws Exception {
        Path sock = dir.resolve("host.sock");
        try (Listener l = Transports.listen(TransportUri.parse("unix:" + sock), ch -> {})) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
        }
        assertFalse(Files.exists(sock), "socket file removed on close");
    }

    @Test
    void unixRefusesToReplaceARegularFile() throws Exception {
        Path file = dir.resolve("precious.txt");
        Files.writeString(file, "keep me");
        IOException e =
                assertThrows(IOException.class, () -> Transports.listen(TransportUri.parse("unix:" + file), ch -> {}));
        assertEquals("refusing to listen on " + file + ": a file that is not a socket is there", e.getMessage());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void unixReplacesAStaleSocket() throws Exception {
        Path sock = dir.resolve("stale.sock");
        try (java.nio.channels.ServerSocketChannel old =
                java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            old.bind(java.net.UnixDomainSocketAddress.of(sock));
        } // closed, file left behind like after a crash
        assertTrue(Files.exists(sock));
        roundTrip(TransportUri.parse("unix:" + sock));
    }

    @Test
    void connectingToNothingNamesTheTarget() {
        TransportUri uri = TransportUri.parse("unix:" + dir.resolve("absent.sock"));
        IOException e = assertThrows(IOException.class, () -> Transports.connect(uri));
        assertTrue(e.getMessage().startsWith("cannot connect to " + uri + ": "), e.getMessage());
    }

    @Test
    void garbageOnTheSocketIsSkippedAndCounted() throws Exception {
        Path sock = dir.resolve("garbage.sock");
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        Inbox serverInbox = new Inbox();
        try (Listener l = Transports.listen(TransportUri.parse("unix:" + sock), ch -> {
                    ch.setListener(serverInbox);
                    accepted.add(ch);
                });
                java.nio.channels.SocketChannel raw =
                        java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock))) {
            byte[] garbage = "not a frame at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] good = org.multiverse.scramble.protocol.frame.FrameEncoder.encode(
                    Inbox.frame(FrameType.ENVELOPE, "after garbage"));
            raw.write(java.nio.ByteBuffer.wrap(garbage));
            raw.write(java.nio.ByteBuffer.wrap(good));
            assertEquals(
                    "after garbage", new String(serverInbox.take().payload(), java.nio.charset.StandardCharsets.UTF_8));
            FrameChannel server = accepted.poll(Inbox.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(garbage.length, server.counters().skippedBytes());
            assertEquals(garbage.length + good.length, server.counters().bytesIn());
        }
    }
}
