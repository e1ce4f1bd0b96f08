package org.multiverse.scramble.protocol.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.testkit.AgentTestKit;
import org.multiverse.scramble.protocol.v1.AgentSubscribe;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Event;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.EventKind;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.seal.StreamSealer;
import org.multiverse.scramble.suite.sign.SignatureContext;
import org.multiverse.scramble.suite.sign.Signatures;

/**
 * Issue 13 item 4: the shell accepts an event only from the agent a live subscription of this
 * session was made with, and counts what it drops. Agents A and B are agents the shell knows
 * (each with a live subscription), C a stranger with a valid key of its own; every event is
 * sealed for real, as {@code EventHub} seals it, and goes through the real {@link SessionClient}.
 */
class EventReceiverTest {

    private final SecureRandom rnd = new SecureRandom();
    private final Identity person = Identity.generate(rnd);
    private final SessionKeys session =
            SessionKeys.create(person, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), rnd);
    private final Identity agentA = Identity.generate(rnd);
    private final Identity agentB = Identity.generate(rnd);
    private final Identity stranger = Identity.generate(rnd);
    /** A link that never comes up: events are handed to the client directly, as the transport would. */
    private final SessionClient client = new SessionClient(
            session,
            AgentClient.start(
                    () -> {
                        throw new IOException("no agent in this test");
                    },
                    f -> {},
                    ClientSettings.DEFAULTS),
            Clock.systemUTC());

    private final List<EventBody> delivered = new ArrayList<>();
    private final byte[] subA = id();
    private final byte[] subB = id();

    EventReceiverTest() {
        client.onEvent(delivered::add);
        subscribe(subA, agentA);
        subscribe(subB, agentB);
    }

    @AfterEach
    void close() {
        client.close();
    }

    private byte[] id() {
        byte[] b = new byte[16];
        rnd.nextBytes(b);
        return b;
    }

    /** What SessionClient does when an agent.subscribe to {@code agent} is signed, then answered ok. */
    private void subscribe(byte[] sub, Identity agent) {
        assertTrue(client.events().expect(sub, agent.id()));
        client.events().confirmed(sub);
    }

    /** One agent's sealed stream to the session for one subscription, as EventHub builds it. */
    private final class Stream {
        final Identity sealer;
        final byte[] sub;
        final StreamSealer s;
        long seq;
        String claimedId;
        Identity keyOwner;
        Identity keySigner;

        Stream(Identity sealer, byte[] sub) {
            this.sealer = sealer;
            this.sub = sub;
            this.s = StreamSealer.create(
                    sealer.x25519Private(), session.certificate().sessionX25519Key(), sub);
            this.claimedId = sealer.id().text();
            this.keyOwner = sealer;
            this.keySigner = sealer;
        }

        /** Claims {@code who}'s ID and presents its genuine, signed reply key (both public). */
        Stream claiming(Identity who) {
            claimedId = who.id().text();
            keyOwner = who;
            keySigner = who;
            return this;
        }

        Event event(String text) {
            long n = seq++;
            byte[] body = EventBody.newBuilder()
                    .setKind(EventKind.PORTAL_STATE)
                    .setSubject("web")
                    .setText(text)
                    .build()
                    .toByteArray();
            return Event.newBuilder()
                    .setSubscriptionId(ByteString.copyFrom(sub))
                    .setEnc(ByteString.copyFrom(s.enc()))
                    .setSequence(n)
                    .setCiphertext(ByteString.copyFrom(s.seal(n, sub, body)))
                    .setAgentId(claimedId)
                    .setAgentReplyKey(ByteString.copyFrom(keyOwner.x25519PublicKey()))
                    .setAgentReplyKeySignature(ByteString.copyFrom(
                            keySigner.sign(SignatureContext.AGENT_ENROLMENT, keyOwner.x25519PublicKey())))
                    .build();
        }
    }

    private void deliver(Event e) {
        client.deliverEvent(new Frame(FrameType.EVENT, e.toByteArray()));
    }

    private long dropped(EventDropReason r) {
        return client.events().counts().dropped().get(r);
    }

    private List<String> texts() {
        return delivered.stream().map(EventBody::getText).toList();
    }

    @Test
    void genuineEventsOfBothSubscriptionsAreDelivered() {
        Stream a = new Stream(agentA, subA);
        Stream b = new Stream(agentB, subB);
        deliver(a.event("a0"));
        deliver(b.event("b0"));
        deliver(a.event("a1"));
        assertEquals(List.of("a0", "b0", "a1"), texts());
        assertEquals(3, client.events().counts().delivered());
        assertEquals(0, client.events().counts().droppedTotal());
    }

    @Test
    void aStrangersEventIsDroppedAndCounted() {
        // A stranger with a valid key of its own, on A's live subscription.
        deliver(new Stream(stranger, subA).event("stranger as itself"));
        // The same, claiming A's ID with its own key (signed by itself, not by A).
        Stream impostor = new Stream(stranger, subA);
        impostor.claimedId = agentA.id().text();
        deliver(impostor.event("stranger claiming A"));
        assertEquals(2, dropped(EventDropReason.STRANGER));
        // Claiming A with A's genuine, signed reply key: it cannot seal as A, so it does not open.
        deliver(new Stream(stranger, subA).claiming(agentA).event("stranger with A's key"));
        assertEquals(1, dropped(EventDropReason.DOES_NOT_OPEN));
        assertEquals(List.of(), texts());
        // None of that wedged A's stream: its first genuine event opens.
        deliver(new Stream(agentA, subA).event("a0"));
        assertEquals(List.of("a0"), texts());
    }

    @Test
    void aMisroutedEventFromAnotherKnownAgentIsDropped() {
        // B is a pinned agent with a live subscription of its own, but subA was made with A.
        deliver(new Stream(agentB, subA).event("B on A's subscription"));
        assertEquals(1, dropped(EventDropReason.STRANGER));
        // B claiming to be A, presenting A's signed key: still does not open.
        deliver(new Stream(agentB, subA).claiming(agentA).event("B as A"));
        assertEquals(1, dropped(EventDropReason.DOES_NOT_OPEN));
        deliver(new Stream(agentB, subB).event("b0"));
        assertEquals(List.of("b0"), texts(), "B's own subscription still works");
    }

    @Test
    void anEventForAnUnknownOrForgottenSubscriptionIsDropped() {
        deliver(new Stream(agentA, id()).event("never subscribed"));
        assertEquals(1, dropped(EventDropReason.UNKNOWN_SUBSCRIPTION));
        client.events().forget(subA); // the subscribe was refused, or timed out
        deliver(new Stream(agentA, subA).event("after forget"));
        assertEquals(2, dropped(EventDropReason.UNKNOWN_SUBSCRIPTION));
        assertEquals(List.of(), texts());
        assertEquals(1, client.events().counts().live());
    }

    @Test
    void aTamperedOrReplayedEventDoesNotOpen() {
        Stream a = new Stream(agentA, subA);
        Event good = a.event("a0");
        byte[] ct = good.getCiphertext().toByteArray();
        ct[ct.length / 2] ^= 1;
        deliver(good.toBuilder().setCiphertext(ByteString.copyFrom(ct)).build());
        deliver(good.toBuilder().setSequence(7).build()); // same ciphertext under another number
        Event bogusEnc = good.toBuilder()
                .setEnc(ByteString.copyFrom(new Stream(agentA, subA).s.enc()))
                .build();
        deliver(bogusEnc); // another stream's encapsulated key
        assertEquals(3, dropped(EventDropReason.DOES_NOT_OPEN));
        deliver(good);
        assertEquals(List.of("a0"), texts(), "the genuine event opens after the forgeries");
        deliver(good); // replayed
        deliver(bogusEnc); // a second stream key on an opened stream
        assertEquals(5, dropped(EventDropReason.DOES_NOT_OPEN));
        deliver(a.event("a1"));
        assertEquals(List.of("a0", "a1"), texts());
    }

    @Test
    void malformedFramesAreCountedNotThrown() {
        client.deliverEvent(new Frame(FrameType.EVENT, new byte[] {(byte) 0xff, 0x01, 0x02}));
        Event noEnc = new Stream(agentA, subA).event("x").toBuilder().clearEnc().build();
        deliver(noEnc);
        assertEquals(2, dropped(EventDropReason.MALFORMED));
        assertEquals(0, client.events().counts().delivered());
    }

    @Test
    void aFullSinkQueueDropsAsBacklog() {
        client.events().deliverOn(r -> {
            throw new RejectedExecutionException("full");
        });
        deliver(new Stream(agentA, subA).event("a0"));
        assertEquals(1, dropped(EventDropReason.BACKLOG));
        assertEquals(0, client.events().counts().delivered());
    }

    @Test
    void aSubscriptionDiesWithItsLink() {
        AtomicLong generation = new AtomicLong();
        EventReceiver r = new EventReceiver(
                session.x25519Private(),
                (agent, agentId, key, signature) -> {
                    if (!Signatures.verify(
                            agent.publicKey(),
                            SignatureContext.AGENT_ENROLMENT,
                            key.toByteArray(),
                            signature.toByteArray())) {
                        throw new AgentKeyException("not signed");
                    }
                    return key.toByteArray();
                },
                generation::get);
        List<String> got = new ArrayList<>();
        r.onEvent(e -> got.add(e.getText()));
        byte[] pending = id();
        assertTrue(r.expect(subA, agentA.id()));
        r.confirmed(subA);
        assertTrue(r.expect(pending, agentA.id())); // signed, not answered yet
        Stream a = new Stream(agentA, subA);
        Stream p = new Stream(agentA, pending);
        r.deliver(new Frame(FrameType.EVENT, a.event("a0").toByteArray()));
        generation.incrementAndGet(); // the link was lost; the agent dropped what it held on it
        r.deliver(new Frame(FrameType.EVENT, a.event("a1").toByteArray()));
        r.deliver(new Frame(FrameType.EVENT, p.event("p0").toByteArray()));
        assertEquals(List.of("a0", "p0"), got, "a pending subscription waits for its answer, whatever the link");
        assertEquals(1L, r.counts().dropped().get(EventDropReason.UNKNOWN_SUBSCRIPTION));
        assertEquals(1, r.counts().live());
        r.close();
    }

    @Test
    void aRealSubscribeIsTrackedFromItsSignatureToItsAnswer(@TempDir Path dir) throws Exception {
        try (AgentTestKit kit = AgentTestKit.builder("events-agent", dir).start()) {
            Command subscribe = Command.newBuilder()
                    .setAgentSubscribe(AgentSubscribe.getDefaultInstance())
                    .build();
            kit.ok(subscribe);
            assertEquals(1, kit.client().events().counts().live());
            kit.core().events().publish(EventKind.PORTAL_STATE, "web", "running", Map.of());
            assertEquals("running", kit.nextEvent().getText());
            // Addressed to another ID: the agent's answer is not the target's, the subscription is not kept.
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> kit.client()
                            .send(subscribe, Identity.generate(rnd).id(), "", Duration.ofSeconds(10))
                            .get(20, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof AgentKeyException, e.toString());
            assertEquals(1, kit.client().events().counts().live());
            assertEquals(1, kit.client().events().counts().delivered());
        }
    }
}
