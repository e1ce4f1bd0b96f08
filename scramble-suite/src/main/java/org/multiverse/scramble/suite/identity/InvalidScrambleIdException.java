package org.multiverse.scramble.suite.identity;

/**
 * A text that is not a valid Scramble ID. The message says exactly what is wrong
 * (missing prefix, wrong length, bad character and its 1-based position, unknown
 * version, checksum mismatch) so a person can correct what they typed.
 */
public final class InvalidScrambleIdException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidScrambleIdException(String message) {
        super(message);
    }
}
