package org.multiverse.scramble.rtos.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.rtos.NodeCommands;
import org.multiverse.scramble.protocol.rtos.v1.FailsafeReport;

/** Cut the line (kill socat), let the node's watchdog trip, bring the line back. */
class FailsafeOverPtyTest {

    /**
     * How long the cable stays unplugged: well above the node's 3 x 100 ms heartbeat limit.
     * A fixed wait is the point of the test (nothing can be observed while the line is cut).
     */
    static final long CUT_MILLIS = 800;

    static final long REPORT_TIMEOUT_MILLIS = 10_000;

    @Test
    void failsafeEnteredWhileCutAndReportedWhenTheLineReturns(@TempDir Path dir) throws Exception {
        try (PtyNodeHarness h = new PtyNodeHarness(dir, "heartbeat_period_millis = 100\nmissed_heartbeats = 3\n")) {
            h.awaitUp();
            byte[] cert = h.session.certificate().encode();
            long now = System.currentTimeMillis() * 1000;
            h.service.write(
                    PtyNodeHarness.NODE,
                    "valve",
                    80,
                    0,
                    NodeCommands.signedWrite(h.session, PtyNodeHarness.NODE_ID, 1, 4, 80f, 0, now + 10_000_000),
                    cert);
            assertEquals(80f, h.service.read(PtyNodeHarness.NODE, "valve").value());
            assertFalse(h.service.list().get(0).failsafe());

            h.cut();
            Thread.sleep(CUT_MILLIS);
            assertFalse(h.service.list().get(0).linkUp(), "the bridge noticed the cut");
            h.reconnect();
            h.awaitUp();

            Optional<FailsafeReport> report = Optional.empty();
            long deadline = System.nanoTime() + REPORT_TIMEOUT_MILLIS * 1_000_000;
            while (report.isEmpty() && System.nanoTime() < deadline) {
                report = h.service.lastFailsafeReport(PtyNodeHarness.NODE);
                Thread.sleep(10);
            }
            assertTrue(report.isPresent(), "no failsafe report after reconnect\n" + h.log());
            assertTrue(report.get().getMissedHeartbeats() >= 3, report.get().toString());
            assertEquals(0, report.get().getLeftAtNodeMicros());
            assertTrue(h.service.list().get(0).failsafe());
            assertTrue(h.service.info(PtyNodeHarness.NODE).status().failsafe());
            // outputs went to their configured safe value (0), not the last written 80
            assertEquals(0f, h.service.read(PtyNodeHarness.NODE, "valve").value());

            // a signed write takes the node out of failsafe
            now = System.currentTimeMillis() * 1000;
            h.service.write(
                    PtyNodeHarness.NODE,
                    "valve",
                    20,
                    0,
                    NodeCommands.signedWrite(h.session, PtyNodeHarness.NODE_ID, 2, 4, 20f, 0, now + 10_000_000),
                    cert);
            long until = System.nanoTime() + 2_000_000_000L;
            while (h.service.list().get(0).failsafe() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertFalse(h.service.list().get(0).failsafe());
        }
    }

    /**
     * The line is cut the moment the link is up, before the bridge's first periodic
     * heartbeat: the handshake's own heartbeat armed the node's watchdog, and the report is
     * recorded before the link counts as up again (WIRE.md section 8), so no polling.
     */
    @Test
    void cutRightAfterTheHandshakeStillTripsTheWatchdog(@TempDir Path dir) throws Exception {
        try (PtyNodeHarness h = new PtyNodeHarness(dir, "heartbeat_period_millis = 100\nmissed_heartbeats = 3\n")) {
            h.awaitUp();
            h.cut();
            Thread.sleep(CUT_MILLIS);
            h.reconnect();
            h.awaitUp();

            Optional<FailsafeReport> report = h.service.lastFailsafeReport(PtyNodeHarness.NODE);
            assertTrue(report.isPresent(), "no failsafe report when the link came back\n" + h.log());
            assertTrue(report.get().getMissedHeartbeats() >= 3, report.get().toString());
            assertEquals(0, report.get().getLeftAtNodeMicros());
            assertTrue(h.service.list().get(0).failsafe());
        }
    }
}
