package org.multiverse.scramble.shell;

/**
 * The process exit codes of {@code scramble-shell}, so that a shell script can tell a failed
 * command from a refusal or a dead link. Documented in {@code shell/README.md}.
 */
public final class ExitCodes {

    /** Every command succeeded. */
    public static final int OK = 0;
    /** A command ran and failed (not found, invalid argument, the agent's backend failed). */
    public static final int FAILED = 1;
    /** The command line or a script line could not be parsed or validated. */
    public static final int USAGE = 2;
    /** Refused: authentication, authorisation, policy, rate limit, an unpinned or changed agent key. */
    public static final int REFUSED = 3;
    /** The agent could not be reached, or did not answer in time. */
    public static final int CONNECTION = 4;

    private ExitCodes() {}
}
