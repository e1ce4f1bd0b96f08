package org.multiverse.scramble.rtos.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClockSyncTest {

    /** A node clock: offset 7 s, 50 ppm fast; line delays 100..600 µs each way (USB-CDC, pty). */
    static long node(long bridge) {
        return 7_000_000 + bridge + Math.round(bridge * 50e-6);
    }

    @Test
    void recoversOffsetAndDriftThroughAsymmetricNoisyDelays() {
        Random random = new Random(3);
        ClockSync sync = new ClockSync();
        ClockSync.Estimate e = null;
        for (int round = 0; round < 20; round++) {
            long base = round * 1_000_000L; // a round every second
            List<SyncSample> samples = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long t1 = base + i * 5_000;
                long there = 100 + random.nextInt(500);
                long back = 100 + random.nextInt(500);
                long t2 = node(t1 + there);
                long t3 = t2 + 30;
                long t4 = t1 + there + 30 + back;
                samples.add(new SyncSample(t1, t2, t3, t4));
            }
            e = sync.addRound(samples);
        }
        long at = 20_000_000;
        assertEquals(node(at), e.nodeTimeAt(at), 150, "node time prediction");
        assertEquals(50.0, e.driftPpm(), 5.0, "drift");
    }

    @Test
    void noDriftClaimedFromAShortBase() {
        ClockSync sync = new ClockSync();
        sync.addRound(List.of(new SyncSample(0, 1_000, 1_010, 100)));
        ClockSync.Estimate e = sync.addRound(List.of(new SyncSample(1_000, 2_500, 2_510, 1_100)));
        assertEquals(0.0, e.driftPpm());
        assertEquals(1_455, e.offsetMicros()); // ((2500-1000)+(2510-1100))/2
    }

    @Test
    void impossibleExchangesAreRefused() {
        ClockSync sync = new ClockSync();
        // reply before request; node answering before receiving
        assertThrows(
                IllegalArgumentException.class,
                () -> sync.addRound(List.of(new SyncSample(100, 5, 6, 50), new SyncSample(0, 10, 5, 100))));
    }

    @Test
    void ntpFormulas() {
        SyncSample s = new SyncSample(1_000, 6_000, 6_100, 1_500);
        assertEquals(400, s.delay());
        assertEquals(4_800.0, s.offset());
        assertEquals(1_250.0, s.bridgeMidpoint());
    }
}
