package org.multiverse.scramble.controller.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.Endpoint;
import org.multiverse.scramble.controller.net.InterfaceName;
import org.multiverse.scramble.controller.net.Ipv4;
import org.multiverse.scramble.controller.tor.NewnymOutcome;
import org.multiverse.scramble.controller.vpn.ProfileStore;

/** The facade over the simulated backend: validation, errors and the profile state machine. */
class RouterServiceTest {
    @TempDir
    Path state;

    MutableClock clock = new MutableClock();
    SimulatedRouterBackend backend;
    RouterService service;

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static String profile(TestKeys keys, TestKeys server, String address, String endpoint) {
        return "[Interface]\nPrivateKey = " + keys.privateKey() + "\nAddress = " + address + "\n[Peer]\nPublicKey = "
                + server.publicKey() + "\nEndpoint = " + endpoint + "\nAllowedIPs = 0.0.0.0/0\n";
    }

    @BeforeEach
    void setUp() throws Exception {
        RouterConfig config = new RouterConfig(
                "mv-",
                state,
                InterfaceName.of("eth0"),
                Cidr.parse("192.168.1.20/24"),
                Optional.of(Ipv4.parse("192.168.1.1")),
                true);
        backend = new SimulatedRouterBackend(config, clock);
        service = new RouterService(backend, new ProfileStore(state));
        service.vpnStore("alpha", profile(TestKeys.generate(), TestKeys.generate(), "10.66.0.2/32", "10.9.9.1:51820"));
        service.vpnStore("bravo", profile(TestKeys.generate(), TestKeys.generate(), "10.67.0.2/32", "10.9.9.3:51821"));
    }

    @Test
    void upListStatusAndDownAreIdempotent() throws Exception {
        assertTrue(service.list().stream().noneMatch(RouterSummary::up));
        service.up();
        service.up();
        List<RouterSummary> list = service.list();
        assertEquals(
                List.of("universe", "galaxy", "star"),
                list.stream().map(RouterSummary::name).toList());
        assertFalse(list.get(1).up(), "galaxy has no profile yet");
        assertTrue(service.status("galaxy").chain().findings().get(0).contains("kill switch closed"));
        service.vpnUse("alpha");
        assertTrue(service.list().stream().allMatch(RouterSummary::up));
        assertEquals(
                DnsHealth.State.NOT_APPLICABLE, service.status("universe").dns().state());
        assertEquals(DnsHealth.State.OK, service.status("star").dns().state());
        service.down();
        service.down();
        assertFalse(service.status("star").up());
        assertEquals(
                RouterException.Kind.FAILED_PRECONDITION,
                assertThrows(RouterException.class, () -> service.vpnStatus()).kind());
    }

    @Test
    void vpnUseRecordsTheProfileAndANewServiceReappliesIt() throws Exception {
        service.up();
        VpnStatus status = service.vpnUse("bravo");
        assertEquals(Optional.of("bravo"), status.profile());
        assertEquals(Optional.of(Endpoint.parse("10.9.9.3:51821")), status.endpoint());
        assertEquals(List.of("alpha", "bravo"), service.vpnProfiles());
        assertTrue(service.firewallShow("galaxy").contains("elements = { 10.9.9.3 . 51821 }"));

        SimulatedRouterBackend fresh = new SimulatedRouterBackend(
                new RouterConfig(
                        "mv-", state, InterfaceName.of("eth0"), Cidr.parse("192.168.1.20/24"), Optional.empty(), true),
                clock);
        RouterService restarted = new RouterService(fresh, new ProfileStore(state));
        restarted.up();
        assertEquals(Optional.of("bravo"), restarted.vpnStatus().profile());
    }

    @Test
    void aFailedSwitchKeepsThePreviousProfileAndRecord() throws Exception {
        service.up();
        service.vpnUse("alpha");
        backend.failNextSwitchAt("wg");
        RouterException e = assertThrows(RouterException.class, () -> service.vpnUse("bravo"));
        assertEquals(RouterException.Kind.INTERNAL, e.kind());
        assertTrue(e.getMessage().endsWith("rolled back to 'alpha'"), e.getMessage());
        assertEquals(Optional.of("alpha"), service.vpnStatus().profile());
        assertEquals(Optional.of("alpha"), new ProfileStore(state).active());
    }

    @Test
    void badInputGetsSpecificErrors() throws Exception {
        service.up();
        service.vpnUse("alpha");
        String before = service.firewallShow("galaxy");
        RouterException unknown = assertThrows(RouterException.class, () -> service.status("pluto\u001b[2J"));
        assertEquals(RouterException.Kind.NOT_FOUND, unknown.kind());
        assertEquals("unknown router 'pluto\\u001b[2J'; the routers are universe, galaxy, star", unknown.getMessage());
        assertEquals(
                RouterException.Kind.NOT_FOUND,
                assertThrows(RouterException.class, () -> service.firewallShow(""))
                        .kind());
        assertEquals(
                RouterException.Kind.NOT_FOUND,
                assertThrows(RouterException.class, () -> service.vpnUse("charlie"))
                        .kind());
        RouterException badName = assertThrows(RouterException.class, () -> service.vpnUse("../alpha"));
        assertEquals(RouterException.Kind.INVALID_ARGUMENT, badName.kind());
        TestKeys keys = TestKeys.generate();
        RouterException badProfile = assertThrows(
                RouterException.class,
                () -> service.vpnStore(
                        "charlie",
                        profile(keys, TestKeys.generate(), "10.68.0.2/32", "10.9.9.1:51820")
                                .replace(keys.privateKey(), "abc")));
        assertEquals(
                "invalid profile: charlie.conf:2: PrivateKey: key must be 44 base64 characters, got 3",
                badProfile.getMessage());
        assertEquals(List.of("alpha", "bravo"), service.vpnProfiles(), "an invalid profile is never stored");
        assertEquals(before, service.firewallShow("galaxy"));
        assertEquals(Optional.of("alpha"), service.vpnStatus().profile());
    }

    @Test
    void aCorruptedStoredProfileIsRefusedAtUse() throws Exception {
        service.up();
        Path file = state.resolve("profiles").resolve("bravo.conf");
        Files.writeString(file, Files.readString(file).replace("Endpoint = 10.9.9.3:51821", "Endpoint = 10.9.9.3:1|x"));
        RouterException e = assertThrows(RouterException.class, () -> service.vpnUse("bravo"));
        assertEquals(RouterException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(
                e.getMessage()
                        .contains("bravo.conf:6: Endpoint: endpoint '10.9.9.3:1|x' contains the forbidden "
                                + "character '|'"),
                e.getMessage());
        assertEquals(Optional.empty(), backend.activeProfile());
    }

    @Test
    void profilesArePrivateFiles() throws Exception {
        assertEquals(
                "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("profiles"))));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(state.resolve("profiles").resolve("alpha.conf"))));
    }

    @Test
    void torNewnymIsRateLimitedAndTorDownIsReported() throws Exception {
        service.up();
        assertEquals(100, service.torStatus().progress());
        assertEquals(NewnymOutcome.Kind.APPLIED, service.torNewnym().kind());
        clock.now = clock.now.plus(Duration.ofSeconds(3));
        NewnymOutcome limited = service.torNewnym();
        assertEquals(NewnymOutcome.Kind.RATE_LIMITED, limited.kind());
        assertEquals(7, limited.delaySeconds().getAsInt());
        clock.now = clock.now.plus(Duration.ofSeconds(8));
        assertEquals(NewnymOutcome.Kind.APPLIED, service.torNewnym().kind());
        backend.killTor();
        RouterException down = assertThrows(RouterException.class, () -> service.torStatus());
        assertEquals(RouterException.Kind.UNAVAILABLE, down.kind());
        assertEquals("Tor is not running in star (it exited); restart star", down.getMessage());
        assertFalse(service.status("star").up());
        service.restart("star");
        assertEquals(100, service.torStatus().progress());
    }

    @Test
    void restartNeedsTheRouterUpResetRebuildsIt() throws Exception {
        RouterException e = assertThrows(RouterException.class, () -> service.restart("galaxy"));
        assertEquals(RouterException.Kind.FAILED_PRECONDITION, e.kind());
        assertEquals("router galaxy is down; bring the chain up or reset galaxy", e.getMessage());
        service.reset("star");
        assertTrue(service.status("star").up());
    }
}
