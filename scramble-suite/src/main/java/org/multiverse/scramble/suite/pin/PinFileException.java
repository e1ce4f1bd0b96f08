package org.multiverse.scramble.suite.pin;

import java.io.IOException;

/** A pin file that cannot be used; the message starts with {@code file:line:} for a bad line. */
public final class PinFileException extends IOException {

    private static final long serialVersionUID = 1L;

    PinFileException(String message) {
        super(message);
    }
}
