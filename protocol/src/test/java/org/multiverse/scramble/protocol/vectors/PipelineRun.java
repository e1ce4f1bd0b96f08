package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.envelope.EnvelopeCodec;
import org.multiverse.scramble.protocol.envelope.MalformedMessageException;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.Rejected;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.protocol.v1.ReplyBody;
import org.multiverse.scramble.suite.cert.CertificateException;
import org.multiverse.scramble.suite.cert.SessionCertificate;
import org.multiverse.scramble.suite.seal.ReplySealer;
import org.multiverse.scramble.suite.seal.SealException;

/**
 * Sends envelopes, one after another, to a fresh {@link AgentRig} and says what the real
 * pipeline did with each: the codec's verdict, the frame that came back (a bare
 * {@code Rejected}, or a {@code Reply} opened with the session's X25519 secret) and the audit
 * entry that closed it. The generator writes this as {@code expected}; the checks run it again
 * from the file and compare.
 */
final class PipelineRun {

    private final Map<String, byte[]> x25519SecretsByKey;
    private final byte[] agentX25519Public;
    private final ObjectNode agent;

    /**
     * @param x25519SecretsByKey each session's X25519 secret, by its public key in hex
     * @param agent the file's {@code agent} object (id, X25519 key, reply-key signature)
     */
    PipelineRun(Map<String, byte[]> x25519SecretsByKey, ObjectNode agent) {
        this.x25519SecretsByKey = Map.copyOf(x25519SecretsByKey);
        this.agent = agent;
        this.agentX25519Public = VectorJson.bytes(agent, "x25519PublicKey");
    }

    /** One {@code expected} object per envelope, in order. */
    List<ObjectNode> judge(List<byte[]> envelopes) throws IOException, InterruptedException {
        List<byte[]> answers = new ArrayList<>();
        List<ObjectNode> verdicts = new ArrayList<>();
        List<AuditRecord> audit;
        try (AgentRig rig = AgentRig.start()) {
            for (byte[] envelope : envelopes) {
                Frame answer = rig.send(envelope);
                ObjectNode verdict = VectorJson.object();
                verdict.set("codec", codec(envelope));
                verdict.set("answer", answer(envelope, answer, answers));
                answers.add(answer.payload());
                verdicts.add(verdict);
            }
            audit = rig.finish();
        }
        // A successful read-only query has no entry of its own: it is counted into one "queries"
        // entry per session, written when the agent closes (SPEC.md §11 step 23).
        List<AuditRecord> own =
                audit.stream().filter(r -> !r.decision().equals("queries")).toList();
        long counted = audit.stream()
                .filter(r -> r.decision().equals("queries"))
                .mapToLong(r -> Long.parseLong(r.command().split(" ")[0]))
                .sum();
        int next = 0;
        long summarised = 0;
        for (int i = 0; i < verdicts.size(); i++) {
            ObjectNode entry = verdicts.get(i).putObject("audit");
            if (isSummarisedQuery(envelopes.get(i), verdicts.get(i))) {
                entry.put("decision", "queries").put("result", "ok");
                summarised++;
                continue;
            }
            if (next >= own.size()) {
                throw new IllegalStateException(envelopes.size() + " envelopes but " + own.size()
                        + " audited outcomes and " + summarised + " summarised queries");
            }
            entry.put("decision", own.get(next).decision())
                    .put("result", own.get(next).result());
            next++;
        }
        if (next != own.size() || counted != summarised) {
            throw new IllegalStateException(envelopes.size() + " envelopes but " + own.size() + " audited outcomes, "
                    + counted + " counted queries for " + summarised + " summarised");
        }
        return verdicts;
    }

    /** A first answer with a result to a command that changes nothing: counted, not written on its own. */
    private static boolean isSummarisedQuery(byte[] envelope, ObjectNode verdict) {
        if (!verdict.path("answer").path("outcome").asText().equals("result")) {
            return false;
        }
        var kind = EnvelopeCodec.parseCommand(
                        EnvelopeCodec.parseEnvelope(envelope).getCommand().toByteArray())
                .getKindCase();
        return kind != org.multiverse.scramble.protocol.v1.Command.KindCase.KIND_NOT_SET
                && !org.multiverse.scramble.protocol.command.CommandCatalog.of(kind)
                        .changesState();
    }

    /** Whether an outcome is a successful result (directly or as a resend of one). */
    static boolean isResult(ObjectNode verdict, List<ObjectNode> earlier) {
        ObjectNode answer = (ObjectNode) verdict.get("answer");
        return switch (answer.path("outcome").asText()) {
            case "result" -> true;
            case "repeat" -> isResult(earlier.get(answer.get("repeatOf").asInt()), earlier);
            default -> false;
        };
    }

    private static ObjectNode codec(byte[] envelope) {
        ObjectNode codec = VectorJson.object();
        try {
            EnvelopeCodec.parseEnvelope(envelope);
            codec.put("accepted", true);
        } catch (MalformedMessageException e) {
            codec.put("accepted", false);
            codec.put("field", e.field());
            codec.put("message", e.getMessage());
        }
        return codec;
    }

    private ObjectNode answer(byte[] envelope, Frame frame, List<byte[]> earlier) {
        ObjectNode answer = VectorJson.object();
        answer.put("frame", frame.type().name());
        if (frame.type() == FrameType.REJECTED) {
            Rejected rejected = EnvelopeCodec.parseRejected(frame.payload());
            answer.put("requestId", VectorJson.hex(rejected.getRequestId().toByteArray()));
            answer.put("rejectCode", rejected.getCode().name());
            return answer;
        }
        if (frame.type() != FrameType.REPLY) {
            throw new IllegalStateException("the agent answered with a " + frame.type() + " frame");
        }
        Reply reply = EnvelopeCodec.parseReply(frame.payload());
        requireAgentFields(reply);
        byte[] requestId = reply.getRequestId().toByteArray();
        answer.put("requestId", VectorJson.hex(requestId));
        for (int i = 0; i < earlier.size(); i++) {
            if (Arrays.equals(earlier.get(i), frame.payload())) {
                answer.put("outcome", "repeat");
                answer.put("repeatOf", i);
                return answer;
            }
        }
        ReplyBody body = open(envelope, reply, requestId);
        if (body.hasError()) {
            answer.put("outcome", "error");
            answer.put("errorCode", body.getError().getCode().name());
        } else {
            answer.put("outcome", "result");
            // The audit witness's head hashes the agent's own log (times, policy file names): not
            // part of the contract, so left out; its count is.
            answer.put(
                    "replyBody",
                    VectorJson.hex(body.toBuilder().clearAudit().build().toByteArray()));
            answer.put("auditCount", body.getAudit().getCount());
        }
        return answer;
    }

    /** Every reply carries the agent's id, its X25519 key and the key's signature: the fixture's. */
    private void requireAgentFields(Reply reply) {
        if (!reply.getAgentId().equals(agent.get("id").asText())
                || !Arrays.equals(reply.getAgentReplyKey().toByteArray(), agentX25519Public)
                || !Arrays.equals(
                        reply.getAgentReplyKeySignature().toByteArray(),
                        VectorJson.bytes(agent, "replyKeySignature"))) {
            throw new IllegalStateException("a reply does not carry the agent fixture's id, reply key and signature");
        }
    }

    /** Opens a sealed answer with the X25519 secret of the session the envelope's certificate names. */
    private ReplyBody open(byte[] envelope, Reply reply, byte[] requestId) {
        try {
            Envelope e = Envelope.parseFrom(envelope);
            byte[] sessionKey = SessionCertificate.decode(
                            e.getSessionCertificate().toByteArray())
                    .sessionX25519Key();
            byte[] secret = x25519SecretsByKey.get(HexFormat.of().formatHex(sessionKey));
            if (secret == null) {
                throw new IllegalStateException("a reply is sealed to a session the file does not list");
            }
            byte[] plaintext = ReplySealer.open(
                    new X25519PrivateKeyParameters(secret, 0),
                    agentX25519Public,
                    requestId,
                    reply.getEnc().toByteArray(),
                    reply.getCiphertext().toByteArray());
            return ReplyBody.parseFrom(plaintext);
        } catch (InvalidProtocolBufferException | CertificateException | SealException e) {
            throw new IllegalStateException("a sealed answer could not be opened: " + e.getMessage(), e);
        }
    }
}
