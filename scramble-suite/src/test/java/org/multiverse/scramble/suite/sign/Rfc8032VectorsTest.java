package org.multiverse.scramble.suite.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 8032 section 7.1 test vectors: key derivation, deterministic signing and verification. */
class Rfc8032VectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    static Stream<JsonNode> vectors() throws IOException {
        try (InputStream in = Rfc8032VectorsTest.class.getResourceAsStream("/vectors/rfc8032-ed25519.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            return StreamSupport.stream(root.get("tests").spliterator(), false).toList().stream();
        }
    }

    @Test
    void allFiveVectorsArePresent() throws IOException {
        assertEquals(5, vectors().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void derivesSignsAndVerifies(JsonNode v) {
        byte[] seed = HEX.parseHex(v.get("secretKey").asText());
        byte[] pub = HEX.parseHex(v.get("publicKey").asText());
        byte[] msg = HEX.parseHex(v.get("message").asText());
        byte[] sig = HEX.parseHex(v.get("signature").asText());

        assertArrayEquals(pub, Ed25519.publicKeyFromSeed(seed), "public key");
        assertArrayEquals(sig, Ed25519.signRaw(seed, msg), "signature");
        assertTrue(Ed25519.verifyRaw(pub, msg, sig));

        byte[] otherMessage = msg.clone().length == 0 ? new byte[] {0} : msg.clone();
        if (msg.length > 0) {
            otherMessage[0] ^= 1;
        }
        assertFalse(Ed25519.verifyRaw(pub, otherMessage, sig), "another message");
    }
}
