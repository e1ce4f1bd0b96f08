package org.multiverse.scramble.suite.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Project Wycheproof Ed25519 verification vectors (copied with their LICENSE into
 * test resources): every "valid" case must verify, every "invalid" case must be
 * refused, without exceptions.
 */
class WycheproofEd25519Test {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyCaseGetsTheExpectedVerdict() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/vectors/wycheproof/ed25519_test.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<String> failures = new ArrayList<>();
        int valid = 0;
        int invalid = 0;
        for (JsonNode group : root.get("testGroups")) {
            byte[] pub = HEX.parseHex(group.get("publicKey").get("pk").asText());
            for (JsonNode t : group.get("tests")) {
                byte[] msg = HEX.parseHex(t.get("msg").asText());
                byte[] sig = HEX.parseHex(t.get("sig").asText());
                String result = t.get("result").asText();
                boolean verified = Ed25519.verifyRaw(pub, msg, sig);
                switch (result) {
                    case "valid" -> {
                        valid++;
                        if (!verified) {
                            failures.add("tcId " + t.get("tcId") + " valid but refused: " + t.get("comment"));
                        }
                    }
                    case "invalid" -> {
                        invalid++;
                        if (verified) {
                            failures.add("tcId " + t.get("tcId") + " invalid but accepted: " + t.get("comment"));
                        }
                    }
                    default -> failures.add("tcId " + t.get("tcId") + " has unexpected result " + result);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(root.get("numberOfTests").asInt(), valid + invalid);
        assertTrue(valid > 50 && invalid > 50, "both kinds exercised: " + valid + "/" + invalid);
    }
}
