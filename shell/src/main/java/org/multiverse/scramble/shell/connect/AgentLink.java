package org.multiverse.scramble.shell.connect;

import java.util.OptionalLong;
import org.multiverse.scramble.protocol.client.LinkState;
import org.multiverse.scramble.protocol.session.EventCounts;
import org.multiverse.scramble.protocol.session.SessionClient;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * How one agent is reached: the session client on the link that carries its envelopes, the
 * agent's pinned ID (the target) and the route name when the host agent relays.
 *
 * @param role   the agent
 * @param client the session on the link to the first agent
 * @param target the pinned ID of the agent that must answer
 * @param route  "" for a direct link, else the relay's route name
 * @param via    how it is reached, for the status line ({@code unix:/…}, {@code via host})
 */
public record AgentLink(AgentRole role, SessionClient client, ScrambleId target, String route, String via) {

    public LinkState state() {
        return client.link().linkState();
    }

    public OptionalLong roundTripMillis() {
        return client.link().lastRoundTripMillis();
    }

    /**
     * What the link carrying this agent's envelopes did with events: delivered, and dropped by
     * reason. A link through the host's relay shares the host link's counts.
     */
    public EventCounts eventCounts() {
        return client.events().counts();
    }
}
