package org.multiverse.scramble.host.qemu;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** How QEMU executes guest code. */
public enum Accelerator {
    /** Pick KVM when {@code /dev/kvm} can really be opened for reading and writing, TCG otherwise. */
    AUTO,
    /** Hardware virtualisation; fails at start when the host has none. */
    KVM,
    /** QEMU's software emulation: slow, works everywhere. */
    TCG;

    /** The device whose opening proves KVM usable (its mere existence does not). */
    static final Path KVM_DEVICE = Path.of("/dev/kvm");

    /** Resolves {@link #AUTO} on this host; the others stay as they are. */
    public Accelerator resolve() {
        if (this != AUTO) {
            return this;
        }
        return kvmOpens(KVM_DEVICE) ? KVM : TCG;
    }

    /** The value of QEMU's {@code accel=} machine property. */
    String qemuName() {
        if (this == AUTO) {
            throw new IllegalStateException("resolve AUTO before building a command line");
        }
        return name().toLowerCase();
    }

    static boolean kvmOpens(Path device) {
        try (FileChannel ignored = FileChannel.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return true;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false;
        }
    }
}
