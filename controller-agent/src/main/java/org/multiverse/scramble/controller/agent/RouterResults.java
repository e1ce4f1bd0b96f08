package org.multiverse.scramble.controller.agent;

import java.util.List;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.LinkInfo;
import org.multiverse.scramble.controller.router.DnsHealth;
import org.multiverse.scramble.controller.router.RouterStatus;
import org.multiverse.scramble.controller.router.RouterSummary;
import org.multiverse.scramble.controller.router.TorStatus;
import org.multiverse.scramble.controller.router.VpnStatus;
import org.multiverse.scramble.controller.tor.NewnymOutcome;
import org.multiverse.scramble.protocol.v1.Ack;
import org.multiverse.scramble.protocol.v1.InterfaceInfo;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RouterInfo;
import org.multiverse.scramble.protocol.v1.RouterListResult;
import org.multiverse.scramble.protocol.v1.RouterStatusResult;
import org.multiverse.scramble.protocol.v1.TextResult;
import org.multiverse.scramble.protocol.v1.TorStatusResult;
import org.multiverse.scramble.protocol.v1.VpnProfileListResult;
import org.multiverse.scramble.protocol.v1.VpnStatusResult;

/** The router service's answers as the wire's typed results (results.proto). */
final class RouterResults {

    private RouterResults() {}

    static Result list(List<RouterSummary> routers) {
        RouterListResult.Builder b = RouterListResult.newBuilder();
        for (RouterSummary r : routers) {
            b.addRouters(RouterInfo.newBuilder().setName(r.name()).setUp(r.up()).setRole(r.job()));
        }
        return Result.newBuilder().setRouterList(b).build();
    }

    static Result status(RouterStatus s) {
        RouterStatusResult.Builder b = RouterStatusResult.newBuilder()
                .setName(s.router().id())
                .setUp(s.up())
                .setChainOk(s.chain().ok())
                .setChainDetail(String.join("; ", s.chain().findings()))
                .setDnsOk(s.dns().state() == DnsHealth.State.OK)
                .setDnsDetail(
                        s.dns().state().name().toLowerCase() + ": " + s.dns().detail());
        for (LinkInfo l : s.interfaces()) {
            b.addInterfaces(InterfaceInfo.newBuilder()
                    .setName(l.name().value())
                    .setUp(l.up())
                    .addAllAddresses(l.addresses().stream().map(Cidr::toString).toList())
                    .setRxBytes(l.rxBytes())
                    .setTxBytes(l.txBytes()));
        }
        return Result.newBuilder().setRouterStatus(b).build();
    }

    static Result vpn(VpnStatus s) {
        VpnStatusResult.Builder b = VpnStatusResult.newBuilder()
                .setProfile(s.profile().orElse(""))
                .setRxBytes(s.rxBytes())
                .setTxBytes(s.txBytes());
        s.endpoint().ifPresent(e -> b.setEndpoint(e.toString()));
        s.latestHandshake().ifPresent(t -> b.setLatestHandshakeMillis(t.toEpochMilli()));
        return Result.newBuilder().setVpnStatus(b).build();
    }

    static Result profiles(List<String> names) {
        return Result.newBuilder()
                .setVpnProfileList(VpnProfileListResult.newBuilder().addAllProfiles(names))
                .build();
    }

    static Result tor(TorStatus s) {
        return Result.newBuilder()
                .setTorStatus(TorStatusResult.newBuilder()
                        .setBootstrapPercent(s.progress())
                        .setBootstrapSummary(s.summary())
                        .setRaw(s.torSaid()))
                .build();
    }

    /** NEWNYM is never refused by Tor, only deferred: both are a success, the message says which. */
    static Result newnym(NewnymOutcome o) {
        String message = switch (o.kind()) {
            case APPLIED -> "new Tor identity: new connections use new circuits";
            case RATE_LIMITED ->
                "Tor limits new identities to one per 10 s: it takes effect in "
                        + o.delaySeconds().orElse(1) + " s";
            case ACCEPTED -> "Tor accepted the request for a new identity";
        };
        return ack(message);
    }

    static Result text(String text) {
        return Result.newBuilder()
                .setText(TextResult.newBuilder().setText(text))
                .build();
    }

    static Result ack(String message) {
        return Result.newBuilder().setAck(Ack.newBuilder().setMessage(message)).build();
    }
}
