package org.multiverse.scramble.controller.net;

import java.nio.charset.StandardCharsets;

/** Exit status and captured output of one program run. */
public record CommandResult(int exitCode, byte[] stdout, String stderr) {
    /** Standard output decoded as UTF-8. */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
