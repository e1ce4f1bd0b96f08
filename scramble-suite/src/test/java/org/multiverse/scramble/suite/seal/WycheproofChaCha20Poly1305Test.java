package org.multiverse.scramble.suite.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof ChaCha20-Poly1305 vectors through the suite's {@link ChaChaPoly} (the stream
 * sealer's AEAD). Valid: encrypts to {@code ct ‖ tag} and decrypts back. Invalid
 * (ModifiedTag, InvalidNonceSize): refused, a wrong tag with {@link InvalidCipherTextException},
 * a nonce that is not 12 bytes with {@link IllegalArgumentException} on both directions.
 */
class WycheproofChaCha20Poly1305Test {
    private static final List<JsonNode> TESTS = Vectors.wycheproofTests("chacha20_poly1305_test.json");

    @Test
    void everyValidCaseEncryptsAndDecryptsToTheVector() throws Exception {
        int checked = 0;
        for (JsonNode test : TESTS) {
            if (!test.get("result").asText().equals("valid")) {
                continue;
            }
            byte[] key = Vectors.hex(test, "key");
            byte[] iv = Vectors.hex(test, "iv");
            byte[] aad = Vectors.hex(test, "aad");
            byte[] msg = Vectors.hex(test, "msg");
            byte[] sealed = Arrays.concatenate(Vectors.hex(test, "ct"), Vectors.hex(test, "tag"));
            assertArrayEquals(sealed, ChaChaPoly.seal(key, iv, aad, msg), Vectors.describe(test));
            assertArrayEquals(msg, ChaChaPoly.open(key, iv, aad, sealed), Vectors.describe(test));
            checked++;
        }
        assertEquals(256, checked);
    }

    @Test
    void everyInvalidCaseIsRefused() {
        int refused = 0;
        for (JsonNode test : TESTS) {
            if (!test.get("result").asText().equals("invalid")) {
                continue;
            }
            String what = Vectors.describe(test);
            byte[] key = Vectors.hex(test, "key");
            byte[] iv = Vectors.hex(test, "iv");
            byte[] aad = Vectors.hex(test, "aad");
            byte[] sealed = Arrays.concatenate(Vectors.hex(test, "ct"), Vectors.hex(test, "tag"));
            if (Vectors.hasFlag(test, "InvalidNonceSize")) {
                assertThrows(IllegalArgumentException.class, () -> ChaChaPoly.open(key, iv, aad, sealed), what);
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ChaChaPoly.seal(key, iv, aad, Vectors.hex(test, "msg")),
                        what);
            } else if (Vectors.hasFlag(test, "ModifiedTag")) {
                assertThrows(InvalidCipherTextException.class, () -> ChaChaPoly.open(key, iv, aad, sealed), what);
            } else {
                fail("unexpected invalid case " + what);
            }
            refused++;
        }
        assertEquals(69, refused);
    }

    @Test
    void inputShorterThanATagAndWrongKeyLengthAreRefused() {
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        for (int length = 0; length < 16; length++) {
            byte[] shortInput = new byte[length];
            assertThrows(InvalidCipherTextException.class, () -> ChaChaPoly.open(key, nonce, new byte[0], shortInput));
        }
        assertThrows(
                IllegalArgumentException.class, () -> ChaChaPoly.seal(new byte[16], nonce, new byte[0], new byte[1]));
        assertThrows(
                IllegalArgumentException.class, () -> ChaChaPoly.open(new byte[33], nonce, new byte[0], new byte[16]));
    }
}
