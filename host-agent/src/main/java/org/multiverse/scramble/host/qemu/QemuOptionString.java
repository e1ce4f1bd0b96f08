package org.multiverse.scramble.host.qemu;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Builds one QEMU option string ({@code type,key=value,key=value}) so that no value can
 * add an option of its own: QEMU splits on commas and reads {@code ,,} as a literal comma,
 * so every comma in a value is doubled; control characters (newlines, NUL) are refused
 * because no legitimate name or path needs them and they confuse logs and QEMU alike.
 * Keys and the leading type are fixed tokens from our own code and are checked too.
 */
public final class QemuOptionString {

    /** Keys and types QEMU uses: lower-case words with dots, dashes, underscores. */
    private static final Pattern TOKEN = Pattern.compile("[a-z][a-z0-9_.-]*");

    private final StringBuilder text = new StringBuilder();

    private QemuOptionString() {}

    /** Starts an option string with its implied first value, e.g. {@code socket} or {@code q35}. */
    public static QemuOptionString of(String type) {
        QemuOptionString s = new QemuOptionString();
        s.text.append(token(type));
        return s;
    }

    /** Starts an option string that has only {@code key=value} pairs. */
    public static QemuOptionString empty() {
        return new QemuOptionString();
    }

    /** Appends {@code key=value}, escaping the value. */
    public QemuOptionString put(String key, String value) {
        if (text.length() > 0) {
            text.append(',');
        }
        text.append(token(key)).append('=').append(escape(value));
        return this;
    }

    /** Appends {@code key=path}; the path must be absolute (a relative one is a bug upstream). */
    public QemuOptionString put(String key, Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("QEMU paths must be absolute: " + path);
        }
        return put(key, path.toString());
    }

    /** Appends {@code key=number}. */
    public QemuOptionString put(String key, long number) {
        return put(key, Long.toString(number));
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /**
     * Escapes one value for a QEMU option string.
     *
     * @throws IllegalArgumentException for an empty value or one with control characters
     */
    public static String escape(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("an empty value cannot go into a QEMU option");
        }
        StringBuilder out = new StringBuilder(value.length() + 4);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(
                        "a QEMU option value may not contain control character U+" + String.format("%04X", (int) c));
            }
            out.append(c);
            if (c == ',') {
                out.append(',');
            }
        }
        return out.toString();
    }

    private static String token(String t) {
        if (t == null || !TOKEN.matcher(t).matches()) {
            throw new IllegalArgumentException("not a QEMU option token: " + t);
        }
        return t;
    }
}
