package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.multiverse.scramble.protocol.session.EnvelopeSigner;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * Writes {@code envelopes.json}: the cases of {@link EnvelopeCases}, each sent with its history
 * to a fresh real agent, with what the codec and the pipeline did.
 */
final class EnvelopeVectors {

    static final String FILE = "envelopes.json";

    private EnvelopeVectors() {}

    static String generate() {
        VectorFile file = new VectorFile(
                "Scramble envelope v1 and the agent pipeline",
                List.of(
                        "Each test is an Envelope (protobuf, the payload of an ENVELOPE frame) sent to a fresh agent set up as \"agent\" says,",
                        "after the envelopes of \"history\". signingBytes are the canonical bytes the signature covers: every field but",
                        "signature, in field-number order, each as a 4-byte big-endian length then the value (protocol_version as 4 bytes,",
                        "sequence and timestamp_millis as 8, big-endian); ed25519Message = len(ctx) || ctx || signingBytes with ctx =",
                        "\"scramble/v1/envelope\"; the session key that must verify it is in the certificate.",
                        "expected.codec is EnvelopeCodec.parseEnvelope's verdict; expected.answer the frame the agent sent back: a bare",
                        "Rejected (requestId, rejectCode) or a Reply sealed to the session, opened: a Result (replyBody, the whole plaintext",
                        "but its audit witness, whose head hashes the agent's own log; auditCount is the witness's entry count),",
                        "an Error (errorCode), or a byte-for-byte resend of an earlier answer (repeatOf: index in history);",
                        "expected.audit the agent's audit entry that closed the envelope (decision, result);",
                        "a successful read-only query has none of its own: decision \"queries\", counted in a summary entry.",
                        "result is \"valid\" when the sender gets a successful Result, \"invalid\" otherwise."));
        declareFlags(file);
        ObjectNode agent = AgentFixture.describe();
        file.set("agent", agent);
        ObjectNode sessions = VectorJson.object();
        Map<String, byte[]> secrets = new HashMap<>();
        for (SessionSpec spec : AgentFixture.SESSIONS) {
            ObjectNode s = spec.describe();
            sessions.set(spec.name(), s);
            secrets.put(s.get("x25519Key").asText(), spec.x25519Secret());
        }
        file.set("sessions", sessions);
        PipelineRun run = new PipelineRun(secrets, agent);
        for (EnvelopeCases.Group group : EnvelopeCases.groups()) {
            VectorFile.Group g = file.group(group.type(), group.description(), x -> {});
            for (EnvelopeCase c : group.cases()) {
                add(g, c, run);
            }
        }
        return file.render();
    }

    private static void add(VectorFile.Group group, EnvelopeCase c, PipelineRun run) {
        List<EnvelopeDraft> drafts = new ArrayList<>(c.history());
        drafts.add(c.subject());
        List<byte[]> envelopes = drafts.stream().map(EnvelopeDraft::build).toList();
        List<ObjectNode> verdicts;
        try {
            verdicts = run.judge(envelopes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        ObjectNode t = group.test(c.comment(), c.flags());
        ArrayNode history = t.putArray("history");
        for (int i = 0; i < c.history().size(); i++) {
            ObjectNode step = EnvelopeStep.describe(drafts.get(i).session().name(), envelopes.get(i));
            step.set("expected", verdicts.get(i));
            history.add(step);
        }
        int last = envelopes.size() - 1;
        t.setAll(EnvelopeStep.describe(c.subject().session().name(), envelopes.get(last)));
        t.put("result", PipelineRun.isResult(verdicts.get(last), verdicts) ? "valid" : "invalid");
        t.set("expected", verdicts.get(last));
    }

    private static void declareFlags(VectorFile file) {
        file.note("Valid", "A correct envelope the agent runs.")
                .note("EdgeValue", "A field at the edge of its range.")
                .note(
                        "Freshness",
                        "The timestamp at or just past the freshness window (120000 ms behind, 30000 ms ahead).")
                .note("Target", "Who the envelope is for: target_agent and route.")
                .note(
                        "NonCanonicalEncoding",
                        "A protobuf encoding protobuf's serializer would not write; the signature covers values, not bytes.")
                .note(
                        "Replay",
                        "Sequence numbers: each is accepted once per (session key, agent), within a window of 1024 below the highest.")
                .note(
                        "Revocation",
                        "agent.revoke-sessions: the root's signed statement revokes its sessions with an earlier notBefore.")
                .note(
                        "Malformed",
                        "The codec refuses the bytes: Rejected{MALFORMED}; today without a request id even when one could be read (see readableRequestId).")
                .note(
                        "MissingField",
                        "A required field is absent (proto3 does not send empty fields, so 0 or empty is absent).")
                .note("Truncated", "The bytes end inside a field.")
                .note(
                        "UnknownField",
                        "A field number Envelope does not define: refused, since the signature does not cover it.")
                .note("DuplicateField", "A field sent twice: refused, since two parsers could keep different copies.")
                .note("WrongWireType", "A field sent with another wire type than its declaration's.")
                .note("FieldLength", "A bytes or string field outside its length limits.")
                .note(
                        "UnsupportedVersion",
                        "A protocol_version this agent does not speak (it speaks " + EnvelopeSigner.PROTOCOL_VERSION
                                + ").")
                .note("BadSignature", "The signature does not verify.")
                .note(
                        "DomainSeparation",
                        "Signed by the right key over the right bytes, under a context other than \""
                                + SignatureContext.ENVELOPE.text() + "\".")
                .note("UnknownRoot", "The session's root is not authorised on this agent.")
                .note(
                        "BadCertificate",
                        "The session certificate does not decode or its root signature does not verify.")
                .note("SessionWindow", "The session certificate is expired or not yet valid (beyond the 120 s skew).")
                .note(
                        "Command",
                        "The command bytes: not a Command, a kind this agent does not know, or one it does not serve.")
                .note("Policy", "The agent's policy or the session's read-only scope denies the command.")
                .note(
                        "Resend",
                        "A request id this session already used: the agent sends its earlier sealed answer again, byte for byte, and runs nothing.")
                .note(
                        "RequestIdReuse",
                        "The request id of an earlier envelope with a different body. Today the earlier answer is resent; a planned change refuses it with REQUEST_ID_REUSED.");
    }
}
