package org.multiverse.scramble.shell.connect;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * Which agents the shell talks to and over what ({@code --agent host=unix:/run/multiverse/host.sock},
 * or {@code [agents]} in {@code shell.toml}), and which agent IDs the person vouched for ahead
 * of first contact ({@code --trust ID}, {@code trust = [...]}).
 */
public final class AgentConfig {

    private final Map<AgentRole, TransportUri> agents = new EnumMap<>(AgentRole.class);
    private final Set<ScrambleId> trusted = new LinkedHashSet<>();

    /** Adds {@code NAME=URI}; a name given on the command line overrides the file, so callers add the file last. */
    public void put(AgentRole role, TransportUri uri, boolean override) {
        if (override) {
            agents.put(role, uri);
        } else {
            agents.putIfAbsent(role, uri);
        }
    }

    public void trust(ScrambleId id) {
        trusted.add(id);
    }

    public Optional<TransportUri> uri(AgentRole role) {
        return Optional.ofNullable(agents.get(role));
    }

    public Map<AgentRole, TransportUri> agents() {
        return Collections.unmodifiableMap(agents);
    }

    public Set<ScrambleId> trusted() {
        return Collections.unmodifiableSet(trusted);
    }

    public boolean isEmpty() {
        return agents.isEmpty();
    }
}
