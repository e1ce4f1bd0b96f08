package org.multiverse.scramble.host.portal;

/**
 * Quotes untrusted text for an error message: control and non-ASCII characters become
 * {@code \\uXXXX} and long text is cut, so a hostile name cannot forge lines in a
 * person's terminal or in logs.
 */
final class Printable {

    /** Enough to recognise one's input; a 300-character name is not worth echoing whole. */
    static final int MAX_QUOTED_CHARS = 64;

    private Printable() {}

    static String quote(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(text.length(), MAX_QUOTED_CHARS);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        if (text.length() > n) {
            sb.append("... (").append(text.length()).append(" characters)");
        }
        return sb.toString();
    }
}
