package org.multiverse.scramble.protocol.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.Inbox;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.Heartbeat;
import org.multiverse.scramble.protocol.v1.RejectCode;
import org.multiverse.scramble.protocol.v1.Rejected;
import org.multiverse.scramble.protocol.v1.Reply;

class AgentClientTest {
    /** Heartbeats every 50 ms, dead after 3 misses: a dead link is noticed in about 200 ms. */
    static final ClientSettings FAST =
            new ClientSettings(Duration.ofMillis(50), 3, Duration.ofMillis(20), Duration.ofMillis(200));
    /** Heartbeats too rare to interfere with a test about something else. */
    static final ClientSettings NO_HEARTBEAT =
            new ClientSettings(Duration.ofHours(1), 3, Duration.ofMillis(20), Duration.ofMillis(200));

    static final Duration LONG = Duration.ofSeconds(10);

    private TransportUri uri;
    private FakeAgent agent;
    private AgentClient client;
    private final BlockingQueue<Frame> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void startAgent() throws IOException {
        uri = TransportUri.parse("sim:client-test-" + System.nanoTime());
        agent = new FakeAgent(uri);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        agent.close();
    }

    private AgentClient start(ClientSettings settings) {
        client = AgentClient.start(() -> Transports.connect(uri), events::add, settings);
        return client;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void replyCompletesTheCall() throws Exception {
        start(FAST);
        TestEnvelopes.Request r = TestEnvelopes.next("portal list");
        Frame reply = client.call(r.id(), r.frame(), LONG).get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertEquals(FrameType.REPLY, reply.type());
        Reply parsed = Reply.parseFrom(reply.payload());
        assertArrayEquals(r.id(), parsed.getRequestId().toByteArray());
        assertEquals("done:portal list", parsed.getCiphertext().toStringUtf8());
        assertEquals(1, agent.executions(r.id()));
        assertEquals(LinkState.UP, client.linkState());
        assertEquals(0, client.inFlight());
        await(() -> client.lastRoundTripMillis().isPresent(), "a heartbeat round trip is measured");
        assertTrue(client.lastRoundTripMillis().getAsLong() >= 0);
        assertTrue(agent.heartbeatsAnswered() > 0);
    }

    @Test
    void manyInFlightAnsweredOutOfOrder() throws Exception {
        start(NO_HEARTBEAT);
        int n = 10;
        agent.holdReplies(n);
        List<TestEnvelopes.Request> requests = new ArrayList<>();
        List<CompletableFuture<Frame>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestEnvelopes.Request r = TestEnvelopes.next("cmd " + i);
            requests.add(r);
            futures.add(client.call(r.id(), r.frame(), LONG));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(LONG.toSeconds(), TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(
                    requests.get(i).id(),
                    TestEnvelopes.replyId(futures.get(i).get()),
                    "reply " + i + " went to its own request");
        }
        // (The order in which the futures' callbacks run is not asserted: a callback attached after
        // its reply arrived runs on the caller's thread, so that order depends on scheduling.)
        assertEquals(n, agent.repliesSentInReverse(), "the fake agent held and reversed the replies");
    }

    @Test
    void noReplyTimesOutWithAClearMessage() throws Exception {
        agent.muteNextConnections(1);
        start(NO_HEARTBEAT);
        TestEnvelopes.Request r = TestEnvelopes.next("portal start");
        CompletableFuture<Frame> f = client.call(r.id(), r.frame(), Duration.ofMillis(200));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(LONG.toSeconds(), TimeUnit.SECONDS));
        RequestTimeoutException t = assertInstanceOf(RequestTimeoutException.class, e.getCause());
        String prefix = HexFormat.of().formatHex(r.id()).substring(0, 8);
        assertEquals("request " + prefix + "... got no reply within 200 ms", t.getMessage());
        assertEquals(prefix, t.requestIdPrefix());
        assertEquals(Duration.ofMillis(200), t.timeout());
        assertEquals(0, client.inFlight(), "a timed-out request is forgotten");
    }

    @Test
    void cancelledCallIgnoresItsLateReply() throws Exception {
        start(NO_HEARTBEAT);
        agent.holdReplies(2);
        TestEnvelopes.Request a = TestEnvelopes.next("a");
        TestEnvelopes.Request b = TestEnvelopes.next("b");
        CompletableFuture<Frame> fa = client.call(a.id(), a.frame(), LONG);
        await(() -> agent.executions(a.id()) == 1, "the agent got a");
        assertTrue(fa.cancel(true));
        assertEquals(0, client.inFlight(), "cancel removes the request");
        long unmatchedBefore = client.unmatchedFrames();
        CompletableFuture<Frame> fb = client.call(b.id(), b.frame(), LONG);
        assertArrayEquals(b.id(), TestEnvelopes.replyId(fb.get(LONG.toSeconds(), TimeUnit.SECONDS)));
        await(() -> client.unmatchedFrames() == unmatchedBefore + 1, "a's late reply is counted, not delivered");
        assertThrows(CancellationException.class, fa::join);
    }

    @Test
    void rejectedCompletesTheCallWithTheRejection() throws Exception {
        start(NO_HEARTBEAT);
        TestEnvelopes.Request r = TestEnvelopes.next("forged");
        agent.reject(r.id());
        Frame f = client.call(r.id(), r.frame(), LONG).get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertEquals(FrameType.REJECTED, f.type());
        assertEquals(RejectCode.UNAUTHENTICATED, Rejected.parseFrom(f.payload()).getCode());
        assertEquals(0, agent.executions(r.id()));
    }

    @Test
    void unknownAndUnparseableRepliesAreCountedAndIgnored() throws Exception {
        start(NO_HEARTBEAT);
        await(() -> agent.connections() == 1 && client.linkState() == LinkState.UP, "connected");
        FrameChannel toClient = agent.channels().get(0);
        byte[] unknownId = new byte[16];
        toClient.send(new Frame(
                FrameType.REPLY,
                Reply.newBuilder()
                        .setRequestId(ByteString.copyFrom(unknownId))
                        .build()
                        .toByteArray()));
        toClient.send(new Frame(FrameType.REPLY, new byte[] {(byte) 0xFF, 0x01, 0x02}));
        toClient.send(new Frame(
                FrameType.REJECTED,
                Rejected.newBuilder()
                        .setRequestId(ByteString.copyFrom(new byte[3]))
                        .build()
                        .toByteArray()));
        toClient.send(new Frame(
                FrameType.HEARTBEAT,
                Heartbeat.newBuilder().setNonce(12345).setAck(true).build().toByteArray()));
        await(() -> client.unmatchedFrames() == 4, "all four counted");
        TestEnvelopes.Request r = TestEnvelopes.next("still fine");
        assertArrayEquals(
                r.id(),
                TestEnvelopes.replyId(client.call(r.id(), r.frame(), LONG).get()));
    }

    @Test
    void eventsGoToTheEventListener() throws Exception {
        start(NO_HEARTBEAT);
        await(() -> agent.connections() == 1 && client.linkState() == LinkState.UP, "connected");
        agent.broadcast(Inbox.frame(FrameType.EVENT, "portal.state"));
        Frame e = events.poll(LONG.toSeconds(), TimeUnit.SECONDS);
        assertEquals("portal.state", new String(e.payload(), StandardCharsets.UTF_8));
    }

    @Test
    void deadHeartbeatsReconnectAndResendTheSameEnvelope() throws Exception {
        agent.muteNextConnections(1); // executes, but neither replies nor answers heartbeats
        start(FAST);
        TestEnvelopes.Request r = TestEnvelopes.next("portal stop web");
        Frame reply = client.call(r.id(), r.frame(), LONG).get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertArrayEquals(r.id(), TestEnvelopes.replyId(reply));
        assertEquals(1, agent.executions(r.id()), "the resent envelope was not executed again");
        assertTrue(client.reconnects() >= 1);
        assertTrue(agent.connections() >= 2);
        List<byte[]> seen = agent.envelopesSeen(r.id());
        assertTrue(seen.size() >= 2, "sent, then resent: " + seen.size());
        for (byte[] s : seen) {
            assertArrayEquals(r.frame().payload(), s, "resent bytes are the original signed envelope");
        }
        assertFalse(agent.channels().get(0).isOpen(), "the dead link was closed");
    }

    @Test
    void callsWaitForAnAgentThatIsNotUpYet() throws Exception {
        TransportUri later = TransportUri.parse("sim:later-" + System.nanoTime());
        client = AgentClient.start(() -> Transports.connect(later), events::add, FAST);
        TestEnvelopes.Request r = TestEnvelopes.next("early bird");
        CompletableFuture<Frame> f = client.call(r.id(), r.frame(), LONG);
        await(() -> client.linkState() != LinkState.UP, "tried and failed");
        assertFalse(f.isDone());
        try (FakeAgent lateAgent = new FakeAgent(later)) {
            assertArrayEquals(r.id(), TestEnvelopes.replyId(f.get(LONG.toSeconds(), TimeUnit.SECONDS)));
            assertEquals(1, lateAgent.executions(r.id()));
            assertEquals(LinkState.UP, client.linkState());
        }
    }

    @Test
    void answersTheAgentsHeartbeatAndSendsItsOwn() throws Exception {
        TransportUri raw = TransportUri.parse("sim:raw-" + System.nanoTime());
        Inbox agentInbox = new Inbox();
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        try (Listener l = Transports.listen(raw, ch -> {
            ch.setListener(agentInbox);
            accepted.add(ch);
        })) {
            client = AgentClient.start(() -> Transports.connect(raw), events::add, FAST);
            FrameChannel toClient = accepted.poll(LONG.toSeconds(), TimeUnit.SECONDS);
            toClient.send(new Frame(
                    FrameType.HEARTBEAT,
                    Heartbeat.newBuilder()
                            .setNonce(777)
                            .setSentMillis(1)
                            .build()
                            .toByteArray()));
            boolean sawOwn = false;
            boolean sawAck = false;
            while (!(sawOwn && sawAck)) {
                Frame f = agentInbox.take();
                assertEquals(FrameType.HEARTBEAT, f.type());
                Heartbeat hb = Heartbeat.parseFrom(f.payload());
                if (hb.getAck()) {
                    assertEquals(777, hb.getNonce());
                    sawAck = true;
                } else {
                    assertTrue(hb.getSentMillis() > 0);
                    sawOwn = true;
                }
            }
        }
    }

    @Test
    void closeFailsPendingCallsAndRefusesNewOnes() throws Exception {
        agent.muteNextConnections(1);
        start(NO_HEARTBEAT);
        TestEnvelopes.Request r = TestEnvelopes.next("x");
        CompletableFuture<Frame> f = client.call(r.id(), r.frame(), LONG);
        client.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(1, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals(LinkState.DOWN, client.linkState());
        TestEnvelopes.Request r2 = TestEnvelopes.next("y");
        ExecutionException e2 = assertThrows(
                ExecutionException.class,
                () -> client.call(r2.id(), r2.frame(), LONG).get(1, TimeUnit.SECONDS));
        assertEquals("agent client is closed", e2.getCause().getMessage());
    }

    @Test
    void badArgumentsAreRefused() {
        // Muted before the client connects, so the request below stays in flight whatever the timing.
        agent.muteNextConnections(1);
        start(NO_HEARTBEAT);
        TestEnvelopes.Request r = TestEnvelopes.next("x");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> client.call(new byte[15], r.frame(), LONG));
        assertEquals("request id must be 16 bytes, got 15", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> client.call(r.id(), Inbox.frame(FrameType.EVENT, "no"), LONG));
        assertEquals("call needs an ENVELOPE or RELAYED_ENVELOPE frame, got EVENT", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> client.call(r.id(), new Frame(FrameType.ENVELOPE, new byte[70_000]), LONG));
        assertEquals("envelope is 70000 bytes; a frame carries at most 65536", e.getMessage());
        assertEquals(0, client.inFlight());
        e = assertThrows(IllegalArgumentException.class, () -> client.call(r.id(), r.frame(), Duration.ZERO));
        assertEquals("timeout must be positive, got PT0S", e.getMessage());
        client.call(r.id(), r.frame(), LONG);
        e = assertThrows(IllegalArgumentException.class, () -> client.call(r.id(), r.frame(), LONG));
        assertTrue(e.getMessage().endsWith("... is already in flight"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClientSettings(Duration.ZERO, 3, LONG, LONG));
        assertThrows(IllegalArgumentException.class, () -> new ClientSettings(LONG, 0, LONG, LONG));
    }
}
