package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.multiverse.scramble.suite.cert.CertificateException;
import org.multiverse.scramble.suite.cert.CertificateVerifier;
import org.multiverse.scramble.suite.cert.RevocationList;
import org.multiverse.scramble.suite.cert.RevocationStatement;
import org.multiverse.scramble.suite.cert.SessionCertificate;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * What the product says about a certificate: {@code SessionCertificate.decode}, then a
 * {@code CertificateVerifier} trusting exactly the listed roots with the listed revocation
 * statements in force, at the listed time. Used by the generator to write {@code expected} and by
 * the checks to recompute it from the file alone.
 */
final class CertificateVerdict {

    /** The outcome of a step that passed. */
    static final String OK = "ok";

    private CertificateVerdict() {}

    /**
     * @param verifier the {@code verifier} object of a vector: {@code trustedRoots} (Scramble ID
     *     texts), {@code revocations} (encoded statements, hex), {@code nowMillis}
     * @return {@code {"decode": "ok" | reason, "verify": "ok" | reason}}, {@code verify} absent
     *     when decoding failed
     */
    static ObjectNode of(byte[] certificate, JsonNode verifier) {
        ObjectNode verdict = VectorJson.object();
        SessionCertificate decoded;
        try {
            decoded = SessionCertificate.decode(certificate);
        } catch (CertificateException e) {
            verdict.put("decode", e.reason().name());
            return verdict;
        }
        verdict.put("decode", OK);
        try {
            CertificateVerifier.trusting(roots(verifier.get("trustedRoots")), revocations(verifier.get("revocations")))
                    .verify(
                            decoded,
                            Instant.ofEpochMilli(verifier.get("nowMillis").asLong()));
            verdict.put("verify", OK);
        } catch (CertificateException e) {
            verdict.put("verify", e.reason().name());
        }
        return verdict;
    }

    /** A {@code verifier} object. */
    static ObjectNode verifier(
            Set<ScrambleId> trusted, java.util.List<RevocationStatement> revocations, long nowMillis) {
        ObjectNode node = VectorJson.object();
        ArrayNode roots = node.putArray("trustedRoots");
        trusted.stream().map(ScrambleId::text).sorted().forEach(roots::add);
        ArrayNode statements = node.putArray("revocations");
        revocations.forEach(s -> statements.add(VectorJson.hex(s.encode())));
        node.put("nowMillis", nowMillis);
        return node;
    }

    private static Set<ScrambleId> roots(JsonNode texts) {
        Set<ScrambleId> roots = new HashSet<>();
        for (JsonNode text : texts) {
            try {
                roots.add(ScrambleId.parse(text.asText()));
            } catch (InvalidScrambleIdException e) {
                throw new IllegalArgumentException("bad trusted root in a vector: " + e.getMessage(), e);
            }
        }
        return roots;
    }

    private static RevocationList revocations(JsonNode statements) {
        RevocationList list = new RevocationList();
        for (JsonNode hex : statements) {
            try {
                list.add(RevocationStatement.decode(HexFormat.of().parseHex(hex.asText())));
            } catch (CertificateException e) {
                throw new IllegalArgumentException("bad revocation statement in a vector: " + e.getMessage(), e);
            }
        }
        return list;
    }
}
