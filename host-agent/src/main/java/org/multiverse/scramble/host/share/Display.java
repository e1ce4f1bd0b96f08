package org.multiverse.scramble.host.share;

/**
 * Quotes untrusted text for error messages. Requests are hostile input: a host path may carry
 * a newline or an escape sequence meant for a terminal or the audit log, so every such value
 * is shown quoted, with control characters escaped and its length bounded.
 */
final class Display {

    /** Long enough to recognise a path, short enough that a 1 MiB name cannot flood a reply. */
    static final int MAX_SHOWN_CHARS = 120;

    private Display() {}

    /** {@code value} in double quotes, control characters as {@code \\uXXXX}, cut to a bound. */
    static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_SHOWN_CHARS) + 16);
        out.append('"');
        int shown = Math.min(value.length(), MAX_SHOWN_CHARS);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isISOControl(c)
                    || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
        if (value.length() > shown) {
            out.append("... (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }
}
