package org.multiverse.scramble.shell;

/**
 * A failure the person sees as one line (never a stack trace), with the exit code the
 * process ends with.
 */
public class ShellFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public ShellFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** A usage or parse error (exit code 2). */
    public static ShellFailure usage(String message) {
        return new ShellFailure(ExitCodes.USAGE, message);
    }

    /** A failure (exit code 1). */
    public static ShellFailure failed(String message) {
        return new ShellFailure(ExitCodes.FAILED, message);
    }

    /** A refusal (exit code 3). */
    public static ShellFailure refused(String message) {
        return new ShellFailure(ExitCodes.REFUSED, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
