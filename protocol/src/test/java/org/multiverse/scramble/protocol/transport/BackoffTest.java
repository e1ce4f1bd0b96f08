package org.multiverse.scramble.protocol.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesWithinJitterBoundsUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), new Random(1));
        long[] bases = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long base : bases) {
            long d = b.next().toMillis();
            assertTrue(d >= base / 2 && d <= base, "delay " + d + " outside [" + base / 2 + ", " + base + "]");
        }
        b.reset();
        long first = b.next().toMillis();
        assertTrue(first >= 50 && first <= 100, "reset starts over, got " + first);
    }

    @Test
    void manyAttemptsNeverOverflow() {
        Backoff b = new Backoff(Duration.ofMillis(1), Duration.ofSeconds(10), new Random(2));
        for (int i = 0; i < 200; i++) {
            long d = b.next().toMillis();
            assertTrue(d >= 0 && d <= 10_000, "attempt " + i + " gave " + d);
        }
    }

    @Test
    void jitterSpreadsClients() {
        List<Long> firstDelays = new ArrayList<>();
        for (long seed : new long[] {11, 2_222, 987_654_321, -5, 77_777_777_777L}) {
            firstDelays.add(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), new Random(seed))
                    .next()
                    .toMillis());
        }
        assertNotEquals(1L, firstDelays.stream().distinct().count(), "all clients would retry in lock step");
    }

    @Test
    void rejectsNonsense() {
        assertThrows(
                IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()));
        assertEquals("backoff needs 0 < initial <= cap, got PT2S, PT1S", e.getMessage());
    }
}
