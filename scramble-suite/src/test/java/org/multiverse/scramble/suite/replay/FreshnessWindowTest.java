package org.multiverse.scramble.suite.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.suite.replay.FreshnessWindow.Freshness;

class FreshnessWindowTest {
    private static final Instant NOW = Instant.parse("2025-11-26T14:00:00Z");
    private static final long NOW_MS = NOW.toEpochMilli();
    private final FreshnessWindow window = new FreshnessWindow();

    @Test
    void edgesAreInclusive() {
        assertEquals(Freshness.OK, window.check(NOW_MS, NOW));
        assertEquals(Freshness.OK, window.check(NOW_MS - 120_000, NOW));
        assertEquals(Freshness.TOO_OLD, window.check(NOW_MS - 120_001, NOW));
        assertEquals(Freshness.OK, window.check(NOW_MS + 30_000, NOW));
        assertEquals(Freshness.IN_FUTURE, window.check(NOW_MS + 30_001, NOW));
    }

    @Test
    void hostileExtremesDoNotWrapToFresh() {
        assertEquals(Freshness.TOO_OLD, window.check(Long.MIN_VALUE, NOW));
        assertEquals(Freshness.IN_FUTURE, window.check(Long.MAX_VALUE, NOW));
        assertEquals(Freshness.TOO_OLD, window.check(0, NOW));
        assertEquals(Freshness.TOO_OLD, window.check(-1, NOW));
        Instant early = Instant.ofEpochMilli(-5);
        assertEquals(Freshness.IN_FUTURE, window.check(Long.MAX_VALUE, early));
        assertEquals(Freshness.TOO_OLD, window.check(Long.MIN_VALUE, early));
    }

    @Test
    void customAllowances() {
        FreshnessWindow strict = new FreshnessWindow(Duration.ofSeconds(1), Duration.ZERO);
        assertEquals(Freshness.OK, strict.check(NOW_MS - 1000, NOW));
        assertEquals(Freshness.TOO_OLD, strict.check(NOW_MS - 1001, NOW));
        assertEquals(Freshness.IN_FUTURE, strict.check(NOW_MS + 1, NOW));
        assertThrows(IllegalArgumentException.class, () -> new FreshnessWindow(Duration.ofSeconds(-1), Duration.ZERO));
    }
}
