package org.multiverse.scramble.shell.parse;

/** A line that cannot be parsed or validated: the message says what and, where it helps, at which column. */
public final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int column;

    public ParseException(String message, int column) {
        super(message, null, false, false);
        this.column = column;
    }

    /** 0-based column of the offending character or token, or -1. */
    public int column() {
        return column;
    }
}
