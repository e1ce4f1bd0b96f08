package org.multiverse.scramble.protocol.process;

import java.time.Duration;
import java.util.List;

/**
 * Runs one external program, given as an argument list (never a shell string, so no argument can
 * be read as shell syntax), and waits for it within a deadline. The seam between logic that
 * drives system tools ({@code mount}, {@code ip}, {@code nft}, {@code wg}) and the tools
 * themselves: {@link SystemProcessRunner} is the real one, and tests wrap it to inject a failure
 * at a chosen step.
 */
public interface ProcessRunner {

    /**
     * For one call of a system tool that changes or lists kernel state ({@code ip}, {@code nft},
     * {@code wg}): they answer in milliseconds, so a call still running after 20 s is stuck.
     */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /**
     * Runs {@code argv} and returns its outcome whatever its exit status.
     *
     * @param argv    the program and its arguments, each passed to it as one argument
     * @param timeout how long it may run; a program still running then is killed
     * @throws ProcessFailedException if it cannot be started, does not finish within
     *                                {@code timeout}, or prints more than the runner captures
     * @throws IllegalArgumentException if {@code argv} is empty or {@code timeout} is not positive
     */
    ProcessResult run(List<String> argv, Duration timeout);

    /** Runs {@code argv} with {@link #DEFAULT_TIMEOUT}. */
    default ProcessResult run(List<String> argv) {
        return run(argv, DEFAULT_TIMEOUT);
    }

    /**
     * Runs {@code argv} and requires exit status 0.
     *
     * @throws ProcessFailedException as {@link #run}, or if it exits with another status (the
     *                                message carries the start of what it said)
     */
    default ProcessResult check(List<String> argv, Duration timeout) {
        ProcessResult result = run(argv, timeout);
        if (!result.succeeded()) {
            throw new ProcessFailedException(argv, result);
        }
        return result;
    }

    /** {@link #check(List, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    default ProcessResult check(List<String> argv) {
        return check(argv, DEFAULT_TIMEOUT);
    }
}
