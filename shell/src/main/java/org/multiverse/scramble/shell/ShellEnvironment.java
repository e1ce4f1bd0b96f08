package org.multiverse.scramble.shell;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * What the shell takes from its process: environment variables, the standard streams and
 * whether a person sits at a terminal. Tests hand in their own.
 *
 * @param env         environment variables (XDG directories, {@code NO_COLOR}, script expansion)
 * @param in          standard input (script lines, recovery words)
 * @param out         standard output (results)
 * @param err         standard error (one-line errors, warnings)
 * @param interactive whether standard input and output are a terminal
 */
public record ShellEnvironment(
        Map<String, String> env, InputStream in, PrintStream out, PrintStream err, boolean interactive) {

    public ShellEnvironment {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /** The process's own environment and streams. */
    public static ShellEnvironment system() {
        return new ShellEnvironment(System.getenv(), System.in, System.out, System.err, System.console() != null);
    }

    /** Colour is used on a terminal only, and never when {@code NO_COLOR} is set (no-color.org). */
    public boolean colour() {
        String noColour = env.get("NO_COLOR");
        return interactive && (noColour == null || noColour.isEmpty());
    }
}
