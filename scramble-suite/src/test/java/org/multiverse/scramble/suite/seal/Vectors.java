package org.multiverse.scramble.suite.seal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Loads the published test vectors copied under {@code src/test/resources/vectors/}. */
final class Vectors {
    private Vectors() {}

    static JsonNode load(String resource) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource vectors/" + resource);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every test of a Wycheproof file, each with its group's fields merged in as "group". */
    static List<JsonNode> wycheproofTests(String file) {
        JsonNode root = load("wycheproof/" + file);
        List<JsonNode> tests = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            for (JsonNode test : group.get("tests")) {
                tests.add(test);
            }
        }
        if (tests.size() != root.get("numberOfTests").asInt()) {
            throw new IllegalStateException(file + ": numberOfTests does not match the tests found");
        }
        return tests;
    }

    static byte[] hex(JsonNode node, String field) {
        return HexFormat.of().parseHex(node.get(field).asText());
    }

    static boolean hasFlag(JsonNode test, String flag) {
        for (JsonNode f : test.get("flags")) {
            if (f.asText().equals(flag)) {
                return true;
            }
        }
        return false;
    }

    static String describe(JsonNode test) {
        return "tcId " + test.get("tcId").asInt() + " (" + test.get("comment").asText() + ", " + test.get("flags")
                + ")";
    }
}
