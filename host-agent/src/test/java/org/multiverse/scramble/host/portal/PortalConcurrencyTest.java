package org.multiverse.scramble.host.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.host.hypervisor.GatedHypervisor;
import org.multiverse.scramble.host.hypervisor.SimulatedHypervisor;

/**
 * One lock per portal: a start that is slow (its launch waits at a {@link GatedHypervisor}'s
 * gate) holds up nothing but its own portal. Every check that overlaps the slow start runs
 * while the launch is known to wait, with a bounded wait on its answer, never a timing. And
 * the shared limits stay exact under concurrent calls: the memory budget, one definition per
 * name, one carrier per route.
 */
class PortalConcurrencyTest {

    /**
     * An answer that does not wait for the blocked start comes in milliseconds; five seconds
     * only bounds a failure (the call waiting for the gate, which the test opens after).
     */
    private static final long ANSWER_SECONDS = 5;
    /** Memory of the router template's portals. */
    private static final long PORTAL_MIB = 256;

    @TempDir
    Path tmp;

    private final SimulatedHypervisor host = new SimulatedHypervisor(true);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<PortalEvent> events = new CopyOnWriteArrayList<>();
    private GatedHypervisor gated;
    private PortalService service;

    private void open(long memoryBudgetMiB, String... gatedPortals) throws Exception {
        gated = new GatedHypervisor(host, gatedPortals);
        service = PortalService.open(
                PortalServiceConfig.defaults(tmp.resolve("state"), tmp.resolve("images"))
                        .withLimits(8, memoryBudgetMiB),
                gated,
                List.of(events::add));
    }

    private void define(String... names) throws PortalException {
        for (String name : names) {
            service.define(name, "service/router/star", Map.of("network", "none"));
        }
    }

    private static <T> T answer(Future<T> f) throws Exception {
        return f.get(ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        if (gated != null) {
            gated.open(); // a failed test must not leave a launch waiting
        }
        threads.shutdownNow();
        if (service != null) {
            service.close();
        }
    }

    @Test
    void twoStartsAtOnceBothRunAndTheBudgetCountsEachOnce() throws Exception {
        open(2 * PORTAL_MIB + PORTAL_MIB / 2, "a", "b");
        define("a", "b", "c");
        Future<PortalInfo> a = threads.submit(() -> service.start("a"));
        Future<PortalInfo> b = threads.submit(() -> service.start("b"));
        assertTrue(gated.awaitWaiting("a"), "a's launch never began");
        assertTrue(gated.awaitWaiting("b"), "b's launch never began while a's waited");

        // Both launches are in flight: both reservations are held, once each, and a third
        // portal that would exceed the budget is refused now, not after they finish.
        assertEquals(2 * PORTAL_MIB, service.reservedMemoryMiB());
        assertEquals(2, service.memoryHolders());
        PortalException full = assertThrows(PortalException.class, () -> service.start("c"));
        assertEquals(PortalException.Kind.RESOURCE_EXHAUSTED, full.kind());
        assertTrue(
                full.getMessage().contains("needs 256 MiB and running portals use 512 of the 640 MiB"),
                full.getMessage());

        gated.open();
        PortalInfo ra = answer(a);
        PortalInfo rb = answer(b);
        assertEquals(PortalState.RUNNING, ra.state());
        assertEquals(PortalState.RUNNING, rb.state());
        assertNotEquals(ra.pid(), rb.pid());
        assertEquals(2, host.aliveCount());
        assertEquals(2 * PORTAL_MIB, service.reservedMemoryMiB(), "a running portal is counted once");
        assertEquals(2, service.memoryHolders());
        assertEquals(PortalState.STOPPED, service.show("c").state());

        // The memory comes back when a VM ends, exactly once: c fits again, a second c does not.
        service.kill("a");
        assertEquals(PORTAL_MIB, service.reservedMemoryMiB());
        assertEquals(PortalState.RUNNING, service.start("c").state());
        assertEquals(2 * PORTAL_MIB, service.reservedMemoryMiB());
        assertEquals(
                PortalException.Kind.RESOURCE_EXHAUSTED,
                assertThrows(PortalException.class, () -> service.start("a")).kind());
    }

    @Test
    void listAndShowAnswerWhileAStartIsBlocked() throws Exception {
        open(64 * 1024, "slow");
        define("other", "slow");
        service.start("other");
        Future<PortalInfo> slow = threads.submit(() -> service.start("slow"));
        assertTrue(gated.awaitWaiting("slow"));

        List<PortalInfo> all = answer(threads.submit(service::list));
        assertEquals(
                List.of("other", "slow"), all.stream().map(PortalInfo::name).toList());
        assertEquals(PortalState.RUNNING, all.get(0).state());
        // The slow portal shows its state before the start, and says a start is under way.
        assertEquals(PortalState.STOPPED, all.get(1).state());
        assertTrue(
                all.get(1).warnings().contains("a start of slow is under way"),
                all.get(1).warnings().toString());

        assertEquals(
                PortalState.RUNNING,
                answer(threads.submit(() -> service.show("other"))).state());
        assertEquals(
                PortalState.STOPPED,
                answer(threads.submit(() -> service.show("slow"))).state(),
                "show of the portal being started answers too, with its recorded state");
        assertEquals(
                PortalState.PAUSED,
                answer(threads.submit(() -> service.pause("other"))).state());
        assertEquals(
                PortalState.RUNNING,
                answer(threads.submit(() -> service.resume("other"))).state());

        gated.open();
        assertEquals(PortalState.RUNNING, answer(slow).state());
        PortalInfo shown = service.show("slow");
        assertEquals(PortalState.RUNNING, shown.state());
        assertTrue(
                shown.warnings().stream().noneMatch(w -> w.contains("under way")),
                shown.warnings().toString());
    }

    @Test
    void stopKillAndStartOfOtherPortalsCompleteWhileAStartIsBlocked() throws Exception {
        open(64 * 1024, "slow");
        define("a", "b", "c", "slow");
        service.start("a");
        service.start("b");
        Future<PortalInfo> slow = threads.submit(() -> service.start("slow"));
        assertTrue(gated.awaitWaiting("slow"));

        PortalInfo stopped = answer(threads.submit(() -> service.stop("a", Duration.ofSeconds(5))));
        assertEquals(PortalState.STOPPED, stopped.state());
        assertEquals("powered off (ACPI)", stopped.lastExit());
        PortalInfo killed = answer(threads.submit(() -> service.kill("b")));
        assertEquals(PortalState.STOPPED, killed.state());
        assertEquals("killed", killed.lastExit());
        assertEquals(
                PortalState.RUNNING,
                answer(threads.submit(() -> service.start("c"))).state());

        gated.open();
        assertEquals(PortalState.RUNNING, answer(slow).state());
        assertEquals(2, host.aliveCount(), "slow and c run; a and b are gone");
    }

    @Test
    void eventsAVmSendsDuringItsLaunchArePublishedAfterStarted() throws Exception {
        open(64 * 1024, "slow");
        define("other", "slow");
        long otherPid = service.start("other").pid();
        // The slow VM's CPUs stop while its launch still waits: QEMU can send events before QMP's
        // handshake is done. The service must not report them before the start it is part of.
        gated.whileWaiting(vm -> vm.pause());
        Future<PortalInfo> slow = threads.submit(() -> service.start("slow"));
        assertTrue(gated.awaitWaiting("slow"));

        // The VM events thread applies events in arrival order: once other's crash (sent after
        // slow's STOP) is applied, slow's STOP has been seen too, and must have been held.
        assertTrue(host.crash(otherPid, 134));
        assertTrue(RealQemu.eventually(
                Duration.ofSeconds(ANSWER_SECONDS), () -> service.list().get(0).state() == PortalState.CRASHED));
        assertTrue(RealQemu.eventually(
                Duration.ofSeconds(ANSWER_SECONDS),
                () -> events.stream().anyMatch(e -> e.kind() == PortalEvent.Kind.CRASHED)));
        assertTrue(events.stream().noneMatch(e -> e.portal().equals("slow")), events.toString());

        gated.open();
        assertEquals(PortalState.PAUSED, answer(slow).state(), "QEMU's own answer after the launch");
        assertTrue(RealQemu.eventually(
                Duration.ofSeconds(ANSWER_SECONDS),
                () -> events.stream().filter(e -> e.portal().equals("slow")).count() == 2));
        assertEquals(
                List.of(PortalEvent.Kind.STARTED, PortalEvent.Kind.STOP),
                events.stream()
                        .filter(e -> e.portal().equals("slow"))
                        .map(PortalEvent::kind)
                        .toList());
    }

    @Test
    void concurrentDefinesOfOneNameOrOneRouteLetExactlyOneIn() throws Exception {
        open(64 * 1024);
        int racers = 6;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<PortalInfo>> sameName = new ArrayList<>();
        List<Future<PortalInfo>> sameRoute = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            sameName.add(threads.submit(() -> {
                go.await();
                return service.define("twin", "service/router/star", Map.of("network", "none"));
            }));
            String name = "router" + i; // every controller/router portal carries route 'router'
            sameRoute.add(threads.submit(() -> {
                go.await();
                return service.define(name, "controller/router", Map.of());
            }));
        }
        go.countDown();
        assertEquals(1, winners(sameName));
        assertEquals(1, winners(sameRoute));
        assertEquals(2, service.list().size());
    }

    /** How many calls succeeded; every other one must have been refused as ALREADY_EXISTS. */
    private static int winners(List<Future<PortalInfo>> calls) throws Exception {
        int won = 0;
        for (Future<PortalInfo> f : calls) {
            try {
                answer(f);
                won++;
            } catch (ExecutionException e) {
                PortalException refused = (PortalException) e.getCause();
                assertEquals(PortalException.Kind.ALREADY_EXISTS, refused.kind(), refused.getMessage());
            }
        }
        return won;
    }
}
