package org.multiverse.scramble.controller.tor;

import java.util.OptionalInt;

/**
 * What Tor did with {@code SIGNAL NEWNYM}: applied at once ({@code 650 SIGNAL NEWNYM}), or
 * rate-limited and deferred by {@code delaySeconds} (Tor's notice "Rate limiting NEWNYM
 * request: delaying by N second(s)"), or accepted without either event within the wait.
 * {@code torSaid} is Tor's own text.
 */
public record NewnymOutcome(Kind kind, OptionalInt delaySeconds, String torSaid) {
    public enum Kind {
        APPLIED,
        RATE_LIMITED,
        ACCEPTED
    }
}
