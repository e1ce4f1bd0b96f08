package org.multiverse.scramble.shell.connect;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.envelope.EnvelopeCodec;
import org.multiverse.scramble.protocol.envelope.SigningBytes;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.session.EnvelopeSigner;
import org.multiverse.scramble.protocol.v1.AgentPing;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.protocol.v1.ReplyBody;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.seal.ReplySealer;
import org.multiverse.scramble.suite.seal.SealException;
import org.multiverse.scramble.suite.sign.SignatureContext;
import org.multiverse.scramble.suite.sign.Signatures;

/**
 * Learns an agent's ID at first contact. A signed {@code agent ping} is sent addressed to an
 * ID that cannot be the agent's: the person's own root ID (an empty {@code target_agent} is
 * refused as malformed by the envelope codec, whose minimum length is 1, and that refusal
 * cannot carry the request id). The agent verifies the session (so this works only for a
 * person it has authorised), finds it is not the target and answers {@code WRONG_TARGET},
 * sealed to the session, with its {@code agent_id} and its X25519 reply key signed by that ID. The shell
 * checks that signature, opens the reply with the key (which proves the agent holds the ID's
 * keys and answered <em>this</em> request), and only then shows the ID to the person to pin.
 *
 * <p>Nothing runs on the agent: the envelope is refused before the sequence check, the
 * policy and the handler, so the probe costs one audit line.
 */
public final class FirstContact {

    private static final SecureRandom RANDOM = new SecureRandom();

    private FirstContact() {}

    /**
     * @param route "" for the agent at the end of {@code link}, or the name the relay forwards over
     * @return the agent's ID, proven by the sealed answer
     */
    public static ScrambleId probe(AgentClient link, SessionKeys session, String route, Duration timeout, Clock clock)
            throws ShellFailure {
        return probe(link, session, route, null, timeout, clock);
    }

    /**
     * As {@link #probe(AgentClient, SessionKeys, String, Duration, Clock)}, through the relay
     * {@code relay}: an answer sealed by the relay itself (it has no such route) is refused,
     * or the relay's ID would be pinned for the agent behind it.
     */
    public static ScrambleId probe(
            AgentClient link, SessionKeys session, String route, ScrambleId relay, Duration timeout, Clock clock)
            throws ShellFailure {
        byte[] requestId = new byte[EnvelopeSigner.REQUEST_ID_BYTES];
        RANDOM.nextBytes(requestId);
        Envelope unsigned = Envelope.newBuilder()
                .setProtocolVersion(EnvelopeSigner.PROTOCOL_VERSION)
                .setSessionCertificate(ByteString.copyFrom(session.certificate().encode()))
                .setTargetAgent(session.certificate().root().text())
                .setSequence(1)
                .setTimestampMillis(clock.millis())
                .setRequestId(ByteString.copyFrom(requestId))
                .setCommand(Command.newBuilder()
                        .setAgentPing(AgentPing.getDefaultInstance())
                        .build()
                        .toByteString())
                .setRoute(route)
                .build();
        byte[] signature = session.sign(SignatureContext.ENVELOPE, SigningBytes.of(unsigned));
        Envelope envelope = unsigned.toBuilder()
                .setSignature(ByteString.copyFrom(signature))
                .build();
        CompletableFuture<Frame> answer =
                link.call(requestId, new Frame(FrameType.ENVELOPE, envelope.toByteArray()), timeout);
        Frame frame;
        try {
            frame = answer.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new ShellFailure(ExitCodes.CONNECTION, "interrupted while asking the agent for its ID");
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ShellFailure(ExitCodes.CONNECTION, "no answer to the first-contact ping: " + cause.getMessage());
        }
        ScrambleId presented = identify(frame, requestId, session);
        if (relay != null && presented.equals(relay)) {
            throw ShellFailure.refused("the host agent answered for the " + route + " agent: it has no route named '"
                    + route + "' (start it with --route " + route + "=URI, or give --agent " + route + "=URI)");
        }
        return presented;
    }

    /** Checks the answer to a probe; public for tests that hand it forged answers. */
    static ScrambleId identify(Frame frame, byte[] requestId, SessionKeys session) throws ShellFailure {
        if (frame.type() == FrameType.REJECTED) {
            String code;
            try {
                code = EnvelopeCodec.parseRejected(frame.payload()).getCode().name();
            } catch (RuntimeException e) {
                code = "an unreadable rejection";
            }
            throw ShellFailure.refused("the agent rejected the first-contact ping (" + code + "): has it authorised "
                    + session.certificate().root().shortForm() + "? (on the agent: authorize --state-dir DIR "
                    + session.certificate().root().text() + ")");
        }
        Reply reply;
        try {
            reply = EnvelopeCodec.parseReply(frame.payload());
        } catch (RuntimeException e) {
            throw ShellFailure.refused("first contact: the agent's answer is malformed (" + e.getMessage() + ")");
        }
        ScrambleId agent;
        try {
            agent = ScrambleId.parse(reply.getAgentId());
        } catch (InvalidScrambleIdException e) {
            throw ShellFailure.refused("first contact: the agent's ID is not a Scramble ID: " + e.getMessage());
        }
        byte[] replyKey = reply.getAgentReplyKey().toByteArray();
        if (!Signatures.verify(
                agent.publicKey(),
                SignatureContext.AGENT_ENROLMENT,
                replyKey,
                reply.getAgentReplyKeySignature().toByteArray())) {
            throw ShellFailure.refused("first contact: the reply key is not signed by the ID the agent claims");
        }
        ReplyBody body;
        try {
            byte[] plain = ReplySealer.open(
                    session.x25519Private(),
                    replyKey,
                    requestId,
                    reply.getEnc().toByteArray(),
                    reply.getCiphertext().toByteArray());
            body = ReplyBody.parseFrom(plain);
        } catch (SealException | InvalidProtocolBufferException e) {
            throw ShellFailure.refused("first contact: the agent's sealed answer does not open for this request");
        }
        if (!body.getRequestId().equals(ByteString.copyFrom(requestId))) {
            throw ShellFailure.refused("first contact: the sealed answer is for another request");
        }
        if (!body.hasError() || body.getError().getCode() != ErrorCode.WRONG_TARGET) {
            throw ShellFailure.refused("first contact: expected the agent to answer WRONG_TARGET, got "
                    + (body.hasError() ? body.getError().getCode().name() : "a result"));
        }
        return agent;
    }
}
