package org.multiverse.scramble.shell.identity;

import java.util.Arrays;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.multiverse.scramble.shell.ShellFailure;

/**
 * A masked passphrase prompt on the terminal. It uses its own line reader with history
 * disabled and no history file, so a passphrase can never reach the shell's history.
 */
public final class TerminalPassphrase implements PassphraseSource {

    /** Prompts for a new passphrase before giving up when the two entries keep differing. */
    static final int FRESH_ATTEMPTS = 3;

    private final LineReader reader;

    public TerminalPassphrase(Terminal terminal) {
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .variable(LineReader.DISABLE_HISTORY, true)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
    }

    @Override
    public char[] existing(String prompt) throws ShellFailure {
        return ask(prompt);
    }

    @Override
    public char[] fresh(String prompt) throws ShellFailure {
        for (int attempt = 0; attempt < FRESH_ATTEMPTS; attempt++) {
            char[] first = ask(prompt);
            if (first.length == 0) {
                reader.getTerminal().writer().println("the passphrase must not be empty");
                reader.getTerminal().flush();
                continue;
            }
            char[] second = ask("Same passphrase again: ");
            boolean same = Arrays.equals(first, second);
            Arrays.fill(second, '\0');
            if (same) {
                return first;
            }
            Arrays.fill(first, '\0');
            reader.getTerminal().writer().println("the two passphrases differ; try again");
            reader.getTerminal().flush();
        }
        throw ShellFailure.usage("no passphrase set: the entries differed " + FRESH_ATTEMPTS + " times");
    }

    private char[] ask(String prompt) throws ShellFailure {
        try {
            // JLine returns a String; it cannot be zeroed, but it is not kept anywhere either.
            return reader.readLine(prompt, '*').toCharArray();
        } catch (UserInterruptException | EndOfFileException e) {
            throw ShellFailure.usage("passphrase entry cancelled");
        }
    }
}
