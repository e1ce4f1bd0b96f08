package org.multiverse.scramble.host.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.multiverse.scramble.protocol.testkit.Prerequisite;

/**
 * What the guest-boot tests need from the machine. Under {@code CI=true} a missing piece is a
 * failure that names the package to install; elsewhere the test is skipped with that reason.
 */
public final class Prerequisites {

    /** Where Debian (and a local build) put QEMU. */
    public static final List<String> QEMU_CANDIDATES =
            List.of("/usr/bin/qemu-system-x86_64", "/usr/local/bin/qemu-system-x86_64");

    /** Where Debian's busybox-static (or busybox) puts busybox. */
    public static final List<String> BUSYBOX_CANDIDATES = List.of("/bin/busybox", "/usr/bin/busybox");

    /** The bit of CAP_SYS_ADMIN in /proc/self/status's capability masks (linux/capability.h). */
    private static final int CAP_SYS_ADMIN = 21;

    private Prerequisites() {}

    static void require(boolean present, String whatToInstall) {
        Prerequisite.require(present, "guest boot test: " + whatToInstall);
    }

    /** The first of {@code candidates} that is an executable file, or null. */
    public static Path firstExecutable(List<String> candidates) {
        for (String candidate : candidates) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    /** Whether this process may mount (bind mounts need CAP_SYS_ADMIN, i.e. root). */
    public static boolean hasCapSysAdmin() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << CAP_SYS_ADMIN)) != 0;
            }
        }
        return false;
    }
}
