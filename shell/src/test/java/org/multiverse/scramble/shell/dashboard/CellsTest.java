package org.multiverse.scramble.shell.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Text fitting, sparklines and round-trip medians. */
class CellsTest {

    @Test
    void fitStripsThenCutsOrPads() {
        assertEquals("ab   ", Cells.fit("a\u001b[31mb", 5));
        assertEquals("abcd…", Cells.fit("abcdefgh", 5));
        assertEquals("…", Cells.fit("abc", 1));
        assertEquals("", Cells.fit("abc", 0));
        assertEquals("", Cells.fit("abc", -3));
        assertEquals("a b", Cells.fit("a\tb", 3));
        assertEquals("x  ", Cells.fit("\u001b]0;title\u0007x", 3));
        assertEquals("   ", Cells.fit(null, 3));
    }

    @Test
    void bytesAndDurationsAreShort() {
        assertEquals("0B", Cells.bytes(0));
        assertEquals("1023B", Cells.bytes(1023));
        assertEquals("1.5K", Cells.bytes(1536));
        assertEquals("3.0M", Cells.bytes(3L * 1024 * 1024));
        assertEquals("8.0E", Cells.bytes(Long.MAX_VALUE));
        assertEquals("12µs", Cells.micros(12));
        assertEquals("-9999µs", Cells.micros(-9999));
        assertEquals("12.35ms", Cells.micros(12_345));
        assertEquals("-17.96s", Cells.micros(-17_957_000));
        assertEquals("0s", Cells.duration(-5));
        assertEquals("59s", Cells.duration(59_999));
        assertEquals("1m00s", Cells.duration(60_000));
        assertEquals("1h02m", Cells.duration(3_725_000));
        assertEquals("2d03h", Cells.duration((2 * 86_400 + 3 * 3600) * 1000L));
    }

    @Test
    void sparklinesScaleToTheirRange() {
        assertEquals("▁▂▃▄▅▆▇█", Sparkline.draw(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0), 8));
        // Only the last samples that fit are drawn, scaled among themselves.
        assertEquals("▁█", Sparkline.draw(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0), 2));
        assertEquals("▁▁▁", Sparkline.draw(List.of(4.0, 4.0, 4.0), 10));
        assertEquals("▁ █", Sparkline.draw(List.of(1.0, Double.NaN, 2.0), 3));
        assertEquals("", Sparkline.draw(List.of(), 3));
        assertEquals("", Sparkline.draw(List.of(1.0), 0));
    }

    @Test
    void roundTripsKeepAWindowAndItsMedian() {
        RoundTrips r = new RoundTrips();
        assertEquals(OptionalLong.empty(), r.p50());
        r.add(10);
        r.add(30);
        r.add(20);
        r.add(-1);
        assertEquals(OptionalLong.of(20), r.last());
        assertEquals(OptionalLong.of(20), r.p50());
        for (int i = 0; i < RoundTrips.WINDOW; i++) {
            r.add(1000);
        }
        assertEquals(OptionalLong.of(1000), r.p50());
    }
}
