package org.multiverse.scramble.host.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's physical memory, for the running portals' memory budget. */
final class HostMemory {

    /** When /proc/meminfo cannot be read: a small host, so the budget errs on the safe side. */
    static final long FALLBACK_MIB = 4096;

    private HostMemory() {}

    /** MemTotal from /proc/meminfo in MiB. */
    static long totalMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the conservative guess
        }
        return FALLBACK_MIB;
    }
}
