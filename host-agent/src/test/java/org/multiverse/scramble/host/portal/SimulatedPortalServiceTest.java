package org.multiverse.scramble.host.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.host.hypervisor.SimulatedHypervisor;

/** The service's state machine, limits and errors on the simulated backend (fast, no QEMU). */
class SimulatedPortalServiceTest {

    @TempDir
    Path tmp;

    private final SimulatedHypervisor host = new SimulatedHypervisor(true);
    private PortalService service;
    private final List<PortalEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        service = open(PortalServiceConfig.defaults(tmp.resolve("state"), tmp.resolve("images")));
    }

    private PortalService open(PortalServiceConfig config) throws Exception {
        return PortalService.open(config, host, List.of(events::add));
    }

    @AfterEach
    void close() {
        service.close();
    }

    private PortalException refused(PortalException.Kind kind, org.junit.jupiter.api.function.Executable call) {
        PortalException e = assertThrows(PortalException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void defineFromTemplatePersistsAndCreatesTheShare() throws Exception {
        PortalInfo info = service.define("star.router", "service/router/star", Map.of("memory_mib", "320"));
        assertEquals(1, info.definition().cpus());
        assertEquals(320, info.definition().memoryMiB());
        assertEquals(Network.STAR, info.definition().network());
        assertEquals("service/router/star", info.definition().template());
        assertEquals(PortalState.STOPPED, info.state());
        assertTrue(Files.isDirectory(service.shareRoot("star.router")));
        assertEquals(service.portalDir("star.router").resolve("share"), service.shareRoot("star.router"));
        String stored =
                Files.readString(service.portalDir("star.router").resolve("portal.toml"), StandardCharsets.UTF_8);
        assertEquals(info.definition(), DefinitionParser.parse("x", stored));
        assertEquals(23, service.templates().size());

        refused(
                PortalException.Kind.ALREADY_EXISTS,
                () -> service.define("star.router", "service/router/star", Map.of()));
        refused(PortalException.Kind.NOT_FOUND, () -> service.define("x", "service/router/moon", Map.of()));
        refused(
                PortalException.Kind.INVALID_ARGUMENT,
                () -> service.define("x", "service/router/star", Map.of("cpus", "0")));
        refused(PortalException.Kind.NOT_FOUND, () -> service.show("nothing"));
        refused(PortalException.Kind.INVALID_ARGUMENT, () -> service.show("../etc"));
        PortalException e = refused(
                PortalException.Kind.INVALID_ARGUMENT, () -> service.defineFromToml("name = \"a\"\nbogus = 1\n"));
        assertTrue(e.getMessage().startsWith("portal.toml:2: unknown key 'bogus'"), e.getMessage());
    }

    @Test
    void hostileNamesAreRefusedEverywhere() {
        for (String name : List.of("a,b", "a=b", "a b", "..", "../x", "a\nb", "x".repeat(300), "-drive", "")) {
            refused(PortalException.Kind.INVALID_ARGUMENT, () -> service.define(name, "service/router/star", Map.of()));
            refused(PortalException.Kind.INVALID_ARGUMENT, () -> service.start(name));
            refused(PortalException.Kind.INVALID_ARGUMENT, () -> service.portalDir(name));
        }
        refused(PortalException.Kind.INVALID_ARGUMENT, () -> service.snapshot("a", "../x"));
    }

    @Test
    void lifecycleOnTheSimulatedBackend() throws Exception {
        service.define("web", "service/server/web", Map.of("network", "none"));
        PortalInfo running = service.start("web");
        assertEquals(PortalState.RUNNING, running.state());
        assertTrue(
                running.warnings().stream().anyMatch(w -> w.contains("diskless")),
                "no image yet: diskless with a warning");
        assertEquals(PortalState.PAUSED, service.pause("web").state());
        refused(PortalException.Kind.FAILED_PRECONDITION, () -> service.pause("web"));
        assertEquals(PortalState.RUNNING, service.resume("web").state());
        refused(PortalException.Kind.FAILED_PRECONDITION, () -> service.resume("web"));
        refused(PortalException.Kind.FAILED_PRECONDITION, () -> service.undefine("web"));
        PortalInfo stopped = service.stop("web", Duration.ofSeconds(5));
        assertEquals(PortalState.STOPPED, stopped.state());
        assertEquals("powered off (ACPI)", stopped.lastExit());
        refused(PortalException.Kind.FAILED_PRECONDITION, () -> service.stop("web", Duration.ofSeconds(1)));
        refused(PortalException.Kind.INVALID_ARGUMENT, () -> service.stop("web", Duration.ofHours(1)));
        List<String> tail = service.consoleTail("web", 5);
        assertEquals(List.of("Simulated firmware for web", "No bootable device."), tail);
        refused(PortalException.Kind.INVALID_ARGUMENT, () -> service.consoleTail("web", 0));
        service.undefine("web");
        assertFalse(Files.exists(tmp.resolve("state/portals/web")));
        assertTrue(service.list().isEmpty());
    }

    @Test
    void aMissingBridgeIsAClearErrorAtStart() throws Exception {
        service.define("tor.browser", "application/browser/torbrowser", Map.of());
        PortalException e = refused(PortalException.Kind.FAILED_PRECONDITION, () -> service.start("tor.browser"));
        assertTrue(e.getMessage().contains("bridge mvbr-galaxy does not exist"), e.getMessage());
        assertEquals(PortalState.STOPPED, service.show("tor.browser").state());
    }

    @Test
    void crashesAreReportedWithStatusAndConsole() throws Exception {
        service.define("c", "application/console", Map.of("network", "none"));
        long pid = service.start("c").pid();
        assertTrue(host.crash(pid, 134));
        assertTrue(RealQemu.eventually(
                Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.kind() == PortalEvent.Kind.CRASHED)));
        PortalEvent crash = events.stream()
                .filter(e -> e.kind() == PortalEvent.Kind.CRASHED)
                .findFirst()
                .orElseThrow();
        assertEquals(134, crash.exitStatus());
        assertEquals(List.of("Simulated firmware for c", "No bootable device."), crash.consoleTail());
        assertEquals(PortalState.CRASHED, service.show("c").state());
        assertEquals(PortalState.RUNNING, service.start("c").state(), "a crashed portal can start again");
    }

    @Test
    void limitsOnCountAndMemory() throws Exception {
        service.close();
        service = open(PortalServiceConfig.defaults(tmp.resolve("state"), tmp.resolve("images"))
                .withLimits(2, 600));
        service.define("a", "service/router/star", Map.of("network", "none"));
        service.define("b", "service/router/star", Map.of("network", "none", "memory_mib", "400"));
        PortalException full = refused(
                PortalException.Kind.RESOURCE_EXHAUSTED, () -> service.define("c", "service/router/star", Map.of()));
        assertTrue(full.getMessage().contains("at most 2 portals"), full.getMessage());
        service.start("a");
        PortalException mem = refused(PortalException.Kind.RESOURCE_EXHAUSTED, () -> service.start("b"));
        assertTrue(
                mem.getMessage().contains("needs 400 MiB and running portals use 256 of the 600 MiB"),
                mem.getMessage());
        service.kill("a");
        assertEquals(PortalState.RUNNING, service.start("b").state());
    }

    @Test
    void adoptionAfterTheAgentGoesAway() throws Exception {
        service.define("a", "service/router/star", Map.of("network", "none"));
        service.define("b", "service/router/star", Map.of("network", "none"));
        long pid = service.start("a").pid();
        service.start("b");
        service.pause("b");
        service.detach();
        service = open(PortalServiceConfig.defaults(tmp.resolve("state"), tmp.resolve("images")));
        assertEquals(PortalState.RUNNING, service.show("a").state());
        assertEquals(pid, service.show("a").pid());
        assertEquals(PortalState.PAUSED, service.show("b").state());
        assertEquals(2, host.aliveCount(), "nothing started twice, nothing orphaned");
        refused(PortalException.Kind.FAILED_PRECONDITION, () -> service.start("a"));
        service.stop("a", Duration.ofSeconds(1));
        assertEquals(1, host.aliveCount());
    }

    @Test
    void snapshotsRetentionResetAndRevertWithAnImage() throws Exception {
        service.close();
        Files.createDirectories(tmp.resolve("images/service/router"));
        Files.writeString(tmp.resolve("images/service/router/star.qcow2"), "base");
        service = open(PortalServiceConfig.defaults(tmp.resolve("state"), tmp.resolve("images"))
                .withSnapshotRetention(2));
        service.define("s", "service/router/star", Map.of("network", "none"));
        refused(PortalException.Kind.FAILED_PRECONDITION, () -> service.snapshot("s", "early"));
        service.start("s");
        service.snapshot("s", "one");
        service.snapshot("s", "two");
        service.snapshot("s", "three");
        assertEquals(
                List.of("two", "three"),
                service.snapshots("s").stream().map(SnapshotInfo::tag).toList());
        refused(PortalException.Kind.NOT_FOUND, () -> service.revert("s", "one"));
        long before = service.show("s").pid();
        PortalInfo reverted = service.revert("s", "two");
        assertEquals(PortalState.RUNNING, reverted.state());
        assertTrue(reverted.pid() != before);
        PortalInfo reset = service.reset("s");
        assertEquals(PortalState.RUNNING, reset.state());
        assertTrue(RealQemu.eventually(
                Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.kind() == PortalEvent.Kind.RESET)));
        assertEquals(1, host.aliveCount());
    }

    @Test
    void undefineRefusesWhileTheShareHoldsLinks() throws Exception {
        service.define("l", "application/filebrowser", Map.of());
        Files.createDirectories(service.shareRoot("l").resolve("documents"));
        PortalException e = refused(PortalException.Kind.FAILED_PRECONDITION, () -> service.undefine("l"));
        assertTrue(e.getMessage().contains("still holds links"));
        assertTrue(Files.exists(service.portalDir("l").resolve("portal.toml")), "nothing half-done");
    }
}
