package org.multiverse.scramble.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.multiverse.scramble.protocol.envelope.EnvelopeCodec;
import org.multiverse.scramble.protocol.envelope.SigningBytes;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.suite.cert.SessionCertificate;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * Checks {@code envelopes.json} from the file alone: the sessions are issued again identically;
 * the agent described is the one the rig builds; each envelope's fields, signing bytes (by the
 * product and by the specification) and Ed25519 message are its bytes, its signature verifies
 * exactly when the file says so and is re-made from the session's seed; and the envelopes, sent
 * with their history to a fresh real agent, get exactly the listed codec verdict, answer and
 * audit entry.
 */
final class EnvelopeChecks {

    private EnvelopeChecks() {}

    static Stream<DynamicTest> tests(JsonNode file) {
        Stream<DynamicTest> fixture = Stream.of(
                dynamicTest(
                        "the agent is the one the rig builds",
                        () -> assertEquals(VectorJson.normalize(AgentFixture.describe()), file.get("agent"))),
                dynamicTest("every session is issued again identically", () -> sessions(file)));
        return Stream.concat(fixture, VectorChecks.each(file, EnvelopeChecks::check));
    }

    private static void sessions(JsonNode file) {
        file.get("sessions").properties().forEach(entry -> {
            JsonNode s = entry.getValue();
            try (SessionKeys keys = SessionSpec.create(s)) {
                assertArrayEquals(
                        VectorJson.bytes(s, "certificate"), keys.certificate().encode(), entry.getKey());
                assertArrayEquals(
                        VectorJson.bytes(s, "signingKey"), keys.certificate().sessionSigningKey(), entry.getKey());
                assertArrayEquals(
                        VectorJson.bytes(s, "x25519Key"), keys.certificate().sessionX25519Key(), entry.getKey());
            }
        });
    }

    private static void check(JsonNode file, JsonNode group, JsonNode test) throws Exception {
        List<JsonNode> steps = new ArrayList<>();
        test.get("history").forEach(steps::add);
        steps.add(test);
        for (JsonNode step : steps) {
            envelope(file, step);
        }
        Map<String, byte[]> secrets = new HashMap<>();
        file.get("sessions")
                .forEach(s -> secrets.put(s.get("x25519Key").asText(), VectorJson.bytes(s, "x25519Secret")));
        List<ObjectNode> verdicts = new PipelineRun(secrets, (ObjectNode) file.get("agent"))
                .judge(steps.stream().map(s -> VectorJson.bytes(s, "envelope")).toList());
        for (int i = 0; i < steps.size(); i++) {
            String which = i < steps.size() - 1 ? "history[" + i + "]" : "the envelope";
            assertEquals(
                    steps.get(i).get("expected"),
                    VectorJson.normalize(verdicts.get(i)),
                    which + ": what the agent did");
        }
        assertEquals(
                VectorChecks.valid(test), PipelineRun.isResult(verdicts.get(steps.size() - 1), verdicts), "result");
    }

    /** One envelope's listed fields, signing bytes and signature against its bytes. */
    private static void envelope(JsonNode file, JsonNode step) {
        if (!step.has("fields")) {
            return; // the codec refuses it: expected.codec says why, checked with the pipeline
        }
        Envelope envelope = EnvelopeCodec.parseEnvelope(VectorJson.bytes(step, "envelope"));
        JsonNode fields = step.get("fields");
        assertEquals(fields, VectorJson.normalize(EnvelopeStep.fields(envelope)), "fields");
        byte[] signing = VectorJson.bytes(step, "signingBytes");
        assertArrayEquals(signing, SigningBytes.of(envelope), "signing bytes by the product");
        assertArrayEquals(signing, signingBytes(fields), "signing bytes by the specification");
        byte[] message = VectorJson.bytes(step, "ed25519Message");
        assertArrayEquals(SignedMessage.of(SignatureContext.ENVELOPE, signing), message, "Ed25519 message");
        if (!step.has("signatureValid")) {
            return; // the certificate does not decode, so there is no session key to verify with
        }
        boolean valid = step.get("signatureValid").asBoolean();
        byte[] signature = VectorJson.bytes(fields, "signature");
        SessionCertificate certificate;
        try {
            certificate = SessionCertificate.decode(VectorJson.bytes(fields, "sessionCertificate"));
        } catch (Exception e) {
            throw new AssertionError("signatureValid is listed but the certificate does not decode", e);
        }
        assertEquals(
                valid,
                certificate.verifySessionSignature(SignatureContext.ENVELOPE, signing, signature),
                "the product's verdict on the signature");
        assertEquals(
                valid,
                SignedMessage.verifyRaw(certificate.sessionSigningKey(), message, signature),
                "a plain Ed25519 verifier's verdict");
        byte[] seed =
                VectorJson.bytes(file.get("sessions").get(step.get("session").asText()), "ed25519Seed");
        if (valid) {
            assertArrayEquals(signature, SignedMessage.signRaw(seed, message), "re-signed from the session's seed");
        } else {
            assertFalse(Arrays.equals(signature, SignedMessage.signRaw(seed, message)), "a bad signature");
        }
    }

    /** The signing bytes from the listed fields, by the specification: each field length-prefixed. */
    private static byte[] signingBytes(JsonNode f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put(
                out,
                ByteBuffer.allocate(4)
                        .putInt((int) f.get("protocolVersion").asLong())
                        .array());
        put(out, VectorJson.bytes(f, "sessionCertificate"));
        put(out, f.get("targetAgent").asText().getBytes(StandardCharsets.UTF_8));
        put(
                out,
                ByteBuffer.allocate(8)
                        .putLong(f.get("sequence").bigIntegerValue().longValue())
                        .array());
        put(
                out,
                ByteBuffer.allocate(8)
                        .putLong(f.get("timestampMillis").asLong())
                        .array());
        put(out, VectorJson.bytes(f, "requestId"));
        put(out, VectorJson.bytes(f, "command"));
        put(out, f.get("route").asText().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void put(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        out.writeBytes(value);
    }
}
