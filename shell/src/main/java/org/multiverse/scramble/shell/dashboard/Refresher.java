package org.multiverse.scramble.shell.dashboard;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.v1.AgentStatus;
import org.multiverse.scramble.protocol.v1.AgentSubscribe;
import org.multiverse.scramble.protocol.v1.AuditTail;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.PortalList;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RouterList;
import org.multiverse.scramble.protocol.v1.RouterStatus;
import org.multiverse.scramble.protocol.v1.RtosInfo;
import org.multiverse.scramble.protocol.v1.RtosList;
import org.multiverse.scramble.protocol.v1.TorStatus;
import org.multiverse.scramble.protocol.v1.VpnStatus;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.shell.run.Verdict;

/**
 * Sends the read-only queries that fill the dashboard and hands their results to the model on
 * the UI thread. Events drive the screen: once an agent's subscription is live, nothing is asked of
 * it again until an event says something changed or its link comes back ({@link #tick}). A group already in flight is not sent twice: a request for it meanwhile is
 * remembered and sent once more when it is answered, so a burst of events costs at most two
 * rounds of queries, never a loop.
 *
 * <p>Agents behind the host's relay are asked only once the host's status names their route
 * (or their link is already open): a probe over a route the host lacks would go nowhere.
 *
 * <p>Every method runs on the UI thread; answers come back through {@code ui}.
 */
final class Refresher {

    /** Routers asked for their status per refresh: the Multiverse has three; more is not a router set. */
    static final int ROUTER_STATUS_MAX = 8;

    private final DashboardActions actions;
    private final DashboardModel model;
    private final Executor ui;
    private final LongSupplier nanoClock;
    private final SampleFeed feed;
    private final Set<Refresh> inFlight = EnumSet.noneOf(Refresh.class);
    private final Set<Refresh> again = EnumSet.noneOf(Refresh.class);
    private final Set<AgentRole> subscribed = EnumSet.noneOf(AgentRole.class);
    /** Agents whose subscription was answered OK on the current link: their events carry every change. */
    private final Set<AgentRole> eventsLive = EnumSet.noneOf(AgentRole.class);
    /** Each link's reconnect count when last seen: a link that came back lost its subscription. */
    private final Map<AgentRole, Long> reconnectsSeen = new EnumMap<>(AgentRole.class);

    private List<String> hostRoutes = List.of();

    /**
     * @param ui   runs a task on the UI thread
     * @param feed where stream events go (the sealed samples are opened there, not in the model)
     */
    Refresher(DashboardActions actions, DashboardModel model, Executor ui, LongSupplier nanoClock, SampleFeed feed) {
        this.actions = actions;
        this.model = model;
        this.ui = ui;
        this.nanoClock = nanoClock;
        this.feed = feed;
    }

    /** Subscribes the model to events (each applied on the UI thread, and refreshing what it touched). */
    void listen() {
        actions.onEvent(e -> ui.execute(() -> {
            if (SampleFeed.handles(e)) {
                feed.apply(e);
            } else {
                refresh(model.applyEvent(e));
            }
        }));
    }

    void refreshAll() {
        refresh(EnumSet.allOf(Refresh.class));
    }

    /**
     * The slow tick: asks again only when events cannot be trusted to carry the changes, that is
     * when an askable agent has no live subscription (its link came back, or it refused events).
     * An idle dashboard whose subscriptions are live sends nothing at all.
     */
    void tick() {
        updateLinks();
        for (AgentRole r : DashboardModel.AGENTS) {
            if (askable(r) && !eventsLive.contains(r)) {
                refreshAll();
                return;
            }
        }
    }

    void refresh(Set<Refresh> what) {
        for (Refresh r : what) {
            if (inFlight.contains(r)) {
                again.add(r);
            } else {
                start(r);
            }
        }
    }

    /** Copies each link's state from the client (no command is sent). */
    void updateLinks() {
        for (AgentRole r : DashboardModel.AGENTS) {
            var link = actions.link(r);
            model.applyLink(
                    r,
                    actions.reachable(r),
                    askable(r),
                    link.map(DashboardActions.LinkView::state).orElse(null),
                    link.map(DashboardActions.LinkView::via).orElse(""));
            model.applyEventCounts(
                    r, link.map(DashboardActions.LinkView::events).orElse(null));
            long reconnects = link.map(DashboardActions.LinkView::reconnects).orElse(-1L);
            Long seen = reconnectsSeen.put(r, reconnects);
            if (link.isEmpty()
                    || link.get().state() != org.multiverse.scramble.protocol.client.LinkState.UP
                    || (seen != null && seen != reconnects)) {
                // A link that went down (or came back between two looks) lost its subscriptions
                // with it: subscribe again, and ask everything again, when it is back.
                subscribed.remove(r);
                eventsLive.remove(r);
            }
        }
    }

    /** Whether {@code role} may be asked now (see the class comment). */
    boolean askable(AgentRole role) {
        if (!actions.reachable(role)) {
            return false;
        }
        if (role == AgentRole.HOST || actions.link(role).isPresent() || !actions.reachable(AgentRole.HOST)) {
            return true;
        }
        return hostRoutes.contains(role.text());
    }

    private void start(Refresh r) {
        inFlight.add(r);
        List<CompletableFuture<?>> parts = new ArrayList<>();
        switch (r) {
            case PORTALS -> {
                if (askable(AgentRole.HOST)) {
                    parts.add(query(
                            AgentRole.HOST,
                            Command.newBuilder().setPortalList(PortalList.getDefaultInstance()),
                            res -> model.applyPortals(res.getPortalList())));
                }
            }
            case ROUTERS -> {
                if (askable(AgentRole.ROUTER)) {
                    parts.add(routers());
                    parts.add(query(
                            AgentRole.ROUTER,
                            Command.newBuilder().setVpnStatus(VpnStatus.getDefaultInstance()),
                            res -> model.applyVpn(res.getVpnStatus())));
                    parts.add(query(
                            AgentRole.ROUTER,
                            Command.newBuilder().setTorStatus(TorStatus.getDefaultInstance()),
                            res -> model.applyTor(res.getTorStatus())));
                }
            }
            case AGENTS -> {
                updateLinks();
                for (AgentRole role : DashboardModel.AGENTS) {
                    if (askable(role)) {
                        parts.add(status(role));
                    }
                }
            }
            case RTOS -> {
                if (askable(AgentRole.RTOS)) {
                    parts.add(nodes());
                }
            }
            case AUDIT -> {
                for (AgentRole role : DashboardModel.AGENTS) {
                    if (askable(role)) {
                        parts.add(query(
                                role,
                                Command.newBuilder()
                                        .setAuditTail(AuditTail.newBuilder().setLines(DashboardModel.AUDIT_LINES)),
                                res -> model.applyAudit(role, res.getAuditEntries())));
                    }
                }
            }
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .whenComplete((x, t) -> ui.execute(() -> {
                    inFlight.remove(r);
                    if (again.remove(r)) {
                        start(r);
                    }
                }));
    }

    /**
     * Sends one query; on the UI thread applies its result, or records why there is none as the
     * agent's last error. The returned future completes once that is queued.
     */
    private CompletableFuture<Void> query(AgentRole role, Command.Builder command, Consumer<Result> apply) {
        return actions.send(role, command.build()).handle((outcome, failure) -> {
            ui.execute(() -> {
                if (outcome instanceof CommandOutcome.Ok ok) {
                    apply.accept(ok.result());
                } else {
                    Verdict v = outcome != null ? Verdict.of(outcome) : Verdict.of(failure);
                    model.agentError(role, commandLabel(command) + ": " + v.message());
                }
            });
            return null;
        });
    }

    private CompletableFuture<Void> status(AgentRole role) {
        long sent = nanoClock.getAsLong();
        return query(role, Command.newBuilder().setAgentStatus(AgentStatus.getDefaultInstance()), res -> {
            model.applyRoundTrip(role, (nanoClock.getAsLong() - sent) / 1_000_000);
            model.applyAgentStatus(role, res.getAgentStatus());
            model.agentError(role, "");
            if (model.status() == DashboardModel.LOADING) {
                model.status(StatusLine.info(
                        "live: events update this screen; agents are asked again after a reconnect, or g"));
            }
            if (role == AgentRole.HOST && !res.getAgentStatus().getRoutesList().equals(hostRoutes)) {
                hostRoutes = List.copyOf(res.getAgentStatus().getRoutesList());
                // Agents behind the relay became askable (or stopped being): ask them now.
                refresh(EnumSet.of(Refresh.ROUTERS, Refresh.RTOS, Refresh.AGENTS, Refresh.AUDIT));
            }
            subscribe(role);
        });
    }

    /** Opens the event stream of {@code role} once per link: events drive the screen, the poll is the fallback. */
    private void subscribe(AgentRole role) {
        if (!subscribed.add(role)) {
            return;
        }
        actions.send(
                        role,
                        Command.newBuilder()
                                .setAgentSubscribe(AgentSubscribe.getDefaultInstance())
                                .build())
                .handle((outcome, failure) -> {
                    ui.execute(() -> {
                        if (outcome instanceof CommandOutcome.Ok) {
                            model.eventsRefused(role, "");
                            if (subscribed.contains(role)) { // not lost meanwhile
                                eventsLive.add(role);
                            }
                        } else {
                            Verdict v = outcome != null ? Verdict.of(outcome) : Verdict.of(failure);
                            model.eventsRefused(
                                    role,
                                    "refused (" + v.message() + "); polling every "
                                            + Dashboard.POLL_INTERVAL.toSeconds() + " s");
                        }
                    });
                    return null;
                });
    }

    private CompletableFuture<Void> routers() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicBoolean listed = new java.util.concurrent.atomic.AtomicBoolean();
        query(AgentRole.ROUTER, Command.newBuilder().setRouterList(RouterList.getDefaultInstance()), res -> {
                    listed.set(true);
                    model.applyRouters(res.getRouterList());
                    List<CompletableFuture<?>> statuses = new ArrayList<>();
                    for (DashboardModel.RouterRow row : model.routers()) {
                        if (statuses.size() == ROUTER_STATUS_MAX) {
                            break;
                        }
                        statuses.add(query(
                                AgentRole.ROUTER,
                                Command.newBuilder()
                                        .setRouterStatus(
                                                RouterStatus.newBuilder().setName(row.name)),
                                s -> model.applyRouterStatus(s.getRouterStatus())));
                    }
                    CompletableFuture.allOf(statuses.toArray(CompletableFuture[]::new))
                            .whenComplete((x, t) -> done.complete(null));
                })
                .whenComplete((x, t) -> ui.execute(() -> {
                    // When the list failed nothing else was sent: finish here.
                    if (!listed.get()) {
                        done.complete(null);
                    }
                }));
        return done;
    }

    private CompletableFuture<Void> nodes() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicBoolean listed = new java.util.concurrent.atomic.AtomicBoolean();
        query(AgentRole.RTOS, Command.newBuilder().setRtosList(RtosList.getDefaultInstance()), res -> {
                    listed.set(true);
                    model.applyRtosList(res.getRtosList());
                    String node = model.sparkNode();
                    if (node.isEmpty()) {
                        done.complete(null);
                        return;
                    }
                    query(
                                    AgentRole.RTOS,
                                    Command.newBuilder()
                                            .setRtosInfo(RtosInfo.newBuilder().setNode(node)),
                                    i -> model.applyRtosInfo(i.getRtosInfo()))
                            .whenComplete((x, t) -> done.complete(null));
                })
                .whenComplete((x, t) -> ui.execute(() -> {
                    if (!listed.get()) {
                        done.complete(null);
                    }
                }));
        return done;
    }

    /** "portal list" for "PORTAL_LIST": how a failed query is named in the agent's last error. */
    static String commandLabel(Command.Builder command) {
        return command.getKindCase().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
