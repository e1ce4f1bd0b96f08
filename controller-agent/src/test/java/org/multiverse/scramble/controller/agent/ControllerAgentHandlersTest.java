package org.multiverse.scramble.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.multiverse.scramble.protocol.testkit.CommandCoverage;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.InterfaceInfo;
import org.multiverse.scramble.protocol.v1.PortalStart;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RouterInfo;
import org.multiverse.scramble.protocol.v1.RouterStatusResult;
import org.multiverse.scramble.protocol.v1.ServingAgent;
import org.multiverse.scramble.protocol.v1.VpnStatusResult;

/**
 * Every router command through the real agent pipeline over {@code sim:}, on the demo's
 * simulated routers: typed results, router events, and hostile input refused with a specific
 * error code and nothing changed.
 */
class ControllerAgentHandlersTest {

    @TempDir
    Path tmp;

    private ControllerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = ControllerHarness.demo(tmp.resolve("state"));
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private Path profileDir() {
        return h.stateDir.resolve(ControllerRunOptions.ROUTER_STATE_DIR).resolve("profiles");
    }

    private String activeRecord() throws Exception {
        return Files.readString(h.stateDir
                        .resolve(ControllerRunOptions.ROUTER_STATE_DIR)
                        .resolve("active-profile"))
                .strip();
    }

    /** Stores a profile file as an operator would: straight into the directory, mode 0600. */
    private void operatorWrites(String name, String content) throws Exception {
        Path f = profileDir().resolve(name + ".conf");
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, content, StandardCharsets.US_ASCII);
    }

    @Test
    void servesEveryRouterCommandAndOnlyThoseBesideTheAgentOnes() throws Exception {
        CommandCoverage.assertServesExactly(h.core, ServingAgent.ROUTER);
        Error e = h.failed(Command.newBuilder()
                .setPortalStart(PortalStart.newBuilder().setName("work"))
                .build());
        assertEquals(ErrorCode.UNSUPPORTED_COMMAND, e.getCode());
    }

    @Test
    void listShowsTheThreeRoutersInChainOrderAllUp() throws Exception {
        List<RouterInfo> routers = h.ok(RouterCommands.list()).getRouterList().getRoutersList();
        assertEquals(
                List.of("universe", "galaxy", "star"),
                routers.stream().map(RouterInfo::getName).toList());
        assertTrue(routers.stream().allMatch(RouterInfo::getUp), routers.toString());
        assertTrue(
                routers.get(1).getRole().contains("WireGuard"), routers.get(1).getRole());
        // A successful read-only query is counted into a summary entry, not written on its own (QueryAudit).
        assertTrue(h.kit.audit(1000).stream().noneMatch(r -> r.command().equals("router.list")));
    }

    @Test
    void statusReportsInterfacesChainAndDns() throws Exception {
        RouterStatusResult star = h.ok(RouterCommands.status("star")).getRouterStatus();
        assertEquals("star", star.getName());
        assertTrue(star.getUp());
        assertTrue(star.getChainOk(), star.getChainDetail());
        assertTrue(star.getDnsOk(), star.getDnsDetail());
        assertEquals(
                List.of("mv-sg", "mv-sc"),
                star.getInterfacesList().stream().map(InterfaceInfo::getName).toList());
        assertEquals(List.of("10.2.2.1/24"), star.getInterfaces(1).getAddressesList());

        RouterStatusResult universe = h.ok(RouterCommands.status("universe")).getRouterStatus();
        assertEquals("eth0", universe.getInterfaces(0).getName());
        assertFalse(universe.getDnsOk(), "universe does not answer DNS");
        assertTrue(universe.getDnsDetail().startsWith("not_applicable: "), universe.getDnsDetail());
    }

    @Test
    void vpnProfilesUseAndStatus() throws Exception {
        assertEquals(
                List.of("demo-stockholm", "demo-zurich"),
                h.ok(RouterCommands.vpnProfiles()).getVpnProfileList().getProfilesList());
        assertEquals(
                "demo-stockholm",
                h.ok(RouterCommands.vpnStatus()).getVpnStatus().getProfile());

        VpnStatusResult switched = h.ok(RouterCommands.vpnUse("demo-zurich")).getVpnStatus();
        assertEquals("demo-zurich", switched.getProfile());
        assertEquals("198.51.100.20:51820", switched.getEndpoint());
        assertEquals(
                "demo-zurich", h.ok(RouterCommands.vpnStatus()).getVpnStatus().getProfile());
        assertEquals("demo-zurich", activeRecord(), "a restarted agent re-applies the profile in use");
    }

    @Test
    void torStatusAndNewnymWithTorsOwnRateLimit() throws Exception {
        Result status = h.ok(RouterCommands.torStatus());
        assertEquals(100, status.getTorStatus().getBootstrapPercent());
        assertEquals("Done", status.getTorStatus().getBootstrapSummary());
        assertTrue(
                status.getTorStatus().getRaw().contains("PROGRESS=100"),
                status.getTorStatus().getRaw());

        assertTrue(h.ok(RouterCommands.torNewnym()).getAck().getMessage().startsWith("new Tor identity"));
        String deferred = h.ok(RouterCommands.torNewnym()).getAck().getMessage();
        assertTrue(deferred.contains("one per 10 s") && deferred.matches(".*takes effect in \\d+ s"), deferred);
    }

    @Test
    void firewallShowsTheRoutersRuleset() throws Exception {
        String galaxy = h.ok(RouterCommands.firewall("galaxy")).getText().getText();
        assertTrue(galaxy.contains("table inet"), galaxy);
        assertTrue(galaxy.contains("192.0.2.10"), "galaxy's kill switch lets the tunnel endpoint through: " + galaxy);
        assertFalse(
                galaxy.equals(h.ok(RouterCommands.firewall("star")).getText().getText()));
    }

    static Stream<Arguments> stateChanges() {
        return Stream.of(
                Arguments.of(RouterCommands.restart("star"), "star", "restart", "ok", "star restarted"),
                Arguments.of(RouterCommands.reset("galaxy"), "galaxy", "reset", "ok", "galaxy reset"),
                Arguments.of(RouterCommands.vpnUse("demo-zurich"), "galaxy", "vpn-use", "ok", ""),
                Arguments.of(RouterCommands.torNewnym(), "star", "tor-newnym", "ok", "new Tor identity"),
                Arguments.of(RouterCommands.vpnUse("nosuch"), "galaxy", "vpn-use", "NOT_FOUND", "no VPN profile"));
    }

    /** One subscription, one change, its one event (each case on a fresh agent). */
    @ParameterizedTest
    @MethodSource("stateChanges")
    void stateChangesAnswerAndPublishARouterStateEvent(
            Command change, String router, String action, String outcome, String says) throws Exception {
        h.ok(RouterCommands.subscribe("router."));
        if (outcome.equals("ok")) {
            Result r = h.ok(change);
            assertTrue(!r.hasAck() || r.getAck().getMessage().startsWith(says), r.toString());
        } else {
            Error e = h.failed(change);
            assertEquals(outcome, e.getCode().name());
            assertTrue(e.getMessage().startsWith(says), e.getMessage());
        }
        EventBody event = h.nextEvent();
        assertEquals(RouterHandlers.STATE_EVENT, event.getKind());
        assertEquals(router, event.getSubject());
        assertEquals(action, event.getAttributesOrThrow("action"));
        assertEquals(outcome, event.getAttributesOrThrow("outcome"));
        assertEquals("true", event.getAttributesOrThrow("up"));
    }

    @Test
    void oneSubscriptionSeesSuccessiveChangesInOrder() throws Exception {
        h.ok(RouterCommands.subscribe("router."));
        h.ok(RouterCommands.restart("star"));
        h.ok(RouterCommands.reset("galaxy"));
        h.failed(RouterCommands.restart("mars"));
        h.ok(RouterCommands.vpnUse("demo-zurich"));
        assertEquals(
                List.of("star/restart", "galaxy/reset", "galaxy/vpn-use"),
                List.of(describe(h.nextEvent()), describe(h.nextEvent()), describe(h.nextEvent())),
                "a refused name publishes nothing");
    }

    private static String describe(EventBody e) {
        return e.getSubject() + "/" + e.getAttributesOrThrow("action");
    }

    @Test
    void aDownRouterIsAFailedPreconditionUntilReset() throws Exception {
        ((RouterAgent) h.routers).service().down();
        assertTrue(h.ok(RouterCommands.list()).getRouterList().getRoutersList().stream()
                .noneMatch(RouterInfo::getUp));
        assertEquals(
                ErrorCode.FAILED_PRECONDITION,
                h.failed(RouterCommands.firewall("star")).getCode());
        assertEquals(
                ErrorCode.FAILED_PRECONDITION,
                h.failed(RouterCommands.torStatus()).getCode());
        Error restart = h.failed(RouterCommands.restart("star"));
        assertEquals(ErrorCode.FAILED_PRECONDITION, restart.getCode());
        assertTrue(restart.getMessage().contains("star is down"), restart.getMessage());
        h.ok(RouterCommands.reset("star"));
        assertTrue(h.ok(RouterCommands.status("star")).getRouterStatus().getUp());
    }

    static Stream<Arguments> hostileRouterNames() {
        return Stream.of(
                Arguments.of("mars", ErrorCode.NOT_FOUND, "unknown router 'mars'"),
                Arguments.of("abcdefghijklmnop", ErrorCode.INVALID_ARGUMENT, "is 16 characters"),
                Arguments.of("", ErrorCode.INVALID_ARGUMENT, "which router?"),
                Arguments.of("star;reboot", ErrorCode.INVALID_ARGUMENT, "other than a-z at position 5"),
                Arguments.of("$(reboot)", ErrorCode.INVALID_ARGUMENT, "position 1"),
                Arguments.of("../star", ErrorCode.INVALID_ARGUMENT, "position 1"),
                Arguments.of("star\u0000", ErrorCode.INVALID_ARGUMENT, "star\\u0000"),
                Arguments.of("STAR", ErrorCode.INVALID_ARGUMENT, "position 1"),
                Arguments.of("x".repeat(10_000), ErrorCode.INVALID_ARGUMENT, "is 10000 characters"));
    }

    @ParameterizedTest
    @MethodSource("hostileRouterNames")
    void hostileRouterNamesAreRefusedByEveryCommandThatTakesOne(String name, ErrorCode code, String says)
            throws Exception {
        h.ok(RouterCommands.subscribe("router."));
        for (Command c : List.of(
                RouterCommands.status(name),
                RouterCommands.restart(name),
                RouterCommands.reset(name),
                RouterCommands.firewall(name))) {
            Error e = h.failed(c);
            assertEquals(code, e.getCode(), e.getMessage());
            assertTrue(e.getMessage().contains(says), e.getMessage());
            assertEquals(code.name(), h.lastAudit().result());
        }
        assertTrue(h.events.isEmpty(), "a refused name changes nothing and publishes nothing: " + h.events);
        assertTrue(h.ok(RouterCommands.list()).getRouterList().getRoutersList().stream()
                .allMatch(RouterInfo::getUp));
    }

    static Stream<Arguments> hostileProfileNames() {
        return Stream.of(
                Arguments.of("../../etc/passwd", ErrorCode.INVALID_ARGUMENT),
                Arguments.of("demo-zurich.conf", ErrorCode.INVALID_ARGUMENT),
                Arguments.of("Demo", ErrorCode.INVALID_ARGUMENT),
                Arguments.of("", ErrorCode.INVALID_ARGUMENT),
                Arguments.of("a".repeat(33), ErrorCode.INVALID_ARGUMENT),
                Arguments.of("zurich;reboot", ErrorCode.INVALID_ARGUMENT),
                Arguments.of("nosuch", ErrorCode.NOT_FOUND));
    }

    @ParameterizedTest
    @MethodSource("hostileProfileNames")
    void hostileProfileNamesChangeNothing(String name, ErrorCode code) throws Exception {
        Error e = h.failed(RouterCommands.vpnUse(name));
        assertEquals(code, e.getCode(), e.getMessage());
        assertEquals(
                "demo-stockholm",
                h.ok(RouterCommands.vpnStatus()).getVpnStatus().getProfile());
        assertEquals("demo-stockholm", activeRecord());
    }

    static Stream<Arguments> hostileProfiles() {
        String good = DemoProfiles.profile("192.0.2.99:51820");
        String key =
                good.lines().filter(l -> l.startsWith("PrivateKey")).findFirst().orElseThrow();
        String endpoint = "Endpoint = 192.0.2.99:51820";
        return Stream.of(
                Arguments.of("short-key", good.replace(key, "PrivateKey = AAAA"), "PrivateKey: key must be 44"),
                Arguments.of(
                        "bad-base64", good.replace(key, "PrivateKey = " + "!".repeat(43) + "="), "not valid base64"),
                Arguments.of("zero-key", good.replace(key, "PrivateKey = " + "A".repeat(43) + "="), "all zeros"),
                Arguments.of(
                        "shell-endpoint",
                        good.replace(endpoint, "Endpoint = 192.0.2.99:51820;reboot"),
                        "forbidden character ';'"),
                Arguments.of(
                        "subst-endpoint",
                        good.replace(endpoint, "Endpoint = $(reboot):51820"),
                        "forbidden character '$'"),
                Arguments.of(
                        "backtick-endpoint",
                        good.replace(endpoint, "Endpoint = `id`:51820"),
                        "forbidden character '`'"),
                Arguments.of(
                        "post-up",
                        good.replace("[Peer]", "PostUp = /bin/sh -c reboot\n[Peer]"),
                        "unknown key 'PostUp'"),
                Arguments.of("two-peers", good + "[Peer]\nPublicKey = x\n", "second [Peer]"));
    }

    @ParameterizedTest
    @MethodSource("hostileProfiles")
    void hostileProfileFilesAreInvalidAndGalaxyKeepsItsTunnel(String name, String content, String says)
            throws Exception {
        operatorWrites(name, content);
        h.ok(RouterCommands.subscribe("router."));
        Error e = h.failed(RouterCommands.vpnUse(name));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode(), e.getMessage());
        assertTrue(
                e.getMessage().contains("profile '" + name + "' is invalid")
                        && e.getMessage().contains(says),
                e.getMessage());
        assertFalse(
                e.getMessage()
                        .contains(content.lines()
                                .filter(l -> l.startsWith("PrivateKey"))
                                .findFirst()
                                .orElseThrow()
                                .substring("PrivateKey = ".length())),
                "an error never echoes key material");
        VpnStatusResult vpn = h.ok(RouterCommands.vpnStatus()).getVpnStatus();
        assertEquals("demo-stockholm", vpn.getProfile());
        assertEquals("192.0.2.10:51820", vpn.getEndpoint());
        assertEquals("demo-stockholm", activeRecord());
        assertEquals("INVALID_ARGUMENT", h.nextEvent().getAttributesOrThrow("outcome"));
        assertTrue(h.ok(RouterCommands.status("galaxy")).getRouterStatus().getUp());
    }
}
