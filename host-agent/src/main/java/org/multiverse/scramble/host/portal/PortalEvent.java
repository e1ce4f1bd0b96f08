package org.multiverse.scramble.host.portal;

import java.time.Instant;
import java.util.List;

/**
 * Something that happened to a portal, for subscribers (the agent seals these to the
 * person who subscribed).
 *
 * @param portal      the portal's name
 * @param kind        what happened
 * @param detail      words for a person (may be empty)
 * @param exitStatus  for EXITED and CRASHED: the exit status, or {@code null} when unknown
 * @param consoleTail for CRASHED: the last console lines, escapes stripped; otherwise empty
 * @param at          when the agent noticed it
 */
public record PortalEvent(
        String portal, Kind kind, String detail, Integer exitStatus, List<String> consoleTail, Instant at) {

    /** The kinds of portal events. */
    public enum Kind {
        /** The agent started the portal's VM. */
        STARTED,
        /** After an agent restart, the portal's running VM was found and taken over. */
        ADOPTED,
        /** The guest shut down (QMP SHUTDOWN). */
        SHUTDOWN,
        /** The guest's CPUs stopped (QMP STOP). */
        STOP,
        /** The guest's CPUs run again (QMP RESUME). */
        RESUME,
        /** The guest rebooted (QMP RESET), or the agent reset the portal's disk. */
        RESET,
        /** The VM process ended as asked (stop, kill, guest power-off). */
        EXITED,
        /** The VM process ended unasked; see the exit status and console tail. */
        CRASHED
    }

    public PortalEvent {
        detail = detail == null ? "" : detail;
        consoleTail = List.copyOf(consoleTail);
    }
}
