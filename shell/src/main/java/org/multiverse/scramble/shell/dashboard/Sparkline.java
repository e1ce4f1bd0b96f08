package org.multiverse.scramble.shell.dashboard;

import java.util.List;

/** A row of block characters, one per sample, scaled between the samples' minimum and maximum. */
final class Sparkline {

    /** Eight heights; a flat series is drawn at the lowest. */
    static final String BLOCKS = "▁▂▃▄▅▆▇█";

    private Sparkline() {}

    /** The last {@code width} samples drawn as blocks (non-finite samples as a space). */
    static String draw(List<Double> samples, int width) {
        if (width <= 0 || samples.isEmpty()) {
            return "";
        }
        List<Double> tail = samples.subList(Math.max(0, samples.size() - width), samples.size());
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : tail) {
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        StringBuilder out = new StringBuilder(tail.size());
        for (double v : tail) {
            if (!Double.isFinite(v)) {
                out.append(' ');
            } else if (max - min <= 0) {
                out.append(BLOCKS.charAt(0));
            } else {
                int i = (int) Math.round((v - min) / (max - min) * (BLOCKS.length() - 1));
                out.append(BLOCKS.charAt(i));
            }
        }
        return out.toString();
    }
}
