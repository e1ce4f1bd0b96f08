package org.multiverse.scramble.shell.run;

import org.multiverse.scramble.protocol.session.EventCounts;
import org.multiverse.scramble.protocol.v1.Result;

/**
 * One executed command: its verdict and, when it succeeded, its result.
 *
 * @param verdict     how it ended
 * @param result      the result, or null
 * @param millis      wall time from send to answer
 * @param shellEvents for {@code agent status}: what this shell's link did with the agent's
 *     events (delivered, dropped by reason); null otherwise
 */
public record Execution(Verdict verdict, Result result, long millis, EventCounts shellEvents) {

    public Execution(Verdict verdict, Result result, long millis) {
        this(verdict, result, millis, null);
    }
}
