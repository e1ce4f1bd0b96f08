package org.multiverse.scramble.controller.net;

import java.time.Duration;
import java.util.List;

/**
 * Runs one external program with an argument list (never a shell string) and waits for it.
 * The seam between the router logic and {@code ip}, {@code nft}, {@code wg}: tests can wrap
 * the real runner to inject a failure at a chosen step.
 */
public interface CommandRunner {
    /** Default limit for one {@code ip}/{@code nft}/{@code wg} call; they answer in milliseconds. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /**
     * Runs {@code argv} and returns its outcome whatever the exit status.
     *
     * @throws CommandException if the program cannot be started or overruns {@code timeout}
     */
    CommandResult run(List<String> argv, Duration timeout);

    /** Runs {@code argv} with {@link #DEFAULT_TIMEOUT}. */
    default CommandResult run(List<String> argv) {
        return run(argv, DEFAULT_TIMEOUT);
    }

    /** Runs {@code argv} and throws unless it exits 0. */
    default CommandResult check(List<String> argv) {
        CommandResult result = run(argv);
        if (result.exitCode() != 0) {
            throw new CommandException(argv, result);
        }
        return result;
    }
}
