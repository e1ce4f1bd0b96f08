package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds one vector file in the Wycheproof layout: {@code algorithm}, {@code numberOfTests},
 * {@code header} lines, {@code notes} (one per flag), file-specific inputs, then
 * {@code testGroups}, each with its own fields and {@code tests}. Test case ids ({@code tcId})
 * are numbered from 1 across the file, in order. A flag must be declared with {@link #note}
 * before a test uses it, so every flag in a file is explained in it.
 */
final class VectorFile {

    private final ObjectNode root = VectorJson.object();
    private final ObjectNode notes = VectorJson.object();
    private final ArrayNode groups = VectorJson.array();
    private final Map<String, String> declared = new LinkedHashMap<>();
    private int tests;

    /**
     * @param algorithm what the file tests, e.g. {@code "Scramble ID text form v1"}
     * @param header what the file is, one sentence a line
     */
    VectorFile(String algorithm, List<String> header) {
        root.put("algorithm", algorithm);
        root.put("numberOfTests", 0);
        root.set("header", VectorJson.strings(header));
        root.set("notes", notes);
    }

    /** Declares a flag and what it means. */
    VectorFile note(String flag, String description) {
        if (declared.putIfAbsent(flag, description) != null) {
            throw new IllegalArgumentException("flag " + flag + " declared twice");
        }
        notes.set(flag, VectorJson.object().put("description", description));
        return this;
    }

    /** A top-level field shared by every test of the file (keys, clocks, fixtures). */
    VectorFile set(String field, JsonNode value) {
        root.set(field, value);
        return this;
    }

    /** Starts a group; {@code fields} come before its {@code tests}. */
    Group group(String type, String description, Consumer<ObjectNode> fields) {
        ObjectNode group = VectorJson.object();
        group.put("type", type);
        group.put("description", description);
        fields.accept(group);
        ArrayNode list = VectorJson.array();
        group.set("tests", list);
        groups.add(group);
        return new Group(list);
    }

    /** The finished file's text. */
    String render() {
        root.put("numberOfTests", tests);
        root.set("testGroups", groups);
        return VectorJson.render(root);
    }

    /** The tests of one group. */
    final class Group {
        private final ArrayNode list;

        private Group(ArrayNode list) {
            this.list = list;
        }

        /** A new test with its {@code tcId}, {@code comment} and {@code flags}; the caller adds the rest. */
        ObjectNode test(String comment, List<String> flags) {
            for (String flag : flags) {
                if (!declared.containsKey(flag)) {
                    throw new IllegalArgumentException("flag " + flag + " used before it was declared");
                }
            }
            ObjectNode test = VectorJson.object();
            test.put("tcId", ++tests);
            test.put("comment", comment);
            test.set("flags", VectorJson.strings(flags));
            list.add(test);
            return test;
        }
    }
}
