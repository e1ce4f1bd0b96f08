package org.multiverse.scramble.protocol.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final double EPSILON = 1e-9;
    private final FakeClock clock = new FakeClock();

    @Test
    void startsFullAndRefusesBeyondSize() {
        TokenBucket bucket = new TokenBucket(10, 1000, 0, clock);
        assertEquals(10, bucket.available(), EPSILON);
        for (int i = 0; i < 10; i++) {
            assertTrue(bucket.tryConsume(1), "token " + i);
        }
        assertFalse(bucket.tryConsume(1));
        assertEquals(0, bucket.available(), EPSILON);
    }

    @Test
    void refillsAtSizePerRefillTimeAndNeverAboveSize() {
        TokenBucket bucket = new TokenBucket(10, 1000, 0, clock);
        assertTrue(bucket.tryConsume(10));
        clock.advanceMillis(100);
        assertEquals(1, bucket.available(), EPSILON);
        assertTrue(bucket.tryConsume(1));
        assertFalse(bucket.tryConsume(1));
        clock.advanceMillis(50);
        assertEquals(0.5, bucket.available(), EPSILON);
        assertFalse(bucket.tryConsume(1));
        clock.advanceMillis(3_600_000);
        assertEquals(10, bucket.available(), EPSILON);
    }

    @Test
    void oneTimeBurstIsSpentFirstAndNeverRefilled() {
        TokenBucket bucket = new TokenBucket(10, 1000, 5, clock);
        assertEquals(15, bucket.available(), EPSILON);
        assertTrue(bucket.tryConsume(3));
        assertEquals(12, bucket.available(), EPSILON); // burst 2 left, bucket untouched
        clock.advanceMillis(10_000);
        assertEquals(12, bucket.available(), EPSILON); // the burst did not come back
        assertTrue(bucket.tryConsume(12));
        assertFalse(bucket.tryConsume(1));
        clock.advanceMillis(10_000);
        assertEquals(10, bucket.available(), EPSILON); // only the bucket refills
    }

    @Test
    void refusedRequestChangesNothing() {
        TokenBucket bucket = new TokenBucket(10, 1000, 5, clock);
        assertTrue(bucket.tryConsume(10)); // burst 5 + 5 from the bucket
        assertFalse(bucket.tryConsume(6));
        assertEquals(5, bucket.available(), EPSILON);
        assertTrue(bucket.tryConsume(5));
    }

    @Test
    void oversizeRequestSucceedsOnceWhenFullThenWaitsProportionally() {
        TokenBucket bucket = new TokenBucket(10, 1000, 0, clock);
        assertTrue(bucket.tryConsume(25));
        assertEquals(-15, bucket.available(), EPSILON);
        assertFalse(bucket.tryConsume(1));
        // From -15 to 1 token is 16 tokens at 100 ms each.
        assertEquals(1600, bucket.millisUntil(1));
        clock.advanceMillis(1599);
        assertFalse(bucket.tryConsume(1));
        clock.advanceMillis(1);
        assertTrue(bucket.tryConsume(1));
    }

    @Test
    void oversizeRequestNeedsAFullBucket() {
        TokenBucket bucket = new TokenBucket(10, 1000, 0, clock);
        assertTrue(bucket.tryConsume(1));
        assertFalse(bucket.tryConsume(25));
        assertEquals(9, bucket.available(), EPSILON);
        assertEquals(100, bucket.millisUntil(25));
        clock.advanceMillis(100);
        assertTrue(bucket.tryConsume(25));
        assertFalse(bucket.tryConsume(25)); // not twice in a row
    }

    @Test
    void oversizeRequestCanUseTheBurstToo() {
        TokenBucket bucket = new TokenBucket(10, 1000, 30, clock);
        assertTrue(bucket.tryConsume(25)); // entirely from the burst
        assertEquals(15, bucket.available(), EPSILON);
        // 5 from the burst; the other 13 exceed the size, and the bucket is full: deficit of 3.
        assertTrue(bucket.tryConsume(18));
        assertEquals(-3, bucket.available(), EPSILON);
        assertEquals(400, bucket.millisUntil(1));
    }

    @Test
    void millisUntilRoundsUpToASufficientWait() {
        TokenBucket bucket = new TokenBucket(3, 1000, 0, clock); // a token per 333.33 ms
        assertTrue(bucket.tryConsume(3));
        assertEquals(334, bucket.millisUntil(1));
        assertEquals(667, bucket.millisUntil(2));
        clock.advanceMillis(333);
        assertFalse(bucket.tryConsume(1));
        clock.advanceMillis(1);
        assertEquals(0, bucket.millisUntil(1));
        assertTrue(bucket.tryConsume(1));
    }

    @Test
    void millisUntilIsExactOverRandomUse() {
        Random random = new Random(11);
        for (int round = 0; round < 2000; round++) {
            TokenBucket bucket =
                    new TokenBucket(1 + random.nextInt(50), 1 + random.nextInt(5000), random.nextInt(10), clock);
            for (int step = 0; step < 5; step++) {
                bucket.tryConsume(random.nextInt(80));
                clock.advanceNanos(random.nextInt(10_000_000));
            }
            long want = 1 + random.nextInt(60);
            long wait = bucket.millisUntil(want);
            if (wait > 0) {
                clock.advanceMillis(wait - 1);
                assertFalse(bucket.tryConsume(want), "round " + round + ": one ms early must not suffice");
                clock.advanceMillis(1);
            }
            assertTrue(bucket.tryConsume(want), "round " + round);
        }
    }

    @Test
    void zeroTokensAlwaysSucceedEvenInDeficit() {
        TokenBucket bucket = new TokenBucket(10, 1000, 0, clock);
        assertTrue(bucket.tryConsume(30));
        assertTrue(bucket.tryConsume(0));
        assertEquals(0, bucket.millisUntil(0));
    }

    @Test
    void clockGoingBackwardsRefillsNothing() {
        TokenBucket bucket = new TokenBucket(10, 1000, 0, clock);
        assertTrue(bucket.tryConsume(10));
        clock.advanceMillis(-5000);
        assertEquals(0, bucket.available(), EPSILON);
        clock.advanceMillis(5100); // 100 ms after the last refill
        assertEquals(1, bucket.available(), EPSILON);
    }

    @Test
    void rejectsNegativeTokensAndBadSpecs() {
        TokenBucket bucket = new TokenBucket(10, 1000, 0, clock);
        assertThrows(IllegalArgumentException.class, () -> bucket.tryConsume(-1));
        assertThrows(IllegalArgumentException.class, () -> bucket.millisUntil(-1));
        assertThrows(IllegalArgumentException.class, () -> new BucketSpec(0, 1000, 0));
        assertThrows(IllegalArgumentException.class, () -> new BucketSpec(10, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new BucketSpec(10, 1000, -1));
        assertThrows(IllegalArgumentException.class, () -> new BucketSpec(BucketSpec.MAX_TOKENS + 1, 1000, 0));
        assertThrows(IllegalArgumentException.class, () -> new BucketSpec(10, BucketSpec.MAX_REFILL_MILLIS + 1, 0));
        assertEquals(new BucketSpec(7, 1000, 0), BucketSpec.perSecond(7));
    }
}
