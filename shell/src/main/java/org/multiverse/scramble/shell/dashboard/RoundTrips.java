package org.multiverse.scramble.shell.dashboard;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.OptionalLong;

/** The last round-trip times of one agent link: the latest and the median of a sliding window. */
final class RoundTrips {

    /** Samples kept: at the slow poll a window of about five minutes, enough to smooth one slow reply. */
    static final int WINDOW = 64;

    private final Deque<Long> samples = new ArrayDeque<>();

    void add(long millis) {
        if (millis < 0) {
            return;
        }
        if (samples.size() == WINDOW) {
            samples.removeFirst();
        }
        samples.addLast(millis);
    }

    OptionalLong last() {
        return samples.isEmpty() ? OptionalLong.empty() : OptionalLong.of(samples.peekLast());
    }

    /** The median (the lower middle of an even count). */
    OptionalLong p50() {
        if (samples.isEmpty()) {
            return OptionalLong.empty();
        }
        long[] sorted = samples.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return OptionalLong.of(sorted[(sorted.length - 1) / 2]);
    }
}
