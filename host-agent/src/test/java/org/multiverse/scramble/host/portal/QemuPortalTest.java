package org.multiverse.scramble.host.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.host.qemu.ProcFiles;
import org.multiverse.scramble.host.qemu.QemuHypervisor;

/** Portals as real QEMU processes under TCG: lifecycle, reset, snapshots, adoption, escaping. */
class QemuPortalTest {

    @TempDir
    Path tmp;

    private Path state;
    private Path images;
    private QemuHypervisor qemu;
    private PortalService service;
    private final List<PortalEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        qemu = RealQemu.hypervisor();
        state = Files.createDirectories(tmp.resolve("s"));
        images = Files.createDirectories(tmp.resolve("i"));
        service = open();
    }

    private PortalService open() throws Exception {
        return PortalService.open(PortalServiceConfig.defaults(state, images), qemu, List.of(events::add));
    }

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        RealQemu.killAllUnder(tmp);
        assertEquals(List.of(), RealQemu.qemuPidsUnder(tmp), "QEMU processes left behind");
    }

    private static String diskless(String name) {
        return "name = \"" + name + "\"\ntype = \"service\"\ncpus = 1\nmemory_mib = 64\nnetwork = \"none\"\n"
                + "channels = [\"org.multiverse.host.0\"]\n";
    }

    @Test
    void disklessLifecycleStartPauseResumeStopWithForceKillAndCrash() throws Exception {
        service.defineFromToml(diskless("life"));
        PortalInfo started = service.start("life");
        assertEquals(PortalState.RUNNING, started.state());
        assertTrue(
                started.warnings().stream().anyMatch(w -> w.contains("diskless")),
                started.warnings().toString());
        long pid = started.pid();
        List<String> args = RealQemu.cmdline(pid);
        assertTrue(args.contains("q35,accel=tcg"), args.toString());
        assertTrue(args.contains("-nodefaults") && args.contains("-sandbox"), args.toString());
        assertEquals(pid, ProcFiles.sessionId(pid), "QEMU runs in its own session, safe from the agent's hang-up");
        assertTrue(Files.exists(service.portalDir("life").resolve("org.multiverse.host.0.sock")));
        assertEquals(List.of(pid), RealQemu.qemuPidsUnder(state));
        assertEquals(PortalState.RUNNING, service.list().get(0).state());

        assertEquals(PortalState.PAUSED, service.pause("life").state());
        assertEquals(PortalState.PAUSED, service.show("life").state());
        assertEquals(PortalState.RUNNING, service.resume("life").state());
        assertEquals(
                PortalException.Kind.FAILED_PRECONDITION,
                assertThrows(PortalException.class, () -> service.start("life")).kind());

        // A diskless guest has no OS to hear the ACPI button: the force after the timeout must work.
        PortalInfo stopped = service.stop("life", Duration.ofMillis(300));
        assertEquals(PortalState.STOPPED, stopped.state());
        assertTrue(stopped.lastExit().contains("forced"), stopped.lastExit());
        assertTrue(RealQemu.qemuPidsUnder(state).isEmpty());

        long pid2 = service.start("life").pid();
        assertNotEquals(pid, pid2);
        assertEquals(PortalState.STOPPED, service.kill("life").state());
        assertTrue(RealQemu.qemuPidsUnder(state).isEmpty());

        // A crash: the process dies unasked; the event carries the status and the console tail.
        long pid3 = service.start("life").pid();
        ProcessHandle.of(pid3).orElseThrow().destroyForcibly();
        assertTrue(RealQemu.eventually(
                Duration.ofSeconds(10), () -> events.stream().anyMatch(e -> e.kind() == PortalEvent.Kind.CRASHED)));
        PortalEvent crash = events.stream()
                .filter(e -> e.kind() == PortalEvent.Kind.CRASHED)
                .findFirst()
                .orElseThrow();
        assertEquals(137, crash.exitStatus());
        assertTrue(crash.detail().contains("signal 9"), crash.detail());
        PortalInfo after = service.show("life");
        assertEquals(PortalState.CRASHED, after.state());
        assertTrue(after.lastExit().contains("signal 9"), after.lastExit());
        assertTrue(events.stream().anyMatch(e -> e.kind() == PortalEvent.Kind.STOP));
        assertTrue(events.stream().anyMatch(e -> e.kind() == PortalEvent.Kind.RESUME));
    }

    @Test
    void resetMakesANewOverlayEachTimeAndSnapshotsRevert() throws Exception {
        Path base = images.resolve("base.qcow2");
        new ProcessBuilder(List.of("/usr/bin/qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "16M"))
                .inheritIO()
                .start()
                .waitFor();
        service.defineFromToml(diskless("disk") + "image = \"base.qcow2\"\n");
        Path overlay = service.portalDir("disk").resolve("overlay.qcow2");

        service.reset("disk");
        Object first = inode(overlay);
        service.reset("disk");
        Object second = inode(overlay);
        assertNotEquals(first, second, "a stopped reset creates a new overlay file");

        PortalInfo running = service.start("disk");
        assertTrue(running.warnings().isEmpty(), running.warnings().toString());
        assertTrue(RealQemu.cmdline(running.pid()).stream().anyMatch(a -> a.contains("file.filename=" + overlay)));
        Object third = inode(overlay);
        assertNotEquals(second, third, "an ephemeral start creates a new overlay");

        PortalInfo reset = service.reset("disk");
        assertEquals(PortalState.RUNNING, reset.state());
        assertNotEquals(running.pid(), reset.pid(), "reset restarts a running portal");
        assertNotEquals(third, inode(overlay));
        assertEquals(1, RealQemu.qemuPidsUnder(state).size());

        SnapshotInfo one = service.snapshot("disk", "one");
        assertEquals(PortalState.RUNNING, service.show("disk").state(), "resumed after the snapshot copy");
        service.snapshot("disk", "two");
        assertEquals(
                List.of("one", "two"),
                service.snapshots("disk").stream().map(SnapshotInfo::tag).toList());
        assertTrue(one.sizeBytes() > 0);
        assertEquals(
                PortalException.Kind.ALREADY_EXISTS,
                assertThrows(PortalException.class, () -> service.snapshot("disk", "one"))
                        .kind());

        Object beforeRevert = inode(overlay);
        PortalInfo reverted = service.revert("disk", "one");
        assertEquals(PortalState.RUNNING, reverted.state());
        assertNotEquals(reset.pid(), reverted.pid());
        assertNotEquals(beforeRevert, inode(overlay));
        assertEquals(1, RealQemu.qemuPidsUnder(state).size());

        // Reverting a stopped portal keeps the reverted overlay for the next (ephemeral) start.
        service.kill("disk");
        service.revert("disk", "two");
        Object revertedInode = inode(overlay);
        service.start("disk");
        assertEquals(revertedInode, inode(overlay), "the next start boots the reverted overlay");
        assertEquals(
                PortalException.Kind.NOT_FOUND,
                assertThrows(PortalException.class, () -> service.revert("disk", "three"))
                        .kind());
        service.kill("disk");
    }

    @Test
    void aRestartedAgentAdoptsRunningQemuWithoutStartingItTwice() throws Exception {
        service.defineFromToml(diskless("adopt"));
        service.defineFromToml(diskless("paused"));
        service.defineFromToml(diskless("idle"));
        long pid = service.start("adopt").pid();
        long pausedPid = service.start("paused").pid();
        service.pause("paused");

        service.detach(); // the agent goes away; QEMU stays
        service = open();

        PortalInfo adopted = service.show("adopt");
        assertEquals(PortalState.RUNNING, adopted.state());
        assertEquals(pid, adopted.pid());
        assertEquals(PortalState.PAUSED, service.show("paused").state());
        assertEquals(pausedPid, service.show("paused").pid());
        assertEquals(PortalState.STOPPED, service.show("idle").state());
        assertEquals(2, RealQemu.qemuPidsUnder(state).size(), "no QEMU orphaned or doubled");
        assertEquals(
                PortalException.Kind.FAILED_PRECONDITION,
                assertThrows(PortalException.class, () -> service.start("adopt"))
                        .kind());
        assertTrue(RealQemu.eventually(
                Duration.ofSeconds(5),
                () -> events.stream()
                                .filter(e -> e.kind() == PortalEvent.Kind.ADOPTED)
                                .count()
                        == 2));

        // The adopted VM is fully controllable.
        assertEquals(PortalState.RUNNING, service.resume("paused").state());
        assertEquals(
                PortalState.STOPPED,
                service.stop("adopt", Duration.ofMillis(200)).state());
        assertEquals(PortalState.STOPPED, service.kill("paused").state());
        assertTrue(RealQemu.qemuPidsUnder(state).isEmpty());
    }

    /**
     * A bridge the QEMU bridge helper may not use (no {@code allow} line in
     * /etc/qemu/bridge.conf) makes QEMU quit right after it opened its QMP socket. The person
     * must read QEMU's own reason, not "does not speak QMP: connection ended before the greeting".
     */
    @Test
    void aBridgeQemuMayNotUseIsRefusedInQemusOwnWords() throws Exception {
        String bridge = "mvacl" + ProcessHandle.current().pid() % 100000;
        org.multiverse.scramble.protocol.testkit.Prerequisite.require(
                new ProcessBuilder("ip", "link", "add", bridge, "type", "bridge")
                                .inheritIO()
                                .start()
                                .waitFor()
                        == 0,
                "creating a bridge needs root and iproute2 (apt-get install -y iproute2)");
        try {
            new ProcessBuilder("ip", "link", "set", bridge, "up")
                    .inheritIO()
                    .start()
                    .waitFor();
            PortalServiceConfig config = new PortalServiceConfig(
                    state, images, PortalTemplates.fromClasspath(), java.util.Map.of(Network.STAR, bridge), 8, 1024, 3);
            service.close();
            service = PortalService.open(config, qemu, List.of(events::add));
            service.defineFromToml(diskless("acl").replace("network = \"none\"", "network = \"star\""));
            PortalException e = assertThrows(PortalException.class, () -> service.start("acl"));
            assertTrue(
                    e.getMessage().contains("bridge helper failed")
                            && (e.getMessage().contains("acl file")
                                    || e.getMessage().contains("bridge.conf")),
                    e.getMessage());
            assertFalse(e.getMessage().contains("does not speak QMP"), e.getMessage());
        } finally {
            new ProcessBuilder("ip", "link", "del", bridge).inheritIO().start().waitFor();
        }
    }

    @Test
    void hostilePathCharactersAreEscapedInTheRealCommandLine() throws Exception {
        // A state and image directory with a comma, '=' and a space: unescaped, the comma
        // would start a new QEMU option (file=..., or a second path).
        Path hostileState = Files.createDirectories(tmp.resolve("a,b=c d"));
        Path hostileImages = Files.createDirectories(tmp.resolve("i,file=x"));
        Path base = hostileImages.resolve("b.qcow2");
        new ProcessBuilder(List.of("/usr/bin/qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "8M"))
                .inheritIO()
                .start()
                .waitFor();
        PortalService hostile = PortalService.open(PortalServiceConfig.defaults(hostileState, hostileImages), qemu);
        try {
            hostile.defineFromToml(diskless("h") + "image = \"b.qcow2\"\n");
            PortalInfo info = hostile.start("h");
            assertEquals(PortalState.RUNNING, info.state());
            List<String> args = RealQemu.cmdline(info.pid());
            String dir = hostile.portalDir("h").toString().replace(",", ",,");
            assertTrue(args.contains("socket,id=qmp,path=" + dir + "/qmp.sock,server=on,wait=off"), args.toString());
            assertTrue(
                    args.contains(
                            "node-name=disk0,driver=qcow2,file.driver=file,file.filename=" + dir + "/overlay.qcow2"),
                    args.toString());
            assertTrue(
                    args.contains("local,id=multiverse-portal-fs,path=" + dir
                            + "/share,security_model=mapped-xattr,multidevs=remap"),
                    args.toString());
            // QEMU understood the escaped paths: QMP answers on the real (comma-holding) path.
            assertEquals(PortalState.PAUSED, hostile.pause("h").state());
            hostile.kill("h");
        } finally {
            hostile.close();
        }
    }

    private static Object inode(Path p) throws Exception {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }
}
