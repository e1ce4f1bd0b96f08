package org.multiverse.scramble.shell.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.v1.AgentStatusResult;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.shell.registry.AgentRole;

class RefresherTest {

    @Test
    void aGroupInFlightIsSentOnceMoreAtMostHoweverOftenItIsAsked() {
        FakeActions f = Fixtures.multiverse();
        List<CompletableFuture<CommandOutcome>> held = new ArrayList<>();
        f.answer(Command.KindCase.PORTAL_LIST, c -> {
            CompletableFuture<CommandOutcome> h = new CompletableFuture<>();
            held.add(h);
            return h;
        });
        DashboardModel m = new DashboardModel("x");
        Refresher r = new Refresher(f, m, Runnable::run, System::nanoTime, noStreams(m));
        for (int i = 0; i < 50; i++) {
            r.refresh(EnumSet.of(Refresh.PORTALS));
        }
        assertEquals(1, f.sent(Command.KindCase.PORTAL_LIST).size());
        held.get(0).complete(new CommandOutcome.Ok(Fixtures.standardPortals(), 0));
        assertEquals(2, f.sent(Command.KindCase.PORTAL_LIST).size());
        held.get(1).complete(new CommandOutcome.Ok(Fixtures.standardPortals(), 0));
        assertEquals(2, f.sent(Command.KindCase.PORTAL_LIST).size());
        assertEquals(3, m.visiblePortals().size());
    }

    @Test
    void agentsBehindTheRelayAreAskedOnlyOnceTheHostNamesTheirRoute() {
        FakeActions f = Fixtures.multiverse();
        f.links.remove(AgentRole.ROUTER);
        f.links.remove(AgentRole.RTOS);
        f.answer(
                Command.KindCase.AGENT_STATUS,
                Result.newBuilder()
                        .setAgentStatus(AgentStatusResult.newBuilder().addRoutes("rtos"))
                        .build());
        DashboardModel m = new DashboardModel("x");
        new Refresher(f, m, Runnable::run, System::nanoTime, noStreams(m)).refreshAll();
        assertTrue(f.sent.stream().noneMatch(s -> s.role() == AgentRole.ROUTER), f.sent.toString());
        assertTrue(f.sent.stream()
                .anyMatch(s -> s.role() == AgentRole.RTOS && s.command().hasRtosList()));
        assertEquals("no route", DashboardRenderer.linkWord(m.agent(AgentRole.ROUTER)));
        assertEquals("UP", DashboardRenderer.linkWord(m.agent(AgentRole.HOST)));
    }

    @Test
    void withoutAHostADirectAgentIsAsked() {
        FakeActions f = Fixtures.multiverse();
        f.reachable.put(AgentRole.HOST, false);
        f.links.remove(AgentRole.HOST);
        f.links.remove(AgentRole.ROUTER);
        DashboardModel m = new DashboardModel("x");
        new Refresher(f, m, Runnable::run, System::nanoTime, noStreams(m)).refreshAll();
        assertTrue(f.sent.stream().noneMatch(s -> s.role() == AgentRole.HOST));
        assertEquals(3, m.routers().size());
    }

    @Test
    void aFailedQueryBecomesTheAgentsLastErrorAndASuccessClearsIt() {
        FakeActions f = Fixtures.multiverse()
                .refuse(Command.KindCase.AGENT_STATUS, ErrorCode.POLICY_DENIED, "agent.status: no rule allows it");
        DashboardModel m = new DashboardModel("x");
        Refresher r = new Refresher(f, m, Runnable::run, System::nanoTime, noStreams(m));
        r.refreshAll();
        assertEquals("agent status: agent.status: no rule allows it", m.agent(AgentRole.HOST).lastError);
        f.answer(
                Command.KindCase.AGENT_STATUS,
                Result.newBuilder()
                        .setAgentStatus(AgentStatusResult.newBuilder().addRoutes("router"))
                        .build());
        r.refresh(EnumSet.of(Refresh.AGENTS));
        assertEquals("", m.agent(AgentRole.HOST).lastError);
    }

    @Test
    void eachLinkIsSubscribedOnceAndAgainAfterItWasDown() {
        FakeActions f = Fixtures.multiverse();
        DashboardModel m = new DashboardModel("x");
        Refresher r = new Refresher(f, m, Runnable::run, System::nanoTime, noStreams(m));
        r.refreshAll();
        r.refreshAll();
        assertEquals(3, f.sent(Command.KindCase.AGENT_SUBSCRIBE).size());
        f.links.put(
                AgentRole.HOST,
                new DashboardActions.LinkView(
                        org.multiverse.scramble.protocol.client.LinkState.DOWN, "x", java.util.OptionalLong.empty()));
        r.updateLinks();
        f.links.put(
                AgentRole.HOST,
                new DashboardActions.LinkView(
                        org.multiverse.scramble.protocol.client.LinkState.UP, "x", java.util.OptionalLong.empty()));
        r.refresh(EnumSet.of(Refresh.AGENTS));
        assertEquals(4, f.sent(Command.KindCase.AGENT_SUBSCRIBE).size());
        assertEquals(
                AgentRole.HOST,
                f.sent.stream()
                        .filter(s -> s.command().hasAgentSubscribe())
                        .reduce((a, b) -> b)
                        .orElseThrow()
                        .role());
    }

    @Test
    void aRefusedSubscriptionSaysTheDashboardPolls() {
        FakeActions f = Fixtures.multiverse()
                .refuse(Command.KindCase.AGENT_SUBSCRIBE, ErrorCode.POLICY_DENIED, "agent.subscribe denied");
        DashboardModel m = new DashboardModel("x");
        new Refresher(f, m, Runnable::run, System::nanoTime, noStreams(m)).refreshAll();
        assertEquals("refused (agent.subscribe denied); polling every 5 s", m.agent(AgentRole.ROUTER).events);
        assertEquals("", m.agent(AgentRole.ROUTER).lastError);
    }

    @Test
    void anIdleDashboardWithLiveEventsAsksNothingOnItsTicks() {
        FakeActions f = Fixtures.multiverse();
        DashboardModel m = new DashboardModel("x");
        Refresher r = new Refresher(f, m, Runnable::run, System::nanoTime, noStreams(m));
        r.refreshAll();
        int first = f.sent.size();
        assertTrue(first > 0);
        for (int i = 0; i < 720; i++) { // an hour of ticks at Dashboard.POLL_INTERVAL
            r.tick();
        }
        assertEquals(first, f.sent.size(), "nothing asked while events are live: " + f.kindsSent());
    }

    @Test
    void aLinkThatCameBackIsAskedAgainOnTheNextTick() {
        FakeActions f = Fixtures.multiverse();
        DashboardModel m = new DashboardModel("x");
        Refresher r = new Refresher(f, m, Runnable::run, System::nanoTime, noStreams(m));
        r.refreshAll();
        r.tick();
        int before = f.sent(Command.KindCase.PORTAL_LIST).size();
        // Down and up again between two looks: only the reconnect count tells.
        f.links.put(
                AgentRole.HOST,
                new DashboardActions.LinkView(
                        org.multiverse.scramble.protocol.client.LinkState.UP,
                        "sim:host",
                        java.util.OptionalLong.of(1),
                        org.multiverse.scramble.protocol.session.EventCounts.NONE,
                        1));
        r.tick();
        assertEquals(before + 1, f.sent(Command.KindCase.PORTAL_LIST).size(), "asked again after the reconnect");
        assertEquals(4, f.sent(Command.KindCase.AGENT_SUBSCRIBE).size(), "and subscribed again");
        r.tick();
        assertEquals(before + 1, f.sent(Command.KindCase.PORTAL_LIST).size(), "then quiet again");
    }

    @Test
    void anAgentThatRefusesEventsIsPolledOnEveryTick() {
        FakeActions f = Fixtures.multiverse()
                .refuse(Command.KindCase.AGENT_SUBSCRIBE, ErrorCode.POLICY_DENIED, "agent.subscribe denied");
        DashboardModel m = new DashboardModel("x");
        Refresher r = new Refresher(f, m, Runnable::run, System::nanoTime, noStreams(m));
        r.refreshAll();
        int before = f.sent(Command.KindCase.PORTAL_LIST).size();
        r.tick();
        r.tick();
        assertEquals(before + 2, f.sent(Command.KindCase.PORTAL_LIST).size());
    }

    /** These tests start no stream: a session key asked for would be a bug. */
    private static SampleFeed noStreams(DashboardModel m) {
        return new SampleFeed(m, () -> {
            throw new AssertionError("no stream was started");
        });
    }
}
