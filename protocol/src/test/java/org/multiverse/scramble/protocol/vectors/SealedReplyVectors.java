package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.Pong;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.protocol.v1.ReplyBody;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.seal.ReplySealer;
import org.multiverse.scramble.suite.seal.SealException;
import org.multiverse.scramble.suite.seal.SealedReply;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * Writes {@code sealed-replies.json}: replies the agent seals to the main session with the
 * product's {@code ReplySealer.seal} and a fixed ephemeral key (see {@link FixedEphemeral}), and
 * inputs {@code ReplySealer.open} must refuse: altered ciphertext, tag or encapsulated key, the
 * wrong request id, agent key or session key, and lengths out of range.
 */
final class SealedReplyVectors {

    static final String FILE = "sealed-replies.json";

    /** HPKE identifiers of the one suite (RFC 9180 section 7). */
    private static final int MODE_AUTH = 0x02;

    private static final int KEM_X25519_HKDF_SHA256 = 0x0020;
    private static final int KDF_HKDF_SHA256 = 0x0001;
    private static final int AEAD_CHACHA20_POLY1305 = 0x0003;
    /** The longest request id {@code ReplySealer} binds (the wire carries 16 bytes). */
    private static final int MAX_ID_BYTES = 64;

    private static final int TAG_BYTES = 16;
    /** The ephemeral secret of tcId 1: 0x28..0x47, already clamped. */
    private static final byte[] PING_EPHEMERAL = FixedInputs.counting(0x28);

    private final byte[] agentSecret;
    private final byte[] agentPublic;
    private final ObjectNode agentReplyFields = VectorJson.object();
    private final byte[] sessionSecret = SessionSpec.MAIN.x25519Secret();
    private final byte[] sessionPublic = publicKey(SessionSpec.MAIN.x25519Secret());
    private final byte[] otherSessionSecret = SessionSpec.READ_ONLY.x25519Secret();
    private final byte[] strangerPublic;

    private SealedReplyVectors() {
        try (Identity agent = AgentFixture.identity();
                Identity stranger = Identity.fromSeed(FixedInputs.STRANGER_SEED)) {
            agentSecret = agent.x25519Private().getEncoded();
            agentPublic = agent.x25519PublicKey();
            agentReplyFields.put("agentId", agent.id().text());
            agentReplyFields.put(
                    "agentReplyKeySignature",
                    VectorJson.hex(agent.sign(SignatureContext.AGENT_ENROLMENT, agentPublic)));
            strangerPublic = stranger.x25519PublicKey();
        }
    }

    static String generate() {
        return new SealedReplyVectors().file();
    }

    /** The wire Reply of tcId 1 (the sealed Pong), for the frame vectors. */
    static byte[] pingReply() {
        SealedReplyVectors v = new SealedReplyVectors();
        byte[] id = FixedInputs.requestId(1);
        SealedReply sealed = FixedEphemeral.seal(
                new X25519PrivateKeyParameters(v.agentSecret, 0), v.sessionPublic, id, pongBody(id), PING_EPHEMERAL);
        return v.replyMessage(id, sealed);
    }

    private String file() {
        VectorFile file = new VectorFile(
                "Scramble sealed reply v1 (HPKE auth mode)",
                List.of(
                        "A reply is sealed with RFC 9180 HPKE in auth mode: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305,",
                        "sender = the agent's static X25519 key, recipient = the session's X25519 key from its certificate,",
                        "info = \"scramble-reply-v1:\" || requestId, aad = requestId, one Seal at sequence 0. The plaintext is a ReplyBody.",
                        "Valid tests were sealed by ReplySealer.seal with the listed ephemeral secret (already clamped, RFC 7748 section 5);",
                        "enc is its public key. \"open\" lists the arguments of ReplySealer.open; each invalid test must be refused with",
                        "SealException and its one message, whatever was wrong."));
        file.note("Valid", "Sealed by the agent for this request and session; opens to the plaintext.")
                .note("EdgeLength", "A plaintext or request id at the edge of the lengths ReplySealer accepts.")
                .note("ModifiedCiphertext", "The ciphertext or its tag was altered or cut.")
                .note("ModifiedEnc", "The encapsulated key was altered, cut, or is a low-order point.")
                .note(
                        "WrongRequest",
                        "Opened for another request id than the one it was sealed for (a reply moved between requests).")
                .note("WrongSender", "Opened with another agent's X25519 key: auth mode proves who sealed it.")
                .note("WrongRecipient", "Opened with another session's X25519 secret.")
                .note(
                        "BadLength",
                        "An argument outside the lengths ReplySealer accepts; refused before any cryptography.");
        file.set("suite", suite());
        file.set("keys", keys());
        VectorFile.Group valid = file.group(
                "SealedReply",
                "ReplySealer.seal(agent secret, session public key, requestId, "
                        + "plaintext) with a fixed ephemeral key, and ReplySealer.open of the result.",
                g -> {});
        byte[] id1 = FixedInputs.requestId(1);
        ObjectNode first = valid(
                valid,
                "the Pong an agent answers agent.ping with (as in envelopes.json tcId 1)",
                List.of("Valid"),
                id1,
                pongBody(id1),
                PING_EPHEMERAL);
        byte[] id2 = FixedInputs.requestId(2);
        ObjectNode second = valid(
                valid,
                "a sealed refusal: an Error with code STALE",
                List.of("Valid"),
                id2,
                errorBody(id2),
                FixedInputs.counting(0x30));
        valid(
                valid,
                "an empty plaintext: the ciphertext is the 16-byte tag alone",
                List.of("Valid", "EdgeLength"),
                FixedInputs.requestId(3),
                new byte[0],
                FixedInputs.counting(0x38));
        valid(
                valid,
                "a 1-byte request id, the shortest ReplySealer binds",
                List.of("Valid", "EdgeLength"),
                new byte[] {0x01},
                pongBody(new byte[] {0x01}),
                FixedInputs.counting(0x40));
        byte[] longId = FixedInputs.counting(0x00);
        longId = concat(longId, FixedInputs.counting(0x20));
        valid(
                valid,
                "a 64-byte request id, the longest ReplySealer binds",
                List.of("Valid", "EdgeLength"),
                longId,
                pongBody(longId),
                FixedInputs.counting(0x48));
        invalid(file, first, second);
        return file.render();
    }

    private ObjectNode suite() {
        ObjectNode suite = VectorJson.object();
        suite.put("mode", MODE_AUTH);
        suite.put("kemId", KEM_X25519_HKDF_SHA256);
        suite.put("kdfId", KDF_HKDF_SHA256);
        suite.put("aeadId", AEAD_CHACHA20_POLY1305);
        suite.put("infoLabel", ReplySpec.INFO_LABEL);
        return suite;
    }

    private ObjectNode keys() {
        ObjectNode keys = VectorJson.object();
        keys.put("agentSeed", VectorJson.hex(FixedInputs.AGENT_SEED));
        keys.put("agentX25519Secret", VectorJson.hex(agentSecret));
        keys.put("agentX25519PublicKey", VectorJson.hex(agentPublic));
        keys.put("sessionX25519Secret", VectorJson.hex(sessionSecret));
        keys.put("sessionX25519PublicKey", VectorJson.hex(sessionPublic));
        keys.put("otherSessionX25519Secret", VectorJson.hex(otherSessionSecret));
        keys.put("strangerX25519PublicKey", VectorJson.hex(strangerPublic));
        return keys;
    }

    private ObjectNode valid(
            VectorFile.Group group,
            String comment,
            List<String> flags,
            byte[] requestId,
            byte[] plaintext,
            byte[] ephemeral) {
        SealedReply sealed = FixedEphemeral.seal(
                new X25519PrivateKeyParameters(agentSecret, 0), sessionPublic, requestId, plaintext, ephemeral);
        ObjectNode t = group.test(comment, flags);
        t.put("requestId", VectorJson.hex(requestId));
        t.put("plaintext", VectorJson.hex(plaintext));
        t.put("ephemeralSecret", VectorJson.hex(ephemeral));
        t.put("info", VectorJson.hex(ReplySpec.info(requestId)));
        t.put("aad", VectorJson.hex(requestId));
        t.put("enc", VectorJson.hex(sealed.enc()));
        t.put("ciphertext", VectorJson.hex(sealed.ciphertext()));
        if (requestId.length == FixedInputs.requestId(0).length) {
            t.put("reply", VectorJson.hex(replyMessage(requestId, sealed)));
        }
        ObjectNode open = open(sessionSecret, agentPublic, requestId, sealed.enc(), sealed.ciphertext());
        t.set("open", open);
        finish(t, open);
        return t;
    }

    private void invalid(VectorFile file, ObjectNode first, ObjectNode second) {
        VectorFile.Group group = file.group(
                "RefusedReply", "ReplySealer.open must throw SealException (one message for every failure).", g -> {});
        byte[] id = VectorJson.bytes(first, "requestId");
        byte[] enc = VectorJson.bytes(first, "enc");
        byte[] ct = VectorJson.bytes(first, "ciphertext");
        refuse(
                group,
                "first ciphertext byte flipped",
                "ModifiedCiphertext",
                open(sessionSecret, agentPublic, id, enc, flip(ct, 0)));
        refuse(
                group,
                "last tag byte flipped",
                "ModifiedCiphertext",
                open(sessionSecret, agentPublic, id, enc, flip(ct, ct.length - 1)));
        refuse(
                group,
                "the last byte cut off",
                "ModifiedCiphertext",
                open(sessionSecret, agentPublic, id, enc, Arrays.copyOf(ct, ct.length - 1)));
        refuse(
                group,
                "15 bytes: shorter than a tag",
                "BadLength",
                open(sessionSecret, agentPublic, id, enc, Arrays.copyOf(ct, TAG_BYTES - 1)));
        refuse(
                group,
                "the ciphertext of the second valid test with this test's enc",
                "ModifiedCiphertext",
                open(sessionSecret, agentPublic, id, enc, VectorJson.bytes(second, "ciphertext")));
        refuse(group, "first enc byte flipped", "ModifiedEnc", open(sessionSecret, agentPublic, id, flip(enc, 0), ct));
        refuse(
                group,
                "enc all zero: a low-order point, the DH output would be zero",
                "ModifiedEnc",
                open(sessionSecret, agentPublic, id, new byte[32], ct));
        refuse(group, "enc of 31 bytes", "BadLength", open(sessionSecret, agentPublic, id, Arrays.copyOf(enc, 31), ct));
        refuse(
                group,
                "opened for request id 2 (sealed for 1)",
                "WrongRequest",
                open(sessionSecret, agentPublic, FixedInputs.requestId(2), enc, ct));
        refuse(
                group,
                "opened with an empty request id",
                "BadLength",
                open(sessionSecret, agentPublic, new byte[0], enc, ct));
        refuse(
                group,
                "opened with a 65-byte request id",
                "BadLength",
                open(sessionSecret, agentPublic, new byte[MAX_ID_BYTES + 1], enc, ct));
        refuse(
                group,
                "opened as if sealed by the stranger's X25519 key",
                "WrongSender",
                open(sessionSecret, strangerPublic, id, enc, ct));
        refuse(
                group,
                "opened with an all-zero agent key (low-order)",
                "WrongSender",
                open(sessionSecret, new byte[32], id, enc, ct));
        refuse(
                group,
                "opened by the read-only session's secret",
                "WrongRecipient",
                open(otherSessionSecret, agentPublic, id, enc, ct));
    }

    private static void refuse(VectorFile.Group group, String comment, String flag, ObjectNode open) {
        ObjectNode t = group.test(comment, List.of(flag));
        t.set("open", open);
        finish(t, open);
    }

    /** Runs ReplySealer.open on the listed arguments and records what it did as result and expected. */
    private static void finish(ObjectNode t, ObjectNode open) {
        ObjectNode expected = outcome(open);
        t.put("result", expected.has("plaintext") ? "valid" : "invalid");
        t.set("expected", expected);
    }

    /** The arguments of ReplySealer.open. */
    private static ObjectNode open(
            byte[] recipientSecret, byte[] senderPublic, byte[] requestId, byte[] enc, byte[] ciphertext) {
        ObjectNode open = VectorJson.object();
        open.put("recipientSecret", VectorJson.hex(recipientSecret));
        open.put("senderPublicKey", VectorJson.hex(senderPublic));
        open.put("requestId", VectorJson.hex(requestId));
        open.put("enc", VectorJson.hex(enc));
        open.put("ciphertext", VectorJson.hex(ciphertext));
        return open;
    }

    /** {@code {"plaintext": ...}} or {@code {"exception": "SealException", "message": ...}}. */
    static ObjectNode outcome(JsonNode open) {
        ObjectNode outcome = VectorJson.object();
        try {
            byte[] plaintext = ReplySealer.open(
                    new X25519PrivateKeyParameters(VectorJson.bytes(open, "recipientSecret"), 0),
                    VectorJson.bytes(open, "senderPublicKey"),
                    VectorJson.bytes(open, "requestId"),
                    VectorJson.bytes(open, "enc"),
                    VectorJson.bytes(open, "ciphertext"));
            outcome.put("plaintext", VectorJson.hex(plaintext));
        } catch (SealException e) {
            outcome.put("exception", SealException.class.getSimpleName());
            outcome.put("message", e.getMessage());
        }
        return outcome;
    }

    /** The wire Reply the agent sends: request id, enc, ciphertext, its id, reply key and the key's signature. */
    private byte[] replyMessage(byte[] requestId, SealedReply sealed) {
        return Reply.newBuilder()
                .setRequestId(ByteString.copyFrom(requestId))
                .setEnc(ByteString.copyFrom(sealed.enc()))
                .setCiphertext(ByteString.copyFrom(sealed.ciphertext()))
                .setAgentId(agentReplyFields.get("agentId").asText())
                .setAgentReplyKey(ByteString.copyFrom(agentPublic))
                .setAgentReplyKeySignature(
                        ByteString.copyFrom(VectorJson.bytes(agentReplyFields, "agentReplyKeySignature")))
                .build()
                .toByteArray();
    }

    /** The ReplyBody of a ping, exactly as the agent of envelopes.json makes it. */
    private static byte[] pongBody(byte[] requestId) {
        return ReplyBody.newBuilder()
                .setRequestId(ByteString.copyFrom(requestId))
                .setResult(Result.newBuilder()
                        .setPong(Pong.newBuilder()
                                .setPayload(EnvelopeDraft.PING_PAYLOAD)
                                .setAgentVersion(AgentFixture.VERSION)))
                .setAgentTimeMillis(FixedInputs.AGENT_NOW_MILLIS)
                .build()
                .toByteArray();
    }

    private static byte[] errorBody(byte[] requestId) {
        return ReplyBody.newBuilder()
                .setRequestId(ByteString.copyFrom(requestId))
                .setError(Error.newBuilder().setCode(ErrorCode.STALE).setMessage("envelope timestamp is too old"))
                .setAgentTimeMillis(FixedInputs.AGENT_NOW_MILLIS)
                .build()
                .toByteArray();
    }

    private static byte[] publicKey(byte[] x25519Secret) {
        return new X25519PrivateKeyParameters(x25519Secret, 0)
                .generatePublicKey()
                .getEncoded();
    }

    private static byte[] flip(byte[] bytes, int index) {
        byte[] out = bytes.clone();
        out[index] ^= 0x01;
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
