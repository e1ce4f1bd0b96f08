package org.multiverse.scramble.host.share;

/**
 * What {@link ShareService#restoreAll()} did with one persisted link.
 *
 * @param portal the portal
 * @param name the link's name ({@code *} when the portal's whole list could not be read)
 * @param status what happened
 * @param message for a person: empty unless it failed
 */
public record RestoreOutcome(String portal, String name, Status status, String message) {

    /** What happened to one link. */
    public enum Status {
        /** It was mounted already (the agent restarted, the host did not). */
        ALREADY_MOUNTED,
        /** It was missing and is mounted again. */
        RESTORED,
        /** It could not be mounted; {@link #message()} says why. It stays in the list. */
        FAILED
    }
}
