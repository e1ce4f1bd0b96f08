package org.multiverse.scramble.suite.pin;

import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * An agent presented a different key than the one pinned for its name: either
 * the agent was re-installed, or someone is impersonating it. Never continue
 * silently.
 */
public final class AgentKeyChangedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final transient ScrambleId pinned;
    private final transient ScrambleId presented;

    AgentKeyChangedException(String name, ScrambleId pinned, ScrambleId presented, String file) {
        super("""
                @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
                @    WARNING: AGENT IDENTITY HAS CHANGED!                 @
                @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
                Someone could be impersonating agent "%s", or it was re-installed.
                Pinned ID:    %s
                Presented ID: %s
                Refusing to talk to it. If the change is expected, check the new ID
                out of band, then re-pin it (pinned IDs are in %s)."""
                .formatted(name, pinned.text(), presented.text(), file));
        this.name = name;
        this.pinned = pinned;
        this.presented = presented;
    }

    public String agentName() {
        return name;
    }

    public ScrambleId pinned() {
        return pinned;
    }

    public ScrambleId presented() {
        return presented;
    }
}
