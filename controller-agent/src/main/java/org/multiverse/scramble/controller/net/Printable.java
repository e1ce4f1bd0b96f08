package org.multiverse.scramble.controller.net;

/** Makes hostile text safe to echo in an error message: control characters escaped, length capped. */
public final class Printable {
    /** Error messages quote at most this much of the offending input. */
    static final int MAX_QUOTED = 64;

    private Printable() {}

    /** Returns {@code text} with non-printable characters as \\uXXXX, cut to {@value #MAX_QUOTED} chars. */
    public static String of(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < MAX_QUOTED; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > MAX_QUOTED) {
            out.append("...");
        }
        return out.toString();
    }
}
