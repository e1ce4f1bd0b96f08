package org.multiverse.scramble.suite.words;

/**
 * Recovery words that do not decode. The message names the problem: the word
 * count, the first unknown word with its 1-based position, or a checksum
 * mismatch (every word is known but one is wrong or two are swapped).
 */
public final class InvalidRecoveryWordsException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int position;

    InvalidRecoveryWordsException(String message, int position) {
        super(message);
        this.position = position;
    }

    /** 1-based position of the offending word, or 0 when no single word is to blame. */
    public int position() {
        return position;
    }
}
