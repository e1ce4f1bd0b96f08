package org.multiverse.scramble.suite.replay;

/**
 * An RFC 4303 (IPsec ESP) style anti-replay window over unsigned 64-bit sequence numbers.
 *
 * <p>Sequence numbers start at 1; 0 is never valid (as on the wire, where a sender's first
 * command is number 1). A number above the highest seen is accepted and moves the window;
 * a number inside the window is accepted once; a number {@value #WINDOW_SIZE} or more below
 * the highest is too old to tell and is refused.
 *
 * <p>The bitmap is circular (RFC 6479): bit {@code seq mod WINDOW_SIZE} stands for
 * {@code seq}, so moving the window clears bits instead of shifting the whole map.
 *
 * <p>Not thread-safe: callers serialise access.
 */
public final class SlidingWindow {
    /**
     * How far below the highest number a late message may still arrive: 1024 numbers. Commands
     * are rate-limited to a few per second per identity and replies correlate in flight, so
     * reordering beyond a few dozen never happens in practice; 1024 bits is 128 bytes per
     * (session, agent) pair. A power of two so the bit index is a mask.
     */
    public static final int WINDOW_SIZE = 1024;

    private static final int WORDS = WINDOW_SIZE / Long.SIZE;

    private final long[] seen = new long[WORDS];
    /** Highest accepted number (unsigned); 0 before the first. */
    private long highest;

    /** A window that has seen nothing: every number from 1 is acceptable. */
    public SlidingWindow() {}

    /**
     * A window that refuses every number up to and including {@code floor} (unsigned), as if
     * all of them had been seen: the state after a restart from a persisted high-water mark.
     *
     * @param floor the persisted high-water mark
     */
    public SlidingWindow(long floor) {
        this.highest = floor;
        if (floor != 0) {
            java.util.Arrays.fill(seen, -1L);
        }
    }

    /**
     * @param sequence an unsigned sequence number
     * @return whether {@link #accept} would accept it; the window is unchanged
     */
    public boolean check(long sequence) {
        if (sequence == 0) {
            return false;
        }
        if (Long.compareUnsigned(sequence, highest) > 0) {
            return true;
        }
        if (isBelowWindow(sequence)) {
            return false;
        }
        return !isMarked(sequence);
    }

    /**
     * Checks the number and, if acceptable, marks it seen (moving the window if it is new
     * highest).
     *
     * @param sequence an unsigned sequence number
     * @return whether it was accepted
     */
    public boolean accept(long sequence) {
        if (!check(sequence)) {
            return false;
        }
        if (Long.compareUnsigned(sequence, highest) > 0) {
            advanceTo(sequence);
        }
        mark(sequence);
        return true;
    }

    /** @return the highest accepted number (unsigned), or the floor, or 0 if none */
    public long highest() {
        return highest;
    }

    /**
     * @param sequence an unsigned sequence number not above {@link #highest()}
     * @return whether it lies {@value #WINDOW_SIZE} or more below the highest, where the window
     *     can no longer tell seen from unseen; always true for 0
     */
    public boolean isBelowWindow(long sequence) {
        if (sequence == 0) {
            return true;
        }
        if (Long.compareUnsigned(sequence, highest) > 0) {
            return false;
        }
        return Long.compareUnsigned(highest - sequence, WINDOW_SIZE) >= 0;
    }

    /** Clears the bits of the numbers between the old and the new highest. */
    private void advanceTo(long sequence) {
        long distance = sequence - highest;
        if (Long.compareUnsigned(distance, WINDOW_SIZE) >= 0) {
            java.util.Arrays.fill(seen, 0L);
        } else {
            for (long s = highest + 1; s != sequence + 1; s++) {
                clear(s);
            }
        }
        highest = sequence;
    }

    private boolean isMarked(long sequence) {
        int bit = bitIndex(sequence);
        return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    private void mark(long sequence) {
        int bit = bitIndex(sequence);
        seen[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(long sequence) {
        int bit = bitIndex(sequence);
        seen[bit >>> 6] &= ~(1L << (bit & 63));
    }

    private static int bitIndex(long sequence) {
        return (int) (sequence & (WINDOW_SIZE - 1));
    }
}
