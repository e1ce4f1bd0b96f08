package org.multiverse.scramble.host.portal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for the part of TOML that portal definitions use: comments, bare
 * {@code key = value} lines, basic ("...") and literal ('...') strings, decimal integers,
 * booleans, and one-line arrays of strings. Everything else (tables, dates, floats,
 * multi-line values, duplicate keys) is refused with the file name, the line and the
 * reason, which a person can act on better than a general parser's messages.
 */
final class TomlSubset {

    /** A definition is a few hundred bytes; 64 KiB is generous and bounds the work. */
    static final int MAX_TEXT_BYTES = 64 * 1024;
    /** One line of a definition never needs more. */
    static final int MAX_LINE_CHARS = 4096;
    /** A portal has a handful of channels; the cap keeps arrays small. */
    static final int MAX_ARRAY_ELEMENTS = 64;

    private final String source;
    private final String text;
    private int lineNo;
    private String line;
    private int pos;

    private TomlSubset(String source, String text) {
        this.source = source;
        this.text = text;
    }

    /**
     * Parses a definition text into its entries, keyed and ordered as written.
     *
     * @param source the file name used in error messages
     */
    static Map<String, TomlEntry> parse(String source, String text) throws DefinitionException {
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            throw new DefinitionException(source, 0, "definition is larger than " + MAX_TEXT_BYTES + " bytes");
        }
        return new TomlSubset(source, text).parseAll();
    }

    private Map<String, TomlEntry> parseAll() throws DefinitionException {
        Map<String, TomlEntry> entries = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            lineNo = i + 1;
            line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            pos = 0;
            if (line.length() > MAX_LINE_CHARS) {
                throw error("line is longer than " + MAX_LINE_CHARS + " characters");
            }
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                throw error("byte order mark at the start of the file (save it as plain UTF-8)");
            }
            skipSpace();
            if (atEnd() || peek() == '#') {
                continue;
            }
            if (peek() == '[') {
                throw error("tables ([...]) are not used in portal definitions; write key = value lines");
            }
            String key = key();
            skipSpace();
            if (atEnd() || peek() != '=') {
                throw error("expected '=' after key '" + key + "'");
            }
            pos++;
            skipSpace();
            if (atEnd()) {
                throw error("key '" + key + "' has no value");
            }
            Object value = value(key);
            skipSpace();
            if (!atEnd() && peek() != '#') {
                throw error("unexpected text after the value of '" + key + "': " + Printable.quote(line.substring(pos)));
            }
            TomlEntry previous = entries.get(key);
            if (previous != null) {
                throw error("key '" + key + "' is set twice (first on line " + previous.line() + ")");
            }
            entries.put(key, new TomlEntry(key, value, lineNo));
        }
        return entries;
    }

    private String key() throws DefinitionException {
        int start = pos;
        while (!atEnd() && isKeyChar(peek())) {
            pos++;
        }
        if (start == pos) {
            if (peek() == '"' || peek() == '\'') {
                throw error("quoted keys are not used in portal definitions");
            }
            throw error("expected a key (a-z, 0-9, '_'), found " + Printable.quote(line.substring(pos)));
        }
        String key = line.substring(start, pos);
        if (!atEnd() && peek() == '.') {
            throw error("dotted keys are not used in portal definitions");
        }
        return key;
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }

    private Object value(String key) throws DefinitionException {
        char c = peek();
        if (c == '"' || c == '\'') {
            return string();
        }
        if (c == '[') {
            return array(key);
        }
        int start = pos;
        while (!atEnd() && peek() != ' ' && peek() != '\t' && peek() != '#' && peek() != ',' && peek() != ']') {
            pos++;
        }
        String word = line.substring(start, pos);
        if (word.equals("true")) {
            return Boolean.TRUE;
        }
        if (word.equals("false")) {
            return Boolean.FALSE;
        }
        if (word.matches("[+-]?(0|[1-9](_?[0-9])*)")) {
            try {
                return Long.parseLong(word.replace("_", ""));
            } catch (NumberFormatException e) {
                throw error("integer " + word + " is out of range");
            }
        }
        if (word.startsWith("\"\"\"") || word.startsWith("'''")) {
            throw error("multi-line strings are not used in portal definitions");
        }
        throw error("value of '" + key + "' is not a string, integer, boolean or array: " + Printable.quote(word)
                + (word.isEmpty() ? "" : " (strings need quotes)"));
    }

    private String string() throws DefinitionException {
        char quote = line.charAt(pos++);
        if (line.startsWith(String.valueOf(quote).repeat(2), pos)) {
            throw error("multi-line strings are not used in portal definitions");
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw error("string is not closed on this line");
            }
            char c = line.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw error(String.format("control character U+%04X inside a string", (int) c));
            }
            if (c == '\\' && quote == '"') {
                if (atEnd()) {
                    throw error("string ends in a lone backslash");
                }
                char e = line.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'u' -> sb.append(unicodeEscape());
                    default -> throw error("unknown escape \\" + e + " in a string");
                }
            } else {
                sb.append(c);
            }
        }
    }

    private char unicodeEscape() throws DefinitionException {
        if (pos + 4 > line.length()) {
            throw error("\\u needs four hex digits");
        }
        String hex = line.substring(pos, pos + 4);
        if (!hex.matches("[0-9A-Fa-f]{4}")) {
            throw error("\\u needs four hex digits, found " + Printable.quote(hex));
        }
        pos += 4;
        return (char) Integer.parseInt(hex, 16);
    }

    private List<String> array(String key) throws DefinitionException {
        pos++;
        List<String> items = new ArrayList<>();
        skipSpace();
        while (true) {
            if (atEnd()) {
                throw error("array of '" + key + "' is not closed on this line (arrays must be on one line)");
            }
            if (peek() == ']') {
                pos++;
                return Collections.unmodifiableList(items);
            }
            if (peek() != '"' && peek() != '\'') {
                throw error("array of '" + key + "' may hold only strings");
            }
            items.add(string());
            if (items.size() > MAX_ARRAY_ELEMENTS) {
                throw error("array of '" + key + "' has more than " + MAX_ARRAY_ELEMENTS + " elements");
            }
            skipSpace();
            if (!atEnd() && peek() == ',') {
                pos++;
                skipSpace();
            } else if (!atEnd() && peek() != ']') {
                throw error("expected ',' or ']' in the array of '" + key + "'");
            }
        }
    }

    private void skipSpace() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= line.length();
    }

    private char peek() {
        return line.charAt(pos);
    }

    private DefinitionException error(String reason) {
        return new DefinitionException(source, lineNo, reason);
    }
}
