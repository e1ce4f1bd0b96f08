package org.multiverse.scramble.shell.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.RejectCode;
import org.multiverse.scramble.protocol.v1.Rejected;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.protocol.v1.ReplyBody;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.seal.ReplySealer;
import org.multiverse.scramble.suite.seal.SealedReply;
import org.multiverse.scramble.suite.sign.SignatureContext;

/** Forged and odd answers to the first-contact probe are refused, with a reason. */
class FirstContactTest {

    private final SecureRandom rnd = new SecureRandom();
    private final Identity person = Identity.generate(rnd);
    private final SessionKeys session =
            SessionKeys.create(person, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), rnd);
    private final Identity agent = Identity.generate(rnd);
    private final byte[] requestId = new byte[16];

    private Frame reply(Identity sealer, Identity claimed, Identity keySigner, ReplyBody body) {
        return reply(sealer, claimed, keySigner, sealer, body);
    }

    private Frame reply(Identity sealer, Identity claimed, Identity keySigner, Identity keyOwner, ReplyBody body) {
        SealedReply s = ReplySealer.seal(
                sealer.x25519Private(), session.certificate().sessionX25519Key(), requestId, body.toByteArray());
        return new Frame(
                FrameType.REPLY,
                Reply.newBuilder()
                        .setRequestId(ByteString.copyFrom(requestId))
                        .setEnc(ByteString.copyFrom(s.enc()))
                        .setCiphertext(ByteString.copyFrom(s.ciphertext()))
                        .setAgentId(claimed.id().text())
                        .setAgentReplyKey(ByteString.copyFrom(keyOwner.x25519PublicKey()))
                        .setAgentReplyKeySignature(ByteString.copyFrom(
                                keySigner.sign(SignatureContext.AGENT_ENROLMENT, keyOwner.x25519PublicKey())))
                        .build()
                        .toByteArray());
    }

    private ReplyBody wrongTarget() {
        return ReplyBody.newBuilder()
                .setRequestId(ByteString.copyFrom(requestId))
                .setError(Error.newBuilder().setCode(ErrorCode.WRONG_TARGET))
                .build();
    }

    @Test
    void aGenuineAnswerNamesTheAgent() throws Exception {
        assertEquals(agent.id(), FirstContact.identify(reply(agent, agent, agent, wrongTarget()), requestId, session));
    }

    @Test
    void forgeriesAreRefused() {
        Identity mallory = Identity.generate(rnd);
        assertRefused(reply(mallory, agent, mallory, wrongTarget()), "not signed by the ID");
        // Sealed by mallory, presenting the agent's genuine, signed reply key: it does not open.
        assertRefused(reply(mallory, agent, agent, agent, wrongTarget()), "does not open");
        ReplyBody other = wrongTarget().toBuilder()
                .setRequestId(ByteString.copyFrom(new byte[] {1}))
                .build();
        assertRefused(reply(agent, agent, agent, other), "for another request");
        ReplyBody ok = ReplyBody.newBuilder()
                .setRequestId(ByteString.copyFrom(requestId))
                .setResult(Result.getDefaultInstance())
                .build();
        assertRefused(reply(agent, agent, agent, ok), "expected the agent to answer WRONG_TARGET");
        assertRefused(new Frame(FrameType.REPLY, new byte[] {(byte) 0xff, 1, 2}), "malformed");
        Reply genuine = parse(reply(agent, agent, agent, wrongTarget()));
        Frame badId = new Frame(
                FrameType.REPLY,
                genuine.toBuilder().setAgentId("scr1notanid").build().toByteArray());
        assertRefused(badId, "not a Scramble ID");
        Frame rejected = new Frame(
                FrameType.REJECTED,
                Rejected.newBuilder()
                        .setCode(RejectCode.UNAUTHENTICATED)
                        .build()
                        .toByteArray());
        assertRefused(rejected, "authorize --state-dir DIR " + person.id().text());
    }

    private static Reply parse(Frame f) {
        try {
            return Reply.parseFrom(f.payload());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private void assertRefused(Frame f, String expected) {
        ShellFailure e = assertThrows(ShellFailure.class, () -> FirstContact.identify(f, requestId, session));
        assertEquals(3, e.exitCode());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
