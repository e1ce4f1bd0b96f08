package org.multiverse.scramble.host.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.multiverse.scramble.host.hypervisor.VmSpec;
import org.multiverse.scramble.host.share.NinePShare;

/**
 * Builds the argument list that starts one portal's QEMU, never a shell string. Every
 * value that lands in an option string goes through {@link QemuOptionString}; values that
 * QEMU takes verbatim ({@code -pidfile}, {@code -kernel}) are absolute paths (so they can
 * never read as an option) without control characters.
 *
 * <p>The machine: q35, no default devices, no display, fixed memory and no balloon, QMP on
 * a unix socket, the serial console to a file, an optional qcow2 overlay attached with
 * explicit drivers (so a file name is never parsed as a protocol), an optional NIC on a
 * bridge, virtio-serial ports on unix sockets, and the one 9p share.
 */
public final class QemuCommandLine {

    /** The 9p mount tag every portal's share carries (the guest's fstab names it). */
    public static final String SHARE_TAG = NinePShare.MOUNT_TAG;

    private QemuCommandLine() {}

    /**
     * @param spec        the VM to run
     * @param binary      the QEMU binary
     * @param accelerator a resolved accelerator (not AUTO)
     * @param sandbox     whether to add {@code -sandbox on} (only where QEMU supports it)
     * @return the full argument list, binary first, unmodifiable
     */
    /** The host entropy source behind each portal's virtio-rng: never blocks, never runs dry. */
    static final String RNG_SOURCE = "/dev/urandom";

    public static List<String> build(VmSpec spec, Path binary, Accelerator accelerator, boolean sandbox) {
        List<String> a = new ArrayList<>();
        a.add(verbatim(binary));
        add(a, "-name", QemuOptionString.empty().put("guest", spec.name()).put("debug-threads", "on"));
        a.add("-no-user-config");
        a.add("-nodefaults");
        a.add("-display");
        a.add("none");
        add(a, "-machine", QemuOptionString.of("q35").put("accel", accelerator.qemuName()));
        if (accelerator == Accelerator.KVM) {
            a.add("-cpu");
            a.add("host");
        }
        a.add("-smp");
        a.add(Integer.toString(spec.cpus()));
        add(a, "-m", QemuOptionString.empty().put("size", spec.memoryMiB() + "M"));
        if (sandbox) {
            QemuOptionString s = QemuOptionString.of("on")
                    .put("obsolete", "deny")
                    .put("elevateprivileges", "deny")
                    .put("resourcecontrol", "deny");
            if (spec.bridge() == null) {
                // The bridge helper is the only program QEMU ever needs to spawn.
                s.put("spawn", "deny");
            }
            add(a, "-sandbox", s);
        }
        add(a, "-msg", QemuOptionString.empty().put("timestamp", "on"));
        a.add("-pidfile");
        a.add(verbatim(spec.pidFile()));
        add(
                a,
                "-chardev",
                QemuOptionString.of("socket")
                        .put("id", "qmp")
                        .put("path", spec.qmpSocket())
                        .put("server", "on")
                        .put("wait", "off"));
        add(a, "-mon", QemuOptionString.empty().put("chardev", "qmp").put("mode", "control"));
        if (spec.consoleLog() != null) {
            add(a, "-chardev", QemuOptionString.of("file").put("id", "console").put("path", spec.consoleLog()));
            a.add("-serial");
            a.add("chardev:console");
        }
        if (spec.disk() != null) {
            add(
                    a,
                    "-blockdev",
                    QemuOptionString.empty()
                            .put("node-name", "disk0")
                            .put("driver", "qcow2")
                            .put("file.driver", "file")
                            .put("file.filename", spec.disk()));
            add(
                    a,
                    "-device",
                    QemuOptionString.of("virtio-blk-pci").put("drive", "disk0").put("bootindex", 1));
        }
        if (spec.kernel() != null) {
            a.add("-kernel");
            a.add(verbatim(spec.kernel()));
            if (spec.initrd() != null) {
                a.add("-initrd");
                a.add(verbatim(spec.initrd()));
            }
            if (spec.kernelCmdline() != null) {
                a.add("-append");
                a.add(verbatimText(spec.kernelCmdline()));
            }
        }
        // Entropy from the host's urandom: a fresh guest's own pool is ready only seconds after boot
        // (measured ~4 s under TCG), and until then anything reading /dev/random waits, keys too.
        add(a, "-object", QemuOptionString.of("rng-random").put("id", "rng0").put("filename", RNG_SOURCE));
        add(a, "-device", QemuOptionString.of("virtio-rng-pci").put("rng", "rng0"));
        if (spec.bridge() != null) {
            add(a, "-netdev", QemuOptionString.of("bridge").put("id", "net0").put("br", spec.bridge()));
            add(
                    a,
                    "-device",
                    QemuOptionString.of("virtio-net-pci").put("netdev", "net0").put("mac", spec.mac()));
        }
        if (!spec.channels().isEmpty()) {
            add(a, "-device", QemuOptionString.of("virtio-serial-pci").put("id", "vser0"));
            int n = 0;
            for (Map.Entry<String, Path> channel : spec.channels().entrySet()) {
                String id = "ch" + n++;
                add(
                        a,
                        "-chardev",
                        QemuOptionString.of("socket")
                                .put("id", id)
                                .put("path", channel.getValue())
                                .put("server", "on")
                                .put("wait", "off"));
                add(
                        a,
                        "-device",
                        QemuOptionString.of("virtserialport")
                                .put("bus", "vser0.0")
                                .put("chardev", id)
                                .put("name", channel.getKey()));
            }
        }
        if (spec.shareDir() != null) {
            // One definition of the 9p export (options, escaping, mount tag) for the share and QEMU.
            a.addAll(NinePShare.qemuArguments(spec.shareDir()));
        }
        return Collections.unmodifiableList(a);
    }

    private static void add(List<String> args, String option, QemuOptionString value) {
        args.add(option);
        args.add(value.toString());
    }

    private static String verbatim(Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("QEMU paths must be absolute: " + path);
        }
        return verbatimText(path.toString());
    }

    private static String verbatimText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("a QEMU argument may not contain control characters");
            }
        }
        return text;
    }
}
