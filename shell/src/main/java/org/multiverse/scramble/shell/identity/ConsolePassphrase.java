package org.multiverse.scramble.shell.identity;

import java.io.Console;
import java.util.Arrays;
import org.multiverse.scramble.shell.ShellFailure;

/**
 * A passphrase prompt through {@link System#console()} (no echo), for {@code -c} and {@code id}
 * commands run at a terminal: it needs no line editor, which keeps start-up short.
 */
public final class ConsolePassphrase implements PassphraseSource {

    private final Console console;

    private ConsolePassphrase(Console console) {
        this.console = console;
    }

    /** The console prompt, or a source that explains how to give a passphrase without a terminal. */
    public static PassphraseSource orExplain() {
        Console c = System.console();
        if (c != null) {
            return new ConsolePassphrase(c);
        }
        return new PassphraseSource() {
            @Override
            public char[] existing(String prompt) throws ShellFailure {
                throw none();
            }

            @Override
            public char[] fresh(String prompt) throws ShellFailure {
                throw none();
            }

            private ShellFailure none() {
                return ShellFailure.usage(
                        "no terminal to ask for the passphrase: give --passphrase-file FILE " + "(mode 0600)");
            }
        };
    }

    @Override
    public char[] existing(String prompt) throws ShellFailure {
        return read(prompt);
    }

    @Override
    public char[] fresh(String prompt) throws ShellFailure {
        for (int attempt = 0; attempt < TerminalPassphrase.FRESH_ATTEMPTS; attempt++) {
            char[] first = read(prompt);
            if (first.length == 0) {
                console.printf("the passphrase must not be empty%n");
                continue;
            }
            char[] second = read("Same passphrase again: ");
            boolean same = Arrays.equals(first, second);
            Arrays.fill(second, '\0');
            if (same) {
                return first;
            }
            Arrays.fill(first, '\0');
            console.printf("the two passphrases differ; try again%n");
        }
        throw ShellFailure.usage(
                "no passphrase set: the entries differed " + TerminalPassphrase.FRESH_ATTEMPTS + " times");
    }

    private char[] read(String prompt) throws ShellFailure {
        char[] p = console.readPassword("%s", prompt);
        if (p == null) {
            throw ShellFailure.usage("passphrase entry cancelled");
        }
        return p;
    }
}
