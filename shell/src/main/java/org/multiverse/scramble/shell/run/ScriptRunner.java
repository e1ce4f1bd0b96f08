package org.multiverse.scramble.shell.run;

import java.util.List;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.parse.LineParser;
import org.multiverse.scramble.shell.parse.ParseException;
import org.multiverse.scramble.shell.parse.ParsedLine;
import org.multiverse.scramble.shell.parse.Tokenizer;

/**
 * Runs a script: each command parsed, then (unless {@code --dry-run}) signed, sent and
 * waited for, in order. It stops at the first failing command, which stderr names as
 * {@code FILE:LINE: reason}, unless {@code --keep-going}. The exit code is the first failing
 * command's (see {@link ExitCodes}), 0 when all succeeded.
 */
public final class ScriptRunner {

    /** Executes parsed commands; absent in a dry run. */
    @FunctionalInterface
    public interface Executor {
        Execution execute(ParsedLine line);
    }

    private final LineParser parser;
    private final Tokenizer.Variables variables;
    private final OutputWriter output;
    private final boolean keepGoing;

    public ScriptRunner(LineParser parser, Tokenizer.Variables variables, OutputWriter output, boolean keepGoing) {
        this.parser = parser;
        this.variables = variables;
        this.output = output;
        this.keepGoing = keepGoing;
    }

    /** Parses every line and sends nothing. */
    public int dryRun(List<ScriptLine> lines) {
        return run(lines, null);
    }

    /** Runs the lines with {@code executor}; null checks them only. */
    public int run(List<ScriptLine> lines, Executor executor) {
        int exit = ExitCodes.OK;
        for (ScriptLine line : lines) {
            ParsedLine p;
            try {
                p = parser.parse(line.text(), variables);
            } catch (ParseException e) {
                output.parseFailed(line, Verdict.parse(e.getMessage()));
                exit = exit == ExitCodes.OK ? ExitCodes.USAGE : exit;
                if (!keepGoing) {
                    return exit;
                }
                continue;
            }
            if (executor == null) {
                output.dryRun(line, p);
                continue;
            }
            Execution e = executor.execute(p);
            output.executed(line, p, e);
            if (!e.verdict().ok()) {
                exit = exit == ExitCodes.OK ? e.verdict().exitCode() : exit;
                if (!keepGoing) {
                    return exit;
                }
            }
        }
        return exit;
    }
}
