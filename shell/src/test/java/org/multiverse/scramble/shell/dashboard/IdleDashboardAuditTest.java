package org.multiverse.scramble.shell.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.client.LinkState;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.testkit.AgentTestKit;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.PortalListResult;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RouterListResult;
import org.multiverse.scramble.protocol.v1.RtosListResult;
import org.multiverse.scramble.protocol.v1.TorStatusResult;
import org.multiverse.scramble.protocol.v1.VpnStatusResult;
import org.multiverse.scramble.shell.registry.AgentRole;

/**
 * What an idle dashboard costs an agent's audit log, counted on a real agent pipeline (one agent
 * stands in for host, router and RTOS bridge, answering the dashboard's queries). Before: the
 * dashboard asked everything every 5 s and each query was written as "accepted" and "done". Now:
 * with live subscriptions the ticks ask nothing, and the queries that are asked (start-up, a
 * reconnect, an agent without events) are counted into one "queries" entry per session and minute.
 * The figures are printed for the README; the assertions are on counts, not time.
 */
class IdleDashboardAuditTest {

    /** Ticks in an hour at the dashboard's pace. */
    private static final int TICKS_PER_HOUR =
            (int) (Duration.ofHours(1).toMillis() / Dashboard.POLL_INTERVAL.toMillis());

    @TempDir
    Path tmp;

    /** The dashboard's actions over one real agent; counts commands and waits for their answers. */
    private static final class OneAgent implements DashboardActions {
        final AgentTestKit kit;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();

        OneAgent(AgentTestKit kit) {
            this.kit = kit;
        }

        @Override
        public CompletableFuture<CommandOutcome> send(AgentRole role, Command command) {
            sent.incrementAndGet();
            inFlight.incrementAndGet();
            return kit.client()
                    .send(command, kit.core().id(), "", Duration.ofSeconds(30))
                    .whenComplete((o, t) -> inFlight.decrementAndGet());
        }

        @Override
        public boolean reachable(AgentRole role) {
            return true;
        }

        @Override
        public Optional<LinkView> link(AgentRole role) {
            return Optional.of(new LinkView(LinkState.UP, "sim", OptionalLong.empty()));
        }

        @Override
        public void onEvent(Consumer<EventBody> sink) {}
    }

    private AgentTestKit agent(Path state) throws Exception {
        return AgentTestKit.builder("test-agent", state)
                .listenUri("sim:idle-dashboard-" + System.nanoTime())
                .policy("""
                        agent.*   @any allow rate=1000/s burst=1000
                        audit.*   @any allow rate=1000/s burst=1000
                        portal.*  @any allow rate=1000/s burst=1000
                        router.*  @any allow rate=1000/s burst=1000
                        rtos.*    @any allow rate=1000/s burst=1000
                        """)
                .install(core -> {
                    var h = core.handlers();
                    h.register(
                            Command.KindCase.PORTAL_LIST,
                            (c, x) -> Result.newBuilder()
                                    .setPortalList(PortalListResult.getDefaultInstance())
                                    .build());
                    h.register(
                            Command.KindCase.ROUTER_LIST,
                            (c, x) -> Result.newBuilder()
                                    .setRouterList(RouterListResult.getDefaultInstance())
                                    .build());
                    h.register(
                            Command.KindCase.VPN_STATUS,
                            (c, x) -> Result.newBuilder()
                                    .setVpnStatus(VpnStatusResult.getDefaultInstance())
                                    .build());
                    h.register(
                            Command.KindCase.TOR_STATUS,
                            (c, x) -> Result.newBuilder()
                                    .setTorStatus(TorStatusResult.getDefaultInstance())
                                    .build());
                    h.register(
                            Command.KindCase.RTOS_LIST,
                            (c, x) -> Result.newBuilder()
                                    .setRtosList(RtosListResult.getDefaultInstance())
                                    .build());
                    return () -> {};
                })
                .start();
    }

    /** Runs {@code step} on the UI thread and waits until every command it caused is answered. */
    private static void settle(ExecutorService ui, OneAgent a, Runnable step) throws Exception {
        ui.submit(step).get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (a.inFlight.get() == 0) {
                // Answers queue follow-ups on the UI thread; once it has run them and nothing is out, it is quiet.
                ui.submit(() -> {}).get(30, TimeUnit.SECONDS);
                if (a.inFlight.get() == 0) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the dashboard's queries did not settle");
    }

    @Test
    void anIdleDashboardWritesAlmostNothingToTheAudit() throws Exception {
        Path state = tmp.resolve("state");
        ExecutorService ui = Executors.newSingleThreadExecutor();
        int startUp;
        int pollRound;
        long entriesAfterStartUp;
        long entriesAfterAnHourOfTicks;
        long entriesAfterAMinuteOfPolling;
        long base;
        try (AgentTestKit kit = agent(state)) {
            OneAgent a = new OneAgent(kit);
            DashboardModel m = new DashboardModel("x");
            Refresher r = new Refresher(a, m, ui::execute, System::nanoTime, new SampleFeed(m, () -> {
                throw new AssertionError("no stream here");
            }));
            base = kit.audit(100_000).size();
            settle(ui, a, r::refreshAll);
            startUp = a.sent.get();
            entriesAfterStartUp = kit.audit(100_000).size() - base;

            for (int i = 0; i < TICKS_PER_HOUR; i++) {
                settle(ui, a, r::tick);
            }
            assertEquals(startUp, a.sent.get(), "an hour of idle ticks asked nothing: events are live");
            entriesAfterAnHourOfTicks = kit.audit(100_000).size() - base;

            // The fallback (an agent that refuses events is polled every tick): a minute of it.
            int beforePoll = a.sent.get();
            settle(ui, a, r::refreshAll);
            pollRound = a.sent.get() - beforePoll;
            for (int i = 1; i < 12; i++) {
                settle(ui, a, r::refreshAll);
            }
            entriesAfterAMinuteOfPolling = kit.audit(100_000).size() - base;
        } finally {
            ui.shutdownNow();
        }
        // Closing the agent writes the counted queries: one entry for this session.
        List<AuditRecord> all =
                AuditLog.tail(org.multiverse.scramble.protocol.agent.AgentState.auditDir(state), 100_000);
        List<AuditRecord> written = all.subList((int) base, all.size());
        long summaries =
                written.stream().filter(e -> e.decision().equals("queries")).count();

        assertEquals(0, entriesAfterStartUp, "queries are counted, not written one by one");
        assertEquals(0, entriesAfterAnHourOfTicks);
        assertEquals(0, entriesAfterAMinuteOfPolling);
        assertEquals(1, summaries, written.toString());
        assertEquals(1, written.size(), "nothing but the summary: " + written);
        assertTrue(written.get(0).command().equals((startUp + 12 * pollRound) + " queries"), written.toString());

        long beforePerHour = (long) pollRound * 2 * TICKS_PER_HOUR; // accepted + done per query, every tick
        System.out.printf(
                "idle dashboard, one agent: %d queries a round%n"
                        + "  before (ask everything every %d s, 2 entries a query): %d audit entries/hour%n"
                        + "  now, events live: %d queries/hour after start-up, at most 1 entry/hour"
                        + " (start-up: %d queries -> 1 summary entry)%n"
                        + "  now, events refused (polled every tick): at most 60 entries/hour (one a minute)%n",
                pollRound, Dashboard.POLL_INTERVAL.toSeconds(), beforePerHour, 0, startUp);
    }
}
