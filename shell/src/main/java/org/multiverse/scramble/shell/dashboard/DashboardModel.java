package org.multiverse.scramble.shell.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.multiverse.scramble.protocol.client.LinkState;
import org.multiverse.scramble.protocol.session.EventCounts;
import org.multiverse.scramble.protocol.text.EscapeStripper;
import org.multiverse.scramble.protocol.v1.AgentStatusResult;
import org.multiverse.scramble.protocol.v1.AuditEntries;
import org.multiverse.scramble.protocol.v1.AuditEntry;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.InterfaceInfo;
import org.multiverse.scramble.protocol.v1.PortalInfo;
import org.multiverse.scramble.protocol.v1.PortalListResult;
import org.multiverse.scramble.protocol.v1.RouterInfo;
import org.multiverse.scramble.protocol.v1.RouterListResult;
import org.multiverse.scramble.protocol.v1.RouterStatusResult;
import org.multiverse.scramble.protocol.v1.RtosChannelInfo;
import org.multiverse.scramble.protocol.v1.RtosInfoResult;
import org.multiverse.scramble.protocol.v1.RtosListResult;
import org.multiverse.scramble.protocol.v1.RtosNodeInfo;
import org.multiverse.scramble.protocol.v1.RtosStreamReport;
import org.multiverse.scramble.protocol.v1.TorStatusResult;
import org.multiverse.scramble.protocol.v1.VpnStatusResult;
import org.multiverse.scramble.shell.registry.AgentRole;

/**
 * Everything the dashboard shows, as plain state: updated from command results and events,
 * read by the renderer, changed by the controller. Not thread-safe by design: only the
 * dashboard's UI thread touches it (results and events are handed to that thread first).
 *
 * <p>Agent-supplied text is kept as received and stripped of terminal escapes when drawn
 * ({@link Cells#fit}); what the model derives from it (a router's last action, a portal's last
 * event) is stripped here as well.
 */
public final class DashboardModel {

    /** Audit entries kept across agents: more than the tallest screen shows. */
    static final int AUDIT_KEEP = 200;
    /** Entries asked of each agent's audit tail. */
    static final int AUDIT_LINES = 50;
    /** Sparkline samples kept: wider than a 200-column screen. */
    static final int SAMPLES_KEEP = 256;
    /** Longest filter a person can type: the filter line is one row. */
    static final int FILTER_MAX = 64;
    /** Most portals, routers or nodes kept from one answer: a hostile agent cannot grow the model without bound. */
    static final int ROWS_MAX = 1000;

    /** The agents a dashboard knows about (ANY is not an agent). */
    static final List<AgentRole> AGENTS = List.of(AgentRole.HOST, AgentRole.ROUTER, AgentRole.RTOS);

    /** How the portal table is ordered; {@code o} cycles. */
    enum PortalSort {
        NAME,
        STATE,
        TEMPLATE,
        UPTIME;

        PortalSort next() {
            return values()[(ordinal() + 1) % values().length];
        }
    }

    /** One agent's link as the dashboard sees it. */
    static final class AgentRow {
        boolean configured;
        /** False while the agent sits behind a relay that has not named its route. */
        boolean routed = true;

        LinkState state;
        String via = "";
        final RoundTrips roundTrips = new RoundTrips();
        Map<String, Double> tokens = Map.of();
        Map<String, Long> refusals = Map.of();
        String lastError = "";
        /** Why this link has no event stream ("" while it has one or it is not known yet). */
        String events = "";
        /** Events this shell dropped on the link, by reason (stranger, does not open…). */
        EventCounts eventCounts = EventCounts.NONE;

        String version = "";
        long uptimeMillis;
    }

    /** One router: from the list, its status and its events. */
    static final class RouterRow {
        final String name;
        String role = "";
        boolean up;
        long rxBytes;
        long txBytes;
        String lastAction = "";

        RouterRow(String name) {
            this.name = name;
        }
    }

    /** One RTOS node with its stream report. */
    static final class NodeRow {
        RtosNodeInfo info;
        List<String> channels = List.of();
        RtosStreamReport report;
        String reportChannel = "";

        NodeRow(RtosNodeInfo info) {
            this.info = info;
        }
    }

    /** An audit entry and the agent that wrote it. */
    record AuditLine(AgentRole agent, AuditEntry entry) {}

    private final String identity;
    private final Map<String, PortalInfo> portals = new LinkedHashMap<>();
    private final Map<String, String> portalEvents = new LinkedHashMap<>();
    private final Map<String, RouterRow> routers = new LinkedHashMap<>();
    private VpnStatusResult vpn;
    private TorStatusResult tor;
    private final Map<AgentRole, AgentRow> agents = new EnumMap<>(AgentRole.class);
    private final Map<String, NodeRow> nodes = new TreeMap<>();
    private String sparkNode = "";
    private String sparkChannel = "";
    private final List<Double> samples = new ArrayList<>();
    private StreamProgress stream;
    private final Map<AgentRole, List<AuditEntry>> audit = new EnumMap<>(AgentRole.class);

    private Pane focus = Pane.PORTALS;
    private final Map<Pane, Integer> selected = new EnumMap<>(Pane.class);
    private PortalSort sort = PortalSort.NAME;
    private String filter = "";
    private StringBuilder filterDraft;
    /** The status until the first answer arrives. */
    static final StatusLine LOADING = StatusLine.info("loading…");

    private StatusLine status = LOADING;
    private Confirmation pending;

    /** @param identity shown in the header: the person's short ID, and "DEMO" for a throwaway one */
    public DashboardModel(String identity) {
        this.identity = identity;
        for (AgentRole r : AGENTS) {
            agents.put(r, new AgentRow());
        }
    }

    String identity() {
        return identity;
    }

    // ------------------------------------------------------------------ results

    void applyPortals(PortalListResult r) {
        portals.clear();
        for (PortalInfo p : r.getPortalsList()) {
            if (portals.size() == ROWS_MAX) {
                break;
            }
            portals.put(p.getName(), p);
        }
        portalEvents.keySet().retainAll(portals.keySet());
        clampSelection(Pane.PORTALS);
    }

    void applyRouters(RouterListResult r) {
        Map<String, RouterRow> old = new LinkedHashMap<>(routers);
        routers.clear();
        for (RouterInfo i : r.getRoutersList()) {
            if (routers.size() == ROWS_MAX) {
                break;
            }
            RouterRow row = old.getOrDefault(i.getName(), new RouterRow(i.getName()));
            row.role = i.getRole();
            row.up = i.getUp();
            routers.put(i.getName(), row);
        }
        clampSelection(Pane.ROUTERS);
    }

    void applyRouterStatus(RouterStatusResult s) {
        RouterRow row = routers.get(s.getName());
        if (row == null) {
            return;
        }
        row.up = s.getUp();
        long rx = 0;
        long tx = 0;
        for (InterfaceInfo i : s.getInterfacesList()) {
            rx += i.getRxBytes();
            tx += i.getTxBytes();
        }
        row.rxBytes = rx;
        row.txBytes = tx;
    }

    void applyVpn(VpnStatusResult v) {
        this.vpn = v;
    }

    void applyTor(TorStatusResult t) {
        this.tor = t;
    }

    /** What the client sees of a link; {@code state} null while it is not opened. */
    void applyLink(AgentRole role, boolean configured, boolean routed, LinkState state, String via) {
        AgentRow a = agents.get(role);
        if (a == null) {
            return;
        }
        a.configured = configured;
        a.routed = routed;
        a.state = state;
        a.via = via == null ? "" : via;
    }

    /** What the shell's link to {@code role} did with events; null (not opened) counts as none. */
    void applyEventCounts(AgentRole role, EventCounts counts) {
        AgentRow a = agents.get(role);
        if (a != null) {
            a.eventCounts = counts == null ? EventCounts.NONE : counts;
        }
    }

    /** The time one signed command took to {@code role} and back (sign, send, run, seal, open). */
    void applyRoundTrip(AgentRole role, long millis) {
        AgentRow a = agents.get(role);
        if (a != null) {
            a.roundTrips.add(millis);
        }
    }

    void applyAgentStatus(AgentRole role, AgentStatusResult s) {
        AgentRow a = agents.get(role);
        if (a == null) {
            return;
        }
        a.tokens = new TreeMap<>(s.getTokensLeftMap());
        a.refusals = new TreeMap<>(s.getRefusalsMap());
        a.version = s.getVersion();
        a.uptimeMillis = s.getUptimeMillis();
    }

    /** The last thing that went wrong talking to {@code role}; "" clears it. */
    void agentError(AgentRole role, String message) {
        AgentRow a = agents.get(role);
        if (a != null) {
            a.lastError = EscapeStripper.strip(message);
        }
    }

    /** Why {@code role}'s events cannot be had ("" when subscribed). */
    void eventsRefused(AgentRole role, String why) {
        AgentRow a = agents.get(role);
        if (a != null) {
            a.events = EscapeStripper.strip(why);
        }
    }

    void applyRtosList(RtosListResult r) {
        Map<String, NodeRow> old = new TreeMap<>(nodes);
        nodes.clear();
        for (RtosNodeInfo n : r.getNodesList()) {
            if (nodes.size() == ROWS_MAX) {
                break;
            }
            NodeRow row = old.get(n.getName());
            if (row == null) {
                row = new NodeRow(n);
            }
            row.info = n;
            nodes.put(n.getName(), row);
        }
        clampSelection(Pane.RTOS);
        if (!nodes.containsKey(sparkNode)) {
            follow(nodes.isEmpty() ? "" : nodes.keySet().iterator().next(), "");
        }
    }

    void applyRtosInfo(RtosInfoResult r) {
        NodeRow row = nodes.get(r.getNode().getName());
        if (row == null) {
            return;
        }
        List<String> channels = new ArrayList<>();
        for (RtosChannelInfo c : r.getChannelsList()) {
            if (channels.size() == ROWS_MAX) {
                break;
            }
            channels.add(c.getName());
        }
        row.channels = channels;
        if (row.info.getName().equals(sparkNode) && sparkChannel.isEmpty() && !channels.isEmpty()) {
            sparkChannel = channels.get(0);
        }
    }

    void applyStreamReport(String node, String channel, RtosStreamReport report) {
        NodeRow row = nodes.get(node);
        if (row != null) {
            row.report = report;
            row.reportChannel = channel;
        }
    }

    /** A sample of {@code node}/{@code channel}; kept only for the channel the sparkline follows. */
    void applySample(String node, String channel, double value) {
        if (!node.equals(sparkNode) || !channel.equals(sparkChannel)) {
            return;
        }
        if (samples.size() == SAMPLES_KEEP) {
            samples.remove(0);
        }
        samples.add(value);
    }

    /** How the stream feeding the sparkline goes (its problem text stripped: it may quote the agent). */
    void applyStreamProgress(StreamProgress p) {
        boolean another = stream == null
                || stream.streamId() != p.streamId()
                || !stream.node().equals(p.node())
                || !stream.channel().equals(p.channel());
        if (another && p.node().equals(sparkNode) && p.channel().equals(sparkChannel)) {
            // A new stream of the followed channel: the sparkline shows this stream, not the last one's tail.
            samples.clear();
        }
        stream = new StreamProgress(
                p.node(),
                p.channel(),
                p.streamId(),
                p.shown(),
                p.lost(),
                p.unopened(),
                p.ended(),
                EscapeStripper.strip(p.problem()));
    }

    void applyAudit(AgentRole role, AuditEntries entries) {
        List<AuditEntry> list = entries.getEntriesList();
        audit.put(role, new ArrayList<>(list.subList(Math.max(0, list.size() - AUDIT_KEEP), list.size())));
    }

    /**
     * Applies an opened event; returns what should be queried again to be exact (the event
     * itself updates what it can at once, so the screen changes before the query answers).
     */
    Set<Refresh> applyEvent(EventBody e) {
        String kind = org.multiverse.scramble.protocol.event.EventKinds.dotted(e.getKind());
        String subject = e.getSubject();
        String text = EscapeStripper.strip(e.getText());
        if (kind.startsWith("portal.")) {
            PortalInfo p = portals.get(subject);
            String event = e.getAttributesOrDefault("event", kind.substring("portal.".length()));
            portalEvents.put(subject, EscapeStripper.strip(text.isEmpty() ? event : event + ": " + text));
            org.multiverse.scramble.protocol.v1.PortalRunState state = stateAfter(event);
            if (p != null && state != null) {
                portals.put(subject, p.toBuilder().setState(state).build());
            }
            return EnumSet.of(Refresh.PORTALS, Refresh.AUDIT);
        }
        if (kind.startsWith("router.")) {
            RouterRow r = routers.get(subject);
            if (r != null) {
                String up = e.getAttributesOrDefault("up", "");
                if (up.equals("true") || up.equals("false")) {
                    r.up = Boolean.parseBoolean(up);
                }
                r.lastAction = text;
            }
            return EnumSet.of(Refresh.ROUTERS, Refresh.AUDIT);
        }
        if (SampleFeed.handles(e)) {
            // Stream events are the SampleFeed's: a batch of samples changes nothing a query would show.
            return EnumSet.noneOf(Refresh.class);
        }
        if (kind.startsWith("rtos.")) {
            return EnumSet.of(Refresh.RTOS);
        }
        status = StatusLine.info(Cells.cut(kind + " " + subject + (text.isEmpty() ? "" : ": " + text), 200));
        return EnumSet.of(Refresh.AGENTS, Refresh.AUDIT);
    }

    /** The portal state a life-cycle event leaves behind (the next portal list confirms it), or null. */
    static org.multiverse.scramble.protocol.v1.PortalRunState stateAfter(String event) {
        return switch (event.toLowerCase(Locale.ROOT)) {
            case "started", "adopted", "resume", "resumed" ->
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING;
            case "exited", "shutdown" -> org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_STOPPED;
            case "stop", "paused" -> org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_PAUSED;
            case "crashed" -> org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_CRASHED;
            default -> null;
        };
    }

    // ------------------------------------------------------------------ views

    /** The portals as the table shows them: filtered, then sorted. */
    List<PortalInfo> visiblePortals() {
        String f = filter.toLowerCase(Locale.ROOT);
        Comparator<PortalInfo> order = switch (sort) {
            case NAME -> Comparator.comparing(PortalInfo::getName);
            case STATE ->
                Comparator.comparing((PortalInfo p) ->
                                org.multiverse.scramble.protocol.event.PortalRunStates.text(p.getState()))
                        .thenComparing(PortalInfo::getName);
            case TEMPLATE -> Comparator.comparing(PortalInfo::getTemplate).thenComparing(PortalInfo::getName);
            case UPTIME ->
                Comparator.comparingLong(PortalInfo::getUptimeMillis).reversed().thenComparing(PortalInfo::getName);
        };
        return portals.values().stream()
                .filter(p -> f.isEmpty()
                        || (p.getName() + " " + p.getTemplate() + " "
                                        + org.multiverse.scramble.protocol.event.PortalRunStates.text(p.getState())
                                        + " " + p.getNetwork())
                                .toLowerCase(Locale.ROOT)
                                .contains(f))
                .sorted(order)
                .toList();
    }

    /** The last event of a portal: the newest seen as an event, else what the agent reported. */
    String lastEvent(PortalInfo p) {
        return portalEvents.getOrDefault(p.getName(), p.getLastEvent());
    }

    List<RouterRow> routers() {
        return List.copyOf(routers.values());
    }

    Optional<VpnStatusResult> vpn() {
        return Optional.ofNullable(vpn);
    }

    Optional<TorStatusResult> tor() {
        return Optional.ofNullable(tor);
    }

    AgentRow agent(AgentRole role) {
        return agents.get(role);
    }

    List<NodeRow> nodes() {
        return List.copyOf(nodes.values());
    }

    String sparkNode() {
        return sparkNode;
    }

    String sparkChannel() {
        return sparkChannel;
    }

    List<Double> samples() {
        return List.copyOf(samples);
    }

    /** The stream feeding the sparkline, when it is of the followed node and channel. */
    Optional<StreamProgress> streamProgress() {
        return stream != null
                        && stream.node().equals(sparkNode)
                        && stream.channel().equals(sparkChannel)
                ? Optional.of(stream)
                : Optional.empty();
    }

    /** Every agent's entries, oldest first (by time, then agent, then index). */
    List<AuditLine> auditLines() {
        List<AuditLine> all = new ArrayList<>();
        audit.forEach((role, list) -> list.forEach(e -> all.add(new AuditLine(role, e))));
        all.sort(Comparator.comparingLong((AuditLine l) -> l.entry().getTimeMillis())
                .thenComparing(l -> l.agent().ordinal())
                .thenComparingLong(l -> l.entry().getIndex()));
        return all.subList(Math.max(0, all.size() - AUDIT_KEEP), all.size());
    }

    // ------------------------------------------------------------------ selection and prompts

    Pane focus() {
        return focus;
    }

    void focus(Pane p) {
        focus = p;
    }

    int selected(Pane p) {
        return selected.getOrDefault(p, 0);
    }

    /** Moves the focused section's selection by {@code delta} rows, within its rows. */
    void moveSelection(int delta) {
        int n = rows(focus);
        selected.put(focus, n == 0 ? 0 : Math.max(0, Math.min(n - 1, selected(focus) + delta)));
    }

    private void clampSelection(Pane p) {
        int n = rows(p);
        selected.put(p, n == 0 ? 0 : Math.min(selected(p), n - 1));
    }

    private int rows(Pane p) {
        return switch (p) {
            case PORTALS -> visiblePortals().size();
            case ROUTERS -> routers.size();
            case AGENTS -> AGENTS.size();
            case RTOS -> nodes.size();
            case AUDIT -> auditLines().size();
        };
    }

    Optional<PortalInfo> selectedPortal() {
        List<PortalInfo> v = visiblePortals();
        int i = selected(Pane.PORTALS);
        return i < v.size() ? Optional.of(v.get(i)) : Optional.empty();
    }

    Optional<RouterRow> selectedRouter() {
        List<RouterRow> v = routers();
        int i = selected(Pane.ROUTERS);
        return i < v.size() ? Optional.of(v.get(i)) : Optional.empty();
    }

    Optional<NodeRow> selectedNode() {
        List<NodeRow> v = nodes();
        int i = selected(Pane.RTOS);
        return i < v.size() ? Optional.of(v.get(i)) : Optional.empty();
    }

    /** Makes the sparkline follow {@code node}/{@code channel} ("" = its first channel); clears old samples. */
    void follow(String node, String channel) {
        if (node.equals(sparkNode) && channel.equals(sparkChannel)) {
            return;
        }
        sparkNode = node;
        NodeRow row = nodes.get(node);
        sparkChannel = channel.isEmpty() && row != null && !row.channels.isEmpty() ? row.channels.get(0) : channel;
        samples.clear();
    }

    PortalSort sort() {
        return sort;
    }

    void cycleSort() {
        sort = sort.next();
        clampSelection(Pane.PORTALS);
    }

    String filter() {
        return filter;
    }

    /** The filter being typed, or null when none is. */
    String filterDraft() {
        return filterDraft == null ? null : filterDraft.toString();
    }

    void startFilter() {
        filterDraft = new StringBuilder(filter);
    }

    void typeFilter(char c) {
        if (filterDraft != null
                && filterDraft.length() < FILTER_MAX
                && c >= 0x20
                && c != 0x7f
                && !Character.isISOControl(c)) {
            filterDraft.append(c);
        }
    }

    void eraseFilter() {
        if (filterDraft != null && !filterDraft.isEmpty()) {
            filterDraft.setLength(filterDraft.length() - 1);
        }
    }

    /** Ends typing: {@code keep} applies the draft, otherwise the filter is cleared. */
    void endFilter(boolean keep) {
        filter = keep && filterDraft != null ? filterDraft.toString().strip() : "";
        filterDraft = null;
        clampSelection(Pane.PORTALS);
    }

    StatusLine status() {
        return status;
    }

    void status(StatusLine s) {
        status = s;
    }

    Optional<Confirmation> pending() {
        return Optional.ofNullable(pending);
    }

    void pending(Confirmation c) {
        pending = c;
    }
}
