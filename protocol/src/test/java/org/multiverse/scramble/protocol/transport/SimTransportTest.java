package org.multiverse.scramble.protocol.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;

class SimTransportTest {
    private static final Duration QUIET = Duration.ofMillis(150);

    private Listener listener;
    private final BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
    private final Inbox serverInbox = new Inbox();
    private final List<FrameChannel> toClose = new ArrayList<>();
    private String name;

    @BeforeEach
    void listen() throws IOException {
        name = "sim-test-" + System.nanoTime();
        listener = Transports.listen(TransportUri.parse("sim:" + name), ch -> {
            ch.setListener(serverInbox);
            accepted.add(ch);
        });
    }

    @AfterEach
    void close() {
        toClose.forEach(FrameChannel::close);
        listener.close();
    }

    private FrameChannel connect(Inbox inbox) throws IOException {
        FrameChannel ch = Transports.connect(TransportUri.parse("sim:" + name));
        ch.setListener(inbox);
        toClose.add(ch);
        return ch;
    }

    private FrameChannel server() throws InterruptedException {
        FrameChannel s = accepted.poll(Inbox.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(s, "no link accepted");
        return s;
    }

    @Test
    void roundTripsFramesBothWays() throws Exception {
        Inbox clientInbox = new Inbox();
        FrameChannel client = connect(clientInbox);
        FrameChannel server = server();
        Inbox.assertRoundTrips(client, clientInbox, server, serverInbox);
        assertThrows(
                org.multiverse.scramble.protocol.frame.FrameTooLargeException.class,
                () -> client.send(new Frame(
                        FrameType.REPLY,
                        new byte[org.multiverse.scramble.protocol.frame.FrameEncoder.DEFAULT_MAX_PAYLOAD + 1])));
        assertTrue(client.isOpen());
        assertTrue(serverInbox.deliveringThread().startsWith("sim-rx"), serverInbox.deliveringThread());
        assertEquals(1, SimNetwork.openLinks(name));
    }

    @Test
    void connectingToNothingFailsClearly() {
        IOException e =
                assertThrows(IOException.class, () -> Transports.connect(TransportUri.parse("sim:nobody-home")));
        assertEquals("nothing listens on sim:nobody-home", e.getMessage());
        IllegalStateException s =
                assertThrows(IllegalStateException.class, () -> SimNetwork.setFaults("nobody-home", SimFaults.NONE));
        assertEquals("nothing listens on sim:nobody-home", s.getMessage());
    }

    @Test
    void secondListenerOnANameIsRefused() {
        IOException e =
                assertThrows(IOException.class, () -> Transports.listen(TransportUri.parse("sim:" + name), ch -> {}));
        assertEquals("sim:" + name + " already has a listener", e.getMessage());
    }

    @Test
    void framesWaitForTheListener() throws Exception {
        FrameChannel client = Transports.connect(TransportUri.parse("sim:" + name));
        toClose.add(client);
        server().send(Inbox.frame(FrameType.EVENT, "early"));
        Inbox late = new Inbox();
        client.setListener(late);
        assertEquals("early", new String(late.take().payload(), StandardCharsets.UTF_8));
    }

    @Test
    void dropLosesWholeFrames() throws Exception {
        Inbox clientInbox = new Inbox();
        FrameChannel client = connect(clientInbox);
        server();
        SimNetwork.setFaults(name, SimFaults.NONE.withDrop(1.0));
        client.send(Inbox.frame(FrameType.ENVELOPE, "lost"));
        SimNetwork.setFaults(name, SimFaults.NONE);
        client.send(Inbox.frame(FrameType.ENVELOPE, "kept"));
        assertEquals("kept", text(serverInbox.take()));
        assertNull(serverInbox.poll(QUIET));
        assertEquals(1, SimNetwork.injected(name, SimFault.DROP));
    }

    @Test
    void duplicateDeliversTwice() throws Exception {
        FrameChannel client = connect(new Inbox());
        server();
        SimNetwork.setFaults(name, SimFaults.NONE.withDuplicate(1.0));
        client.send(Inbox.frame(FrameType.ENVELOPE, "twice"));
        assertEquals("twice", text(serverInbox.take()));
        assertEquals("twice", text(serverInbox.take()));
        assertNull(serverInbox.poll(QUIET));
    }

    @Test
    void reorderSwapsWithTheNextFrameAndFlushesALoneOne() throws Exception {
        FrameChannel client = connect(new Inbox());
        server();
        SimNetwork.setFaults(name, SimFaults.NONE.withReorder(1.0));
        client.send(Inbox.frame(FrameType.ENVELOPE, "first"));
        client.send(Inbox.frame(FrameType.ENVELOPE, "second"));
        assertEquals("second", text(serverInbox.take()));
        assertEquals("first", text(serverInbox.take()));
        client.send(Inbox.frame(FrameType.ENVELOPE, "alone"));
        assertEquals("alone", text(serverInbox.take()), "a held frame is not kept forever");
    }

    @Test
    void corruptionIsDetectedAndTheDecoderResyncs() throws Exception {
        FrameChannel client = connect(new Inbox());
        FrameChannel server = server();
        SimNetwork.setFaults(name, SimFaults.NONE.withCorrupt(1.0));
        for (int i = 0; i < 10; i++) {
            client.send(Inbox.frame(FrameType.ENVELOPE, "garbled " + i));
        }
        SimNetwork.setFaults(name, SimFaults.NONE);
        client.send(Inbox.frame(FrameType.ENVELOPE, "clean"));
        Frame f;
        // A flipped byte can only be in an ignored position by luck: everything is covered by CRCs.
        while ((f = serverInbox.take()) != null && !text(f).equals("clean")) {
            assertFalse(text(f).startsWith("garbled"), "a corrupted frame was delivered: " + text(f));
        }
        assertTrue(
                server.counters().badFrames() + server.counters().skippedBytes() > 0,
                server.counters().toString());
        assertEquals(1, server.counters().framesIn());
    }

    @Test
    void cutDeliversAPrefixThenClosesBothEnds() throws Exception {
        Inbox clientInbox = new Inbox();
        FrameChannel client = connect(clientInbox);
        FrameChannel server = server();
        SimNetwork.setFaults(name, SimFaults.NONE.withCut(1.0));
        client.send(Inbox.frame(FrameType.ENVELOPE, "torn"));
        assertTrue(serverInbox.awaitClosed(Inbox.WAIT));
        assertTrue(clientInbox.awaitClosed(Inbox.WAIT));
        assertEquals(
                "connection cut mid-frame (simulated)", serverInbox.closeCause().getMessage());
        assertEquals(0, server.counters().framesIn());
        assertTrue(server.counters().bytesIn() > 0, "a prefix arrived");
        assertFalse(client.isOpen());
        IOException e = assertThrows(IOException.class, () -> client.send(Inbox.frame(FrameType.ENVELOPE, "x")));
        assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
    }

    @Test
    void delayKeepsOrder() throws Exception {
        FrameChannel client = connect(new Inbox());
        server();
        SimNetwork.setFaults(name, SimFaults.NONE.withDelay(Duration.ofMillis(30)));
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            client.send(Inbox.frame(FrameType.ENVELOPE, "d" + i));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals("d" + i, text(serverInbox.take()));
        }
        assertTrue(SimNetwork.injected(name, SimFault.DELAY) > 0);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1), "took some time");
    }

    @Test
    void stallHoldsDeliveryThenResumes() throws Exception {
        FrameChannel client = connect(new Inbox());
        server();
        SimNetwork.setFaults(name, SimFaults.NONE.withStall(1.0, Duration.ofMillis(300)));
        long start = System.nanoTime();
        client.send(Inbox.frame(FrameType.ENVELOPE, "stalled"));
        SimNetwork.setFaults(name, SimFaults.NONE);
        assertNull(serverInbox.poll(Duration.ofMillis(100)), "nothing during the stall");
        assertEquals("stalled", text(serverInbox.take()));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
    }

    @Test
    void faultsAreDeterministicUnderASeed() throws Exception {
        assertEquals(run(42), run(42));
        assertFalse(run(42).equals(run(43)), "another seed, other faults");
    }

    private List<String> run(long seed) throws Exception {
        String n = "sim-seed-" + System.nanoTime();
        Inbox inbox = new Inbox();
        try (Listener l = Transports.listen(TransportUri.parse("sim:" + n), ch -> ch.setListener(inbox))) {
            SimNetwork.setSeed(n, seed);
            SimNetwork.setFaults(n, SimFaults.NONE.withDrop(0.3).withDuplicate(0.3));
            FrameChannel c = Transports.connect(TransportUri.parse("sim:" + n));
            c.setListener(new Inbox());
            for (int i = 0; i < 40; i++) {
                c.send(Inbox.frame(FrameType.ENVELOPE, Integer.toString(i)));
            }
            c.send(Inbox.frame(FrameType.ENVELOPE, "end")); // may itself be dropped
            List<String> got = new ArrayList<>();
            Frame f;
            while ((f = inbox.poll(QUIET)) != null) {
                got.add(text(f));
            }
            c.close();
            return got;
        }
    }

    @Test
    void severClosesEveryLinkAndThreadsEnd() throws Exception {
        Inbox clientInbox = new Inbox();
        connect(clientInbox);
        server();
        SimNetwork.sever(name);
        assertTrue(clientInbox.awaitClosed(Inbox.WAIT));
        assertInstanceOf(IOException.class, clientInbox.closeCause());
        assertEquals(0, SimNetwork.openLinks(name));
        long deadline = System.nanoTime() + Inbox.WAIT.toNanos();
        while (simThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, simThreads(), "sim-rx threads of closed links must end");
    }

    private long simThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("sim-rx sim:" + name))
                .count();
    }

    @Test
    void invalidFaultsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimFaults.NONE.withDrop(1.5));
        assertEquals("dropRate must be a probability in [0, 1], got 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SimFaults.NONE.withCorrupt(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> SimFaults.NONE.withDelay(Duration.ofMillis(-1)));
    }

    private static String text(Frame f) {
        return new String(f.payload(), StandardCharsets.UTF_8);
    }
}
