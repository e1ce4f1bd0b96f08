package org.multiverse.scramble.protocol.process;

import java.nio.charset.StandardCharsets;

/**
 * The exit status and the captured output of a program that finished.
 *
 * @param exitCode its exit status
 * @param stdout   its standard output, as bytes (what a caller parses)
 * @param stderr   its error output decoded as UTF-8 (what a person reads)
 */
public record ProcessResult(int exitCode, byte[] stdout, String stderr) {

    /** Whether it exited with status 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Standard output decoded as UTF-8. */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /**
     * What the program said for a person: its error output, or its standard output when the error
     * output is blank (some tools complain on standard output), stripped of surrounding space.
     */
    public String diagnostic() {
        return stderr.isBlank() ? stdoutText().strip() : stderr.strip();
    }
}
