package org.multiverse.scramble.protocol.ratelimit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PreAuthBudgetTest {
    private final FakeClock clock = new FakeClock();
    private final PreAuthBudget budget = new PreAuthBudget(
            new BucketSpec(3, 1000, 0), new BucketSpec(1000, 1000, 0), new BucketSpec(2, 1000, 0), clock);

    @Test
    void framesPerSecondAreLimited() {
        assertTrue(budget.admitFrame(10));
        assertTrue(budget.admitFrame(10));
        assertTrue(budget.admitFrame(10));
        assertFalse(budget.admitFrame(10));
        clock.advanceMillis(334);
        assertTrue(budget.admitFrame(10));
    }

    @Test
    void bytesPerSecondAreLimitedAndARefusalChargesNothing() {
        assertTrue(budget.admitFrame(900));
        assertFalse(budget.admitFrame(200)); // bytes refuse; the frame token is not spent
        assertTrue(budget.admitFrame(100));
        assertTrue(budget.admitFrame(0)); // third frame: the refused one did not count
        assertFalse(budget.admitFrame(0));
    }

    @Test
    void oneOversizeFrameIsAdmittedWhenFullThenThePipeIsPaidBack() {
        assertTrue(budget.admitFrame(3000));
        assertFalse(budget.admitFrame(1));
        clock.advanceMillis(2000); // deficit of 2000 bytes paid back, not yet 1 more
        assertFalse(budget.admitFrame(1));
        clock.advanceMillis(1);
        assertTrue(budget.admitFrame(1));
    }

    @Test
    void onlyFailedVerificationsAreCharged() {
        for (int i = 0; i < 10; i++) {
            assertTrue(budget.admitVerify(), "a good signature costs nothing");
        }
        budget.chargeFailedVerify();
        assertTrue(budget.admitVerify());
        budget.chargeFailedVerify();
        assertFalse(budget.admitVerify(), "two failures used up a budget of two");
        assertTrue(budget.admitFrame(10)); // frames are unaffected
        clock.advanceMillis(500);
        assertTrue(budget.admitVerify());
    }

    @Test
    void negativeFrameSizeIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> budget.admitFrame(-1));
    }
}
