package org.multiverse.scramble.controller.vpn;

/** A profile file is malformed; the message starts with "FILE:LINE: ". */
public class ProfileFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    public ProfileFormatException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
        this.line = line;
    }

    /** 1-based line of the problem; 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}
