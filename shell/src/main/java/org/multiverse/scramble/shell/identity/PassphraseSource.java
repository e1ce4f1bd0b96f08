package org.multiverse.scramble.shell.identity;

import org.multiverse.scramble.shell.ShellFailure;

/**
 * Where a passphrase comes from: a masked prompt at the terminal, or a private file for
 * scripts. The returned array belongs to the caller, who zeroes it after use.
 */
public interface PassphraseSource {

    /** Reads the passphrase that unlocks an existing key file. */
    char[] existing(String prompt) throws ShellFailure;

    /** Reads a new passphrase (a prompt asks twice and compares). */
    char[] fresh(String prompt) throws ShellFailure;
}
