package org.multiverse.scramble.protocol.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.SimFault;
import org.multiverse.scramble.protocol.transport.SimFaults;
import org.multiverse.scramble.protocol.transport.SimNetwork;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;

/**
 * Every fault of the simulated link, through the real client and a deduplicating agent:
 * no request is lost without an error, none runs twice, and the link recovers.
 */
class AgentClientFaultsTest {
    private static final int REQUESTS = 30;
    /** Short, so a dropped envelope fails fast; long enough for a reconnect and resend. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);
    /** Every call ends by its timeout; this bounds the whole batch with room for a slow CI box. */
    private static final Duration BATCH_DEADLINE = Duration.ofSeconds(15);

    static SimFaults faultsFor(SimFault kind) {
        return switch (kind) {
            case DROP -> SimFaults.NONE.withDrop(0.25);
            case DELAY -> SimFaults.NONE.withDelay(Duration.ofMillis(40));
            case DUPLICATE -> SimFaults.NONE.withDuplicate(0.4);
            case REORDER -> SimFaults.NONE.withReorder(0.4);
            case CORRUPT -> SimFaults.NONE.withCorrupt(0.25);
            case CUT -> SimFaults.NONE.withCut(0.05);
            case STALL -> SimFaults.NONE.withStall(0.1, Duration.ofMillis(300));
        };
    }

    @ParameterizedTest
    @EnumSource(SimFault.class)
    void noLossWithoutErrorNoDoubleExecutionAndRecovery(SimFault kind) throws Exception {
        String name = "faults-" + kind + "-" + System.nanoTime();
        TransportUri uri = TransportUri.parse("sim:" + name);
        try (FakeAgent agent = new FakeAgent(uri);
                AgentClient client = AgentClient.start(() -> Transports.connect(uri), f -> {}, AgentClientTest.FAST)) {
            SimNetwork.setSeed(name, 20_240_611L + kind.ordinal());
            AgentClientTest.await(() -> client.linkState() == LinkState.UP, "first connection");
            SimNetwork.setFaults(name, faultsFor(kind));

            List<TestEnvelopes.Request> requests = new ArrayList<>();
            List<CompletableFuture<Frame>> futures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                TestEnvelopes.Request r = TestEnvelopes.next(kind + " " + i);
                requests.add(r);
                futures.add(client.call(r.id(), r.frame(), REQUEST_TIMEOUT));
                Thread.sleep(5); // spread over heartbeats, so faults hit both kinds of frame
            }
            CompletableFuture.allOf(
                            futures.stream().map(f -> f.handle((v, e) -> v)).toArray(CompletableFuture[]::new))
                    .get(BATCH_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);

            int replied = 0;
            int timedOut = 0;
            for (int i = 0; i < REQUESTS; i++) {
                try {
                    Frame reply = futures.get(i).join();
                    assertEquals(FrameType.REPLY, reply.type());
                    assertArrayEquals(requests.get(i).id(), TestEnvelopes.replyId(reply), "reply " + i + " is its own");
                    assertEquals(1, agent.executions(requests.get(i).id()), "a replied request ran once");
                    replied++;
                } catch (CompletionException e) {
                    assertInstanceOf(RequestTimeoutException.class, e.getCause(), "only a clear timeout is allowed");
                    timedOut++;
                }
            }
            assertEquals(REQUESTS, replied + timedOut, "every request ended one way or the other");
            for (Map.Entry<String, AtomicInteger> e : agent.allExecutions().entrySet()) {
                assertTrue(e.getValue().get() <= 1, "request " + e.getKey() + " executed " + e.getValue() + " times");
            }
            assertTrue(SimNetwork.injected(name, kind) > 0, kind + " was never injected");
            assertTrue(replied > 0, "some requests get through " + kind);
            if (kind == SimFault.CORRUPT) {
                long garbage = agent.channels().stream()
                        .map(FrameChannel::counters)
                        .mapToLong(c -> c.badFrames() + c.skippedBytes())
                        .sum();
                assertTrue(garbage > 0, "the agent's decoder saw corruption");
            }

            // The decoder and the link recover: a clean request after the faults succeeds.
            SimNetwork.setFaults(name, SimFaults.NONE);
            TestEnvelopes.Request clean = TestEnvelopes.next("clean after " + kind);
            Frame reply;
            try {
                reply = client.call(clean.id(), clean.frame(), Duration.ofSeconds(10))
                        .get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                fail("clean request after " + kind + " failed: " + e);
                return;
            }
            assertArrayEquals(clean.id(), TestEnvelopes.replyId(reply));
            assertEquals(1, agent.executions(clean.id()));
        }
    }
}
