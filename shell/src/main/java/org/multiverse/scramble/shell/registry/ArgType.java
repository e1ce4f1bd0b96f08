package org.multiverse.scramble.shell.registry;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The type of one argument: how its text is checked and converted before anything is signed.
 * Every check is local and cheap; the agent validates again.
 */
public enum ArgType {
    /** A name: letters, digits, '.', '_', '-', starting with a letter or digit, at most 64. */
    NAME("NAME"),
    /** A template path of names separated by '/': {@code application/browser/firefox}. */
    TEMPLATE_PATH("PATH"),
    /** An absolute host path (canonicalised and checked against the policy's roots by the agent). */
    HOST_PATH("PATH"),
    /** Free text, at most {@link #MAX_TEXT} characters. */
    TEXT("TEXT"),
    /** A whole number from 0 to 2^32-1. */
    UINT("N"),
    /** A finite decimal number. */
    DECIMAL("X"),
    /** A switch with no value. */
    FLAG(""),
    /** {@code KEY=VALUE}, repeatable. */
    KEY_VALUE("KEY=VALUE"),
    /** A local file whose text is sent (at most {@link #MAX_FILE_BYTES}). */
    FILE("FILE"),
    /** An instant, ISO-8601 ({@code 2026-01-31T12:00:00Z}) or {@code now}. */
    INSTANT("TIME");

    /** Longest free-text argument: the agent's command limit is 32 KiB for everything together. */
    public static final int MAX_TEXT = 1024;
    /** Largest file argument (a portal definition is a short TOML file). */
    public static final int MAX_FILE_BYTES = 16 * 1024;

    static final Pattern NAME_FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern TEMPLATE_FORM = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}(/[a-z0-9][a-z0-9._-]{0,63}){0,7}");

    private final String placeholder;

    ArgType(String placeholder) {
        this.placeholder = placeholder;
    }

    /** How the value is written in usage lines. */
    public String placeholder() {
        return placeholder;
    }

    /**
     * Checks and converts one value.
     *
     * @return a String, Long, Double, Instant (for the types that convert)
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    public Object convert(String text) {
        return switch (this) {
            case NAME -> {
                if (!NAME_FORM.matcher(text).matches()) {
                    throw new IllegalArgumentException("'" + shown(text) + "' is not a name (letters, digits, '.', "
                            + "'_', '-', starting with a letter or digit, at most 64)");
                }
                yield text;
            }
            case TEMPLATE_PATH -> {
                if (!TEMPLATE_FORM.matcher(text).matches()) {
                    throw new IllegalArgumentException("'" + shown(text) + "' is not a template path "
                            + "(lower-case names separated by '/', e.g. application/browser/firefox)");
                }
                yield text;
            }
            case HOST_PATH -> {
                if (!text.startsWith("/") || text.length() > 4095 || text.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("'" + shown(text) + "' is not an absolute path");
                }
                yield text;
            }
            case TEXT -> {
                if (text.length() > MAX_TEXT) {
                    throw new IllegalArgumentException("text of " + text.length() + " characters; at most " + MAX_TEXT);
                }
                yield text;
            }
            case UINT -> {
                if (!text.matches("\\d{1,10}")) {
                    throw new IllegalArgumentException("'" + shown(text) + "' is not a whole number");
                }
                long v = Long.parseLong(text);
                if (v > 0xFFFF_FFFFL) {
                    throw new IllegalArgumentException(text + " is too large (at most 4294967295)");
                }
                yield v;
            }
            case DECIMAL -> {
                double v;
                try {
                    v = Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + shown(text) + "' is not a number");
                }
                if (!Double.isFinite(v) || !text.matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")) {
                    throw new IllegalArgumentException("'" + shown(text) + "' is not a finite decimal number");
                }
                yield v;
            }
            case KEY_VALUE -> {
                int eq = text.indexOf('=');
                if (eq <= 0 || !NAME_FORM.matcher(text.substring(0, eq)).matches() || text.length() > MAX_TEXT) {
                    throw new IllegalArgumentException("'" + shown(text) + "' is not KEY=VALUE");
                }
                yield text;
            }
            case INSTANT -> {
                if (text.equals("now")) {
                    yield "now";
                }
                try {
                    yield Instant.parse(text);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("'" + shown(text) + "' is not a time (2026-01-31T12:00:00Z or now)");
                }
            }
            case FILE, FLAG -> text;
        };
    }

    /** At most 40 printable characters of a bad value, for an error line. */
    static String shown(String text) {
        String p = text.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 40 ? p.substring(0, 40) + "…" : p;
    }
}
