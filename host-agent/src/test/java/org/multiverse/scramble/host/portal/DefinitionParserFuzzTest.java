package org.multiverse.scramble.host.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.multiverse.scramble.protocol.config.TomlEntry;

/**
 * Fuzzes the portal definition a person hands to {@code portal define --definition}, a
 * template, or a file under {@code --portals} ({@code DeclaredPortals} reads each with
 * {@link DefinitionParser#parse}). For any text: a {@link DefinitionException} or a definition;
 * a definition written back with {@link PortalDefinition#toToml} parses to the same
 * definition; a template that parses makes a portal. Seeds:
 * {@code src/test/resources/.../DefinitionParserFuzzTestInputs/parsesOrRefusesAndRoundTrips/}.
 */
class DefinitionParserFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void parsesOrRefusesAndRoundTrips(byte[] input) throws DefinitionException {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            PortalDefinition d = DefinitionParser.parse("fuzz.toml", text);
            String written = d.toToml();
            assertEquals(d, DefinitionParser.parse("written.toml", written), written);
        } catch (DefinitionException e) {
            assertTrue(e.getMessage().startsWith("fuzz.toml"), e.getMessage());
        }
        Map<String, TomlEntry> template;
        try {
            template = DefinitionParser.parseTemplate("fuzz-template.toml", text);
        } catch (DefinitionException e) {
            assertTrue(e.getMessage().startsWith("fuzz-template.toml"), e.getMessage());
            return;
        }
        // What parseTemplate accepted is a portal once named (it checked so with a probe name).
        PortalDefinition made = DefinitionParser.fromTemplate("fuzz/template", template, "made.from.fuzz", Map.of());
        assertEquals(made, DefinitionParser.parse("made.toml", made.toToml()));
    }
}
