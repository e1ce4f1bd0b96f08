package org.multiverse.scramble.protocol.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final FakeClock clock = new FakeClock();

    private static Map<CommandClass, BucketSpec> specs() {
        Map<CommandClass, BucketSpec> specs = new EnumMap<>(CommandClass.class);
        for (CommandClass c : CommandClass.values()) {
            specs.put(c, new BucketSpec(2, 1000, 0));
        }
        specs.put(CommandClass.LIFECYCLE, new BucketSpec(1, 5000, 0));
        return specs;
    }

    @Test
    void bucketsAreSeparatePerIdentityAndClass() {
        RateLimiter limiter = new RateLimiter(specs(), clock);
        assertTrue(limiter.tryAcquire("alice", CommandClass.QUERY));
        assertTrue(limiter.tryAcquire("alice", CommandClass.QUERY));
        assertFalse(limiter.tryAcquire("alice", CommandClass.QUERY));
        assertTrue(limiter.tryAcquire("alice", CommandClass.LIFECYCLE));
        assertTrue(limiter.tryAcquire("bob", CommandClass.QUERY));
        assertEquals(3, limiter.trackedKeys());
    }

    @Test
    void eachClassUsesItsSpecAndReportsTheWait() {
        RateLimiter limiter = new RateLimiter(specs(), clock);
        assertTrue(limiter.tryAcquire("alice", CommandClass.LIFECYCLE));
        assertFalse(limiter.tryAcquire("alice", CommandClass.LIFECYCLE));
        assertEquals(5000, limiter.millisUntilNext("alice", CommandClass.LIFECYCLE));
        assertEquals(0, limiter.millisUntilNext("alice", CommandClass.QUERY));
        clock.advanceMillis(4580);
        assertEquals(420, limiter.millisUntilNext("alice", CommandClass.LIFECYCLE));
        assertEquals(0.916, limiter.available("alice", CommandClass.LIFECYCLE), 1e-9);
    }

    @Test
    void leastRecentlyUsedBucketIsDroppedBeyondTheBound() {
        RateLimiter limiter = new RateLimiter(specs(), clock, 2);
        assertTrue(limiter.tryAcquire("alice", CommandClass.LIFECYCLE));
        assertTrue(limiter.tryAcquire("bob", CommandClass.LIFECYCLE));
        assertFalse(limiter.tryAcquire("alice", CommandClass.LIFECYCLE)); // alice is now most recent
        assertTrue(limiter.tryAcquire("carol", CommandClass.LIFECYCLE)); // evicts bob
        assertEquals(2, limiter.trackedKeys());
        assertFalse(limiter.tryAcquire("alice", CommandClass.LIFECYCLE)); // alice's bucket was kept
        assertTrue(limiter.tryAcquire("bob", CommandClass.LIFECYCLE)); // bob's came back full
    }

    @Test
    void everyClassNeedsASpec() {
        Map<CommandClass, BucketSpec> missing = specs();
        missing.remove(CommandClass.RTOS);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new RateLimiter(missing, clock));
        assertEquals("no bucket spec for command class RTOS", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(specs(), clock, 0));
    }
}
