package org.multiverse.scramble.protocol.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.FrameListener;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.AgentPing;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.PortalStop;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.protocol.v1.ReplyBody;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.seal.ReplySealer;
import org.multiverse.scramble.suite.seal.SealedReply;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * The measured double execution, from the client's side: an agent that took a state-changing
 * command, died, and then refused the resend as REPLAYED must not be sent the command again
 * under a new request id. The agent here is scripted: it drops the link on the first envelope
 * (as a kill -9 would) and answers later ones with a sealed REPLAYED, as an agent answers a
 * request it no longer remembers.
 */
class SessionClientResendTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Fast reconnects: the test waits for one. */
    private static final ClientSettings QUICK =
            new ClientSettings(Duration.ofSeconds(2), 3, Duration.ofMillis(20), Duration.ofMillis(100));

    private final SecureRandom random = new SecureRandom();
    private final Identity agent = Identity.generate(random);
    private final Identity root = Identity.generate(random);
    private SessionKeys session;
    private Listener listener;
    private SessionClient client;
    private final List<Envelope> received = new CopyOnWriteArrayList<>();
    /** Envelopes (counted from 1) on which the scripted agent drops the link instead of answering. */
    private volatile int dropOnEnvelope;

    @BeforeEach
    void setUp() throws Exception {
        session = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), random);
        listener = Transports.listen(
                TransportUri.parse("sim:resend-" + NAMES.incrementAndGet()),
                ch -> ch.setListener(new FrameListener() {
                    @Override
                    public void onFrame(FrameChannel c, Frame f) {
                        if (f.type() == FrameType.ENVELOPE) {
                            onEnvelope(c, f);
                        } else if (f.type() == FrameType.HEARTBEAT) {
                            heartbeat(c, f);
                        }
                    }
                }));
        TransportUri uri = listener.uri();
        client = new SessionClient(
                session, AgentClient.start(() -> Transports.connect(uri), f -> {}, QUICK), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        listener.close();
        session.close();
        root.close();
        agent.close();
    }

    private void onEnvelope(FrameChannel ch, Frame f) {
        try {
            Envelope e = Envelope.parseFrom(f.payload());
            received.add(e);
            if (received.size() == dropOnEnvelope) {
                ch.close(); // killed mid-command: no answer, the link drops
                return;
            }
            ReplyBody body = ReplyBody.newBuilder()
                    .setRequestId(e.getRequestId())
                    .setError(Error.newBuilder().setCode(ErrorCode.REPLAYED).setMessage("sequence already used"))
                    .build();
            SealedReply sealed = ReplySealer.seal(
                    agent.x25519Private(),
                    session.certificate().sessionX25519Key(),
                    e.getRequestId().toByteArray(),
                    body.toByteArray());
            ch.send(new Frame(
                    FrameType.REPLY,
                    Reply.newBuilder()
                            .setRequestId(e.getRequestId())
                            .setEnc(ByteString.copyFrom(sealed.enc()))
                            .setCiphertext(ByteString.copyFrom(sealed.ciphertext()))
                            .setAgentId(agent.id().text())
                            .setAgentReplyKey(ByteString.copyFrom(agent.x25519PublicKey()))
                            .setAgentReplyKeySignature(ByteString.copyFrom(
                                    agent.sign(SignatureContext.AGENT_ENROLMENT, agent.x25519PublicKey())))
                            .build()
                            .toByteArray()));
        } catch (Exception e) {
            ch.close();
        }
    }

    private static void heartbeat(FrameChannel ch, Frame f) {
        try {
            var hb = org.multiverse.scramble.protocol.v1.Heartbeat.parseFrom(f.payload());
            ch.send(new Frame(
                    FrameType.HEARTBEAT, hb.toBuilder().setAck(true).build().toByteArray()));
        } catch (Exception e) {
            ch.close();
        }
    }

    private CommandOutcome send(Command c) throws Exception {
        return client.send(c, agent.id(), "", TIMEOUT).get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    private static Command stop() {
        return Command.newBuilder()
                .setPortalStop(PortalStop.newBuilder().setName("q1"))
                .build();
    }

    @Test
    void aResentStateChangeRefusedAsReplayedIsNeverSignedAgain() throws Exception {
        dropOnEnvelope = 1;
        CommandOutcome o = send(stop());
        Error e = assertInstanceOf(CommandOutcome.Failed.class, o, () -> "got " + o)
                .error();
        assertEquals(ErrorCode.INTERRUPTED, e.getCode(), e.toString());
        assertTrue(e.getMessage().contains("result is unknown"), e.getMessage());
        assertEquals(2, received.size(), "the first envelope and its resend, nothing more");
        assertEquals(received.get(0), received.get(1), "the resend is the very same envelope");
    }

    @Test
    void aStateChangeSentOnceAndRefusedAsReplayedDidNotRunSoItIsSignedAgain() throws Exception {
        // A restarted agent refuses the numbers it reserved ahead: that copy provably never ran.
        CommandOutcome o = send(stop());
        assertInstanceOf(CommandOutcome.Failed.class, o);
        assertEquals(2, received.size());
        assertFalse(received.get(0).getRequestId().equals(received.get(1).getRequestId()), "a new request");
        assertTrue(received.get(1).getSequence() > received.get(0).getSequence());
    }

    @Test
    void aReadOnlyCommandMayBeSignedAgainAfterAResend() throws Exception {
        dropOnEnvelope = 1;
        CommandOutcome o = send(Command.newBuilder()
                .setAgentPing(AgentPing.getDefaultInstance())
                .build());
        assertInstanceOf(CommandOutcome.Failed.class, o);
        assertEquals(3, received.size(), "sent, resent, then signed again: running it twice changes nothing");
        assertArrayEquals(
                received.get(0).getRequestId().toByteArray(),
                received.get(1).getRequestId().toByteArray());
        assertFalse(received.get(2).getRequestId().equals(received.get(0).getRequestId()));
    }
}
