package org.multiverse.scramble.shell.connect;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Set;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.pin.PinFile;
import org.multiverse.scramble.suite.pin.PinStatus;
import org.multiverse.scramble.suite.pin.PinnedKeyChangedException;

/**
 * Decides whether to pin an agent ID at first contact, as ssh does for host keys: a known ID
 * passes; a new one is shown for the person to compare and pinned only if they say yes (at a
 * terminal) or vouched for it ahead ({@code --trust ID}); a changed one is refused loudly.
 */
public final class Enrolment {

    /** Asks the person a yes/no question; null when nobody can answer (a script). */
    @FunctionalInterface
    public interface Confirm {
        boolean ask(String question) throws ShellFailure;
    }

    private final PinFile<ScrambleId> pins;
    private final Set<ScrambleId> trusted;
    private final Confirm confirm;
    private final PrintStream err;

    public Enrolment(PinFile<ScrambleId> pins, Set<ScrambleId> trusted, Confirm confirm, PrintStream err) {
        this.pins = pins;
        this.trusted = trusted;
        this.confirm = confirm;
        this.err = err;
    }

    public PinFile<ScrambleId> pins() {
        return pins;
    }

    /** Accepts {@code presented} for agent {@code name}, pinning it if the person agrees; otherwise refuses. */
    public void accept(String name, ScrambleId presented) throws ShellFailure {
        PinStatus status;
        try {
            status = pins.check(name, presented);
        } catch (PinnedKeyChangedException e) {
            throw keyChanged(e);
        }
        if (status == PinStatus.TRUSTED) {
            return;
        }
        if (trusted.contains(presented)) {
            pin(name, presented);
            err.println("Pinned the " + name + " agent as " + presented.text() + " (given with --trust).");
            return;
        }
        String shown = "The " + name + " agent presents the ID\n    " + presented.text() + "\n"
                + "Compare it with the ID its administrator printed ('init' or 'serving as ...').";
        if (confirm == null) {
            throw ShellFailure.refused("the " + name + " agent is not pinned yet; it presents "
                    + presented.text() + ". Compare it with the agent's own ID, then rerun with --trust "
                    + presented.text());
        }
        err.println(shown);
        if (!confirm.ask("Pin this ID for the " + name + " agent? [yes/no] ")) {
            throw ShellFailure.refused("not pinned: the " + name + " agent was not trusted");
        }
        pin(name, presented);
        err.println("Pinned in " + pins.file() + ".");
    }

    private void pin(String name, ScrambleId id) throws ShellFailure {
        try {
            pins.pin(name, id);
        } catch (IOException e) {
            throw ShellFailure.failed("cannot write " + pins.file() + ": " + e.getMessage());
        }
    }

    /** The loud refusal of a changed agent key (several lines, like ssh's, in one message). */
    static ShellFailure keyChanged(PinnedKeyChangedException e) {
        return ShellFailure.refused("\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
                + "@    WARNING: THE " + e.name().toUpperCase(java.util.Locale.ROOT)
                + " AGENT'S KEY HAS CHANGED. REFUSING.    @\n"
                + "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
                + "Someone may be impersonating the agent, or it was reinstalled.\n"
                + "  pinned:    " + e.pinned() + "\n"
                + "  presented: " + e.presented() + "\n"
                + "If the change is expected, remove the '" + e.name() + "' line from the pin file and "
                + "connect again.");
    }
}
