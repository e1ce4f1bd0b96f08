package org.multiverse.scramble.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.host.hypervisor.SimulatedHypervisor;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.PortalInfo;
import org.multiverse.scramble.protocol.v1.Result;

/**
 * Every portal and share command through the real pipeline (signed, verified, policy,
 * audited, sealed) on the simulated hypervisor: what it does when the arguments are good.
 */
class HostAgentPipelineTest {

    @TempDir
    Path tmp;

    private SimulatedHypervisor sim;
    private SimulatedMounter mounter;
    private Path shareRoot;
    private HostAgentHarness h;

    @BeforeEach
    void setUp() throws Exception {
        sim = new SimulatedHypervisor(true);
        mounter = new SimulatedMounter();
        shareRoot = Files.createDirectories(tmp.resolve("shared"));
        h = new HostAgentHarness(tmp, sim, List.of(shareRoot), shareRoot.toString(), mounter, 8);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void servesEveryHostCommandAndOnlyThoseBesideTheAgentOnes() {
        org.multiverse.scramble.protocol.testkit.CommandCoverage.assertServesExactly(
                h.kit.core(), org.multiverse.scramble.protocol.v1.ServingAgent.HOST);
    }

    @Test
    void templatesListAndDefineFromTemplateWithOverrides() throws Exception {
        List<String> templates = h.ok(Commands.templates()).getTemplateList().getTemplatesList();
        assertTrue(
                templates.contains("service/router/star") && templates.contains("application/browser/firefox"),
                templates.toString());
        assertEquals(0, h.ok(Commands.list()).getPortalList().getPortalsCount());

        PortalInfo p = h.ok(
                        Commands.define("work.console", "application/console", Map.of("cpus", "2", "network", "none")))
                .getPortalInfo();
        assertEquals("work.console", p.getName());
        assertEquals("application", p.getType());
        assertEquals("application/console", p.getTemplate());
        assertEquals(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_STOPPED, p.getState());
        assertEquals(2, p.getCpus());
        assertEquals(1024, p.getMemoryMib());
        assertEquals("none", p.getNetwork());
        assertEquals(-1, p.getPid());
        assertTrue(p.getMac().matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}"), p.getMac());
        assertEquals(p, h.ok(Commands.show("work.console")).getPortalInfo());
        assertEquals(
                List.of("work.console"),
                h.ok(Commands.list()).getPortalList().getPortalsList().stream()
                        .map(PortalInfo::getName)
                        .toList());
        assertTrue(Files.isRegularFile(h.stateDir.resolve("portals/work.console/portal.toml")));
    }

    @Test
    void lifecycleStartPauseResumeStopKillWithStateAndEvents() throws Exception {
        h.ok(Commands.subscribe("portal."));
        h.ok(Commands.defineToml("", Commands.diskless("life")));

        PortalInfo started = h.ok(Commands.start("life")).getPortalInfo();
        assertEquals(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING, started.getState());
        assertTrue(started.getPid() > 0);
        assertTrue(started.getWarningsList().stream().anyMatch(w -> w.contains("diskless")), started.toString());
        assertEquals(1, sim.aliveCount());
        EventBody e = h.nextEvent();
        assertEquals(org.multiverse.scramble.protocol.v1.EventKind.PORTAL_STATE, e.getKind());
        assertEquals("life", e.getSubject());
        assertEquals("started", e.getAttributesOrThrow("event"));
        h.fails(ErrorCode.FAILED_PRECONDITION, Commands.start("life"));
        assertEquals(1, sim.aliveCount(), "a second start must not start a second VM");

        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_PAUSED,
                h.ok(Commands.pause("life")).getPortalInfo().getState());
        h.fails(ErrorCode.FAILED_PRECONDITION, Commands.pause("life"));
        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING,
                h.ok(Commands.resume("life")).getPortalInfo().getState());
        h.fails(ErrorCode.FAILED_PRECONDITION, Commands.resume("life"));
        PortalInfo shown = h.ok(Commands.show("life")).getPortalInfo();
        assertEquals(started.getPid(), shown.getPid());
        assertTrue(
                shown.getLastEvent().startsWith("resume")
                        || shown.getLastEvent().startsWith("stop")
                        || shown.getLastEvent().startsWith("started"),
                shown.getLastEvent());

        PortalInfo stopped = h.ok(Commands.stop("life", 5)).getPortalInfo();
        assertEquals(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_STOPPED, stopped.getState());
        assertEquals(0, sim.aliveCount());
        h.fails(ErrorCode.FAILED_PRECONDITION, Commands.stop("life", 0));
        h.fails(ErrorCode.FAILED_PRECONDITION, Commands.kill("life"));

        h.ok(Commands.start("life"));
        PortalInfo killed = h.ok(Commands.kill("life")).getPortalInfo();
        assertEquals(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_STOPPED, killed.getState());
        assertEquals(0, sim.aliveCount());

        List<AuditRecord> audit = AuditLog.tail(AgentState.auditDir(h.stateDir), 2);
        assertEquals("portal.kill", audit.get(1).command());
        assertEquals("done", audit.get(1).decision());
        assertEquals("ok", audit.get(1).result());
    }

    @Test
    void crashIsPublishedWithTheConsoleTail() throws Exception {
        h.ok(Commands.subscribe("portal.crashed"));
        h.ok(Commands.defineToml("crashy", Commands.diskless("crashy")));
        long pid = h.ok(Commands.start("crashy")).getPortalInfo().getPid();
        assertTrue(sim.crash(pid, 139));
        EventBody e = h.nextEvent();
        assertEquals(org.multiverse.scramble.protocol.v1.EventKind.PORTAL_CRASHED, e.getKind());
        assertEquals("crashy", e.getSubject());
        assertEquals("139", e.getAttributesOrThrow("exit_status"));
        String console = e.getAttributesOrThrow("console");
        assertTrue(console.contains("Simulated firmware for crashy"), console);
        assertFalse(console.contains("\u001b"), "escapes reach the subscriber: " + console);
        assertEquals(
                org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_CRASHED,
                h.ok(Commands.show("crashy")).getPortalInfo().getState());
    }

    @Test
    void consoleTailStripsTerminalEscapes() throws Exception {
        h.ok(Commands.defineToml("talk", Commands.diskless("talk")));
        h.ok(Commands.start("talk"));
        Path console = h.stateDir.resolve("portals/talk/status.out");
        Files.writeString(
                console,
                "\u001b]0;owned title\u0007boot \u001b[31mred\u001b[0m ok\r\nlast line\n",
                java.nio.file.StandardOpenOption.APPEND);
        List<String> lines = h.ok(Commands.tail("talk", 0)).getConsoleLines().getLinesList();
        assertTrue(lines.contains("boot red ok") && lines.contains("last line"), lines.toString());
        assertTrue(lines.contains("Simulated firmware for talk"), lines.toString());
        lines.forEach(l -> assertTrue(l.chars().noneMatch(c -> c < 0x20 && c != '\t'), l));
        assertEquals(
                List.of("last line"),
                h.ok(Commands.tail("talk", 1)).getConsoleLines().getLinesList());
        h.ok(Commands.kill("talk"));
    }

    @Test
    void aConsoleTailOfMoreThanAMegabyteArrivesWhole() throws Exception {
        // Before replies came in parts (SPEC.md §8.1) anything past 64 KiB was dropped and the client timed out.
        h.ok(Commands.defineToml("chatty", Commands.diskless("chatty")));
        h.ok(Commands.start("chatty"));
        Path console = h.stateDir.resolve("portals/chatty/status.out");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            text.append("line ").append(i).append(' ').append("y".repeat(1200)).append('\n');
        }
        Files.writeString(console, text, java.nio.file.StandardOpenOption.APPEND);
        List<String> lines =
                h.ok(Commands.tail("chatty", 1000)).getConsoleLines().getLinesList();
        assertEquals(1000, lines.size());
        assertEquals("line 999 " + "y".repeat(1200), lines.get(999));
        assertTrue(lines.stream().mapToLong(String::length).sum() > 1_000_000, "more than a megabyte");
        h.ok(Commands.kill("chatty"));
    }

    @Test
    void resetSnapshotRevertAndSnapshotList() throws Exception {
        Files.writeString(h.images.resolve("base.qcow2"), "base image");
        h.ok(Commands.defineToml("disk", Commands.withDisk("disk", "base.qcow2")));
        PortalInfo running = h.ok(Commands.start("disk")).getPortalInfo();
        Path overlay = h.stateDir.resolve("portals/disk/overlay.qcow2");
        assertEquals(overlay.toString(), running.getOverlay());

        Result snap = h.ok(Commands.snapshot("disk", "before"));
        assertTrue(snap.getAck().getMessage().contains("before"), snap.toString());
        h.fails(ErrorCode.ALREADY_EXISTS, Commands.snapshot("disk", "before"));
        assertEquals(
                List.of("before"),
                h.ok(Commands.snapshots("disk")).getSnapshotList().getTagsList());

        Files.writeString(overlay, "changed by the guest");
        PortalInfo reset = h.ok(Commands.reset("disk")).getPortalInfo();
        assertEquals(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING, reset.getState());
        assertNotEquals(running.getPid(), reset.getPid(), "reset restarts the VM on a new overlay");
        assertTrue(Files.readString(overlay).startsWith("simulated qcow2 overlay"), "the overlay was made anew");
        assertEquals(1, sim.aliveCount());

        PortalInfo reverted = h.ok(Commands.revert("disk", "before")).getPortalInfo();
        assertEquals(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING, reverted.getState());
        h.fails(ErrorCode.NOT_FOUND, Commands.revert("disk", "never-taken"));
        h.ok(Commands.kill("disk"));
    }

    @Test
    void shareLinkListFstabUnlink() throws Exception {
        h.ok(Commands.defineToml("files", Commands.diskless("files")));
        Path docs = Files.createDirectories(shareRoot.resolve("docs"));
        String ack =
                h.ok(Commands.link("files", docs.toString(), "", true)).getAck().getMessage();
        assertTrue(ack.contains("as docs (read-only)"), ack);
        Path mountPoint = h.stateDir.resolve("portals/files/share/docs").toRealPath();
        assertTrue(mounter.isMounted(mountPoint));

        var list = h.ok(Commands.shareList("files")).getShareList();
        assertEquals("files", list.getPortal());
        assertEquals("multiverse-portal", list.getMountTag());
        assertEquals(1, list.getLinksCount());
        assertEquals("docs", list.getLinks(0).getAsName());
        assertEquals(docs.toRealPath().toString(), list.getLinks(0).getHostPath());
        assertTrue(list.getLinks(0).getReadOnly());

        String fstab = h.ok(Commands.fstab("files")).getText().getText();
        assertTrue(fstab.contains("multiverse-portal /mnt/multiverse 9p trans=virtio,version=9p2000.L"), fstab);
        assertTrue(fstab.contains(",ro 0 0"), fstab);

        String unlinked = h.ok(Commands.unlink("files", "docs")).getAck().getMessage();
        assertTrue(unlinked.contains("unlinked docs"), unlinked);
        assertFalse(mounter.isMounted(mountPoint));
        assertEquals(0, h.ok(Commands.shareList("files")).getShareList().getLinksCount());
    }

    @Test
    void undefineUnlinksTheShareFirstAndRefusesARunningPortal() throws Exception {
        h.ok(Commands.defineToml("gone", Commands.diskless("gone")));
        Path docs = Files.createDirectories(shareRoot.resolve("keep"));
        Files.writeString(docs.resolve("precious.txt"), "host data");
        h.ok(Commands.link("gone", docs.toString(), "keep", false));
        h.ok(Commands.start("gone"));

        h.fails(ErrorCode.FAILED_PRECONDITION, Commands.undefine("gone"));
        assertEquals(1, h.ok(Commands.shareList("gone")).getShareList().getLinksCount(), "refused: nothing undone");

        h.ok(Commands.stop("gone", 1));
        assertEquals(
                "portal gone undefined",
                h.ok(Commands.undefine("gone")).getAck().getMessage());
        assertFalse(Files.exists(h.stateDir.resolve("portals/gone")));
        assertEquals("host data", Files.readString(docs.resolve("precious.txt")), "the host folder is untouched");
        h.fails(ErrorCode.NOT_FOUND, Commands.show("gone"));
        h.fails(ErrorCode.NOT_FOUND, Commands.shareList("gone"));
    }

    @Test
    void runningPortalsAreAdoptedByTheNextAgentNotStartedTwice() throws Exception {
        h.ok(Commands.defineToml("keep", Commands.diskless("keep")));
        long pid = h.ok(Commands.start("keep")).getPortalInfo().getPid();
        h.close();
        h = null;
        assertEquals(1, sim.aliveCount(), "closing the agent leaves portals running");

        h = new HostAgentHarness(tmp, sim, List.of(shareRoot), shareRoot.toString(), mounter, 8);
        PortalInfo adopted = h.ok(Commands.show("keep")).getPortalInfo();
        assertEquals(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING, adopted.getState());
        assertEquals(pid, adopted.getPid());
        assertTrue(adopted.getLastEvent().startsWith("adopted"), adopted.getLastEvent());
        h.fails(ErrorCode.FAILED_PRECONDITION, Commands.start("keep"));
        assertEquals(1, sim.aliveCount());
        h.ok(Commands.kill("keep"));
        assertEquals(0, sim.aliveCount());
    }
}
