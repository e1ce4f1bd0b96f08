package org.multiverse.scramble.suite.replay;

import java.io.IOException;

/**
 * The persisted replay state is unreadable, corrupt, or could not be written. The guard fails
 * closed: it refuses to start (or to accept the command) rather than forget its high-water
 * marks, because forgetting them would accept every old command again.
 */
public final class ReplayStateException extends IOException {
    ReplayStateException(String message) {
        super(message);
    }

    ReplayStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
