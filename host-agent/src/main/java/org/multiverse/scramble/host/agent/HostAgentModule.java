package org.multiverse.scramble.host.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.multiverse.scramble.host.hypervisor.Hypervisor;
import org.multiverse.scramble.host.hypervisor.SimulatedHypervisor;
import org.multiverse.scramble.host.portal.Network;
import org.multiverse.scramble.host.portal.PortalServiceConfig;
import org.multiverse.scramble.host.portal.PortalTemplates;
import org.multiverse.scramble.host.qemu.QemuHypervisor;
import org.multiverse.scramble.host.qemu.QemuSettings;
import org.multiverse.scramble.host.share.FstabGenerator;
import org.multiverse.scramble.host.share.Mounter;
import org.multiverse.scramble.host.share.SystemMounter;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentModule;

/**
 * The host agent: portals (QEMU virtual machines driven over QMP) and their 9p shares, served
 * through the shared agent core. Its state lives in the agent's state directory:
 * {@code portals/NAME/} per portal beside the core's identity, audit log and replay state.
 *
 * <p>{@link #install} runs the real backends as {@link HostAgentOptions} configure them;
 * {@link #installDemo} runs the same handlers on a {@link SimulatedHypervisor} with remembered
 * (not made) bind mounts, the packaged templates, simulated bridges for universe, galaxy and star
 * (the simulated hypervisor attaches nothing to them), and one linkable folder, {@code STATE/shared}.
 */
public final class HostAgentModule implements AgentModule {

    /** The demo's portal memory budget: the simulation uses none, but limits should still show. */
    static final long DEMO_MEMORY_BUDGET_MIB = 16 * 1024;
    /** The folder the demo allows share links from, under its state directory. */
    public static final String DEMO_SHARED_DIR = "shared";

    private final HostAgentOptions options = new HostAgentOptions();

    @Override
    public String name() {
        return "host-agent";
    }

    @Override
    public String role() {
        return "host";
    }

    @Override
    public Object runOptions() {
        return options;
    }

    @Override
    public AutoCloseable install(AgentCore core, Path stateDir) throws Exception {
        Hypervisor hypervisor = switch (options.hypervisorKind()) {
            case QEMU -> QemuHypervisor.create(QemuSettings.defaults(options.accelerator()));
            case SIM -> new SimulatedHypervisor(true);
            case SIM_ACPI_IGNORED -> new SimulatedHypervisor(false);
        };
        PortalTemplates templates = options.templates == null
                ? PortalTemplates.fromClasspath()
                : PortalTemplates.fromDirectory(options.templates);
        PortalServiceConfig config = new PortalServiceConfig(
                stateDir,
                options.images,
                templates,
                options.bridges(),
                options.maxPortals(),
                options.memoryBudgetMiB(HostMemory.totalMiB()),
                PortalServiceConfig.DEFAULT_SNAPSHOT_RETENTION);
        Mounter mounter = new SystemMounter();
        return HostAgent.open(
                core,
                config,
                hypervisor,
                options.shareRoots(),
                mounter,
                FstabGenerator.forMountPoint(options.fstabMountPoint),
                options.portals);
    }

    @Override
    public AutoCloseable installDemo(AgentCore core, Path stateDir) throws Exception {
        Path images = Files.createDirectories(stateDir.resolve("images"));
        Path shared = Files.createDirectories(stateDir.resolve(DEMO_SHARED_DIR));
        Map<Network, String> simulatedBridges =
                Map.of(Network.UNIVERSE, "sim-universe", Network.GALAXY, "sim-galaxy", Network.STAR, "sim-star");
        PortalServiceConfig config = new PortalServiceConfig(
                stateDir,
                images,
                PortalTemplates.fromClasspath(),
                simulatedBridges,
                PortalServiceConfig.DEFAULT_MAX_PORTALS,
                DEMO_MEMORY_BUDGET_MIB,
                PortalServiceConfig.DEFAULT_SNAPSHOT_RETENTION);
        return HostAgent.open(
                core,
                config,
                new SimulatedHypervisor(true, Set.copyOf(simulatedBridges.values())),
                List.of(shared),
                new SimulatedMounter(),
                new FstabGenerator());
    }
}
