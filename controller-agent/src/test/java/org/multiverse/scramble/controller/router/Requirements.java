package org.multiverse.scramble.controller.router;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multiverse.scramble.protocol.testkit.Prerequisite;

/**
 * Root and tools for the namespace tests. Under CI=true a missing requirement fails the
 * test; on a laptop the test is skipped with the reason.
 */
public final class Requirements {
    private static final List<String> PATH =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private Requirements() {}

    public static void require(String... tools) {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root");
        }
        for (String tool : tools) {
            if (PATH.stream().noneMatch(dir -> Files.isExecutable(Path.of(dir, tool)))) {
                missing.add(tool);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Prerequisite.require(false, "namespace router tests need " + String.join(", ", missing));
    }
}
