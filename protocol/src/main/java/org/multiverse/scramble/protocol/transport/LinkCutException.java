package org.multiverse.scramble.protocol.transport;

import java.io.IOException;

/** Why the agent's side cut an accepted link under its {@link EdgeLimits}. */
public final class LinkCutException extends IOException {
    private static final long serialVersionUID = 1L;

    LinkCutException(String message) {
        super(message);
    }
}
