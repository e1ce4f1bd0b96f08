package org.multiverse.scramble.controller.net;

import java.util.List;

/** A program could not be run, overran its time, or exited non-zero where success was required. */
public class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Error output beyond this is cut: a message for a person, not a log dump. */
    static final int MAX_STDERR_IN_MESSAGE = 400;

    private final transient List<String> argv;
    private final int exitCode;

    public CommandException(List<String> argv, String message, Throwable cause) {
        super(argv.get(0) + ": " + message, cause);
        this.argv = List.copyOf(argv);
        this.exitCode = -1;
    }

    public CommandException(List<String> argv, CommandResult result) {
        super(describe(argv) + " exited with status " + result.exitCode() + ": " + trim(result.stderr()));
        this.argv = List.copyOf(argv);
        this.exitCode = result.exitCode();
    }

    /** The program's exit code, or -1 when it did not finish. */
    public int exitCode() {
        return exitCode;
    }

    public List<String> argv() {
        return argv;
    }

    private static String describe(List<String> argv) {
        // Program and sub-command only: arguments may carry file paths but never secrets,
        // and a short head is enough to tell which step failed.
        return String.join(" ", argv.subList(0, Math.min(argv.size(), 6)));
    }

    private static String trim(String stderr) {
        String s = stderr == null ? "" : stderr.strip();
        return s.length() > MAX_STDERR_IN_MESSAGE ? s.substring(0, MAX_STDERR_IN_MESSAGE) + "..." : s;
    }
}
