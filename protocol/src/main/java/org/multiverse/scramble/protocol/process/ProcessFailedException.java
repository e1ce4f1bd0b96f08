package org.multiverse.scramble.protocol.process;

import java.util.List;
import org.multiverse.scramble.protocol.text.EscapeStripper;

/**
 * An external program could not be started, did not finish in time, printed more than is
 * captured, or exited non-zero where success was required. Unchecked, because a caller that
 * drives a sequence of tools handles every step's failure in one place.
 *
 * <p>Not to be confused with {@code org.multiverse.scramble.protocol.agent.CommandException}, a
 * command handler's typed refusal: a handler catches this and decides which refusal it is.
 */
public class ProcessFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What the program said is cut here: a message for a person, not a log dump. */
    static final int MAX_DIAGNOSTIC_IN_MESSAGE = 400;

    /**
     * The program and its first arguments name the failed step ({@code ip netns exec NS nft -f});
     * the rest (file paths, values) would only lengthen the message.
     */
    static final int MAX_WORDS_IN_MESSAGE = 6;

    /** {@link #exitCode()} of a program that did not finish (or never started). */
    public static final int DID_NOT_FINISH = -1;

    private final transient List<String> argv;
    private final int exitCode;

    /**
     * A program that did not finish: it could not be started, overran its time, or failed in a
     * way that is not an exit status.
     *
     * @param argv    the program and its arguments (the program names the failure)
     * @param message what happened, for a person
     * @param cause   the underlying failure, or {@code null}
     */
    public ProcessFailedException(List<String> argv, String message, Throwable cause) {
        super(argv.get(0) + ": " + message, cause);
        this.argv = List.copyOf(argv);
        this.exitCode = DID_NOT_FINISH;
    }

    /** A program that finished with a non-zero status where 0 was required. */
    public ProcessFailedException(List<String> argv, ProcessResult result) {
        super(describe(argv) + " exited with status " + result.exitCode() + ": " + excerpt(result.diagnostic()));
        this.argv = List.copyOf(argv);
        this.exitCode = result.exitCode();
    }

    /** The program's exit status, or {@link #DID_NOT_FINISH}. */
    public int exitCode() {
        return exitCode;
    }

    /** Whether the program ran to its end (and so {@link #exitCode()} is its status). */
    public boolean finished() {
        return exitCode != DID_NOT_FINISH;
    }

    /** The program and its arguments. */
    public List<String> argv() {
        return argv;
    }

    private static String describe(List<String> argv) {
        return String.join(" ", argv.subList(0, Math.min(argv.size(), MAX_WORDS_IN_MESSAGE)));
    }

    /** One line, without terminal controls (a tool may echo hostile input), and bounded. */
    private static String excerpt(String said) {
        String oneLine = String.join(" / ", EscapeStripper.lines(said));
        return oneLine.length() > MAX_DIAGNOSTIC_IN_MESSAGE
                ? oneLine.substring(0, MAX_DIAGNOSTIC_IN_MESSAGE) + "..."
                : oneLine;
    }
}
