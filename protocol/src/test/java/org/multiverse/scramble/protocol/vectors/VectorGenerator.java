package org.multiverse.scramble.protocol.vectors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes every published vector file from the code. Run it after a deliberate protocol change,
 * review the diff, and commit the files with the change (which then also bumps the protocol
 * version; see {@code vectors/README.md}):
 *
 * <pre>
 *   ./mvnw -B -q -pl protocol -am test-compile dependency:build-classpath \
 *       -Dmdep.includeScope=test -Dmdep.outputFile=target/vectors.classpath
 *   java -cp "protocol/target/test-classes:protocol/target/classes:$(cat protocol/target/vectors.classpath)" \
 *       org.multiverse.scramble.protocol.vectors.VectorGenerator
 * </pre>
 *
 * <p>from the repository root (or run {@code main} from an IDE with the protocol module's test
 * class path; the one argument, if given, is the output directory).
 * {@code ProtocolVectorsTest} runs the same generation in memory and fails when the committed
 * files differ from what the code produces.
 */
public final class VectorGenerator {

    /** Where the files live, relative to the repository root. */
    static final Path DEFAULT_DIRECTORY = Path.of("protocol", "src", "test", "resources", "vectors");

    private VectorGenerator() {}

    /** Every file, by name, in the order the README lists them. */
    static Map<String, Supplier<String>> files() {
        Map<String, Supplier<String>> files = new LinkedHashMap<>();
        files.put(ScrambleIdVectors.FILE, ScrambleIdVectors::generate);
        files.put(CertificateVectors.FILE, CertificateVectors::generate);
        files.put(EnvelopeVectors.FILE, EnvelopeVectors::generate);
        files.put(SealedReplyVectors.FILE, SealedReplyVectors::generate);
        files.put(FrameVectors.FILE, FrameVectors::generate);
        return files;
    }

    /** Generates every file into {@code args[0]} (default: {@link #DEFAULT_DIRECTORY}). */
    public static void main(String[] args) throws IOException {
        Path directory = args.length > 0 ? Path.of(args[0]) : DEFAULT_DIRECTORY;
        Files.createDirectories(directory);
        for (Map.Entry<String, Supplier<String>> file : files().entrySet()) {
            Path target = directory.resolve(file.getKey());
            Files.writeString(target, file.getValue().get(), StandardCharsets.UTF_8);
            System.out.println("wrote " + target);
        }
    }
}
