package org.multiverse.scramble.shell.render;

import static org.multiverse.scramble.protocol.text.EscapeStripper.strip;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.multiverse.scramble.protocol.text.EscapeStripper;
import org.multiverse.scramble.protocol.v1.AgentStatusResult;
import org.multiverse.scramble.protocol.v1.AuditEntry;
import org.multiverse.scramble.protocol.v1.InterfaceInfo;
import org.multiverse.scramble.protocol.v1.PortalInfo;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RouterInfo;
import org.multiverse.scramble.protocol.v1.RouterStatusResult;
import org.multiverse.scramble.protocol.v1.RtosChannelInfo;
import org.multiverse.scramble.protocol.v1.RtosNodeInfo;
import org.multiverse.scramble.protocol.v1.ShareLinkInfo;

/**
 * Renders a result as lines for a person: tables for lists, "key: value" blocks for single
 * things. Every string from the agent goes through {@link EscapeStripper}.
 */
public final class ResultRenderer {

    private final Style style;

    public ResultRenderer(Style style) {
        this.style = style;
    }

    public List<String> render(Result r) {
        return switch (r.getKindCase()) {
            case ACK ->
                List.of(style.green("ok")
                        + (r.getAck().getMessage().isEmpty()
                                ? ""
                                : ": " + strip(r.getAck().getMessage())));
            case PONG ->
                List.of("pong from agent " + strip(r.getPong().getAgentVersion())
                        + (r.getPong().getPayload().isEmpty()
                                ? ""
                                : " (payload: " + strip(r.getPong().getPayload().toString(StandardCharsets.UTF_8))
                                        + ")"));
            case AGENT_STATUS -> agentStatus(r.getAgentStatus());
            case AUDIT_ENTRIES -> audit(r.getAuditEntries().getEntriesList());
            case AUDIT_VERIFY ->
                List.of(
                        r.getAuditVerify().getOk()
                                ? style.green("audit log intact") + ": "
                                        + r.getAuditVerify().getEntriesChecked() + " entries, "
                                        + r.getAuditVerify().getCheckpointsChecked() + " signed checkpoints"
                                        + (r.getAuditVerify().getWitness().isEmpty()
                                                ? ""
                                                : "; "
                                                        + strip(r.getAuditVerify()
                                                                .getWitness()))
                                : style.red("audit log BROKEN")
                                        + (r.getAuditVerify().getFirstBadIndex() > 0
                                                ? " at entry "
                                                        + r.getAuditVerify().getFirstBadIndex()
                                                : "")
                                        + ": " + strip(r.getAuditVerify().getProblem()));
            case PORTAL_LIST -> portals(r.getPortalList().getPortalsList());
            case PORTAL_INFO -> portal(r.getPortalInfo());
            case CONSOLE_LINES ->
                r.getConsoleLines().getLinesList().stream()
                        .map(EscapeStripper::strip)
                        .toList();
            case SNAPSHOT_LIST -> column("TAG", r.getSnapshotList().getTagsList());
            case TEMPLATE_LIST -> column("TEMPLATE", r.getTemplateList().getTemplatesList());
            case SHARE_LIST -> share(r);
            case TEXT -> EscapeStripper.lines(r.getText().getText());
            case ROUTER_LIST -> routers(r.getRouterList().getRoutersList());
            case ROUTER_STATUS -> routerStatus(r.getRouterStatus());
            case VPN_STATUS ->
                block(Map.of(
                        "profile",
                        r.getVpnStatus().getProfile(),
                        "endpoint",
                        r.getVpnStatus().getEndpoint(),
                        "handshake",
                        time(r.getVpnStatus().getLatestHandshakeMillis()),
                        "rx",
                        bytes(r.getVpnStatus().getRxBytes()),
                        "tx",
                        bytes(r.getVpnStatus().getTxBytes())));
            case TOR_STATUS ->
                List.of("tor bootstrap " + r.getTorStatus().getBootstrapPercent() + "%: "
                        + strip(r.getTorStatus().getBootstrapSummary()));
            case VPN_PROFILE_LIST -> column("PROFILE", r.getVpnProfileList().getProfilesList());
            case RTOS_LIST -> nodes(r.getRtosList().getNodesList());
            case RTOS_INFO -> rtosInfo(r);
            case RTOS_VALUE ->
                List.of(strip(r.getRtosValue().getChannel()) + " = "
                        + r.getRtosValue().getValue()
                        + " (node time " + r.getRtosValue().getNodeTimeMicros() + " µs"
                        + (r.getRtosValue().getExecutedAtMicros() != 0
                                ? ", executed at " + r.getRtosValue().getExecutedAtMicros() + " µs"
                                : "")
                        + ")");
            case RTOS_STREAM_REPORT ->
                block(Map.of(
                        "samples",
                        r.getRtosStreamReport().getSamples(),
                        "lost",
                        r.getRtosStreamReport().getLost(),
                        "jitter p50",
                        String.format(
                                Locale.ROOT, "%.1f µs", r.getRtosStreamReport().getJitterP50Micros()),
                        "jitter p99",
                        String.format(
                                Locale.ROOT, "%.1f µs", r.getRtosStreamReport().getJitterP99Micros()),
                        "deadline misses",
                        r.getRtosStreamReport().getDeadlineMisses()));
            case RTOS_TIME_SYNC ->
                List.of("offset " + r.getRtosTimeSync().getOffsetMicros() + " µs, drift "
                        + String.format(Locale.ROOT, "%.2f", r.getRtosTimeSync().getDriftPpm()) + " ppm, round trip "
                        + r.getRtosTimeSync().getRoundTripMicros() + " µs");
            case RTOS_PING -> List.of("round trip " + r.getRtosPing().getRoundTripMicros() + " µs");
            case KIND_NOT_SET -> List.of(style.yellow("(the agent answered with a result this shell does not know)"));
        };
    }

    private List<String> agentStatus(AgentStatusResult s) {
        List<String> out = new ArrayList<>(block(new TreeMap<>(Map.of(
                "agent",
                s.getAgentId(),
                "version",
                s.getVersion(),
                "uptime",
                Duration.ofMillis(s.getUptimeMillis())
                        .withNanos(0)
                        .toString()
                        .substring(2)
                        .toLowerCase(Locale.ROOT),
                "accepted",
                s.getCommandsAccepted()))));
        s.getChannelsList().forEach(c -> out.add("channel:  " + strip(c)));
        s.getRoutesList().forEach(c -> out.add("route:    " + strip(c)));
        new TreeMap<>(s.getTokensLeftMap())
                .forEach((k, v) -> out.add("tokens:   " + strip(k) + " " + String.format(Locale.ROOT, "%.0f", v)));
        new TreeMap<>(s.getRefusalsMap()).forEach((k, v) -> out.add("refused:  " + strip(k) + " " + v));
        return out;
    }

    private List<String> audit(List<AuditEntry> entries) {
        Table t = new Table("#", "TIME", "IDENTITY", "COMMAND", "DECISION", "RESULT", "REASON");
        for (AuditEntry e : entries) {
            String id = e.getIdentity();
            t.row(
                    e.getIndex(),
                    time(e.getTimeMillis()),
                    id.length() > 12 ? id.substring(0, 12) : id,
                    e.getCommand(),
                    org.multiverse.scramble.protocol.agent.audit.AuditDecisions.text(e.getDecision()),
                    e.getResult(),
                    e.getReason());
        }
        return t.render(style);
    }

    private List<String> portals(List<PortalInfo> portals) {
        if (portals.isEmpty()) {
            return List.of("(no portals defined)");
        }
        Table t = new Table("NAME", "STATE", "TEMPLATE", "CPUS", "MEMORY", "NETWORK");
        for (PortalInfo p : portals) {
            t.row(
                    p.getName(),
                    org.multiverse.scramble.protocol.event.PortalRunStates.text(p.getState()),
                    p.getTemplate(),
                    p.getCpus(),
                    p.getMemoryMib() + " MiB",
                    p.getNetwork());
        }
        return t.render(style);
    }

    private List<String> portal(PortalInfo p) {
        Map<String, Object> m = new TreeMap<>();
        m.put("name", p.getName());
        m.put("state", org.multiverse.scramble.protocol.event.PortalRunStates.text(p.getState()));
        m.put("type", p.getType());
        m.put("template", p.getTemplate());
        m.put("cpus", p.getCpus());
        m.put("memory", p.getMemoryMib() + " MiB");
        m.put("network", p.getNetwork());
        m.put("ephemeral", p.getEphemeral());
        if (p.getPid() != 0) {
            m.put("pid", p.getPid());
        }
        if (!p.getLastEvent().isEmpty()) {
            m.put("last event", p.getLastEvent());
        }
        List<String> out = new ArrayList<>(block(m));
        p.getWarningsList().forEach(w -> out.add(style.yellow("warning: ") + strip(w)));
        return out;
    }

    private List<String> share(Result r) {
        var s = r.getShareList();
        List<String> out = new ArrayList<>();
        out.add("portal " + strip(s.getPortal()) + ", 9p tag " + strip(s.getMountTag()));
        Table t = new Table("NAME", "HOST PATH", "MODE");
        for (ShareLinkInfo l : s.getLinksList()) {
            t.row(l.getAsName(), l.getHostPath(), l.getReadOnly() ? "ro" : "rw");
        }
        out.addAll(t.size() == 0 ? List.of("(nothing linked)") : t.render(style));
        return out;
    }

    private List<String> routers(List<RouterInfo> routers) {
        Table t = new Table("NAME", "ROLE", "STATE");
        for (RouterInfo r : routers) {
            t.row(r.getName(), r.getRole(), r.getUp() ? "up" : "down");
        }
        return t.render(style);
    }

    private List<String> routerStatus(RouterStatusResult s) {
        List<String> out = new ArrayList<>();
        out.add(strip(s.getName()) + ": " + (s.getUp() ? style.green("up") : style.red("down")));
        out.add("chain: " + (s.getChainOk() ? "ok" : style.red("BROKEN")) + " " + strip(s.getChainDetail()));
        out.add("dns:   " + (s.getDnsOk() ? "ok" : style.red("failing")) + " " + strip(s.getDnsDetail()));
        Table t = new Table("INTERFACE", "STATE", "ADDRESSES", "RX", "TX");
        for (InterfaceInfo i : s.getInterfacesList()) {
            t.row(
                    i.getName(),
                    i.getUp() ? "up" : "down",
                    String.join(" ", i.getAddressesList()),
                    bytes(i.getRxBytes()),
                    bytes(i.getTxBytes()));
        }
        out.addAll(t.render(style));
        return out;
    }

    private List<String> nodes(List<RtosNodeInfo> nodes) {
        Table t = new Table("NODE", "LINK", "BOARD", "FIRMWARE", "CLOCK OFFSET", "FAILSAFE");
        for (RtosNodeInfo n : nodes) {
            t.row(
                    n.getName(),
                    n.getLinkUp() ? "up" : "down",
                    n.getBoard(),
                    n.getFirmware(),
                    n.getClockOffsetMicros() + " µs",
                    n.getFailsafe() ? "YES" : "no");
        }
        return t.render(style);
    }

    private List<String> rtosInfo(Result r) {
        var i = r.getRtosInfo();
        List<String> out = new ArrayList<>(nodes(List.of(i.getNode())));
        out.add("node id " + strip(i.getNodeId()) + ", clock " + i.getClockHz() + " Hz, capabilities "
                + strip(String.join(" ", i.getCapabilitiesList())));
        Table t = new Table("CHANNEL", "ACCESS", "UNIT");
        for (RtosChannelInfo c : i.getChannelsList()) {
            t.row(c.getName(), c.getWritable() ? "read/write" : "read", c.getUnit());
        }
        out.addAll(t.render(style));
        return out;
    }

    private List<String> column(String header, List<String> values) {
        Table t = new Table(header);
        values.forEach(v -> t.row(v));
        return t.render(style);
    }

    private static List<String> block(Map<String, ?> fields) {
        int w = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        List<String> out = new ArrayList<>();
        new TreeMap<>(fields)
                .forEach((k, v) -> out.add(k + ":" + " ".repeat(w - k.length() + 1) + strip(String.valueOf(v))));
        return out;
    }

    private static String time(long millis) {
        return millis == 0 ? "-" : Instant.ofEpochMilli(millis).toString();
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
