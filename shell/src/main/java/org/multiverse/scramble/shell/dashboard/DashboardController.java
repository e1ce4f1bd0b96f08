package org.multiverse.scramble.shell.dashboard;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.PortalInfo;
import org.multiverse.scramble.protocol.v1.PortalReset;
import org.multiverse.scramble.protocol.v1.PortalStart;
import org.multiverse.scramble.protocol.v1.PortalStop;
import org.multiverse.scramble.protocol.v1.RouterRestart;
import org.multiverse.scramble.protocol.v1.RtosStream;
import org.multiverse.scramble.protocol.v1.TorNewnym;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.shell.run.Verdict;

/**
 * Maps keys to what they do: move, sort, filter, and the actions on the selected row. Every
 * action changes state somewhere, so each one first asks ({@code y} sends, {@code n} or Esc
 * does not); the signed command goes through {@link DashboardActions} and its result, or the
 * refusal and its reason, lands in the status bar. Runs on the UI thread.
 */
final class DashboardController {

    /**
     * A stream started from the dashboard: 25 samples a second for ten seconds, enough to see a
     * trend. The bridge relays samples 50 to an event, so at this rate the line moves every 2 s.
     */
    static final int STREAM_HZ = 25;

    static final int STREAM_SECONDS = 10;
    /** Rows PageUp and PageDown move. */
    static final int PAGE = 10;

    /** The footer's key help per section, and for prompts. */
    static final String KEYS_COMMON = "Tab section  ↑↓ select  g refresh  q quit";

    static final String KEYS_PORTALS = "s start  x stop  r reset  o sort  / filter";
    static final String KEYS_ROUTERS = "r restart router  n new Tor identity";
    static final String KEYS_RTOS = "Enter follow  c channel  t stream";
    static final String KEYS_CONFIRM = "y send   n cancel";
    static final String KEYS_FILTER = "type to filter  Enter keep  Esc clear";

    private final DashboardModel model;
    private final DashboardActions actions;
    private final Refresher refresher;
    private final Executor ui;
    private final SampleFeed feed;

    /** @param feed told of each stream the person starts, so that its sealed samples are opened */
    DashboardController(
            DashboardModel model, DashboardActions actions, Refresher refresher, Executor ui, SampleFeed feed) {
        this.model = model;
        this.actions = actions;
        this.refresher = refresher;
        this.ui = ui;
        this.feed = feed;
    }

    /** The footer for the current section and mode. */
    static String footer(DashboardModel m) {
        if (m.pending().isPresent()) {
            return KEYS_CONFIRM;
        }
        if (m.filterDraft() != null) {
            return KEYS_FILTER;
        }
        String own = switch (m.focus()) {
            case PORTALS -> KEYS_PORTALS;
            case ROUTERS -> KEYS_ROUTERS;
            case RTOS -> KEYS_RTOS;
            default -> "";
        };
        return own.isEmpty() ? KEYS_COMMON : own + "  " + KEYS_COMMON;
    }

    /** Handles one key; returns false when the dashboard should end. */
    boolean handle(KeyStroke key) {
        if (key == null || key.getKeyType() == KeyType.EOF || isCtrlC(key)) {
            return false;
        }
        if (model.pending().isPresent()) {
            confirmKey(key);
            return true;
        }
        if (model.filterDraft() != null) {
            filterKey(key);
            return true;
        }
        switch (key.getKeyType()) {
            case Tab -> model.focus(model.focus().next());
            case ReverseTab -> model.focus(model.focus().previous());
            case ArrowUp -> model.moveSelection(-1);
            case ArrowDown -> model.moveSelection(1);
            case PageUp -> model.moveSelection(-PAGE);
            case PageDown -> model.moveSelection(PAGE);
            case Escape -> model.endFilter(false);
            case Enter -> follow();
            case Character -> {
                return characterKey(key.getCharacter());
            }
            default -> {}
        }
        return true;
    }

    private static boolean isCtrlC(KeyStroke key) {
        return key.getKeyType() == KeyType.Character
                && key.isCtrlDown()
                && Character.toLowerCase(key.getCharacter()) == 'c';
    }

    private boolean characterKey(char c) {
        switch (c) {
            case 'q' -> {
                return false;
            }
            case 'j' -> model.moveSelection(1);
            case 'k' -> model.moveSelection(-1);
            case 'g' -> {
                model.status(StatusLine.info("refreshing…"));
                refresher.refreshAll();
            }
            default -> paneKey(c);
        }
        return true;
    }

    private void paneKey(char c) {
        switch (model.focus()) {
            case PORTALS -> {
                switch (c) {
                    case 'o' -> {
                        model.cycleSort();
                        model.status(StatusLine.info(
                                "portals sorted by " + model.sort().name().toLowerCase()));
                    }
                    case '/' -> model.startFilter();
                    case 's' ->
                        portal(
                                "start",
                                p -> Command.newBuilder()
                                        .setPortalStart(PortalStart.newBuilder().setName(p))
                                        .build());
                    case 'x' ->
                        portal(
                                "stop",
                                p -> Command.newBuilder()
                                        .setPortalStop(PortalStop.newBuilder().setName(p))
                                        .build());
                    case 'r' ->
                        portal(
                                "reset",
                                p -> Command.newBuilder()
                                        .setPortalReset(PortalReset.newBuilder().setName(p))
                                        .build());
                    default -> {}
                }
            }
            case ROUTERS -> {
                switch (c) {
                    case 'r' ->
                        model.selectedRouter()
                                .ifPresentOrElse(
                                        r -> ask(new Confirmation(
                                                "restart router " + r.name + "?",
                                                AgentRole.ROUTER,
                                                Command.newBuilder()
                                                        .setRouterRestart(RouterRestart.newBuilder()
                                                                .setName(r.name))
                                                        .build(),
                                                "restart " + r.name,
                                                Refresh.ROUTERS)),
                                        () -> nothingSelected("router"));
                    case 'n' ->
                        ask(new Confirmation(
                                "ask Tor for a new identity (new circuits)?",
                                AgentRole.ROUTER,
                                Command.newBuilder()
                                        .setTorNewnym(TorNewnym.getDefaultInstance())
                                        .build(),
                                "new Tor identity",
                                Refresh.ROUTERS));
                    default -> {}
                }
            }
            case RTOS -> {
                switch (c) {
                    case 'c' -> nextChannel();
                    case 't' -> stream();
                    default -> {}
                }
            }
            default -> {}
        }
    }

    private void portal(String verb, java.util.function.Function<String, Command> build) {
        Optional<PortalInfo> p = model.selectedPortal();
        if (p.isEmpty()) {
            nothingSelected("portal");
            return;
        }
        String name = p.get().getName();
        ask(new Confirmation(
                verb + " portal " + name + "?", AgentRole.HOST, build.apply(name), verb + " " + name, Refresh.PORTALS));
    }

    private void follow() {
        if (model.focus() == Pane.RTOS) {
            model.selectedNode().ifPresent(n -> {
                model.follow(n.info.getName(), "");
                refresher.refresh(EnumSet.of(Refresh.RTOS));
            });
        }
    }

    private void nextChannel() {
        Optional<DashboardModel.NodeRow> row = model.nodes().stream()
                .filter(n -> n.info.getName().equals(model.sparkNode()))
                .findFirst();
        if (row.isEmpty() || row.get().channels.isEmpty()) {
            model.status(StatusLine.info("no channels known for " + model.sparkNode()));
            return;
        }
        List<String> channels = row.get().channels;
        int i = channels.indexOf(model.sparkChannel());
        model.follow(model.sparkNode(), channels.get((i + 1) % channels.size()));
    }

    private void stream() {
        String node = model.sparkNode();
        String channel = model.sparkChannel();
        if (node.isEmpty() || channel.isEmpty()) {
            nothingSelected("node channel");
            return;
        }
        ask(new Confirmation(
                "stream " + node + "/" + channel + " at " + STREAM_HZ + " Hz for " + STREAM_SECONDS + " s?",
                AgentRole.RTOS,
                Command.newBuilder()
                        .setRtosStream(RtosStream.newBuilder()
                                .setNode(node)
                                .setChannel(channel)
                                .setHz(STREAM_HZ)
                                .setSeconds(STREAM_SECONDS))
                        .build(),
                "stream " + node + "/" + channel,
                Refresh.RTOS));
    }

    private void nothingSelected(String what) {
        model.status(new StatusLine("no " + what + " selected", StatusLine.Kind.FAILED));
    }

    private void ask(Confirmation c) {
        model.pending(c);
    }

    private void confirmKey(KeyStroke key) {
        Confirmation c = model.pending().orElseThrow();
        if (key.getKeyType() == KeyType.Character && Character.toLowerCase(key.getCharacter()) == 'y') {
            model.pending(null);
            send(c);
        } else if (key.getKeyType() == KeyType.Escape
                || (key.getKeyType() == KeyType.Character
                        && (Character.toLowerCase(key.getCharacter()) == 'n' || key.getCharacter() == 'q'))) {
            model.pending(null);
            model.status(StatusLine.info(c.what() + ": cancelled, nothing sent"));
        }
    }

    private void filterKey(KeyStroke key) {
        switch (key.getKeyType()) {
            case Character -> model.typeFilter(key.getCharacter());
            case Backspace -> model.eraseFilter();
            case Enter -> model.endFilter(true);
            case Escape -> model.endFilter(false);
            default -> {}
        }
    }

    /** Signs and sends a confirmed command; the answer goes to the status bar. */
    private void send(Confirmation c) {
        model.status(
                StatusLine.info(c.what() + ": sent, waiting for the " + c.role().text() + " agent…"));
        if (c.command().hasRtosStream()) {
            // Before sending: the stream's start event may arrive before the send returns.
            feed.expect(
                    c.command().getRtosStream().getNode(),
                    c.command().getRtosStream().getChannel());
        }
        actions.send(c.role(), c.command()).handle((outcome, failure) -> {
            ui.execute(() -> answered(c, outcome, failure));
            return null;
        });
    }

    private void answered(Confirmation c, CommandOutcome outcome, Throwable failure) {
        if (outcome instanceof CommandOutcome.Ok ok) {
            String msg = ok.result().hasAck() ? ok.result().getAck().getMessage() : "";
            if (ok.result().hasRtosStreamReport() && c.command().hasRtosStream()) {
                model.applyStreamReport(
                        c.command().getRtosStream().getNode(),
                        c.command().getRtosStream().getChannel(),
                        ok.result().getRtosStreamReport());
            }
            model.status(
                    new StatusLine(c.what() + ": done" + (msg.isEmpty() ? "" : " (" + msg + ")"), StatusLine.Kind.OK));
        } else {
            if (c.command().hasRtosStream()) {
                feed.notComing(
                        c.command().getRtosStream().getNode(),
                        c.command().getRtosStream().getChannel());
            }
            Verdict v = outcome != null ? Verdict.of(outcome) : Verdict.of(failure);
            boolean refused = v.exitCode() == org.multiverse.scramble.shell.ExitCodes.REFUSED;
            model.status(new StatusLine(
                    c.what() + (refused ? ": REFUSED " : ": FAILED ") + v.code() + ": " + v.message(),
                    refused ? StatusLine.Kind.REFUSED : StatusLine.Kind.FAILED));
        }
        refresher.refresh(EnumSet.of(c.refreshes(), Refresh.AGENTS, Refresh.AUDIT));
    }
}
