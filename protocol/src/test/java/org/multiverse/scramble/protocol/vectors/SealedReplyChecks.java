package org.multiverse.scramble.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.DynamicTest;
import org.multiverse.scramble.protocol.envelope.EnvelopeCodec;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.seal.SealedReply;
import org.multiverse.scramble.suite.sign.SignatureContext;
import org.multiverse.scramble.suite.sign.Signatures;

/**
 * Checks {@code sealed-replies.json} from the file alone: the keys are the agent's and the
 * sessions'; each valid reply is sealed again to the same bytes by {@code ReplySealer.seal} with
 * the listed ephemeral secret, its info and aad follow the specification, and it opens to the
 * plaintext both through {@code ReplySealer.open} and through plain RFC 9180 HPKE; its wire Reply
 * parses to the same fields with a valid reply-key signature; every invalid one is refused by
 * both with exactly the listed outcome.
 */
final class SealedReplyChecks {

    private SealedReplyChecks() {}

    static Stream<DynamicTest> tests(JsonNode file) {
        return Stream.concat(
                Stream.of(dynamicTest("keys", () -> keys(file.get("keys")))),
                VectorChecks.each(file, (f, group, test) -> check(f.get("keys"), test)));
    }

    private static void keys(JsonNode keys) {
        try (Identity agent = Identity.fromSeed(VectorJson.bytes(keys, "agentSeed"))) {
            assertArrayEquals(
                    VectorJson.bytes(keys, "agentX25519Secret"),
                    agent.x25519Private().getEncoded());
            assertArrayEquals(VectorJson.bytes(keys, "agentX25519PublicKey"), agent.x25519PublicKey());
        }
        assertArrayEquals(
                VectorJson.bytes(keys, "sessionX25519PublicKey"),
                publicKey(VectorJson.bytes(keys, "sessionX25519Secret")));
    }

    private static void check(JsonNode keys, JsonNode t) throws Exception {
        JsonNode open = t.get("open");
        assertEquals(t.get("expected"), VectorJson.normalize(SealedReplyVectors.outcome(open)), "ReplySealer.open");
        byte[] requestId = VectorJson.bytes(open, "requestId");
        if (!VectorChecks.valid(t)) {
            assertThrows(
                    Exception.class,
                    () -> ReplySpec.open(
                            VectorJson.bytes(open, "recipientSecret"),
                            VectorJson.bytes(open, "senderPublicKey"),
                            ReplySpec.info(requestId),
                            requestId,
                            VectorJson.bytes(open, "enc"),
                            VectorJson.bytes(open, "ciphertext")),
                    "plain HPKE must refuse it too");
            return;
        }
        byte[] plaintext = VectorJson.bytes(t, "plaintext");
        byte[] enc = VectorJson.bytes(t, "enc");
        byte[] ciphertext = VectorJson.bytes(t, "ciphertext");
        assertArrayEquals(VectorJson.bytes(t, "requestId"), requestId);
        assertArrayEquals(ReplySpec.info(requestId), VectorJson.bytes(t, "info"), "info");
        assertArrayEquals(requestId, VectorJson.bytes(t, "aad"), "aad");
        byte[] ephemeral = VectorJson.bytes(t, "ephemeralSecret");
        assertArrayEquals(publicKey(ephemeral), enc, "enc is the ephemeral public key");
        X25519PrivateKeyParameters agent =
                new X25519PrivateKeyParameters(VectorJson.bytes(keys, "agentX25519Secret"), 0);
        SealedReply again = FixedEphemeral.seal(
                agent, VectorJson.bytes(keys, "sessionX25519PublicKey"), requestId, plaintext, ephemeral);
        assertArrayEquals(enc, again.enc(), "ReplySealer.seal gives the same enc");
        assertArrayEquals(ciphertext, again.ciphertext(), "ReplySealer.seal gives the same ciphertext");
        assertArrayEquals(
                plaintext,
                ReplySpec.open(
                        VectorJson.bytes(open, "recipientSecret"),
                        VectorJson.bytes(open, "senderPublicKey"),
                        VectorJson.bytes(t, "info"),
                        VectorJson.bytes(t, "aad"),
                        enc,
                        ciphertext),
                "plain RFC 9180 HPKE opens it");
        if (t.has("reply")) {
            reply(keys, t, requestId, enc, ciphertext);
        }
    }

    private static void reply(JsonNode keys, JsonNode t, byte[] requestId, byte[] enc, byte[] ciphertext) {
        Reply reply = EnvelopeCodec.parseReply(VectorJson.bytes(t, "reply"));
        assertArrayEquals(requestId, reply.getRequestId().toByteArray(), "Reply.request_id");
        assertArrayEquals(enc, reply.getEnc().toByteArray(), "Reply.enc");
        assertArrayEquals(ciphertext, reply.getCiphertext().toByteArray(), "Reply.ciphertext");
        byte[] replyKey = reply.getAgentReplyKey().toByteArray();
        assertArrayEquals(VectorJson.bytes(keys, "agentX25519PublicKey"), replyKey, "Reply.agent_reply_key");
        try (Identity agent = Identity.fromSeed(VectorJson.bytes(keys, "agentSeed"))) {
            assertEquals(agent.id().text(), reply.getAgentId(), "Reply.agent_id");
            assertTrue(
                    Signatures.verify(
                            agent.id().publicKey(),
                            SignatureContext.AGENT_ENROLMENT,
                            replyKey,
                            reply.getAgentReplyKeySignature().toByteArray()),
                    "the reply key is signed by the agent's identity");
        }
    }

    private static byte[] publicKey(byte[] x25519Secret) {
        return new X25519PrivateKeyParameters(x25519Secret, 0)
                .generatePublicKey()
                .getEncoded();
    }
}
