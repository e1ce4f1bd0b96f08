package org.multiverse.scramble.shell.registry;

import static org.multiverse.scramble.shell.registry.CommandSpec.command;

import java.util.List;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Command.KindCase;
import org.multiverse.scramble.protocol.v1.FirewallShow;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RouterList;
import org.multiverse.scramble.protocol.v1.RouterReset;
import org.multiverse.scramble.protocol.v1.RouterRestart;
import org.multiverse.scramble.protocol.v1.RouterStatus;
import org.multiverse.scramble.protocol.v1.TorNewnym;
import org.multiverse.scramble.protocol.v1.TorStatus;
import org.multiverse.scramble.protocol.v1.VpnProfileList;
import org.multiverse.scramble.protocol.v1.VpnStatus;
import org.multiverse.scramble.protocol.v1.VpnUse;

/** The controller agent's router commands: universe, galaxy (VPN), star (Tor). */
final class RouterCommands {

    private static final ArgSpec ROUTER =
            ArgSpec.positional("ROUTER", ArgType.NAME, LiveName.ROUTER, "universe, galaxy or star");

    private RouterCommands() {}

    static List<CommandSpec> all() {
        return List.of(
                command(KindCase.ROUTER_LIST)
                        .help("The routers and whether they are up.", "router list")
                        .answers(Result.KindCase.ROUTER_LIST)
                        .builds((a, c) -> Command.newBuilder()
                                .setRouterList(RouterList.getDefaultInstance())
                                .build()),
                command(KindCase.ROUTER_STATUS)
                        .help("Links, addresses, traffic, chain and DNS health of one router.", "router status galaxy")
                        .arg(ROUTER)
                        .answers(Result.KindCase.ROUTER_STATUS)
                        .builds((a, c) -> Command.newBuilder()
                                .setRouterStatus(RouterStatus.newBuilder().setName(a.text("ROUTER")))
                                .build()),
                command(KindCase.ROUTER_RESTART)
                        .help("Restart one router.", "router restart star")
                        .arg(ROUTER)
                        .answers(Result.KindCase.ACK)
                        .builds((a, c) -> Command.newBuilder()
                                .setRouterRestart(RouterRestart.newBuilder().setName(a.text("ROUTER")))
                                .build()),
                command(KindCase.ROUTER_RESET)
                        .help("Reset one router to its clean state.", "router reset galaxy")
                        .arg(ROUTER)
                        .answers(Result.KindCase.ACK)
                        .builds((a, c) -> Command.newBuilder()
                                .setRouterReset(RouterReset.newBuilder().setName(a.text("ROUTER")))
                                .build()),
                command(KindCase.VPN_USE)
                        .help("Switch galaxy's VPN profile (validated by the agent).", "router vpn use mullvad-se")
                        .arg(ArgSpec.positional("PROFILE", ArgType.NAME, LiveName.VPN_PROFILE, "VPN profile"))
                        .answers(Result.KindCase.VPN_STATUS)
                        .builds((a, c) -> Command.newBuilder()
                                .setVpnUse(VpnUse.newBuilder().setProfile(a.text("PROFILE")))
                                .build()),
                command(KindCase.VPN_STATUS)
                        .help("The VPN in use: profile, endpoint, last handshake, traffic.", "router vpn status")
                        .answers(Result.KindCase.VPN_STATUS)
                        .builds((a, c) -> Command.newBuilder()
                                .setVpnStatus(VpnStatus.getDefaultInstance())
                                .build()),
                command(KindCase.VPN_PROFILE_LIST)
                        .help("The VPN profiles galaxy can use.", "router vpn profiles")
                        .answers(Result.KindCase.VPN_PROFILE_LIST)
                        .builds((a, c) -> Command.newBuilder()
                                .setVpnProfileList(VpnProfileList.getDefaultInstance())
                                .build()),
                command(KindCase.TOR_NEWNYM)
                        .help("Ask star's Tor for new circuits (NEWNYM).", "router tor newnym")
                        .answers(Result.KindCase.ACK)
                        .builds((a, c) -> Command.newBuilder()
                                .setTorNewnym(TorNewnym.getDefaultInstance())
                                .build()),
                command(KindCase.TOR_STATUS)
                        .help("Tor's bootstrap status on star.", "router tor status")
                        .answers(Result.KindCase.TOR_STATUS)
                        .builds((a, c) -> Command.newBuilder()
                                .setTorStatus(TorStatus.getDefaultInstance())
                                .build()),
                command(KindCase.FIREWALL_SHOW)
                        .help("One router's firewall rules.", "router firewall show universe")
                        .arg(ROUTER)
                        .answers(Result.KindCase.TEXT)
                        .builds((a, c) -> Command.newBuilder()
                                .setFirewallShow(FirewallShow.newBuilder().setName(a.text("ROUTER")))
                                .build()));
    }
}
