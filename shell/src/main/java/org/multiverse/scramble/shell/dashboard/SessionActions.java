package org.multiverse.scramble.shell.dashboard;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.EventCounts;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.shell.connect.AgentConnections;
import org.multiverse.scramble.shell.connect.AgentLink;
import org.multiverse.scramble.shell.registry.AgentRole;

/**
 * {@link DashboardActions} over the shell's {@link AgentConnections}: the same links, pins and
 * signing as every other shell command. Opening a link can take seconds (connect, first-contact
 * probe), so each agent gets its own sending thread and a slow or absent agent never holds up
 * another's commands, nor the screen.
 */
public final class SessionActions implements DashboardActions, AutoCloseable {

    private final AgentConnections connections;
    private final Duration timeout;
    private final Map<AgentRole, ExecutorService> senders = new EnumMap<>(AgentRole.class);

    /** @param timeout how long an agent has to answer one command */
    public SessionActions(AgentConnections connections, Duration timeout) {
        this.connections = connections;
        this.timeout = timeout;
        for (AgentRole r : DashboardModel.AGENTS) {
            senders.put(r, Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "dashboard-" + r.text());
                t.setDaemon(true);
                return t;
            }));
        }
    }

    @Override
    public CompletableFuture<CommandOutcome> send(AgentRole role, Command command) {
        ExecutorService sender = senders.get(role);
        if (sender == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not an agent: " + role));
        }
        return CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return connections.send(role, command, timeout);
                            } catch (ShellFailure f) {
                                return CompletableFuture.<CommandOutcome>failedFuture(f);
                            }
                        },
                        sender)
                .thenCompose(f -> f);
    }

    @Override
    public boolean reachable(AgentRole role) {
        return connections.reachable(role);
    }

    @Override
    public Optional<LinkView> link(AgentRole role) {
        for (AgentLink l : connections.openLinks()) {
            if (l.role() == role) {
                return Optional.of(new LinkView(
                        l.state(),
                        l.via(),
                        l.roundTripMillis(),
                        l.route().isEmpty() ? l.eventCounts() : EventCounts.NONE,
                        l.client().link().reconnects()));
            }
        }
        return Optional.empty();
    }

    @Override
    public void onEvent(Consumer<EventBody> sink) {
        connections.onEvent(sink);
    }

    @Override
    public void close() {
        senders.values().forEach(ExecutorService::shutdownNow);
    }
}
