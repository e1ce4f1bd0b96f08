package org.multiverse.scramble.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The published test vectors ({@code src/test/resources/vectors/}, see its README.md) are the
 * protocol's contract, checked two ways.
 *
 * <ol>
 *   <li>The code still writes them: every file is generated again in memory and must equal the
 *       committed one byte for byte. A difference is a protocol change: regenerate with
 *       {@link VectorGenerator}, review the diff, and bump the protocol version.</li>
 *   <li>The files alone are enough: every vector is read back from the committed JSON and the
 *       product's real classes reproduce or accept each valid one and refuse each invalid one
 *       with exactly the listed reason.</li>
 * </ol>
 */
class ProtocolVectorsTest {

    private static final Set<String> RESULTS = Set.of("valid", "invalid");

    @TestFactory
    Stream<DynamicTest> committedFilesAreWhatTheCodeWrites() {
        return VectorGenerator.files().entrySet().stream()
                .map(file -> dynamicTest(file.getKey(), () -> {
                    String difference = CommittedVectors.firstDifference(
                            CommittedVectors.text(file.getKey()),
                            file.getValue().get());
                    assertNull(
                            difference,
                            () -> file.getKey() + " is not what the code writes (" + difference + "). If the "
                                    + "protocol changed on purpose, regenerate the files with VectorGenerator and bump the protocol version.");
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyFileHasTheWycheproofLayout() {
        return VectorGenerator.files().keySet().stream()
                .map(name -> dynamicTest(name, () -> {
                    JsonNode file = CommittedVectors.json(name);
                    int count = 0;
                    Set<String> flags = new HashSet<>();
                    file.get("notes").fieldNames().forEachRemaining(flags::add);
                    for (JsonNode group : file.get("testGroups")) {
                        for (JsonNode test : group.get("tests")) {
                            count++;
                            assertEquals(count, test.get("tcId").asInt(), "tcIds count from 1 in order");
                            assertTrue(RESULTS.contains(test.get("result").asText()), "result of tcId " + count);
                            for (JsonNode flag : test.get("flags")) {
                                assertTrue(
                                        flags.contains(flag.asText()),
                                        "flag " + flag + " of tcId " + count + " has a note");
                            }
                        }
                    }
                    assertEquals(count, file.get("numberOfTests").asInt(), "numberOfTests");
                }));
    }

    @TestFactory
    Stream<DynamicTest> readmeListsEveryFileWithItsNumberOfTests() {
        String readme = CommittedVectors.text("README.md");
        return VectorGenerator.files().keySet().stream()
                .map(name -> dynamicTest(name, () -> {
                    Matcher row = Pattern.compile(
                                    "^\\| `" + Pattern.quote(name) + "` \\|.*\\| *(\\d+) \\|$", Pattern.MULTILINE)
                            .matcher(readme);
                    assertTrue(row.find(), "README.md's table has no row for " + name);
                    assertEquals(
                            CommittedVectors.json(name).get("numberOfTests").asInt(),
                            Integer.parseInt(row.group(1)),
                            "README.md's count of tests in " + name);
                }));
    }

    @TestFactory
    Stream<DynamicTest> scrambleIds() {
        return ScrambleIdChecks.tests(CommittedVectors.json(ScrambleIdVectors.FILE));
    }

    @TestFactory
    Stream<DynamicTest> sessionCertificates() {
        return CertificateChecks.tests(CommittedVectors.json(CertificateVectors.FILE));
    }

    @TestFactory
    Stream<DynamicTest> envelopes() {
        return EnvelopeChecks.tests(CommittedVectors.json(EnvelopeVectors.FILE));
    }

    @TestFactory
    Stream<DynamicTest> sealedReplies() {
        return SealedReplyChecks.tests(CommittedVectors.json(SealedReplyVectors.FILE));
    }

    @TestFactory
    Stream<DynamicTest> frames() {
        return FrameChecks.tests(CommittedVectors.json(FrameVectors.FILE));
    }
}
