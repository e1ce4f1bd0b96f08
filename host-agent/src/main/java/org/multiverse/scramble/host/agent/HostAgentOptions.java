package org.multiverse.scramble.host.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.multiverse.scramble.host.portal.Network;
import org.multiverse.scramble.host.portal.PortalServiceConfig;
import org.multiverse.scramble.host.qemu.Accelerator;
import org.multiverse.scramble.host.share.FstabGenerator;
import picocli.CommandLine.Option;

/**
 * The host agent's own {@code run} options (a picocli mixin). Values are checked when the
 * agent installs its backends ({@link HostAgentModule#install}), so a bad value stops the
 * process before it listens, with a message naming the option.
 */
public final class HostAgentOptions {

    /** Where base images live on a Multiverse host. */
    static final String DEFAULT_IMAGES = "/var/lib/multiverse/images";

    /** A Linux interface name: IFNAMSIZ is 16 bytes with the NUL, and no '/', ':' or spaces. */
    private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

    @Option(
            names = "--images",
            paramLabel = "DIR",
            defaultValue = DEFAULT_IMAGES,
            description = "folder of read-only base images and kernels (default: ${DEFAULT-VALUE})")
    Path images;

    @Option(
            names = "--templates",
            paramLabel = "DIR",
            description = "portal template tree (INDEX + PATH/portal.toml); default: the tree packaged in the jar")
    Path templates;

    @Option(
            names = "--portals",
            paramLabel = "DIR",
            description = "folder of portal definitions (NAME.toml) to define at start, e.g. /etc/multiverse/portals;"
                    + " those with autostart = true start with the agent")
    Path portals;

    @Option(
            names = "--hypervisor",
            paramLabel = "qemu|sim|sim-acpi-ignored",
            defaultValue = "qemu",
            description = "qemu (real VMs) or sim (simulated, no VMs; for trials); sim-acpi-ignored: simulated guests"
                    + " ignore the ACPI power button, so portal stop waits its timeout, as for a diskless QEMU"
                    + " guest (default: ${DEFAULT-VALUE})")
    String hypervisor;

    @Option(
            names = "--accel",
            paramLabel = "auto|kvm|tcg",
            defaultValue = "auto",
            description = "QEMU accelerator; auto uses KVM when /dev/kvm opens (default: ${DEFAULT-VALUE})")
    String accel;

    @Option(
            names = "--max-portals",
            paramLabel = "N",
            defaultValue = "" + PortalServiceConfig.DEFAULT_MAX_PORTALS,
            description = "most portals that may be defined (default: ${DEFAULT-VALUE})")
    int maxPortals;

    @Option(
            names = "--memory-reserve",
            paramLabel = "MiB",
            defaultValue = "" + PortalServiceConfig.HOST_MEMORY_RESERVE_MIB,
            description = "host memory never given to portals (default: ${DEFAULT-VALUE})")
    long memoryReserveMiB;

    @Option(
            names = "--share-root",
            paramLabel = "PATH",
            description = "host folder whose sub-folders may be linked into shares (repeatable; "
                    + "a link must also be under the policy rule's roots=)")
    List<Path> shareRoots = new ArrayList<>();

    @Option(
            names = "--bridge",
            paramLabel = "NETWORK=BRIDGE",
            description =
                    "host bridge per network, e.g. universe=br0 (defaults: mvbr-universe, mvbr-galaxy, mvbr-star)")
    Map<String, String> bridges = new LinkedHashMap<>();

    @Option(
            names = "--fstab-mountpoint",
            paramLabel = "PATH",
            defaultValue = FstabGenerator.DEFAULT_MOUNT_POINT,
            description = "where guests mount the 9p share (default: ${DEFAULT-VALUE})")
    String fstabMountPoint;

    /** Which backend runs portals. */
    enum HypervisorKind {
        QEMU,
        SIM,
        /** Simulated guests that ignore the power button: a slow {@code portal stop} without a VM. */
        SIM_ACPI_IGNORED
    }

    HypervisorKind hypervisorKind() {
        return switch (hypervisor) {
            case "qemu" -> HypervisorKind.QEMU;
            case "sim" -> HypervisorKind.SIM;
            case "sim-acpi-ignored" -> HypervisorKind.SIM_ACPI_IGNORED;
            default ->
                throw new IllegalArgumentException(
                        "--hypervisor must be qemu, sim or sim-acpi-ignored, not '" + hypervisor + "'");
        };
    }

    Accelerator accelerator() {
        return switch (accel) {
            case "auto" -> Accelerator.AUTO;
            case "kvm" -> Accelerator.KVM;
            case "tcg" -> Accelerator.TCG;
            default -> throw new IllegalArgumentException("--accel must be auto, kvm or tcg, not '" + accel + "'");
        };
    }

    /** The memory all running portals may use together. */
    long memoryBudgetMiB(long hostMiB) {
        if (memoryReserveMiB < 0) {
            throw new IllegalArgumentException("--memory-reserve must not be negative");
        }
        long budget = hostMiB - memoryReserveMiB;
        if (budget < 1) {
            throw new IllegalArgumentException("--memory-reserve " + memoryReserveMiB + " leaves nothing of the host's "
                    + hostMiB + " MiB for portals");
        }
        return budget;
    }

    int maxPortals() {
        if (maxPortals < 1) {
            throw new IllegalArgumentException("--max-portals must be at least 1");
        }
        return maxPortals;
    }

    /** The default bridges with the given ones replacing theirs. */
    Map<Network, String> bridges() {
        Map<Network, String> out = new EnumMap<>(Network.class);
        out.put(Network.UNIVERSE, "mvbr-universe");
        out.put(Network.GALAXY, "mvbr-galaxy");
        out.put(Network.STAR, "mvbr-star");
        for (Map.Entry<String, String> e : bridges.entrySet()) {
            Network n;
            try {
                n = Network.valueOf(e.getKey().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                n = Network.NONE;
            }
            if (n == Network.NONE) {
                throw new IllegalArgumentException(
                        "--bridge " + e.getKey() + "=...: the network must be universe, " + "galaxy or star");
            }
            if (!BRIDGE.matcher(e.getValue()).matches()
                    || e.getValue().equals(".")
                    || e.getValue().equals("..")) {
                throw new IllegalArgumentException("--bridge " + e.getKey() + "=" + e.getValue()
                        + ": not a network interface name (1 to 15 of A-Z a-z 0-9 _ . -)");
            }
            out.put(n, e.getValue());
        }
        return out;
    }

    /** The share roots, absolute. */
    List<Path> shareRoots() {
        for (Path p : shareRoots) {
            if (!p.isAbsolute()) {
                throw new IllegalArgumentException("--share-root " + p + " must be an absolute path");
            }
        }
        return List.copyOf(shareRoots);
    }
}
