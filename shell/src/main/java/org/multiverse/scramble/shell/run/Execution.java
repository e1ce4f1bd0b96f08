package org.multiverse.scramble.shell.run;

import org.multiverse.scramble.protocol.v1.Result;

/**
 * One executed command: its verdict and, when it succeeded, its result.
 *
 * @param verdict how it ended
 * @param result  the result, or null
 * @param millis  wall time from send to answer
 */
public record Execution(Verdict verdict, Result result, long millis) {}
