package org.multiverse.scramble.protocol.agent;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The request ledger is damaged other than by a torn last record: the agent does not start,
 * because answering resends from it could report a wrong outcome.
 */
final class LedgerCorruptException extends IOException {
    private static final long serialVersionUID = 1L;

    LedgerCorruptException(Path file, long offset, String problem) {
        super("request ledger " + file + " is damaged at byte " + offset + ": " + problem
                + "; move it aside to start with an empty ledger (resends of earlier requests are then"
                + " refused as REPLAYED, never run again, but their outcome is no longer known)");
    }
}
