package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The committed vector files, read from the test class path ({@code /vectors/...}). */
final class CommittedVectors {

    private CommittedVectors() {}

    /** The file's exact text. */
    static String text(String file) {
        try (InputStream in = CommittedVectors.class.getResourceAsStream("/vectors/" + file)) {
            if (in == null) {
                throw new IllegalStateException("vectors/" + file + " is not committed: run VectorGenerator");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String file) {
        return VectorJson.parse(text(file));
    }

    /**
     * Where two texts first differ, as "line N" with both lines, or null if they are equal. A whole
     * vector file in an assertion message would drown the one line that matters.
     */
    static String firstDifference(String committed, String generated) {
        if (committed.equals(generated)) {
            return null;
        }
        String[] a = committed.split("\n", -1);
        String[] b = generated.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "<end of file>";
            String y = i < b.length ? b[i] : "<end of file>";
            if (!x.equals(y)) {
                return "line " + (i + 1) + "\n  committed: " + x.strip() + "\n  generated: " + y.strip();
            }
        }
        return "the files differ in line endings";
    }
}
