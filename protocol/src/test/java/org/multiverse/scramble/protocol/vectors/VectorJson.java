package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/**
 * The one JSON layout of the vector files, so a regenerated file can be compared with the
 * committed one byte for byte: two-space indentation, {@code "key": value}, one array element
 * per line, {@code "\n"} line ends whatever the platform, a final newline, only ASCII, and
 * object keys in the order the generator put them. Byte strings are lower-case hex.
 */
final class VectorJson {

    /** Line end of every file: fixed, so a file generated on any platform is the same bytes. */
    private static final String NEWLINE = "\n";
    /** Wycheproof's indentation. */
    private static final String INDENT = "  ";

    /** Non-ASCII characters are written as {@code \\uXXXX}, so every file is plain ASCII. */
    static final ObjectMapper MAPPER =
            JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectWriter WRITER = MAPPER.writer(prettyPrinter());

    private VectorJson() {}

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    static ArrayNode strings(Iterable<String> values) {
        ArrayNode array = array();
        values.forEach(array::add);
        return array;
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** The bytes of a hex string field; fails on a missing field. */
    static byte[] bytes(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("missing hex field \"" + field + "\" in " + node);
        }
        return HEX.parseHex(value.asText());
    }

    /** The file text of {@code root}, exactly as committed. */
    static String render(JsonNode root) {
        try {
            return WRITER.writeValueAsString(root) + NEWLINE;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code node} as it reads back from a file: numbers take the node type the parser gives them
     * (an int, not a long or a BigInteger), so a generated node compares equal to a committed one.
     */
    static JsonNode normalize(JsonNode node) {
        return parse(render(node));
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter(INDENT, NEWLINE);
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
    }
}
