package org.multiverse.scramble.protocol.event;

import java.util.Locale;
import java.util.Optional;
import org.multiverse.scramble.protocol.v1.PortalRunState;

/** A portal state's word for people ({@code running}), and back. */
public final class PortalRunStates {

    private PortalRunStates() {}

    /** The word; exhaustive, so a state added to results.proto needs one here. */
    public static String text(PortalRunState state) {
        return switch (state) {
            case PORTAL_RUN_STATE_STOPPED -> "stopped";
            case PORTAL_RUN_STATE_RUNNING -> "running";
            case PORTAL_RUN_STATE_PAUSED -> "paused";
            case PORTAL_RUN_STATE_CRASHED -> "crashed";
            case PORTAL_RUN_STATE_UNSPECIFIED, UNRECOGNIZED -> "unknown";
        };
    }

    /** The state a word names, if any. */
    public static Optional<PortalRunState> parse(String word) {
        for (PortalRunState s : PortalRunState.values()) {
            if (s != PortalRunState.UNRECOGNIZED && text(s).equals(word.toLowerCase(Locale.ROOT))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
