package org.multiverse.scramble.suite.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof HKDF-SHA256 vectors through Bouncy Castle's {@link HKDFBytesGenerator}, the
 * engine under its HPKE key schedule and {@code Export} (which the suite exposes no other way).
 * Valid: the output matches. Invalid (SizeTooLarge, more than 255 × 32 bytes): refused.
 */
class WycheproofHkdfSha256Test {
    private static final List<JsonNode> TESTS = Vectors.wycheproofTests("hkdf_sha256_test.json");

    @Test
    void everyValidCaseMatchesAndEveryInvalidIsRefused() {
        int valid = 0;
        int invalid = 0;
        for (JsonNode test : TESTS) {
            String what = Vectors.describe(test);
            int size = test.get("size").asInt();
            if (test.get("result").asText().equals("valid")) {
                assertArrayEquals(Vectors.hex(test, "okm"), derive(test, size), what);
                valid++;
            } else {
                assertTrue(Vectors.hasFlag(test, "SizeTooLarge"), what);
                assertTrue(size > 255 * 32, what);
                assertThrows(DataLengthException.class, () -> derive(test, size), what);
                invalid++;
            }
        }
        assertEquals(83, valid);
        assertEquals(3, invalid);
    }

    private static byte[] derive(JsonNode test, int size) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(Vectors.hex(test, "ikm"), Vectors.hex(test, "salt"), Vectors.hex(test, "info")));
        byte[] okm = new byte[size];
        hkdf.generateBytes(okm, 0, size);
        return okm;
    }
}
