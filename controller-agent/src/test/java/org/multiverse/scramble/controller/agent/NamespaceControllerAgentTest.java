package org.multiverse.scramble.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiverse.scramble.controller.router.LanLab;
import org.multiverse.scramble.controller.router.Requirements;
import org.multiverse.scramble.protocol.process.SystemProcessRunner;
import org.multiverse.scramble.protocol.v1.InterfaceInfo;
import org.multiverse.scramble.protocol.v1.RouterInfo;
import org.multiverse.scramble.protocol.v1.RouterStatusResult;
import org.multiverse.scramble.protocol.v1.TorStatusResult;
import picocli.CommandLine;

/**
 * The controller agent on the REAL namespace backend, through the real pipeline: one chain
 * build (real nftables, WireGuard device, Tor with DisableNetwork 1) in the test LAN, three
 * commands, and {@code --down-on-exit} removing every namespace. Needs root and the tools:
 * under CI=true a missing one fails the test.
 */
@Timeout(120)
class NamespaceControllerAgentTest {

    @Test
    void listStatusAndTorStatusOnARealChain() throws Exception {
        Requirements.require("ip", "nft", "wg", "wireguard-go", "tor", "sysctl");
        List<String> log = new CopyOnWriteArrayList<>();
        try (LanLab lab = new LanLab()) {
            lab.build();
            ControllerAgentModule module = new ControllerAgentModule(log::add);
            new CommandLine(new ControllerRunOptionsTest.Run())
                    .addMixin("agent", module.runOptions())
                    .parseArgs(
                            "--uplink",
                            lab.uplink,
                            "--uplink-address",
                            "10.9.9.2/24",
                            "--gateway",
                            LanLab.LAN_A,
                            "--prefix",
                            lab.prefix,
                            "--tor-offline",
                            "--down-on-exit");
            Path state = lab.dir.resolve("agent");
            try (ControllerHarness h = new ControllerHarness(state, module::install)) {
                assertTrue(log.contains("INFO router chain is up"), log.toString());

                List<RouterInfo> routers =
                        h.ok(RouterCommands.list()).getRouterList().getRoutersList();
                assertEquals(
                        List.of("universe", "galaxy", "star"),
                        routers.stream().map(RouterInfo::getName).toList());
                assertTrue(routers.get(0).getUp(), routers.toString());
                assertFalse(routers.get(1).getUp(), "no VPN profile: galaxy's kill switch stays closed");

                RouterStatusResult star = h.ok(RouterCommands.status("star")).getRouterStatus();
                assertTrue(
                        star.getInterfacesList().stream()
                                .anyMatch(i -> i.getName().equals(lab.prefix + "sc")
                                        && i.getAddressesList().contains("10.2.2.1/24")),
                        star.toString());
                assertTrue(star.getInterfacesList().stream()
                        .map(InterfaceInfo::getName)
                        .noneMatch(n -> n.equals("lo")));
                assertFalse(star.getDnsOk(), "Tor is offline: DNS cannot be answered");

                TorStatusResult tor = h.ok(RouterCommands.torStatus()).getTorStatus();
                assertTrue(tor.getRaw().contains("PROGRESS="), "Tor's own words: " + tor.getRaw());
                assertTrue(tor.getBootstrapPercent() < 100, "DisableNetwork 1 never completes: " + tor);
            }
            assertTrue(log.contains("INFO router chain torn down (--down-on-exit)"), log.toString());
            String namespaces = new SystemProcessRunner()
                    .check(List.of("ip", "netns", "list"))
                    .stdoutText();
            assertFalse(
                    namespaces.contains(lab.prefix + "u") || namespaces.contains(lab.prefix + "s"),
                    "chain namespaces left behind: " + namespaces);
        }
    }
}
