package org.multiverse.scramble.host.share;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.multiverse.scramble.protocol.process.ProcessResult;
import org.multiverse.scramble.protocol.process.ProcessRunner;
import org.multiverse.scramble.protocol.process.SystemProcessRunner;

/**
 * Removes every mount under a test's folder, deepest first, whatever state a failed test left
 * (it must run before the folder is deleted, or the deletion would reach into bind-mounted
 * folders).
 */
final class MountCleanup {

    private static final ProcessRunner RUNNER = new SystemProcessRunner();

    private MountCleanup() {}

    static void unmountEverythingUnder(Path root) throws ShareException {
        List<String> under = new ArrayList<>();
        for (String mountPoint : MountTable.read()) {
            if (Path.of(mountPoint).startsWith(root)) {
                under.add(mountPoint);
            }
        }
        under.sort(Comparator.comparingInt(String::length).reversed());
        List<String> failures = new ArrayList<>();
        for (String mountPoint : under) {
            ProcessResult result = RUNNER.run(List.of("umount", "--lazy", "--", mountPoint), Duration.ofSeconds(10));
            if (!result.succeeded()) {
                failures.add(mountPoint + ": " + result.diagnostic());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("test mounts left behind: " + failures);
        }
    }
}
