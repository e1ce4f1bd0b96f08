package org.multiverse.scramble.host.portal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where the service keeps its state and what it may use.
 *
 * @param stateDir          holds {@code portals/NAME/} for every defined portal
 * @param imageDir          where image references resolve (read-only base images, kernels)
 * @param templates         the template tree
 * @param bridges           host bridge per network (NONE needs none)
 * @param maxPortals        most portals that may be defined
 * @param memoryBudgetMiB   most memory all running portals may have together
 * @param snapshotRetention how many snapshots each portal keeps (the oldest go first)
 */
public record PortalServiceConfig(
        Path stateDir,
        Path imageDir,
        PortalTemplates templates,
        Map<Network, String> bridges,
        int maxPortals,
        long memoryBudgetMiB,
        int snapshotRetention) {

    /** Memory kept for the host kernel, the agent and QEMU's own overhead per VM. */
    public static final long HOST_MEMORY_RESERVE_MIB = 1024;
    /** Default cap on defined portals: each costs a directory and, running, a QEMU. */
    public static final int DEFAULT_MAX_PORTALS = 64;
    /** Default snapshots kept per portal: enough to go back a few steps, small on disk. */
    public static final int DEFAULT_SNAPSHOT_RETENTION = 5;

    public PortalServiceConfig {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(imageDir, "imageDir");
        Objects.requireNonNull(templates, "templates");
        stateDir = stateDir.toAbsolutePath().normalize();
        imageDir = imageDir.toAbsolutePath().normalize();
        EnumMap<Network, String> b = new EnumMap<>(Network.class);
        b.putAll(bridges);
        bridges = Map.copyOf(b);
        if (maxPortals < 1 || memoryBudgetMiB < 1 || snapshotRetention < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * Defaults: the packaged templates, bridges {@code mvbr-universe}/{@code mvbr-galaxy}/
     * {@code mvbr-star}, 64 portals, host memory minus {@value #HOST_MEMORY_RESERVE_MIB} MiB,
     * 5 snapshots per portal.
     */
    public static PortalServiceConfig defaults(Path stateDir, Path imageDir) throws DefinitionException {
        Map<Network, String> bridges =
                Map.of(Network.UNIVERSE, "mvbr-universe", Network.GALAXY, "mvbr-galaxy", Network.STAR, "mvbr-star");
        return new PortalServiceConfig(
                stateDir,
                imageDir,
                PortalTemplates.fromClasspath(),
                bridges,
                DEFAULT_MAX_PORTALS,
                Math.max(1, hostMemoryMiB() - HOST_MEMORY_RESERVE_MIB),
                DEFAULT_SNAPSHOT_RETENTION);
    }

    public PortalServiceConfig withLimits(int maxPortals, long memoryBudgetMiB) {
        return new PortalServiceConfig(
                stateDir, imageDir, templates, bridges, maxPortals, memoryBudgetMiB, snapshotRetention);
    }

    public PortalServiceConfig withSnapshotRetention(int retention) {
        return new PortalServiceConfig(stateDir, imageDir, templates, bridges, maxPortals, memoryBudgetMiB, retention);
    }

    public PortalServiceConfig withBridges(Map<Network, String> bridges) {
        return new PortalServiceConfig(
                stateDir, imageDir, templates, bridges, maxPortals, memoryBudgetMiB, snapshotRetention);
    }

    /** MemTotal from /proc/meminfo in MiB (4 GiB when it cannot be read). */
    static long hostMemoryMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the conservative guess
        }
        return 4096;
    }
}
