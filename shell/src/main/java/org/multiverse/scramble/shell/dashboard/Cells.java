package org.multiverse.scramble.shell.dashboard;

import org.multiverse.scramble.protocol.text.EscapeStripper;

/**
 * Fitting text into a fixed number of terminal cells. Every string that reaches the screen
 * passes through {@link #fit}, which strips terminal escapes and controls first, so nothing an
 * agent sends can move the cursor or restyle the screen, however the model got it.
 */
final class Cells {

    /** Marks text cut short; one cell wide. */
    static final char ELLIPSIS = '…';

    private Cells() {}

    /** The text stripped of escapes, tabs made spaces, cut (with an ellipsis) or padded to {@code width} cells. */
    static String fit(String text, int width) {
        if (width <= 0) {
            return "";
        }
        String s = EscapeStripper.strip(text).replace('\t', ' ');
        if (s.length() > width) {
            return width == 1 ? String.valueOf(ELLIPSIS) : s.substring(0, width - 1) + ELLIPSIS;
        }
        return s + " ".repeat(width - s.length());
    }

    /** Like {@link #fit} but without padding: the stripped text, cut to at most {@code width}. */
    static String cut(String text, int width) {
        return fit(text, width).stripTrailing();
    }

    /** 1536 → "1.5K": byte counts in five cells or fewer. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + "B";
        }
        String units = "KMGTPE";
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return (v < 10 ? String.format(java.util.Locale.ROOT, "%.1f", v) : Long.toString(Math.round(v)))
                + units.charAt(u);
    }

    /** -17_957_000 µs → "-17.96s": a clock offset in nine cells or fewer. */
    static String micros(long us) {
        long a = Math.abs(us);
        if (a < 10_000) {
            return us + "µs";
        }
        if (a < 10_000_000) {
            return String.format(java.util.Locale.ROOT, "%.2fms", us / 1000.0);
        }
        return String.format(java.util.Locale.ROOT, "%.2fs", us / 1_000_000.0);
    }

    /** 3_725_000 ms → "1h02m": durations in six cells or fewer. */
    static String duration(long millis) {
        long s = Math.max(0, millis) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(java.util.Locale.ROOT, "%02d", s % 60) + "s";
        }
        if (s < 86_400) {
            return (s / 3600) + "h" + String.format(java.util.Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
        }
        return (s / 86_400) + "d" + String.format(java.util.Locale.ROOT, "%02d", (s % 86_400) / 3600) + "h";
    }
}
