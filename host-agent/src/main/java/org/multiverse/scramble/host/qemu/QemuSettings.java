package org.multiverse.scramble.host.qemu;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the agent runs QEMU on this host.
 *
 * @param qemuBinary    {@code qemu-system-x86_64}
 * @param qemuImg       {@code qemu-img}
 * @param accelerator   KVM, TCG or AUTO (probe {@code /dev/kvm})
 * @param startTimeout  how long a start may take until QMP answers; TCG on a loaded
 *                      two-core host needs seconds, a healthy KVM start well under one
 * @param qmpTimeout    how long one QMP command may take before the VM is called unresponsive
 */
public record QemuSettings(
        Path qemuBinary, Path qemuImg, Accelerator accelerator, Duration startTimeout, Duration qmpTimeout) {

    /** TCG start-up on a busy 2-core machine took up to ~3 s in trials; ten times that is a hang. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    /** QMP answers our few commands in milliseconds; 5 s means QEMU is wedged. */
    public static final Duration DEFAULT_QMP_TIMEOUT = Duration.ofSeconds(5);

    public QemuSettings {
        Objects.requireNonNull(qemuBinary, "qemuBinary");
        Objects.requireNonNull(qemuImg, "qemuImg");
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(qmpTimeout, "qmpTimeout");
    }

    /** The Debian binaries with the given accelerator and default timeouts. */
    public static QemuSettings defaults(Accelerator accelerator) {
        return new QemuSettings(
                Path.of("/usr/bin/qemu-system-x86_64"),
                Path.of("/usr/bin/qemu-img"),
                accelerator,
                DEFAULT_START_TIMEOUT,
                DEFAULT_QMP_TIMEOUT);
    }
}
