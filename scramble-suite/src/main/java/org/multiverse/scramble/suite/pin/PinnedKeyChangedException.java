package org.multiverse.scramble.suite.pin;

import java.util.Locale;

/**
 * A peer presented a different key than the one pinned for its name: either it was
 * re-installed, or someone is impersonating it. Never continue silently: the message is a loud,
 * several-line warning like ssh's that shows both values.
 */
public final class PinnedKeyChangedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final String pinned;
    private final String presented;
    private final String file;

    /**
     * @param noun      what the peer is ({@code "agent"}, {@code "node"})
     * @param name      its pinned name
     * @param pinned    the pinned value, as written in the pin file
     * @param presented the value it presented, in the same form
     * @param file      the pin file, so the person knows where to look
     */
    PinnedKeyChangedException(String noun, String name, String pinned, String presented, String file) {
        super("""
                @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
                @    %-53s@
                @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
                Someone could be impersonating %s "%s", or it was re-installed.
                Pinned ID:    %s
                Presented ID: %s
                Refusing to talk to it. If the change is expected, check the new ID
                out of band, then re-pin it (pinned IDs are in %s).""".formatted(
                        "WARNING: " + noun.toUpperCase(Locale.ROOT) + " IDENTITY HAS CHANGED!",
                        noun,
                        name,
                        pinned,
                        presented,
                        file));
        this.name = name;
        this.pinned = pinned;
        this.presented = presented;
        this.file = file;
    }

    /** The name the key is pinned under. */
    public String name() {
        return name;
    }

    /** The pinned value, as written in the pin file. */
    public String pinned() {
        return pinned;
    }

    /** The value the peer presented, in the same form. */
    public String presented() {
        return presented;
    }

    /** The pin file. */
    public String file() {
        return file;
    }
}
