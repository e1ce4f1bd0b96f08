package org.multiverse.scramble.shell.dashboard;

import org.multiverse.scramble.protocol.v1.AgentStatusResult;
import org.multiverse.scramble.protocol.v1.AuditEntries;
import org.multiverse.scramble.protocol.v1.AuditEntry;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.InterfaceInfo;
import org.multiverse.scramble.protocol.v1.PortalInfo;
import org.multiverse.scramble.protocol.v1.PortalListResult;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RouterInfo;
import org.multiverse.scramble.protocol.v1.RouterListResult;
import org.multiverse.scramble.protocol.v1.RouterStatusResult;
import org.multiverse.scramble.protocol.v1.RtosChannelInfo;
import org.multiverse.scramble.protocol.v1.RtosInfoResult;
import org.multiverse.scramble.protocol.v1.RtosListResult;
import org.multiverse.scramble.protocol.v1.RtosNodeInfo;
import org.multiverse.scramble.protocol.v1.TorStatusResult;
import org.multiverse.scramble.protocol.v1.VpnStatusResult;

/** A small Multiverse for the dashboard tests: three portals, three routers, one RTOS node, an audit tail. */
final class Fixtures {

    /** 2026-01-02T03:04:05Z: the tests' clock. */
    static final long NOW = 1_767_323_045_000L;

    private Fixtures() {}

    static PortalInfo portal(String name, String template, String state, boolean ephemeral, long uptime) {
        return PortalInfo.newBuilder()
                .setName(name)
                .setTemplate(template)
                .setState(org.multiverse.scramble.protocol.event.PortalRunStates.parse(state)
                        .orElseThrow())
                .setCpus(2)
                .setMemoryMib(1024)
                .setNetwork("star")
                .setEphemeral(ephemeral)
                .setUptimeMillis(uptime)
                .setLastEvent(state.equals("running") ? "started" : "exited")
                .build();
    }

    static Result portals(PortalInfo... p) {
        return Result.newBuilder()
                .setPortalList(PortalListResult.newBuilder().addAllPortals(java.util.List.of(p)))
                .build();
    }

    static Result standardPortals() {
        return portals(
                portal("web", "debian/web", "running", false, 3_725_000),
                portal("mail", "debian/mail", "stopped", false, 0),
                portal("vault", "alpine/vault", "running", true, 59_000));
    }

    static Result audit(AuditEntry... e) {
        return Result.newBuilder()
                .setAuditEntries(AuditEntries.newBuilder().addAllEntries(java.util.List.of(e)))
                .build();
    }

    static AuditEntry entry(long index, long time, String command, String decision, String reason) {
        return AuditEntry.newBuilder()
                .setIndex(index)
                .setTimeMillis(time)
                .setCommand(command)
                .setDecision(org.multiverse.scramble.protocol.agent.audit.AuditDecisions.parse(decision))
                .setReason(reason)
                .build();
    }

    /** A fake with every query answered. */
    static FakeActions multiverse() {
        FakeActions f = new FakeActions();
        f.answer(Command.KindCase.PORTAL_LIST, standardPortals());
        f.answer(
                Command.KindCase.ROUTER_LIST,
                Result.newBuilder()
                        .setRouterList(RouterListResult.newBuilder()
                                .addRouters(RouterInfo.newBuilder()
                                        .setName("universe")
                                        .setUp(true)
                                        .setRole("uplink"))
                                .addRouters(RouterInfo.newBuilder()
                                        .setName("galaxy")
                                        .setUp(true)
                                        .setRole("vpn"))
                                .addRouters(RouterInfo.newBuilder()
                                        .setName("star")
                                        .setUp(false)
                                        .setRole("tor")))
                        .build());
        f.answer(
                Command.KindCase.ROUTER_STATUS,
                c -> java.util.concurrent.CompletableFuture.completedFuture(
                        new org.multiverse.scramble.protocol.session.CommandOutcome.Ok(
                                Result.newBuilder()
                                        .setRouterStatus(RouterStatusResult.newBuilder()
                                                .setName(c.getRouterStatus().getName())
                                                .setUp(!c.getRouterStatus()
                                                        .getName()
                                                        .equals("star"))
                                                .addInterfaces(InterfaceInfo.newBuilder()
                                                        .setName("eth0")
                                                        .setRxBytes(1536)
                                                        .setTxBytes(3 * 1024 * 1024)))
                                        .build(),
                                0)));
        f.answer(
                Command.KindCase.VPN_STATUS,
                Result.newBuilder()
                        .setVpnStatus(VpnStatusResult.newBuilder()
                                .setProfile("mullvad-se")
                                .setLatestHandshakeMillis(NOW - 12_000))
                        .build());
        f.answer(
                Command.KindCase.TOR_STATUS,
                Result.newBuilder()
                        .setTorStatus(TorStatusResult.newBuilder()
                                .setBootstrapPercent(100)
                                .setBootstrapSummary("Done"))
                        .build());
        f.answer(
                Command.KindCase.AGENT_STATUS,
                Result.newBuilder()
                        .setAgentStatus(AgentStatusResult.newBuilder()
                                .setVersion("0.1.0")
                                .putTokensLeft("query", 19)
                                .putTokensLeft("lifecycle", 4)
                                .putRefusals("BAD_SIGNATURE", 3)
                                .addRoutes("router")
                                .addRoutes("rtos"))
                        .build());
        f.answer(
                Command.KindCase.AGENT_SUBSCRIBE,
                Result.newBuilder()
                        .setAck(org.multiverse.scramble.protocol.v1.Ack.getDefaultInstance())
                        .build());
        f.answer(
                Command.KindCase.RTOS_LIST,
                Result.newBuilder()
                        .setRtosList(RtosListResult.newBuilder()
                                .addNodes(RtosNodeInfo.newBuilder()
                                        .setName("arm0")
                                        .setLinkUp(true)
                                        .setClockOffsetMicros(12)))
                        .build());
        f.answer(
                Command.KindCase.RTOS_INFO,
                Result.newBuilder()
                        .setRtosInfo(RtosInfoResult.newBuilder()
                                .setNode(RtosNodeInfo.newBuilder()
                                        .setName("arm0")
                                        .setLinkUp(true))
                                .addChannels(RtosChannelInfo.newBuilder()
                                        .setName("temp")
                                        .setUnit("C"))
                                .addChannels(RtosChannelInfo.newBuilder()
                                        .setName("volt")
                                        .setUnit("V")))
                        .build());
        f.answer(
                Command.KindCase.AUDIT_TAIL,
                audit(
                        entry(1, NOW - 5000, "portal.start", "accepted", ""),
                        entry(2, NOW - 4000, "portal.start", "done", ""),
                        entry(3, NOW - 3000, "portal.stop", "refused", "POLICY_DENIED portal.stop: denied")));
        f.answer(
                Command.KindCase.PORTAL_START,
                Result.newBuilder()
                        .setAck(org.multiverse.scramble.protocol.v1.Ack.newBuilder()
                                .setMessage("started"))
                        .build());
        return f;
    }
}
