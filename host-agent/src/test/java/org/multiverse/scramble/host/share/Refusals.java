package org.multiverse.scramble.host.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Asserts a refusal of a given kind whose message says a given thing. */
final class Refusals {

    private Refusals() {}

    static ShareException assertRefused(ShareException.Kind kind, String saying, Executable call) {
        ShareException refused = assertThrows(ShareException.class, call);
        assertEquals(kind, refused.kind(), () -> "kind of: " + refused.getMessage());
        assertTrue(
                refused.getMessage().contains(saying),
                () -> "expected the message to say [" + saying + "] but it was: " + refused.getMessage());
        return refused;
    }
}
