package org.multiverse.scramble.host.portal;

/**
 * Removes terminal escape sequences and control characters from console output, so a
 * guest's console cannot move a person's cursor, retitle their terminal or hide text
 * when the tail is shown. Keeps printable text, newlines and tabs; drops carriage
 * returns, CSI ({@code ESC [ ...}), OSC ({@code ESC ] ... BEL/ST}), DCS/SOS/PM/APC
 * strings, other {@code ESC} sequences and C1 controls.
 */
public final class EscapeStripper {

    private static final char ESC = 0x1b;
    private static final char BEL = 0x07;
    private static final char C1_CSI = 0x9b;

    private EscapeStripper() {
    }

    /** The text without escape sequences and control characters (but newline and tab). */
    public static String strip(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ESC) {
                i = skipEscape(text, i + 1);
            } else if (c == C1_CSI) {
                i = skipCsi(text, i + 1);
            } else if (c == '\n' || c == '\t') {
                out.append(c);
                i++;
            } else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** {@code i} is just after ESC; returns the index after the whole sequence. */
    private static int skipEscape(String s, int i) {
        if (i >= s.length()) {
            return i;
        }
        char c = s.charAt(i);
        switch (c) {
            case '[':
                return skipCsi(s, i + 1);
            case ']':
            case 'P':
            case 'X':
            case '^':
            case '_':
                return skipString(s, i + 1);
            default:
                // nF sequences: intermediates 0x20-0x2F, then one final byte.
                while (i < s.length() && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x2f) {
                    i++;
                }
                return Math.min(s.length(), i + 1);
        }
    }

    /** Parameters 0x30-0x3F, intermediates 0x20-0x2F, one final byte 0x40-0x7E. */
    private static int skipCsi(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c >= 0x40 && c <= 0x7e) {
                return i;
            }
            if (c < 0x20 || c > 0x3f) {
                // Not a CSI byte: the sequence is broken; drop it up to here.
                return c == '\n' ? i - 1 : i;
            }
        }
        return i;
    }

    /** A control string ends with BEL or ST (ESC \); an unterminated one runs to the end. */
    private static int skipString(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == BEL) {
                return i;
            }
            if (c == ESC && i < s.length() && s.charAt(i) == '\\') {
                return i + 1;
            }
        }
        return i;
    }
}
