package org.multiverse.scramble.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.multiverse.scramble.suite.cert.SessionCertificate;
import org.multiverse.scramble.suite.cert.SessionKeys;

/**
 * Checks {@code session-certificates.json} from the file alone: the listed fields, signed bytes
 * and Ed25519 message are the certificate's bytes by the specification; an issued certificate is
 * issued again identically by {@code SessionKeys.create}; the product decodes the listed fields;
 * a plain RFC 8032 verifier agrees with the verdict on the root's signature; and decode plus
 * {@code CertificateVerifier} give exactly the listed verdict.
 */
final class CertificateChecks {

    private CertificateChecks() {}

    static Stream<DynamicTest> tests(JsonNode file) {
        return VectorChecks.each(file, (f, group, test) -> check(test));
    }

    private static void check(JsonNode t) throws Exception {
        byte[] certificate = VectorJson.bytes(t, "certificate");
        JsonNode expected = t.get("expected");
        if (t.has("fields")) {
            CertificateLayout layout = CertificateLayout.fromJson(t.get("fields"));
            byte[] signature = VectorJson.bytes(t, "signature");
            assertArrayEquals(certificate, layout.encode(signature), "fields and signature are the certificate");
            assertArrayEquals(VectorJson.bytes(t, "signedBytes"), layout.signedBytes(), "signed bytes");
            assertArrayEquals(VectorJson.bytes(t, "ed25519Message"), layout.ed25519Message(), "Ed25519 message");
            boolean rootSigned = SignedMessage.verifyRaw(layout.rootKey(), layout.ed25519Message(), signature);
            if (expected.path("verify").asText().equals("BAD_SIGNATURE")) {
                assertTrue(!rootSigned, "a plain Ed25519 verifier must refuse the root's signature too");
            } else if (expected.has("verify")
                    && !expected.get("verify").asText().equals("UNKNOWN_ROOT")) {
                assertTrue(rootSigned, "a plain Ed25519 verifier must accept the root's signature");
            }
            if (expected.get("decode").asText().equals(CertificateVerdict.OK)) {
                assertTrue(
                        layout.matches(SessionCertificate.decode(certificate)),
                        "the product decodes the listed fields");
            }
        }
        if (t.has("issuance")) {
            try (SessionKeys keys = SessionSpec.create(t.get("issuance"))) {
                assertArrayEquals(certificate, keys.certificate().encode(), "SessionKeys.create issues the same bytes");
            }
        }
        assertEquals(
                expected,
                VectorJson.normalize(CertificateVerdict.of(certificate, t.get("verifier"))),
                "decode and verify verdict");
        boolean passed = expected.path("decode").asText().equals(CertificateVerdict.OK)
                && expected.path("verify").asText().equals(CertificateVerdict.OK);
        assertEquals(VectorChecks.valid(t), passed, "result agrees with the verdict");
    }
}
