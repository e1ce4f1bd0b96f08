package org.multiverse.scramble.shell.run;

import java.util.ArrayList;
import java.util.List;
import org.multiverse.scramble.protocol.command.CommandCatalog;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.parse.ParsedLine;
import org.multiverse.scramble.shell.registry.ArgSpec;

/**
 * What the person reads when a state change's outcome is unknown (the agent answered
 * INTERRUPTED: it stopped while the command ran, and did not run it again): the command as typed,
 * and where to look, e.g. {@code portal stop q1: interrupted by an agent restart; portal show q1
 * to see its state}. The shell does not send the command again on its own.
 */
final class InterruptedNotice {

    static final String CODE = "INTERRUPTED";
    /** Read-only commands that show one named thing's state, in the order they are suggested. */
    private static final List<String> LOOKS = List.of("show", "status");

    private InterruptedNotice() {}

    /** The verdict for {@code line} whose agent answered INTERRUPTED. */
    static Verdict verdict(ParsedLine line) {
        return new Verdict(ExitCodes.FAILED, CODE, message(line), 0);
    }

    static String message(ParsedLine line) {
        List<String> typed = new ArrayList<>(line.spec().verb());
        String subject = null;
        for (ArgSpec a : line.spec().positionals()) {
            Object value = line.args().all().get(a.name());
            if (value instanceof String s) {
                typed.add(s);
                if (subject == null) {
                    subject = s;
                }
            }
        }
        String noun = line.spec().verb().get(0);
        String where = "check its state before running it again";
        if (subject != null) {
            for (String look : LOOKS) {
                if (CommandCatalog.named(noun + "." + look).isPresent()) {
                    where = noun + " " + look + " " + subject + " to see its state";
                    break;
                }
            }
        }
        return String.join(" ", typed) + ": interrupted by an agent restart; " + where;
    }
}
