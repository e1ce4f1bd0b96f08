package org.multiverse.scramble.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.DynamicTest;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * Checks {@code scramble-ids.json} both ways from the file alone: each valid seed gives the listed
 * key, text and X25519 key, through the product ({@code Identity}, {@code ScrambleId}) and
 * through the specification written out independently; each invalid text is refused with the
 * listed message.
 */
final class ScrambleIdChecks {

    /** The HKDF info that turns an identity seed into its X25519 secret. */
    private static final String X25519_LABEL = "scramble/v1/identity/x25519-from-seed";

    private ScrambleIdChecks() {}

    static Stream<DynamicTest> tests(JsonNode file) {
        return VectorChecks.each(file, (f, group, test) -> {
            if (VectorChecks.valid(test)) {
                valid(test);
            } else {
                invalid(test);
            }
        });
    }

    private static void valid(JsonNode t) throws InvalidScrambleIdException {
        byte[] seed = VectorJson.bytes(t, "seed");
        byte[] key = VectorJson.bytes(t, "publicKey");
        String text = t.get("text").asText();
        try (Identity identity = Identity.fromSeed(seed)) {
            assertArrayEquals(key, identity.id().publicKey(), "public key");
            assertEquals(text, identity.id().text(), "text");
            assertEquals(t.get("shortForm").asText(), identity.id().shortForm(), "short form");
            assertArrayEquals(
                    VectorJson.bytes(t, "x25519Secret"),
                    identity.x25519Private().getEncoded(),
                    "X25519 secret");
            assertArrayEquals(VectorJson.bytes(t, "x25519PublicKey"), identity.x25519PublicKey(), "X25519 public key");
        }
        assertArrayEquals(key, ScrambleId.parse(text).publicKey(), "parse gives the key back");
        // The same from the specification, without the product's code:
        assertArrayEquals(
                key,
                new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded(),
                "RFC 8032 key");
        int version = t.get("version").asInt();
        assertArrayEquals(VectorJson.bytes(t, "checksum"), ScrambleIdSpec.checksum(key, version), "checksum");
        assertArrayEquals(VectorJson.bytes(t, "raw"), ScrambleIdSpec.raw(key, version), "raw bytes");
        assertEquals(text, ScrambleIdSpec.text(key, version), "text from the specification");
        byte[] secret = hkdf(seed);
        assertArrayEquals(VectorJson.bytes(t, "x25519Secret"), secret, "X25519 secret by HKDF");
        assertArrayEquals(
                VectorJson.bytes(t, "x25519PublicKey"),
                new X25519PrivateKeyParameters(secret, 0).generatePublicKey().getEncoded(),
                "X25519 public key by RFC 7748");
    }

    private static void invalid(JsonNode t) {
        JsonNode error = t.get("error");
        assertEquals(
                InvalidScrambleIdException.class.getSimpleName(),
                error.get("exception").asText());
        InvalidScrambleIdException e = assertThrows(
                InvalidScrambleIdException.class,
                () -> ScrambleId.parse(t.get("text").asText()));
        assertEquals(error.get("message").asText(), e.getMessage(), "the parser's message");
    }

    private static byte[] hkdf(byte[] seed) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(seed, null, X25519_LABEL.getBytes(StandardCharsets.US_ASCII)));
        byte[] out = new byte[32];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }
}
