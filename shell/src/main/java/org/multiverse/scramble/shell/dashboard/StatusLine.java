package org.multiverse.scramble.shell.dashboard;

/**
 * The status bar's message: the last action's result, a refusal and its reason, or a note.
 *
 * @param text one line (stripped again when drawn)
 * @param kind how it is coloured
 */
record StatusLine(String text, Kind kind) {

    enum Kind {
        INFO,
        OK,
        FAILED,
        REFUSED
    }

    static StatusLine info(String text) {
        return new StatusLine(text, Kind.INFO);
    }
}
