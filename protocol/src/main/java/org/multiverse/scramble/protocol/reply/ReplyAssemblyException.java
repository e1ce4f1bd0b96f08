package org.multiverse.scramble.protocol.reply;

import java.io.IOException;

/**
 * A reply that arrived in parts could not be put together: a part was malformed, repeated or
 * inconsistent with the others, too much was buffered, or parts stopped coming. The request fails
 * with this instead of waiting for its timeout.
 */
public final class ReplyAssemblyException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the request by its id prefix */
    public ReplyAssemblyException(String message) {
        super(message);
    }
}
