package org.multiverse.scramble.shell.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words the way a POSIX shell does for the simple cases:
 * whitespace separates, {@code '...'} is literal, {@code "..."} allows {@code \"} and
 * {@code \\}, a backslash outside quotes escapes the next character, and an unquoted
 * {@code #} at the start of a word begins a comment. {@code ${NAME}} outside single quotes is
 * replaced by the variable's value <em>as part of the word</em>: a value is never split into
 * words or read as quotes or options, so an environment variable cannot add arguments.
 */
public final class Tokenizer {

    /** Longest line accepted: a command's arguments fit in far less (the agent takes 32 KiB). */
    public static final int MAX_LINE = 64 * 1024;
    /** Most words on a line. */
    public static final int MAX_TOKENS = 256;

    private Tokenizer() {}

    /** Looks up a variable for {@code ${NAME}}; null when it is not set. */
    @FunctionalInterface
    public interface Variables {
        String get(String name);
    }

    private static final Variables NONE = name -> null;

    /** Tokenizes without variables: any {@code ${NAME}} is an error. */
    public static List<Token> tokenize(String line) throws ParseException {
        return tokenize(line, NONE);
    }

    public static List<Token> tokenize(String line, Variables vars) throws ParseException {
        if (line.length() > MAX_LINE) {
            throw new ParseException("line of " + line.length() + " characters; at most " + MAX_LINE, MAX_LINE);
        }
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && isSpace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            int start = i;
            if (line.charAt(i) == '#') {
                return out;
            }
            StringBuilder word = new StringBuilder();
            while (i < n && !isSpace(line.charAt(i))) {
                char c = line.charAt(i);
                if (c == '\'') {
                    int close = line.indexOf('\'', i + 1);
                    if (close < 0) {
                        throw new ParseException("unterminated ' quote", i);
                    }
                    word.append(line, i + 1, close);
                    i = close + 1;
                } else if (c == '"') {
                    int j = i + 1;
                    while (j < n && line.charAt(j) != '"') {
                        char d = line.charAt(j);
                        if (d == '\\'
                                && j + 1 < n
                                && (line.charAt(j + 1) == '"'
                                        || line.charAt(j + 1) == '\\'
                                        || line.charAt(j + 1) == '$')) {
                            word.append(line.charAt(j + 1));
                            j += 2;
                        } else if (d == '$' && j + 1 < n && line.charAt(j + 1) == '{') {
                            j = expand(line, j, vars, word);
                        } else {
                            word.append(d);
                            j++;
                        }
                    }
                    if (j >= n) {
                        throw new ParseException("unterminated \" quote", i);
                    }
                    i = j + 1;
                } else if (c == '$' && i + 1 < n && line.charAt(i + 1) == '{') {
                    i = expand(line, i, vars, word);
                } else if (c == '\\') {
                    if (i + 1 >= n) {
                        throw new ParseException("a backslash at the end of the line escapes nothing", i);
                    }
                    word.append(line.charAt(i + 1));
                    i += 2;
                } else {
                    word.append(c);
                    i++;
                }
            }
            if (out.size() == MAX_TOKENS) {
                throw new ParseException("more than " + MAX_TOKENS + " words on one line", start);
            }
            out.add(new Token(word.toString(), start, i));
        }
    }

    /** Longest variable name accepted in {@code ${NAME}}. */
    static final int MAX_VARIABLE_NAME = 128;

    /** Appends the value of {@code ${NAME}} starting at {@code at}; returns the index after the '}'. */
    private static int expand(String line, int at, Variables vars, StringBuilder word) throws ParseException {
        int close = line.indexOf('}', at + 2);
        if (close < 0) {
            throw new ParseException("unterminated ${ (expected ${NAME})", at);
        }
        String name = line.substring(at + 2, close);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0," + (MAX_VARIABLE_NAME - 1) + "}")) {
            throw new ParseException("${" + LineParser.printable(name) + "}: not a variable name", at);
        }
        String value = vars.get(name);
        if (value == null) {
            throw new ParseException("${" + name + "} is not set", at);
        }
        word.append(value);
        return close + 1;
    }

    /**
     * Splits a line at unquoted {@code ;} into separate commands (quotes and backslashes as in
     * {@link #tokenize}); a comment ends the line. A broken quote leaves the rest of the line as
     * one piece, whose tokenizing then names the error.
     */
    public static List<String> splitCommands(String line) {
        List<String> out = new ArrayList<>();
        int n = line.length();
        int from = 0;
        int i = 0;
        boolean wordStart = true;
        while (i < n) {
            char c = line.charAt(i);
            if (c == '\'') {
                int close = line.indexOf('\'', i + 1);
                // Unterminated: the rest is one piece, and tokenizing it reports the error.
                i = close < 0 ? n : close + 1;
                wordStart = false;
            } else if (c == '"') {
                int j = i + 1;
                while (j < n && line.charAt(j) != '"') {
                    j += line.charAt(j) == '\\' && j + 1 < n ? 2 : 1;
                }
                i = Math.min(j + 1, n);
                wordStart = false;
            } else if (c == '\\') {
                i += 2;
                wordStart = false;
            } else if (c == '#' && wordStart) {
                n = i;
            } else if (c == ';') {
                out.add(line.substring(from, i));
                from = i + 1;
                i++;
                wordStart = true;
            } else {
                wordStart = isSpace(c);
                i++;
            }
        }
        out.add(line.substring(from, Math.min(n, line.length())));
        return out.stream().filter(s -> !s.isBlank()).toList();
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
