package org.multiverse.scramble.protocol.vectors;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/** Turns every test of a committed vector file into a JUnit dynamic test named by its tcId. */
final class VectorChecks {

    /** A check of one test, given the whole file (for shared fields) and the test. */
    @FunctionalInterface
    interface Check {
        void run(JsonNode file, JsonNode group, JsonNode test) throws Throwable;
    }

    private VectorChecks() {}

    static Stream<DynamicTest> each(JsonNode file, Check check) {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode group : file.get("testGroups")) {
            for (JsonNode test : group.get("tests")) {
                Executable run = () -> check.run(file, group, test);
                tests.add(dynamicTest(
                        "tcId " + test.get("tcId").asInt() + ": "
                                + test.get("comment").asText(),
                        run));
            }
        }
        return tests.stream();
    }

    static boolean valid(JsonNode test) {
        return "valid".equals(test.get("result").asText());
    }
}
