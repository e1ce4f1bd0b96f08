package org.multiverse.scramble.protocol.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * What a simulated link does wrong, per frame sent, each decided by the link's seeded random
 * source. Probabilities are in [0, 1]. Change a link's faults at runtime with
 * {@link SimNetwork#setFaults}.
 *
 * @param dropRate a whole frame vanishes
 * @param duplicateRate a frame arrives twice
 * @param reorderRate a frame is held back and arrives after the next one
 * @param corruptRate one byte of the encoded frame is flipped (the decoder must resync)
 * @param cutRate only a prefix of the frame arrives, then the connection closes
 * @param stallRate the link stops delivering for {@code stallFor}
 * @param maxDelay each frame is delayed by a random time up to this (order is kept)
 * @param stallFor how long a stall lasts
 */
public record SimFaults(
        double dropRate,
        double duplicateRate,
        double reorderRate,
        double corruptRate,
        double cutRate,
        double stallRate,
        Duration maxDelay,
        Duration stallFor) {

    /** A perfect link. */
    public static final SimFaults NONE = new SimFaults(0, 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO);

    public SimFaults {
        rate("dropRate", dropRate);
        rate("duplicateRate", duplicateRate);
        rate("reorderRate", reorderRate);
        rate("corruptRate", corruptRate);
        rate("cutRate", cutRate);
        rate("stallRate", stallRate);
        nonNegative("maxDelay", maxDelay);
        nonNegative("stallFor", stallFor);
    }

    private static void rate(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + p);
        }
    }

    private static void nonNegative(String name, Duration d) {
        if (Objects.requireNonNull(d, name).isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
    }

    public SimFaults withDrop(double p) {
        return new SimFaults(p, duplicateRate, reorderRate, corruptRate, cutRate, stallRate, maxDelay, stallFor);
    }

    public SimFaults withDuplicate(double p) {
        return new SimFaults(dropRate, p, reorderRate, corruptRate, cutRate, stallRate, maxDelay, stallFor);
    }

    public SimFaults withReorder(double p) {
        return new SimFaults(dropRate, duplicateRate, p, corruptRate, cutRate, stallRate, maxDelay, stallFor);
    }

    public SimFaults withCorrupt(double p) {
        return new SimFaults(dropRate, duplicateRate, reorderRate, p, cutRate, stallRate, maxDelay, stallFor);
    }

    public SimFaults withCut(double p) {
        return new SimFaults(dropRate, duplicateRate, reorderRate, corruptRate, p, stallRate, maxDelay, stallFor);
    }

    public SimFaults withStall(double p, Duration duration) {
        return new SimFaults(dropRate, duplicateRate, reorderRate, corruptRate, cutRate, p, maxDelay, duration);
    }

    public SimFaults withDelay(Duration max) {
        return new SimFaults(dropRate, duplicateRate, reorderRate, corruptRate, cutRate, stallRate, max, stallFor);
    }
}
