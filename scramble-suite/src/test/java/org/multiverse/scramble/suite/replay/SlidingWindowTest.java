package org.multiverse.scramble.suite.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {
    private static final int W = SlidingWindow.WINDOW_SIZE;

    @Test
    void zeroIsNeverValidAndTheFirstNumberIsAccepted() {
        SlidingWindow window = new SlidingWindow();
        assertEquals(0, window.highest());
        assertFalse(window.check(0));
        assertFalse(window.accept(0));
        assertTrue(window.isBelowWindow(0));
        assertTrue(window.check(1));
        assertTrue(window.accept(1));
        assertEquals(1, window.highest());
        assertFalse(window.accept(1));
    }

    @Test
    void checkDoesNotChangeState() {
        SlidingWindow window = new SlidingWindow();
        assertTrue(window.check(5));
        assertTrue(window.check(5));
        assertEquals(0, window.highest());
        assertTrue(window.accept(5));
        assertFalse(window.check(5));
    }

    @Test
    void edgesOfTheWindow() {
        SlidingWindow window = new SlidingWindow();
        long highest = 10_000;
        assertTrue(window.accept(highest));
        // The lowest number still inside the window, and the one just below it.
        long lowestInside = highest - W + 1;
        assertFalse(window.isBelowWindow(lowestInside));
        assertTrue(window.isBelowWindow(lowestInside - 1));
        assertTrue(window.accept(lowestInside));
        assertFalse(window.accept(lowestInside));
        assertFalse(window.check(lowestInside - 1));
        assertFalse(window.accept(lowestInside - 1));
        // The highest itself is a duplicate; the next is new.
        assertFalse(window.accept(highest));
        assertTrue(window.accept(highest + 1));
        // Moving by one pushed lowestInside out of the window.
        assertTrue(window.isBelowWindow(lowestInside));
    }

    @Test
    void outOfOrderInsideTheWindowEachOnce() {
        SlidingWindow window = new SlidingWindow();
        long highest = 5000;
        assertTrue(window.accept(highest));
        for (long s = highest - 1; s > highest - W; s--) {
            assertTrue(window.accept(s), "first " + s);
            assertFalse(window.accept(s), "again " + s);
        }
        assertEquals(highest, window.highest());
    }

    @Test
    void farAheadJumpClearsTheOldBitsAndRefusesEverythingBelowTheNewWindow() {
        SlidingWindow window = new SlidingWindow();
        for (long s = 1; s <= 2 * W; s++) {
            assertTrue(window.accept(s));
        }
        long far = 1_000_000_000_000L;
        assertTrue(window.accept(far));
        assertEquals(far, window.highest());
        assertFalse(window.accept(2 * W));
        assertTrue(window.isBelowWindow(2 * W));
        // Numbers inside the new window whose bit positions were set before are free again.
        for (long s = far - W + 1; s < far; s++) {
            assertTrue(window.check(s), "after jump " + s);
        }
    }

    @Test
    void jumpBySlightlyLessThanTheWindowClearsOnlyTheSkippedBits() {
        SlidingWindow window = new SlidingWindow();
        assertTrue(window.accept(5));
        assertTrue(window.accept(3));
        assertTrue(window.accept(5 + W - 3)); // window now (5+W-3-W+1 ..] = [3 ..]
        assertFalse(window.accept(3));
        assertFalse(window.accept(5));
        assertTrue(window.accept(4));
    }

    @Test
    void unsignedNumbersAboveTwoToThe63rdWork() {
        SlidingWindow window = new SlidingWindow();
        assertTrue(window.accept(Long.MAX_VALUE));
        assertTrue(window.accept(Long.MIN_VALUE)); // 2^63, above Long.MAX_VALUE when unsigned
        assertFalse(window.accept(Long.MAX_VALUE));
        assertTrue(window.accept(-1L)); // 2^64 - 1
        assertEquals(-1L, window.highest());
        assertFalse(window.accept(-1L));
        assertTrue(window.accept(-2L));
        assertTrue(window.isBelowWindow(Long.MIN_VALUE));
    }

    @Test
    void floorRefusesEverythingUpToItAndAcceptsAbove() {
        long floor = 5000;
        SlidingWindow window = new SlidingWindow(floor);
        assertEquals(floor, window.highest());
        for (long s = 1; s <= floor; s++) {
            assertFalse(window.check(s), "at or below floor " + s);
        }
        assertTrue(window.accept(floor + 1));
        assertTrue(window.accept(floor + 3));
        assertFalse(window.accept(floor));
        assertTrue(window.accept(floor + 2));
    }

    @Test
    void smallFloorAlsoRefusesEverythingUpToIt() {
        SlidingWindow window = new SlidingWindow(3);
        assertFalse(window.check(1));
        assertFalse(window.check(3));
        assertTrue(window.check(4));
    }

    /** Against a plain set of every number seen: the window may only differ below its edge. */
    @Test
    void matchesAnExactModelOnRandomTraffic() {
        Random random = new Random(0xC0FFEEL);
        SlidingWindow window = new SlidingWindow();
        BitSet seen = new BitSet();
        long highest = 0;
        for (int i = 0; i < 100_000; i++) {
            long s = Math.max(1, highest + random.nextInt(3 * W / 2) - W);
            boolean expected = !seen.get((int) s) && (s > highest || highest - s < W);
            assertEquals(expected, window.accept(s), "sequence " + s + " at highest " + highest);
            if (expected) {
                seen.set((int) s);
                highest = Math.max(highest, s);
            }
        }
        assertEquals(highest, window.highest());
    }
}
