package org.multiverse.scramble.shell.interactive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.multiverse.scramble.protocol.text.EscapeStripper;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.PortalList;
import org.multiverse.scramble.protocol.v1.PortalSnapshotList;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RouterList;
import org.multiverse.scramble.protocol.v1.RtosInfo;
import org.multiverse.scramble.protocol.v1.RtosList;
import org.multiverse.scramble.protocol.v1.TemplateList;
import org.multiverse.scramble.protocol.v1.VpnProfileList;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.shell.registry.LiveName;

/**
 * Names the agents know, for completion: fetched with the same signed list commands a person
 * could type ({@code portal list}, {@code router list}, {@code rtos info NODE}...) and cached for
 * {@link #TTL_MILLIS}, so pressing Tab twice does not cost two round trips and two tokens.
 * Names are stripped of escapes and must look like names, or they are not offered.
 */
public final class LiveNames {

    /** How long fetched names are reused: long enough for a burst of Tabs, short enough to see a new portal. */
    public static final long TTL_MILLIS = 5_000;

    /** Sends one list command; empty when the agent cannot be reached or refuses. */
    @FunctionalInterface
    public interface Fetcher {
        Optional<Result> fetch(AgentRole role, Command command);
    }

    private record Entry(long fetchedMillis, List<String> names) {}

    private final Fetcher fetcher;
    private final LongSupplier clockMillis;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public LiveNames(Fetcher fetcher, LongSupplier clockMillis) {
        this.fetcher = fetcher;
        this.clockMillis = clockMillis;
    }

    /**
     * The names of {@code kind}; {@code context} is the node for channels, the portal for
     * snapshots, else ignored.
     */
    public List<String> names(LiveName kind, String context) {
        String key = kind + "/" + (context == null ? "" : context);
        long now = clockMillis.getAsLong();
        Entry e = cache.get(key);
        if (e != null && now - e.fetchedMillis() < TTL_MILLIS) {
            return e.names();
        }
        List<String> names = fetch(kind, context);
        cache.put(key, new Entry(now, names));
        return names;
    }

    /** Forgets everything (after a command that changed state, so a new portal shows at once). */
    public void invalidate() {
        cache.clear();
    }

    private List<String> fetch(LiveName kind, String context) {
        return switch (kind) {
            case PORTAL ->
                fetcher.fetch(AgentRole.HOST, cmd(Command.newBuilder().setPortalList(PortalList.getDefaultInstance())))
                        .map(r -> clean(r.getPortalList().getPortalsList().stream()
                                .map(p -> p.getName())
                                .toList()))
                        .orElse(List.of());
            case TEMPLATE ->
                fetcher.fetch(
                                AgentRole.HOST,
                                cmd(Command.newBuilder().setTemplateList(TemplateList.getDefaultInstance())))
                        .map(r -> clean(r.getTemplateList().getTemplatesList()))
                        .orElse(List.of());
            case SNAPSHOT ->
                context == null
                        ? List.of()
                        : fetcher.fetch(
                                        AgentRole.HOST,
                                        cmd(Command.newBuilder()
                                                .setPortalSnapshotList(PortalSnapshotList.newBuilder()
                                                        .setName(context))))
                                .map(r -> clean(r.getSnapshotList().getTagsList()))
                                .orElse(List.of());
            case ROUTER ->
                fetcher.fetch(
                                AgentRole.ROUTER,
                                cmd(Command.newBuilder().setRouterList(RouterList.getDefaultInstance())))
                        .map(r -> clean(r.getRouterList().getRoutersList().stream()
                                .map(x -> x.getName())
                                .toList()))
                        .orElse(List.of());
            case VPN_PROFILE ->
                fetcher.fetch(
                                AgentRole.ROUTER,
                                cmd(Command.newBuilder().setVpnProfileList(VpnProfileList.getDefaultInstance())))
                        .map(r -> clean(r.getVpnProfileList().getProfilesList()))
                        .orElse(List.of());
            case RTOS_NODE ->
                fetcher.fetch(AgentRole.RTOS, cmd(Command.newBuilder().setRtosList(RtosList.getDefaultInstance())))
                        .map(r -> clean(r.getRtosList().getNodesList().stream()
                                .map(n -> n.getName())
                                .toList()))
                        .orElse(List.of());
            case RTOS_CHANNEL ->
                context == null
                        ? List.of()
                        : fetcher.fetch(
                                        AgentRole.RTOS,
                                        cmd(Command.newBuilder()
                                                .setRtosInfo(
                                                        RtosInfo.newBuilder().setNode(context))))
                                .map(r -> clean(r.getRtosInfo().getChannelsList().stream()
                                        .map(c -> c.getName())
                                        .toList()))
                                .orElse(List.of());
        };
    }

    private static Command cmd(Command.Builder b) {
        return b.build();
    }

    /** Only plain names are offered: an agent cannot smuggle escapes or spaces into the line being edited. */
    static List<String> clean(List<String> raw) {
        List<String> out = new ArrayList<>();
        for (String s : raw) {
            String c = EscapeStripper.strip(s);
            if (c.equals(s) && c.matches("[A-Za-z0-9][A-Za-z0-9._/-]{0,127}")) {
                out.add(c);
            }
        }
        return out;
    }
}
