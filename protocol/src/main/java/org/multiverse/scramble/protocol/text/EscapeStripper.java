package org.multiverse.scramble.protocol.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Removes everything from untrusted text (a guest's console, an agent's reply) that a terminal
 * would interpret rather than show: ANSI escape sequences (CSI {@code ESC [}, OSC {@code ESC ]}
 * such as window-title, clipboard (OSC 52) or hyperlink setters, DCS/SOS/PM/APC strings,
 * two-character and nF {@code ESC x} sequences), their C1 forms (U+0080–U+009F, which is what
 * both a raw 8-bit C1 byte read as Latin-1 and a UTF-8 encoded C1 control decode to), every
 * other C0 control but tab, DEL, and the Unicode bidirectional controls that make text display
 * differently from what it is. Such text can therefore never move the cursor, retitle the
 * window, write to the clipboard or fake a prompt.
 *
 * <p>Strings ({@code OSC}, {@code DCS}...) run to their terminator (BEL, {@code ESC \} or
 * U+009C), to the next {@code ESC}, which begins a new sequence, or to the end of their line:
 * an unterminated one is reset at the line end, so one stray {@code ESC P} in a guest's console
 * cannot hide every later line (a terminal would swallow them; a reader must see them). A CSI
 * or an {@code ESC x} sequence broken by a byte that cannot belong to it ends before that
 * byte, which is then judged on its own (so a newline or printable text after a truncated
 * sequence survives).
 *
 * <p>Newlines are controls too: {@link #strip} removes them (one-line fields: a name, a
 * message, a table cell); {@link #stripKeepingNewlines} keeps {@code \n} (drops {@code \r})
 * for multi-line text such as a console tail; {@link #lines} splits and strips. Runs in time
 * linear in the input.
 */
public final class EscapeStripper {

    private static final char ESC = 0x1b;
    private static final char BEL = 0x07;
    private static final char C1_CSI = 0x9b;
    private static final char C1_ST = 0x9c;

    private EscapeStripper() {}

    /**
     * The text with every escape sequence and control removed, newlines included; tab is kept.
     *
     * @param text untrusted text; {@code null} is treated as empty
     * @return the printable text, never {@code null}
     */
    public static String strip(String text) {
        return strip(text, false);
    }

    /**
     * Like {@link #strip} but keeps line feeds ({@code \n}); carriage returns are still removed,
     * so {@code \r\n} line ends become {@code \n}.
     *
     * @param text untrusted multi-line text; {@code null} is treated as empty
     * @return the printable text with its line feeds, never {@code null}
     */
    public static String stripKeepingNewlines(String text) {
        return strip(text, true);
    }

    /**
     * Splits multi-line text (a console tail, an fstab) on {@code \n} or {@code \r\n} and strips
     * each line; a trailing line end does not make an empty last line.
     *
     * @param text untrusted multi-line text; {@code null} is treated as empty
     * @return the stripped lines, a new mutable list (empty for empty text)
     */
    public static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String line : text.split("\r?\n", -1)) {
            out.add(strip(line));
        }
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static String strip(String text, boolean keepNewlines) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == ESC) {
                i = skipEscape(text, i + 1);
            } else if (c >= 0x80 && c <= 0x9f) {
                i = skipC1(text, c, i + 1);
            } else if (c == '\t' || (c == '\n' && keepNewlines)) {
                out.append(c);
                i++;
            } else if (c < 0x20 || c == 0x7f || isBidiControl(c)) {
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Skips what follows an ESC; returns the index after the sequence. */
    private static int skipEscape(String s, int i) {
        if (i >= s.length()) {
            return i;
        }
        char c = s.charAt(i);
        return switch (c) {
            case '[' -> skipCsi(s, i + 1);
            case ']', 'P', 'X', '^', '_' -> skipString(s, i + 1);
            default -> {
                // nF sequences: intermediates 0x20-0x2F then one final character (ESC ( B, ESC # 8, ESC c).
                int j = i;
                while (j < s.length() && s.charAt(j) >= 0x20 && s.charAt(j) <= 0x2f) {
                    j++;
                }
                // A control (a line end, another ESC) cannot be the final: it is judged on its own.
                yield j < s.length() && s.charAt(j) < 0x20 ? j : Math.min(j + 1, s.length());
            }
        };
    }

    /** A C1 control: CSI and the string introducers take their sequence with them; the rest go alone. */
    private static int skipC1(String s, char c, int i) {
        return switch (c) {
            case C1_CSI -> skipCsi(s, i);
            case 0x9d, 0x90, 0x98, 0x9e, 0x9f -> skipString(s, i); // OSC, DCS, SOS, PM, APC
            default -> i;
        };
    }

    /** CSI: parameter bytes 0x30-0x3F, intermediates 0x20-0x2F, one final byte 0x40-0x7E. */
    private static int skipCsi(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x40 && c <= 0x7e) {
                return i + 1;
            }
            if (c < 0x20 || c > 0x3f) {
                // Not a CSI byte: the sequence is broken. Resume here; the main loop drops controls.
                return i;
            }
            i++;
        }
        return n;
    }

    /**
     * OSC/DCS/SOS/PM/APC: up to BEL, ESC \ or U+009C (all removed with it), or up to a line end
     * (kept, judged by the main loop) or the end of the text.
     */
    private static int skipString(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == BEL || c == C1_ST) {
                return i + 1;
            }
            if (c == '\n' || c == '\r') {
                return i; // unterminated: reset at the end of its line
            }
            if (c == ESC) {
                return (i + 1 < n && s.charAt(i + 1) == '\\') ? i + 2 : i; // else a new escape begins
            }
            i++;
        }
        return n;
    }

    /** LRE..RLO, LRI..PDI, LRM, RLM and ALM: they reorder or disguise how text displays. */
    private static boolean isBidiControl(char c) {
        return (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200e
                || c == 0x200f
                || c == 0x061c;
    }
}
