package org.multiverse.scramble.controller.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.Endpoint;
import org.multiverse.scramble.controller.net.InterfaceName;
import org.multiverse.scramble.controller.net.Ipv4;
import org.multiverse.scramble.controller.net.LinkInfo;
import org.multiverse.scramble.controller.tor.NewnymOutcome;
import org.multiverse.scramble.controller.vpn.ProfileStore;
import org.multiverse.scramble.protocol.process.SystemProcessRunner;

/**
 * The real chain in network namespaces, against a LAN namespace with two WireGuard
 * servers and a real Tor (DisableNetwork 1). Needs root, ip, nft, wg, wireguard-go, tor.
 * The tests run in order on one chain: building it once keeps the suite fast.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class NamespaceRouterBackendTest {
    static LanLab lab;
    static FaultInjectingRunner runner;
    static RouterConfig config;
    static RouterService service;
    static NamespaceRouterBackend backend;
    static ChainLayout layout;

    @BeforeAll
    static void buildLabAndChain() throws Exception {
        Requirements.require("ip", "nft", "wg", "wireguard-go", "tor", "sysctl");
        lab = new LanLab();
        lab.build();
        config = new RouterConfig(
                lab.prefix,
                lab.dir.resolve("state"),
                InterfaceName.of(lab.uplink),
                Cidr.parse("10.9.9.2/24"),
                Optional.of(Ipv4.parse(LanLab.LAN_A)),
                true);
        runner = new FaultInjectingRunner(new SystemProcessRunner());
        service = newService();
        service.vpnStore(
                "alpha", lab.profile(lab.clientA, lab.serverA, "10.66.0.2/32", LanLab.LAN_A + ":" + LanLab.PORT_A));
        service.vpnStore(
                "bravo", lab.profile(lab.clientB, lab.serverB, "10.67.0.2/32", LanLab.LAN_B + ":" + LanLab.PORT_B));
        // Same server as bravo, another tunnel address: used to make a switch fail midway.
        service.vpnStore(
                "charlie", lab.profile(lab.clientB, lab.serverB, "10.68.0.2/32", LanLab.LAN_B + ":" + LanLab.PORT_B));
        layout = new ChainLayout(lab.prefix);
    }

    static RouterService newService() throws IOException {
        backend = new NamespaceRouterBackend(config, runner);
        return new RouterService(backend, new ProfileStore(config.stateDir()));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try {
            if (service != null) {
                service.down();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    @Test
    @Order(1)
    void upBuildsTheChainAndIsIdempotent() throws Exception {
        service.up();
        String firewallBefore = service.firewallShow("galaxy");
        service.up();
        assertEquals(firewallBefore, service.firewallShow("galaxy"));
        RouterStatus universe = service.status("universe");
        assertTrue(universe.up(), universe.chain().findings().toString());
        assertTrue(hasAddress(universe, lab.uplink, "10.9.9.2/24"));
        assertTrue(hasAddress(universe, lab.prefix + "ug", "10.0.0.1/24"));
        RouterStatus star = service.status("star");
        assertTrue(hasAddress(star, lab.prefix + "sc", "10.2.2.1/24"));
        assertEquals(DnsHealth.State.DEGRADED, star.dns().state(), star.dns().detail());
        RouterStatus galaxy = service.status("galaxy");
        assertFalse(galaxy.up(), "no profile yet: galaxy must report its kill switch closed");
        assertTrue(galaxy.chain().findings().get(0).contains("kill switch closed"));
        assertFalse(lab.sh("ip", "link").contains(lab.uplink + ":"), "the uplink moved into universe");

        VpnStatus vpn = service.vpnUse("alpha");
        assertEquals(Optional.of(Endpoint.parse("10.9.9.1:51820")), vpn.endpoint());
        assertTrue(vpn.killSwitchArmed());
        assertTrue(
                service.list().stream().allMatch(RouterSummary::up),
                service.list().toString());
        assertTrue(service.status("galaxy").interfaces().stream().anyMatch(l -> l.txBytes() > 0));
    }

    @Test
    @Order(2)
    void tcpFromTheControllerReachesOnlyTorsTransPort() throws Exception {
        String controller = layout.controllerNamespace().value();
        // Tor keeps its TransPort closed under DisableNetwork 1, so a stand-in listens on that
        // port in star: whatever the controller connects to must land there and nowhere else.
        LanLab.Listener transPort =
                LanLab.listen(layout.namespace(RouterName.STAR).value(), ChainLayout.TRANS_PORT);
        LanLab.Listener lan = LanLab.listen(lab.lanNs, 8080);
        LanLab.Listener universe =
                LanLab.listen(layout.namespace(RouterName.UNIVERSE).value(), 8080);
        LanLab.Listener galaxy =
                LanLab.listen(layout.namespace(RouterName.GALAXY).value(), 8080);
        String out = LanLab.probe(
                controller,
                "connect",
                "3000",
                LanLab.LAN_A + ":8080",
                "10.0.0.1:8080",
                "10.1.1.1:8080",
                "10.0.0.2:8080");
        List<String> atTransPort = transPort.stop();
        assertTrue(lan.stop().isEmpty(), "the LAN listener must never see the controller");
        assertTrue(universe.stop().isEmpty(), "universe must never see the controller");
        assertTrue(galaxy.stop().isEmpty(), "galaxy must never see the controller");
        assertTrue(out.contains(LanLab.LAN_A + ":8080 CONNECTED"), out);
        assertEquals(4, atTransPort.size(), atTransPort.toString());
        assertTrue(
                atTransPort.stream().allMatch(l -> l.contains("/10.2.2.2:") && l.endsWith("/10.2.2.1:9040")),
                atTransPort.toString());

        // Without the stand-in, nothing answers: refused by star itself, never a LAN host.
        String refused = LanLab.probe(controller, "connect", "3000", LanLab.LAN_A + ":8080");
        assertTrue(refused.contains("REFUSED"), refused);
        // UDP that is not DNS dies in star: the LAN wire sees nothing.
        long otherBefore = lab.counter("netdev", "capture", "cnt_other");
        LanLab.probe(controller, "udp", LanLab.LAN_A, "9999", "300");
        assertEquals(otherBefore, lab.counter("netdev", "capture", "cnt_other"));
        assertEquals(0, lab.counter("netdev", "capture", "cnt_other"));
    }

    @Test
    @Order(3)
    void switchingProfilesNeverLetsAPacketOutInClear() throws Exception {
        String star = layout.namespace(RouterName.STAR).value();
        long viaA = lab.counter("inet", "tunnel", "via_a");
        long viaB = lab.counter("inet", "tunnel", "via_b");
        // Clear-text UDP addressed to the LAN itself, from behind galaxy, throughout the switches.
        CompletableFuture<String> flood = CompletableFuture.supplyAsync(() -> {
            try {
                return LanLab.probe(star, "udp", LanLab.LAN_A, "9999", "5000");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<Endpoint> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        int switches = 0;
        while (System.nanoTime() < deadline || switches < 4) {
            String next = switches % 2 == 0 ? "bravo" : "alpha";
            seen.add(service.vpnUse(next).endpoint().orElseThrow());
            switches++;
            LanLab.sleep(400);
        }
        String sent = flood.get();
        assertTrue(sent.startsWith("SENT "), sent);
        assertEquals(0, lab.counter("netdev", "capture", "cnt_other"), "a packet reached the LAN in clear");
        assertTrue(lab.counter("netdev", "capture", "cnt_wg") > 0);
        String why = lab.diagnostics(layout.namespace(RouterName.GALAXY).value());
        assertTrue(lab.counter("inet", "tunnel", "via_a") > viaA, "traffic went through tunnel A\n" + why);
        assertTrue(lab.counter("inet", "tunnel", "via_b") > viaB, "traffic went through tunnel B\n" + why);
        assertTrue(seen.contains(Endpoint.parse("10.9.9.3:51821")) && seen.contains(Endpoint.parse("10.9.9.1:51820")));
        String galaxyRules = service.firewallShow("galaxy");
        String current = service.vpnStatus().endpoint().orElseThrow().toString().replace(":", " . ");
        assertTrue(galaxyRules.contains("elements = { " + current + " }"), galaxyRules);
    }

    @Test
    @Order(4)
    void aSwitchThatFailsMidwayRollsBackAndKeepsTheKillSwitchClosed() throws Exception {
        service.vpnUse("alpha");
        String before = snapshot();
        runner.failOnce(argv -> argv.contains("10.68.0.2/32") && argv.contains("replace"));
        RouterException e = assertThrows(RouterException.class, () -> service.vpnUse("charlie"));
        assertEquals(RouterException.Kind.INTERNAL, e.kind());
        assertTrue(e.getMessage().contains("rolled back to 'alpha'"), e.getMessage());
        assertEquals(Optional.of("alpha"), service.vpnStatus().profile());
        assertEquals(
                Optional.of(Endpoint.parse("10.9.9.1:51820")),
                service.vpnStatus().endpoint());
        assertEquals(before, snapshot());
        assertEquals(0, lab.counter("netdev", "capture", "cnt_other"));
    }

    @Test
    @Order(5)
    void badInputIsRefusedWithoutTouchingTheRouters() throws Exception {
        String before = snapshot();
        RouterException badKey = assertThrows(
                RouterException.class,
                () -> service.vpnStore(
                        "broken",
                        lab.profile(lab.clientA, lab.serverA, "10.66.0.2/32", "10.9.9.1:51820")
                                .replace(lab.clientA.privateKey(), "not-a-key")));
        assertEquals(RouterException.Kind.INVALID_ARGUMENT, badKey.kind());
        assertTrue(
                badKey.getMessage().contains("broken.conf:3: PrivateKey: key must be 44 base64 characters"),
                badKey.getMessage());
        RouterException shell = assertThrows(
                RouterException.class,
                () -> service.vpnStore(
                        "evil", lab.profile(lab.clientA, lab.serverA, "10.66.0.2/32", "10.9.9.1:51820;reboot")));
        assertEquals(RouterException.Kind.INVALID_ARGUMENT, shell.kind());
        assertTrue(
                shell.getMessage()
                        .contains("evil.conf:8: Endpoint: endpoint '10.9.9.1:51820;reboot' contains "
                                + "the forbidden character ';'"),
                shell.getMessage());
        IllegalArgumentException longName = assertThrows(
                IllegalArgumentException.class,
                () -> new RouterConfig(
                        lab.prefix,
                        config.stateDir(),
                        InterfaceName.of("abcdefghijklmnop"),
                        config.uplinkAddress(),
                        config.uplinkGateway(),
                        true));
        assertEquals(
                "interface name 'abcdefghijklmnop' is 16 characters; Linux allows at most 15", longName.getMessage());
        RouterException unknown = assertThrows(RouterException.class, () -> service.reset("pluto"));
        assertEquals(RouterException.Kind.NOT_FOUND, unknown.kind());
        assertEquals("unknown router 'pluto'; the routers are universe, galaxy, star", unknown.getMessage());
        assertEquals(
                RouterException.Kind.NOT_FOUND,
                assertThrows(RouterException.class, () -> service.vpnUse("nosuch"))
                        .kind());
        assertEquals(
                RouterException.Kind.INVALID_ARGUMENT,
                assertThrows(RouterException.class, () -> service.vpnUse("../../etc/passwd"))
                        .kind());
        assertEquals(List.of("alpha", "bravo", "charlie"), service.vpnProfiles());
        assertEquals(before, snapshot());
    }

    @Test
    @Order(6)
    void torAnswersThroughItsControlPort() throws Exception {
        TorStatus status = service.torStatus();
        assertEquals(0, status.progress(), status.torSaid());
        assertTrue(status.torSaid().startsWith("NOTICE BOOTSTRAP PROGRESS=0"), status.torSaid());
        NewnymOutcome first = service.torNewnym();
        assertEquals(NewnymOutcome.Kind.APPLIED, first.kind(), first.torSaid());
        assertEquals("250 OK; 650 SIGNAL NEWNYM", first.torSaid());
        NewnymOutcome second = service.torNewnym();
        assertEquals(NewnymOutcome.Kind.RATE_LIMITED, second.kind(), second.torSaid());
        assertTrue(second.delaySeconds().getAsInt() > 0 && second.delaySeconds().getAsInt() <= 10);
        assertTrue(second.torSaid().contains("Rate limiting NEWNYM request: delaying by"), second.torSaid());
    }

    @Test
    @Order(7)
    void aDeadTorIsReportedClearlyAndRestartBringsItBack() throws Exception {
        String starNs = layout.namespace(RouterName.STAR).value();
        for (String pid : lab.sh("ip", "netns", "pids", starNs).split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(h -> {
                    h.destroyForcibly();
                    h.onExit().join();
                });
            }
        }
        RouterException down = assertThrows(RouterException.class, () -> service.torStatus());
        assertEquals(RouterException.Kind.UNAVAILABLE, down.kind());
        assertEquals("Tor is not running in star (it exited); restart star", down.getMessage());
        assertEquals(
                RouterException.Kind.UNAVAILABLE,
                assertThrows(RouterException.class, () -> service.torNewnym()).kind());
        assertFalse(service.status("star").up());
        service.restart("star");
        assertEquals(0, service.torStatus().progress());
        assertTrue(service.status("star").up());
    }

    @Test
    @Order(8)
    void resetRebuildsOneRouterAndItsLinks() throws Exception {
        service.reset("galaxy");
        for (RouterSummary r : service.list()) {
            assertTrue(r.up(), r.name() + ": " + service.status(r.name()).chain());
        }
        assertEquals(Optional.of("alpha"), service.vpnStatus().profile());
        String rules = service.firewallShow("galaxy");
        assertTrue(rules.contains("elements = { 10.9.9.1 . 51820 }"), rules);
    }

    @Test
    @Order(9)
    void aNewServiceAfterACrashRebuildsTheChain() throws Exception {
        String torPidsBefore = lab.sh(
                        "ip", "netns", "pids", layout.namespace(RouterName.STAR).value())
                .strip();
        assertFalse(torPidsBefore.isEmpty());
        // The old instance is abandoned without down(), as after a crash: its Tor and
        // wireguard-go keep running in the namespaces.
        service = newService();
        service.up();
        String torPidsAfter = lab.sh(
                        "ip", "netns", "pids", layout.namespace(RouterName.STAR).value())
                .strip();
        assertNotEquals(torPidsBefore, torPidsAfter);
        assertFalse(
                ProcessHandle.of(Long.parseLong(torPidsBefore.split("\\s+")[0]))
                        .map(ProcessHandle::isAlive)
                        .orElse(false),
                "the predecessor's Tor must be gone");
        for (RouterSummary r : service.list()) {
            assertTrue(r.up(), r.name() + ": " + service.status(r.name()).chain());
        }
        assertEquals(Optional.of("alpha"), service.vpnStatus().profile(), "the active profile is re-applied");
        assertEquals(0, service.torStatus().progress());
    }

    @Test
    @Order(10)
    void downRemovesEverythingAndIsIdempotent() throws Exception {
        service.down();
        service.down();
        String namespaces = lab.sh("ip", "netns", "list");
        for (RouterName r : RouterName.values()) {
            assertFalse(namespaces.contains(layout.namespace(r).value()), namespaces);
        }
        assertFalse(namespaces.contains(layout.controllerNamespace().value()));
        assertTrue(lab.sh("ip", "link", "show", lab.uplink).contains(lab.uplink), "uplink returned to the host");
        assertFalse(service.status("star").up());
        assertEquals(
                RouterException.Kind.FAILED_PRECONDITION,
                assertThrows(RouterException.class, () -> service.firewallShow("galaxy"))
                        .kind());
        assertEquals(
                RouterException.Kind.FAILED_PRECONDITION,
                assertThrows(RouterException.class, () -> service.vpnUse("alpha"))
                        .kind());
    }

    private static boolean hasAddress(RouterStatus status, String iface, String cidr) {
        return status.interfaces().stream()
                .anyMatch(l -> l.name().value().equals(iface) && l.addresses().contains(Cidr.parse(cidr)));
    }

    /** Rulesets and interface/address layout of every router (byte counters excluded). */
    private static String snapshot() throws Exception {
        StringBuilder out = new StringBuilder();
        for (RouterName r : RouterName.values()) {
            out.append(service.firewallShow(r.id()));
            for (LinkInfo l : service.status(r.id()).interfaces()) {
                out.append(l.name()).append(l.up()).append(l.addresses()).append('\n');
            }
        }
        out.append(service.vpnStatus().endpoint());
        return out.toString().replaceAll("counter packets \\d+ bytes \\d+", "counter");
    }

    static Path stateDir() {
        return config.stateDir();
    }
}
