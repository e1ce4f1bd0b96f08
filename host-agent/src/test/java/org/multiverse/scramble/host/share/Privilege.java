package org.multiverse.scramble.host.share;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.multiverse.scramble.protocol.testkit.Prerequisite;

/**
 * Tests that make real mounts need CAP_SYS_ADMIN. CI runs as root, so there a missing
 * privilege is a failure; on a laptop the tests skip and say why.
 */
final class Privilege {

    private Privilege() {}

    static void requireCapSysAdmin() throws IOException, ShareException {
        boolean granted =
                Capabilities.hasEffective(Files.readString(Path.of("/proc/self/status")), Capabilities.CAP_SYS_ADMIN);
        Prerequisite.require(granted, "real bind mounts need CAP_SYS_ADMIN: run the tests as root");
    }
}
