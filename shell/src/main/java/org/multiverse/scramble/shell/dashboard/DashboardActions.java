package org.multiverse.scramble.shell.dashboard;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.client.LinkState;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.EventCounts;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.shell.registry.AgentRole;

/**
 * What the dashboard needs from the shell's agent links: signed commands, the links' state and
 * the opened events. {@link SessionActions} is the real one (the shell's own
 * {@code AgentConnections}); tests give a fake.
 */
public interface DashboardActions {

    /**
     * Signs {@code command} with the session key and sends it to {@code role}. Never blocks the
     * caller (opening a link, which may probe and pin, happens elsewhere); the future fails for
     * what has no outcome (no link, timeout, local rate limit, a reply from the wrong key).
     */
    CompletableFuture<CommandOutcome> send(AgentRole role, Command command);

    /** Whether this configuration can reach {@code role} at all (directly, or through the host's relay). */
    boolean reachable(AgentRole role);

    /** The link to {@code role} as the client sees it; empty until it has been opened. */
    Optional<LinkView> link(AgentRole role);

    /** Where opened events of this session's subscriptions go (called on the shell's event thread, in order). */
    void onEvent(Consumer<EventBody> sink);

    /**
     * @param state           the client's link state
     * @param via             how the agent is reached ({@code unix:/…}, {@code via host})
     * @param roundTripMillis the last heartbeat round trip, if one was measured
     * @param events          what the link did with events (dropped by reason); a link through
     *     the host's relay shows none here, its events are counted on the host's row
     * @param reconnects      how often the link came back after a loss (its subscriptions did not)
     */
    record LinkView(LinkState state, String via, OptionalLong roundTripMillis, EventCounts events, long reconnects) {

        /** A link that has not reconnected (yet) and dropped no event. */
        public LinkView(LinkState state, String via, OptionalLong roundTripMillis) {
            this(state, via, roundTripMillis, EventCounts.NONE, 0);
        }
    }
}
