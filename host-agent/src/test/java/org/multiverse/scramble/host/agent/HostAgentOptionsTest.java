package org.multiverse.scramble.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.host.portal.Network;
import org.multiverse.scramble.host.qemu.Accelerator;
import picocli.CommandLine;

/** The host agent's run options: defaults, good values, and bad values refused naming the option. */
class HostAgentOptionsTest {

    private static HostAgentOptions parse(String... args) {
        HostAgentOptions o = new HostAgentOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    private static void refused(String expected, Runnable check) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, check::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void defaults() {
        HostAgentOptions o = parse();
        assertEquals(HostAgentOptions.HypervisorKind.QEMU, o.hypervisorKind());
        assertEquals(Accelerator.AUTO, o.accelerator());
        assertEquals(Path.of(HostAgentOptions.DEFAULT_IMAGES), o.images);
        assertEquals(
                Map.of(Network.UNIVERSE, "mvbr-universe", Network.GALAXY, "mvbr-galaxy", Network.STAR, "mvbr-star"),
                o.bridges());
        assertEquals(List.of(), o.shareRoots());
        assertEquals(7168, o.memoryBudgetMiB(8192));
        assertEquals("/mnt/multiverse", o.fstabMountPoint);
    }

    @Test
    void goodValues() {
        HostAgentOptions o = parse(
                "--hypervisor",
                "sim",
                "--accel",
                "tcg",
                "--bridge",
                "universe=br0",
                "--bridge",
                "star=br-star.1",
                "--share-root",
                "/srv/a",
                "--share-root",
                "/srv/b",
                "--max-portals",
                "3",
                "--memory-reserve",
                "512");
        assertEquals(HostAgentOptions.HypervisorKind.SIM, o.hypervisorKind());
        assertEquals(Accelerator.TCG, o.accelerator());
        assertEquals("br0", o.bridges().get(Network.UNIVERSE));
        assertEquals("mvbr-galaxy", o.bridges().get(Network.GALAXY));
        assertEquals("br-star.1", o.bridges().get(Network.STAR));
        assertEquals(List.of(Path.of("/srv/a"), Path.of("/srv/b")), o.shareRoots());
        assertEquals(3, o.maxPortals());
        assertEquals(1536, o.memoryBudgetMiB(2048));
    }

    @Test
    void badValuesAreRefusedNamingTheOption() {
        refused("--hypervisor", () -> parse("--hypervisor", "xen").hypervisorKind());
        refused("--accel", () -> parse("--accel", "hvf").accelerator());
        refused("network must be", () -> parse("--bridge", "none=br0").bridges());
        refused("network must be", () -> parse("--bridge", "lan=br0").bridges());
        refused(
                "interface name",
                () -> parse("--bridge", "universe=br0,script=/tmp/x").bridges());
        refused(
                "interface name",
                () -> parse("--bridge", "universe=" + "b".repeat(16)).bridges());
        refused("interface name", () -> parse("--bridge", "universe=..").bridges());
        refused("interface name", () -> parse("--bridge", "universe=").bridges());
        refused("absolute", () -> parse("--share-root", "relative/dir").shareRoots());
        refused("--max-portals", () -> parse("--max-portals", "0").maxPortals());
        refused("--memory-reserve", () -> parse("--memory-reserve", "-1").memoryBudgetMiB(4096));
        refused("leaves nothing", () -> parse("--memory-reserve", "4096").memoryBudgetMiB(4096));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--max-portals", "many"));
    }
}
