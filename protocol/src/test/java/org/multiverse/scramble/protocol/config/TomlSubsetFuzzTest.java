package org.multiverse.scramble.protocol.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes {@link TomlSubset}, the reader under every configuration file a person or a host
 * writes (portal definitions, agent and controller configuration). For any text it returns
 * entries of the four documented value types within the documented limits, or refuses through
 * the caller's exception naming a line of the text; nothing else escapes. Without
 * {@code JAZZER_FUZZ} it replays {@code src/test/resources/.../TomlSubsetFuzzTestInputs/
 * parsesOrRefusesWithALine/}.
 */
class TomlSubsetFuzzTest {

    /** The caller's exception, as {@code DefinitionException::new} would be. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;

        Refusal(String source, int line, String reason) {
            super(source + ":" + line + ": " + reason);
            this.line = line;
        }
    }

    @FuzzTest(maxDuration = "2m")
    void parsesOrRefusesWithALine(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int lines = text.split("\n", -1).length;
        Map<String, TomlEntry> entries;
        try {
            entries = TomlSubset.parse("fuzz.toml", text, Set.of("agent", "portal"), Refusal::new);
        } catch (Refusal r) {
            assertTrue(r.line >= 0 && r.line <= lines, "line " + r.line + " of " + lines);
            assertFalse(r.getMessage().chars().anyMatch(c -> c < 0x20 && c != '\t'), r.getMessage());
            return;
        }
        assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= TomlSubset.MAX_TEXT_BYTES);
        for (Map.Entry<String, TomlEntry> e : entries.entrySet()) {
            TomlEntry entry = e.getValue();
            assertEquals(e.getKey(), entry.path());
            assertTrue(entry.key().matches("[a-z][a-z0-9_]*"), entry.key());
            assertTrue(Set.of("", "agent", "portal").contains(entry.table()));
            assertTrue(entry.line() >= 1 && entry.line() <= lines);
            Object value = entry.value();
            assertNotNull(value);
            if (value instanceof List<?> list) {
                assertTrue(list.size() <= TomlSubset.MAX_ARRAY_ELEMENTS);
                list.forEach(item -> assertInstanceOf(String.class, item));
            } else {
                assertTrue(value instanceof String || value instanceof Long || value instanceof Boolean, "" + value);
            }
        }
    }
}
