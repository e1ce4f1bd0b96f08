package org.multiverse.scramble.rtos.time;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Offset and drift of a node's clock against the bridge's, from NTP-style exchanges.
 *
 * <p>Each {@link #addRound} takes the exchanges of one sync round and keeps only the one
 * with the smallest delay (queueing on the line only ever adds delay, so the fastest
 * exchange has the least asymmetric error: NTP's clock filter). The best points of up to
 * {@link #HISTORY} rounds are fitted with a least-squares line, offset against bridge
 * time: its slope is the drift. Drift is reported only once the points span
 * {@link #MIN_DRIFT_SPAN_MICROS}, because over a shorter base the delay noise dominates;
 * from then on the offset is read off the fitted line too, which averages the asymmetric
 * delay error of the individual exchanges.
 *
 * <p>Not thread-safe; one per node link, used under its lock.
 */
public final class ClockSync {

    /** Rounds remembered: 32 rounds at the link's sync interval cover minutes of drift. */
    public static final int HISTORY = 32;

    /** One second: 50 µs of delay noise over 1 s is a 50 ppm error, the size of a drift. */
    public static final long MIN_DRIFT_SPAN_MICROS = 1_000_000;

    private final Deque<SyncSample> best = new ArrayDeque<>();

    /**
     * Adds one round of exchanges.
     *
     * @return the round's estimate
     * @throws IllegalArgumentException if no exchange in the round is plausible
     */
    public Estimate addRound(List<SyncSample> round) {
        SyncSample pick = round.stream()
                .filter(SyncSample::plausible)
                .min(Comparator.comparingLong(SyncSample::delay))
                .orElseThrow(() -> new IllegalArgumentException("no plausible exchange in the round"));
        best.addLast(pick);
        while (best.size() > HISTORY) {
            best.removeFirst();
        }
        return estimate(pick);
    }

    /** Forgets the history, as when the node was replaced or rebooted. */
    public void reset() {
        best.clear();
    }

    private Estimate estimate(SyncSample latest) {
        List<SyncSample> points = new ArrayList<>(best);
        double span =
                points.get(points.size() - 1).bridgeMidpoint() - points.get(0).bridgeMidpoint();
        double slope = 0;
        double offset = latest.offset();
        if (points.size() >= 2 && span >= MIN_DRIFT_SPAN_MICROS) {
            double x0 = points.get(0).bridgeMidpoint();
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            for (SyncSample s : points) {
                double x = s.bridgeMidpoint() - x0;
                double y = s.offset();
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
            }
            int n = points.size();
            double denominator = n * sxx - sx * sx;
            if (denominator != 0) {
                slope = (n * sxy - sx * sy) / denominator;
                // The line's value now averages the asymmetry error of every round's best exchange.
                double intercept = (sy - slope * sx) / n;
                offset = intercept + slope * (latest.bridgeMidpoint() - x0);
            }
        }
        return new Estimate(Math.round(offset), slope * 1e6, latest.delay(), Math.round(latest.bridgeMidpoint()));
    }

    /**
     * One estimate.
     *
     * @param offsetMicros node clock minus bridge clock at {@code atBridgeMicros}
     * @param driftPpm how many microseconds per second the node's clock gains (negative: loses)
     * @param roundTripMicros the delay of the exchange used
     * @param atBridgeMicros the bridge time the offset belongs to
     */
    public record Estimate(long offsetMicros, double driftPpm, long roundTripMicros, long atBridgeMicros) {

        /** The node time matching a bridge time, by this estimate. */
        public long nodeTimeAt(long bridgeMicros) {
            double elapsed = bridgeMicros - atBridgeMicros;
            return bridgeMicros + offsetMicros + Math.round(elapsed * driftPpm / 1e6);
        }
    }
}
