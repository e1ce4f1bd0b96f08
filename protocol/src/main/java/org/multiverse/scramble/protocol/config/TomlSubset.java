package org.multiverse.scramble.protocol.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.multiverse.scramble.protocol.text.EscapeStripper;

/**
 * A strict reader for the part of TOML that the project's configuration files use: comments,
 * bare {@code key = value} lines, basic ("...") and literal ('...') strings, decimal integers,
 * booleans, one-line arrays of strings and, where the caller names them, one-level
 * {@code [table]} headers. Everything else (dotted or quoted keys, floats, dates, multi-line
 * values, unknown tables, a key or table given twice) is refused with the file name, the line
 * and the reason, which a person can act on better than a general parser's messages: a file
 * that is half understood is worse than none.
 *
 * <p>What the keys mean is the caller's business; it checks them on top of what this returns.
 */
public final class TomlSubset {

    /** A configuration file is a few hundred bytes; 64 KiB is generous and bounds the work. */
    public static final int MAX_TEXT_BYTES = 64 * 1024;
    /** One line of a configuration never needs more (a trust list of dozens of IDs fits). */
    public static final int MAX_LINE_CHARS = 4096;
    /** Arrays list a handful of channels or IDs; the cap keeps them small. */
    public static final int MAX_ARRAY_ELEMENTS = 64;
    /** Enough of a bad value to recognise it; a 4 KiB line is not worth echoing whole. */
    static final int MAX_QUOTED_CHARS = 64;

    /**
     * Makes the caller's exception for a refused file, so that each caller keeps its own error
     * type (a constructor reference such as {@code DefinitionException::new} fits).
     *
     * @param <E> the caller's exception
     */
    @FunctionalInterface
    public interface Refusal<E extends Exception> {
        /**
         * @param source the file name given to the reader
         * @param line   1-based line, or 0 when the problem is the whole file
         * @param reason what is wrong, for a person
         */
        E refuse(String source, int line, String reason);
    }

    private final Set<String> tables;
    private int lineNo;
    private String line;
    private int pos;

    private TomlSubset(Set<String> tables) {
        this.tables = Set.copyOf(tables);
    }

    /**
     * Reads a flat file: {@code key = value} lines, no tables.
     *
     * @param source the file name used in error messages
     * @return the entries keyed by {@link TomlEntry#path()}, in file order
     * @throws E naming {@code source}, the line and the reason
     */
    public static <E extends Exception> Map<String, TomlEntry> parse(String source, String text, Refusal<E> refusal)
            throws E {
        return parse(source, text, Set.of(), refusal);
    }

    /**
     * Reads a file whose keys may stand under the {@code [table]} headers named in
     * {@code tables} (each at most once); keys above the first header have table {@code ""}.
     *
     * @param tables the table names allowed; empty refuses every header
     * @return the entries keyed by {@link TomlEntry#path()}, in file order
     * @throws E naming {@code source}, the line and the reason
     */
    public static <E extends Exception> Map<String, TomlEntry> parse(
            String source, String text, Set<String> tables, Refusal<E> refusal) throws E {
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            throw refusal.refuse(source, 0, "larger than " + MAX_TEXT_BYTES + " bytes");
        }
        try {
            return new TomlSubset(tables).parseAll(text);
        } catch (Refused r) {
            throw refusal.refuse(source, r.line, r.reason);
        }
    }

    /**
     * Reads {@code file} as {@link #parse(String, String, Set, Refusal)} does, reading at most
     * {@link #MAX_TEXT_BYTES} + 1 bytes of it, so that a huge file is refused without being read.
     *
     * @throws NoSuchFileException if there is no such file (for callers to whom that means "empty")
     * @throws E                   if it cannot be read, is not UTF-8, or is refused
     */
    public static <E extends Exception> Map<String, TomlEntry> read(Path file, Set<String> tables, Refusal<E> refusal)
            throws NoSuchFileException, E {
        String source = file.toString();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_TEXT_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw refusal.refuse(source, 0, "cannot read: " + e.getMessage());
        }
        if (bytes.length > MAX_TEXT_BYTES) {
            throw refusal.refuse(source, 0, "larger than " + MAX_TEXT_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw refusal.refuse(source, 0, "not UTF-8 text");
        }
        return parse(source, text, tables, refusal);
    }

    /** A refusal inside the parser, turned into the caller's exception at the edge. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;
        final String reason;

        Refused(int line, String reason) {
            super(reason, null, false, false);
            this.line = line;
            this.reason = reason;
        }
    }

    private Map<String, TomlEntry> parseAll(String text) throws Refused {
        Map<String, TomlEntry> entries = new LinkedHashMap<>();
        Map<String, Integer> tableLines = new HashMap<>();
        String table = "";
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
                table = tableHeader();
                Integer first = tableLines.putIfAbsent(table, lineNo);
                if (first != null) {
                    throw error("table [" + table + "] appears twice (first on line " + first + ")");
                }
                continue;
            }
            TomlEntry entry = entry(table);
            TomlEntry previous = entries.putIfAbsent(entry.path(), entry);
            if (previous != null) {
                throw error("key '" + entry.path() + "' is set twice (first on line " + previous.line() + ")");
            }
        }
        return entries;
    }

    private String tableHeader() throws Refused {
        if (tables.isEmpty()) {
            throw error("tables ([...]) are not used in this file; write key = value lines");
        }
        pos++;
        if (!atEnd() && peek() == '[') {
            throw error("arrays of tables ([[...]]) are not used in this file");
        }
        String name = bareName("table name");
        if (atEnd() || peek() != ']') {
            throw error("expected ']' after [" + name);
        }
        pos++;
        endOfLine("[" + name + "]");
        if (!tables.contains(name)) {
            throw error("unknown table [" + name + "]; only [" + String.join("], [", new TreeSet<>(tables)) + "] "
                    + (tables.size() == 1 ? "exists" : "exist") + " here");
        }
        return name;
    }

    private TomlEntry entry(String table) throws Refused {
        String key = bareName("key");
        String path = table.isEmpty() ? key : table + "." + key;
        skipSpace();
        if (atEnd() || peek() != '=') {
            throw error("expected '=' after key '" + key + "'");
        }
        pos++;
        skipSpace();
        if (atEnd()) {
            throw error("key '" + path + "' has no value");
        }
        Object value = value(path);
        endOfLine("the value of '" + path + "'");
        return new TomlEntry(table, key, value, lineNo);
    }

    /** A key or table name: a lower-case letter, then lower-case letters, digits and '_'. */
    private String bareName(String what) throws Refused {
        int start = pos;
        if (!atEnd() && peek() >= 'a' && peek() <= 'z') {
            pos++;
            while (!atEnd() && isNameChar(peek())) {
                pos++;
            }
        }
        if (start == pos) {
            if (!atEnd() && (peek() == '"' || peek() == '\'')) {
                throw error("quoted " + what + "s are not used in this file");
            }
            throw error("expected a " + what + " (a-z, then a-z, 0-9, '_'), found " + quote(line.substring(pos)));
        }
        if (!atEnd() && peek() == '.') {
            throw error("dotted " + what + "s are not used in this file");
        }
        return line.substring(start, pos);
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }

    private void endOfLine(String after) throws Refused {
        skipSpace();
        if (!atEnd() && peek() != '#') {
            throw error("unexpected text after " + after + ": " + quote(line.substring(pos)));
        }
    }

    private Object value(String path) throws Refused {
        char c = peek();
        if (c == '"' || c == '\'') {
            return string();
        }
        if (c == '[') {
            return array(path);
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
        throw error("value of '" + path + "' is not a string, integer, boolean or array: " + quote(word)
                + (word.isEmpty() ? "" : " (strings need quotes)"));
    }

    private String string() throws Refused {
        char quote = line.charAt(pos++);
        if (line.startsWith(String.valueOf(quote).repeat(2), pos)) {
            throw error("multi-line strings are not used in this file");
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
                sb.append(escape());
            } else {
                sb.append(c);
            }
        }
    }

    private char escape() throws Refused {
        if (atEnd()) {
            throw error("string ends in a lone backslash");
        }
        char e = line.charAt(pos++);
        return switch (e) {
            case '"' -> '"';
            case '\\' -> '\\';
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'u' -> unicodeEscape();
            default -> throw error("unknown escape \\" + printable(e) + " in a string");
        };
    }

    private char unicodeEscape() throws Refused {
        if (pos + 4 > line.length()) {
            throw error("\\u needs four hex digits");
        }
        String hex = line.substring(pos, pos + 4);
        if (!hex.matches("[0-9A-Fa-f]{4}")) {
            throw error("\\u needs four hex digits, found " + quote(hex));
        }
        pos += 4;
        return (char) Integer.parseInt(hex, 16);
    }

    private List<String> array(String path) throws Refused {
        pos++;
        List<String> items = new ArrayList<>();
        skipSpace();
        while (true) {
            if (atEnd()) {
                throw error("array of '" + path + "' is not closed on this line (arrays must be on one line)");
            }
            if (peek() == ']') {
                pos++;
                return Collections.unmodifiableList(items);
            }
            if (peek() != '"' && peek() != '\'') {
                throw error("array of '" + path + "' may hold only strings");
            }
            items.add(string());
            if (items.size() > MAX_ARRAY_ELEMENTS) {
                throw error("array of '" + path + "' has more than " + MAX_ARRAY_ELEMENTS + " elements");
            }
            skipSpace();
            if (!atEnd() && peek() == ',') {
                pos++;
                skipSpace();
            } else if (!atEnd() && peek() != ']') {
                throw error("expected ',' or ']' in the array of '" + path + "'");
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

    /** One character of file text in a message: itself if a terminal shows it as text, else its code. */
    private static String printable(char c) {
        String s = String.valueOf(c);
        return EscapeStripper.strip(s).equals(s) ? s : String.format("U+%04X", (int) c);
    }

    /** File text in a message: without terminal controls, so it cannot forge lines, and bounded. */
    private static String quote(String text) {
        String shown = EscapeStripper.strip(text);
        return "\"" + (shown.length() > MAX_QUOTED_CHARS ? shown.substring(0, MAX_QUOTED_CHARS) + "..." : shown) + "\"";
    }

    private Refused error(String reason) {
        return new Refused(lineNo, reason);
    }
}
