package org.multiverse.scramble.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.host.portal.RealQemu;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.PortalInfo;

/**
 * The host agent's pipeline on real QEMU (TCG, diskless): define, start, list, pause, resume,
 * stop, reset, console tail, kill, each a signed command answered sealed. Under {@code CI=true}
 * a missing QEMU fails the test; on a laptop it skips.
 */
class HostAgentQemuTest {

    @TempDir
    Path tmp;

    private HostAgentHarness h;

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) {
            h.close();
        }
        RealQemu.killAllUnder(tmp);
        assertEquals(List.of(), RealQemu.qemuPidsUnder(tmp), "QEMU processes left behind");
    }

    @Test
    void disklessPortalLifecycleThroughTheSignedPipeline() throws Exception {
        h = new HostAgentHarness(tmp, RealQemu.hypervisor(), List.of(), null, new SimulatedMounter(), 4);
        h.ok(Commands.defineToml("", Commands.diskless("tcg")));

        PortalInfo started = h.ok(Commands.start("tcg")).getPortalInfo();
        assertEquals(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING, started.getState());
        assertEquals(List.of(started.getPid()), RealQemu.qemuPidsUnder(tmp));
        List<String> args = RealQemu.cmdline(started.getPid());
        assertTrue(args.contains("q35,accel=tcg"), args.toString());
        assertTrue(
                args.contains("virtio-9p-pci,fsdev=multiverse-portal-fs,mount_tag=multiverse-portal"),
                "the 9p export comes from NinePShare: " + args);
        List<PortalInfo> listed = h.ok(Commands.list()).getPortalList().getPortalsList();
        assertEquals(1, listed.size());
        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING,
                listed.get(0).getState());
        assertEquals(started.getPid(), listed.get(0).getPid());

        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_PAUSED,
                h.ok(Commands.pause("tcg")).getPortalInfo().getState());
        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_PAUSED,
                h.ok(Commands.show("tcg")).getPortalInfo().getState());
        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING,
                h.ok(Commands.resume("tcg")).getPortalInfo().getState());

        // A diskless guest has no OS to hear the ACPI button: the force after 1 s must work.
        PortalInfo stopped = h.ok(Commands.stop("tcg", 1)).getPortalInfo();
        assertEquals(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_STOPPED, stopped.getState());
        assertEquals(List.of(), RealQemu.qemuPidsUnder(tmp));

        long first = h.ok(Commands.start("tcg")).getPortalInfo().getPid();
        PortalInfo reset = h.ok(Commands.reset("tcg")).getPortalInfo();
        assertEquals(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING, reset.getState());
        assertNotEquals(first, reset.getPid(), "reset restarts the VM");
        assertEquals(List.of(reset.getPid()), RealQemu.qemuPidsUnder(tmp));

        // The diskless firmware prints nothing on the serial console (-nodefaults), so the test
        // writes what a hostile guest would: escapes that retitle the terminal and move the cursor.
        Path console = h.stateDir.resolve("portals/tcg/status.out");
        assertTrue(Files.isRegularFile(console), "QEMU opened the console log");
        Files.writeString(
                console, "\u001b]0;owned\u0007guest \u001b[2Jsays hi\r\n", java.nio.file.StandardOpenOption.APPEND);
        List<String> lines = h.ok(Commands.tail("tcg", 50)).getConsoleLines().getLinesList();
        assertEquals(List.of("guest says hi"), lines);

        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_STOPPED,
                h.ok(Commands.kill("tcg")).getPortalInfo().getState());
        assertEquals(List.of(), RealQemu.qemuPidsUnder(tmp));
        h.fails(ErrorCode.FAILED_PRECONDITION, Commands.kill("tcg"));
        h.ok(Commands.undefine("tcg"));
    }
}
