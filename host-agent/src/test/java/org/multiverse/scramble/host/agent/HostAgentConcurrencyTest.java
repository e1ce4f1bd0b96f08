package org.multiverse.scramble.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.host.hypervisor.GatedHypervisor;
import org.multiverse.scramble.host.hypervisor.SimulatedHypervisor;
import org.multiverse.scramble.protocol.v1.PortalInfo;
import org.multiverse.scramble.protocol.v1.Result;

/**
 * Through the real pipeline: while one portal's start is slow (its launch waits at a gate),
 * the commands on other portals, those that create or remove VM and share state included,
 * are answered. Each is sent while the launch is known to wait and its answer is awaited with
 * a bound, never timed.
 */
class HostAgentConcurrencyTest {

    /** The pipeline answers in milliseconds; this only bounds a command stuck behind the gate. */
    private static final long ANSWER_SECONDS = 10;

    @TempDir
    Path tmp;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private GatedHypervisor gated;
    private HostAgentHarness h;

    @AfterEach
    void tearDown() throws Exception {
        if (gated != null) {
            gated.open();
        }
        threads.shutdownNow();
        if (h != null) {
            h.close();
        }
    }

    private Result answered(Callable<Result> command) throws Exception {
        return threads.submit(command).get(ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aSlowStartHoldsUpNoCommandOnAnotherPortal() throws Exception {
        SimulatedHypervisor sim = new SimulatedHypervisor(true);
        gated = new GatedHypervisor(sim, "slow");
        Path shareRoot = Files.createDirectories(tmp.resolve("shared"));
        h = new HostAgentHarness(tmp, gated, List.of(shareRoot), shareRoot.toString(), new SimulatedMounter(), 8);
        h.ok(Commands.defineToml("", Commands.diskless("slow")));
        h.ok(Commands.defineToml("", Commands.diskless("fast")));
        Path docs = Files.createDirectories(shareRoot.resolve("docs"));

        Future<Result> slow = threads.submit(() -> h.ok(Commands.start("slow")));
        assertTrue(gated.awaitWaiting("slow"));

        List<PortalInfo> listed =
                answered(() -> h.ok(Commands.list())).getPortalList().getPortalsList();
        assertEquals(
                List.of("fast", "slow"),
                listed.stream().map(PortalInfo::getName).toList());
        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_STOPPED,
                listed.get(1).getState());
        // Start, share link, kill and undefine (which unlinks first) of another portal: each held
        // the agent-wide lock a start held for its whole launch before the lock was per portal.
        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING,
                answered(() -> h.ok(Commands.start("fast"))).getPortalInfo().getState());
        answered(() -> h.ok(Commands.link("fast", docs.toString(), "docs", true)));
        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_STOPPED,
                answered(() -> h.ok(Commands.kill("fast"))).getPortalInfo().getState());
        assertEquals(
                "portal fast undefined",
                answered(() -> h.ok(Commands.undefine("fast"))).getAck().getMessage());
        assertFalse(Files.exists(h.stateDir.resolve("portals/fast")));

        gated.open();
        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING,
                slow.get(ANSWER_SECONDS, TimeUnit.SECONDS).getPortalInfo().getState());
        assertEquals(1, sim.aliveCount());
    }
}
