package org.multiverse.scramble.controller.agent;

import org.multiverse.scramble.protocol.v1.AgentSubscribe;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.FirewallShow;
import org.multiverse.scramble.protocol.v1.RouterList;
import org.multiverse.scramble.protocol.v1.RouterReset;
import org.multiverse.scramble.protocol.v1.RouterRestart;
import org.multiverse.scramble.protocol.v1.RouterStatus;
import org.multiverse.scramble.protocol.v1.TorNewnym;
import org.multiverse.scramble.protocol.v1.TorStatus;
import org.multiverse.scramble.protocol.v1.VpnProfileList;
import org.multiverse.scramble.protocol.v1.VpnStatus;
import org.multiverse.scramble.protocol.v1.VpnUse;

/** The router commands as the shell builds them. */
final class RouterCommands {

    private RouterCommands() {}

    static Command list() {
        return Command.newBuilder()
                .setRouterList(RouterList.getDefaultInstance())
                .build();
    }

    static Command status(String name) {
        return Command.newBuilder()
                .setRouterStatus(RouterStatus.newBuilder().setName(name))
                .build();
    }

    static Command restart(String name) {
        return Command.newBuilder()
                .setRouterRestart(RouterRestart.newBuilder().setName(name))
                .build();
    }

    static Command reset(String name) {
        return Command.newBuilder()
                .setRouterReset(RouterReset.newBuilder().setName(name))
                .build();
    }

    static Command vpnUse(String profile) {
        return Command.newBuilder()
                .setVpnUse(VpnUse.newBuilder().setProfile(profile))
                .build();
    }

    static Command vpnStatus() {
        return Command.newBuilder().setVpnStatus(VpnStatus.getDefaultInstance()).build();
    }

    static Command vpnProfiles() {
        return Command.newBuilder()
                .setVpnProfileList(VpnProfileList.getDefaultInstance())
                .build();
    }

    static Command torStatus() {
        return Command.newBuilder().setTorStatus(TorStatus.getDefaultInstance()).build();
    }

    static Command torNewnym() {
        return Command.newBuilder().setTorNewnym(TorNewnym.getDefaultInstance()).build();
    }

    static Command firewall(String name) {
        return Command.newBuilder()
                .setFirewallShow(FirewallShow.newBuilder().setName(name))
                .build();
    }

    static Command subscribe(String kindPrefix) {
        return Command.newBuilder()
                .setAgentSubscribe(AgentSubscribe.newBuilder().addKinds(kindPrefix))
                .build();
    }
}
