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
    /**
     * A decimal number that a 32-bit float holds as typed (a node's channels are float32):
     * converted to the float, widened back to a Double, so what is signed is what is shown.
     */
    FLOAT32("X"),
    /** A time ahead of now with its unit: {@code +500us}, {@code +50ms}, {@code +2s}; converted to microseconds. */
    OFFSET("+DURATION"),
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

    /**
     * Longest {@link #OFFSET}: the RTOS bridge refuses deadlines further than 60 s ahead (a
     * command's worker waits until then), so a longer one is refused here before anything is signed.
     */
    public static final long MAX_OFFSET_MICROS = 60_000_000L;

    static final Pattern OFFSET_FORM = Pattern.compile("\\+?([0-9]{1,11})(us|µs|ms|s)");
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
            case DECIMAL -> decimal(text);
            case FLOAT32 -> float32(text);
            case OFFSET -> offsetMicros(text);
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
                    throw new IllegalArgumentException(
                            "'" + shown(text) + "' is not a time (2026-01-31T12:00:00Z or now)");
                }
            }
            case FILE, FLAG -> text;
        };
    }

    private static double decimal(String text) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + shown(text) + "' is not a number");
        }
        if (!Double.isFinite(v) || !text.matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")) {
            throw new IllegalArgumentException("'" + shown(text) + "' is not a finite decimal number");
        }
        return v;
    }

    /**
     * The float nearest the typed number, refused when it is not the number typed: printed
     * shortest ({@link Float#toString}) it must read back as the same double. So {@code 0.1}
     * passes (the float prints as 0.1) while {@code 0.123456789} (prints 0.12345679),
     * {@code 16777217} (a float's 24-bit mantissa), {@code 1e39} (overflow) and {@code 1e-50}
     * (underflow to 0) are refused instead of silently becoming another value on the node.
     */
    private static Double float32(String text) {
        double v = decimal(text);
        float f = (float) v;
        if (Float.isInfinite(f)) {
            throw new IllegalArgumentException(shown(text) + " is out of range of a 32-bit float (the node's "
                    + "channels are float32, at most ±" + Float.MAX_VALUE + ")");
        }
        if ((double) f != v && Double.parseDouble(Float.toString(f)) != v) {
            throw new IllegalArgumentException(shown(text) + " would change to " + f + " as a 32-bit float (the "
                    + "node's channels are float32); give a value a float holds, e.g. " + f);
        }
        return (double) f;
    }

    private static long offsetMicros(String text) {
        var m = OFFSET_FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + shown(text) + "' is not a time ahead with its unit " + "(+500us, +50ms, +2s)");
        }
        long n = Long.parseLong(m.group(1));
        long micros = switch (m.group(2)) {
            case "s" -> n > MAX_OFFSET_MICROS / 1_000_000 ? Long.MAX_VALUE : n * 1_000_000;
            case "ms" -> n > MAX_OFFSET_MICROS / 1_000 ? Long.MAX_VALUE : n * 1_000;
            default -> n;
        };
        if (micros == 0 || micros > MAX_OFFSET_MICROS) {
            throw new IllegalArgumentException(
                    "'" + shown(text) + "' is not 1 us to " + MAX_OFFSET_MICROS / 1_000_000 + " s ahead");
        }
        return micros;
    }

    /** At most 40 printable characters of a bad value, for an error line. */
    static String shown(String text) {
        String p = text.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 40 ? p.substring(0, 40) + "…" : p;
    }
}
