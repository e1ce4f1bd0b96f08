package org.multiverse.scramble.host.hypervisor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a backend needs to run one portal's virtual machine, already resolved to
 * absolute paths: the portal layer decides names, images and policy, the backend only
 * runs what it is given.
 *
 * @param name          the portal's validated name ({@code [a-z0-9-]} labels joined by dots)
 * @param cpus          virtual CPUs
 * @param memoryMiB     fixed guest memory (current = maximum; no balloon)
 * @param disk          the qcow2 overlay to boot from, or {@code null} for a diskless (firmware only) start
 * @param kernel        kernel for direct boot, or {@code null}
 * @param initrd        initrd for direct boot, or {@code null}
 * @param kernelCmdline kernel command line, or {@code null}
 * @param bridge        host bridge for the one NIC, or {@code null} for no network at all
 * @param mac           the NIC's MAC address (lower-case, colon separated)
 * @param channels      virtio-serial port name to host unix socket path, in device order
 * @param shareDir      the 9p share root, or {@code null} for no share
 * @param consoleLog    file receiving the serial console, or {@code null} for no console
 * @param qmpSocket     the QMP unix socket the backend listens on
 * @param pidFile       where the backend writes the VM process id
 * @param runDir        the portal's directory for backend bookkeeping (arguments, logs)
 */
public record VmSpec(
        String name,
        int cpus,
        int memoryMiB,
        Path disk,
        Path kernel,
        Path initrd,
        String kernelCmdline,
        String bridge,
        String mac,
        Map<String, Path> channels,
        Path shareDir,
        Path consoleLog,
        Path qmpSocket,
        Path pidFile,
        Path runDir) {

    /** Validates that every path is absolute: a relative path could start with '-' and read as an option. */
    public VmSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mac, "mac");
        channels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(channels));
        requireAbsolute("disk", disk);
        requireAbsolute("kernel", kernel);
        requireAbsolute("initrd", initrd);
        requireAbsolute("shareDir", shareDir);
        requireAbsolute("consoleLog", consoleLog);
        requireAbsolute("qmpSocket", Objects.requireNonNull(qmpSocket, "qmpSocket"));
        requireAbsolute("pidFile", Objects.requireNonNull(pidFile, "pidFile"));
        requireAbsolute("runDir", Objects.requireNonNull(runDir, "runDir"));
        channels.forEach((port, path) -> requireAbsolute("channel " + port, path));
        if (cpus < 1 || memoryMiB < 1) {
            throw new IllegalArgumentException("cpus and memory must be positive");
        }
    }

    private static void requireAbsolute(String what, Path p) {
        if (p != null && !p.isAbsolute()) {
            throw new IllegalArgumentException(what + " must be an absolute path: " + p);
        }
    }
}
