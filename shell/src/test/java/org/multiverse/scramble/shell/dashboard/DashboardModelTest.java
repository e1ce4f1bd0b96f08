package org.multiverse.scramble.shell.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.v1.AuditEntries;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.PortalListResult;
import org.multiverse.scramble.protocol.v1.RouterInfo;
import org.multiverse.scramble.protocol.v1.RouterListResult;
import org.multiverse.scramble.shell.registry.AgentRole;

class DashboardModelTest {

    @Test
    void aHostileAnswerCannotGrowTheModelWithoutBound() {
        DashboardModel m = new DashboardModel("x");
        PortalListResult.Builder many = PortalListResult.newBuilder();
        for (int i = 0; i < DashboardModel.ROWS_MAX + 500; i++) {
            many.addPortals(Fixtures.portal("p" + i, "t", "running", false, 0));
        }
        m.applyPortals(many.build());
        assertEquals(DashboardModel.ROWS_MAX, m.visiblePortals().size());
        AuditEntries.Builder audit = AuditEntries.newBuilder();
        for (int i = 0; i < 5000; i++) {
            audit.addEntries(Fixtures.entry(i, i, "agent.ping", "done", ""));
        }
        m.applyAudit(AgentRole.HOST, audit.build());
        m.applyAudit(AgentRole.ROUTER, audit.build());
        assertEquals(DashboardModel.AUDIT_KEEP, m.auditLines().size());
        assertEquals(
                4999, m.auditLines().get(DashboardModel.AUDIT_KEEP - 1).entry().getIndex());
    }

    @Test
    void samplesAreBoundedAndOnlyTheFollowedChannelIsKept() {
        DashboardModel m = new DashboardModel("x");
        m.follow("n", "c");
        for (int i = 0; i < DashboardModel.SAMPLES_KEEP * 3; i++) {
            m.applySample("n", "c", i);
            m.applySample("n", "other", -1);
        }
        assertEquals(DashboardModel.SAMPLES_KEEP, m.samples().size());
        assertEquals(DashboardModel.SAMPLES_KEEP * 3 - 1, m.samples().get(DashboardModel.SAMPLES_KEEP - 1));
        // Stream events are the feed's: the model neither draws them nor queries again for each batch.
        Set<Refresh> r = m.applyEvent(EventBody.newBuilder()
                .setKind(SampleFeed.SAMPLES)
                .setSubject("n")
                .putAttributes("samples", "AAAA")
                .build());
        assertTrue(r.isEmpty());
        assertEquals(DashboardModel.SAMPLES_KEEP, m.samples().size());
        m.follow("n", "d");
        assertTrue(m.samples().isEmpty());
    }

    @Test
    void theFilterTakesPrintableCharactersUpToItsLimit() {
        DashboardModel m = new DashboardModel("x");
        m.startFilter();
        for (char c : "a\u001b[2J\u0007b\u009bc".toCharArray()) {
            m.typeFilter(c);
        }
        assertEquals("a[2Jbc", m.filterDraft());
        for (int i = 0; i < 200; i++) {
            m.typeFilter('z');
        }
        assertEquals(DashboardModel.FILTER_MAX, m.filterDraft().length());
        m.endFilter(false);
        assertNull(m.filterDraft());
        assertEquals("", m.filter());
    }

    @Test
    void routerEventsSetUpAndTheLastActionStripped() {
        DashboardModel m = new DashboardModel("x");
        m.applyRouters(RouterListResult.newBuilder()
                .addRouters(RouterInfo.newBuilder().setName("star").setUp(true))
                .build());
        Set<Refresh> r = m.applyEvent(EventBody.newBuilder()
                .setKind(org.multiverse.scramble.protocol.v1.EventKind.ROUTER_STATE)
                .setSubject("star")
                .setText("star: restart failed\u001b[2J")
                .putAttributes("up", "false")
                .build());
        assertEquals(Set.of(Refresh.ROUTERS, Refresh.AUDIT), r);
        assertEquals(false, m.routers().get(0).up);
        assertEquals("star: restart failed", m.routers().get(0).lastAction);
        m.applyEvent(EventBody.newBuilder()
                .setKind(org.multiverse.scramble.protocol.v1.EventKind.ROUTER_STATE)
                .setSubject("star")
                .putAttributes("up", "maybe")
                .build());
        assertEquals(false, m.routers().get(0).up);
        // An event about a router the model does not know changes nothing but asks again.
        assertEquals(
                Set.of(Refresh.ROUTERS, Refresh.AUDIT),
                m.applyEvent(EventBody.newBuilder()
                        .setKind(org.multiverse.scramble.protocol.v1.EventKind.ROUTER_STATE)
                        .setSubject("nebula")
                        .build()));
        assertEquals(1, m.routers().size());
    }

    @Test
    void portalEventStatesFollowTheHostAgentsEventNames() {
        assertEquals(
                "running",
                org.multiverse.scramble.protocol.event.PortalRunStates.text(DashboardModel.stateAfter("started")));
        assertEquals(
                "running",
                org.multiverse.scramble.protocol.event.PortalRunStates.text(DashboardModel.stateAfter("ADOPTED")));
        assertEquals(
                "stopped",
                org.multiverse.scramble.protocol.event.PortalRunStates.text(DashboardModel.stateAfter("exited")));
        assertEquals(
                "crashed",
                org.multiverse.scramble.protocol.event.PortalRunStates.text(DashboardModel.stateAfter("crashed")));
        assertEquals(
                "paused",
                org.multiverse.scramble.protocol.event.PortalRunStates.text(DashboardModel.stateAfter("stop")));
        assertNull(DashboardModel.stateAfter("reset"));
        assertNull(DashboardModel.stateAfter(""));
    }

    @Test
    void selectionStaysWithinTheRows() {
        DashboardModel m = new DashboardModel("x");
        m.moveSelection(5);
        assertEquals(0, m.selected(Pane.PORTALS));
        m.applyPortals(Fixtures.standardPortals().getPortalList());
        m.moveSelection(50);
        assertEquals(2, m.selected(Pane.PORTALS));
        m.applyPortals(PortalListResult.newBuilder()
                .addPortals(Fixtures.portal("only", "t", "stopped", false, 0))
                .build());
        assertEquals(0, m.selected(Pane.PORTALS));
        assertEquals(
                List.of("only"),
                m.visiblePortals().stream().map(p -> p.getName()).toList());
    }
}
