package org.multiverse.scramble.protocol.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.agent.policy.Policy;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.suite.cert.CertificateVerifier;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * Builds an {@link AgentCore} from a state directory. Every agent (host, controller, RTOS
 * bridge, and the in-process agents of {@code --demo}) is built here, then registers its own
 * handlers with {@link AgentCore#handlers()}.
 */
public final class AgentBuilder {

    private final String agentName;
    private final Path stateDir;
    private String version = "0.1.0";
    private PolicyHolder policy = PolicyHolder.fixed(Policy.denyAll());
    private final Map<String, TransportUri> routes = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private Consumer<String> log = line -> {};
    private Identity identity;
    private Duration maxSessionLifetime = CertificateVerifier.DEFAULT_MAX_LIFETIME;

    public AgentBuilder(String agentName, Path stateDir) {
        this.agentName = Objects.requireNonNull(agentName);
        this.stateDir = Objects.requireNonNull(stateDir);
    }

    public AgentBuilder version(String v) {
        this.version = v;
        return this;
    }

    /** The policy (default: deny everything). */
    public AgentBuilder policy(PolicyHolder p) {
        this.policy = p;
        return this;
    }

    /**
     * Whether {@code name} may name a route: 1-32 of a-z, 0-9 and '-', starting with a letter
     * (route names appear in envelopes, policy files and the audit log).
     */
    public static boolean isRouteName(String name) {
        try {
            Relay.checkName(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A named route to another agent, for relaying envelopes (one hop, unaltered, after this agent's own checks). */
    public AgentBuilder route(String name, TransportUri uri) {
        Relay.checkName(name);
        if (routes.putIfAbsent(name, uri) != null) {
            throw new IllegalArgumentException("route '" + name + "' given twice");
        }
        return this;
    }

    /**
     * The longest session certificate served (default and maximum: 7 days); a longer one is
     * refused with {@code CERTIFICATE_LIFETIME_TOO_LONG}.
     *
     * @throws IllegalArgumentException if not between one minute and seven days
     */
    public AgentBuilder maxSessionLifetime(Duration d) {
        this.maxSessionLifetime = CertificateVerifier.checkMaxLifetime(d);
        return this;
    }

    public AgentBuilder clock(Clock c) {
        this.clock = c;
        return this;
    }

    /** Where the agent's own log lines go (the agent process prints them to stderr). */
    public AgentBuilder log(Consumer<String> l) {
        this.log = l;
        return this;
    }

    /** Uses an identity already in hand instead of reading {@code agent.key} (the demo). */
    public AgentBuilder identity(Identity id) {
        this.identity = id;
        return this;
    }

    /**
     * Builds the core; refuses (naming the {@code chmod}/{@code chown} to run) a state directory
     * that another user could change: {@link AgentState#requireStrictModes}.
     */
    public AgentCore build() throws IOException {
        if (Files.isDirectory(stateDir)) {
            AgentState.createPrivateParts(stateDir);
        }
        AgentState.requireStrictModes(stateDir);
        Identity id = identity != null ? identity : AgentState.loadIdentity(stateDir);
        AgentSetup setup = new AgentSetup(
                agentName,
                version,
                stateDir,
                id,
                AgentState.roots(stateDir),
                RevocationStore.load(stateDir.resolve(AgentState.REVOCATIONS_FILE)),
                policy,
                Map.copyOf(routes),
                clock,
                maxSessionLifetime);
        return new AgentCore(setup, new HandlerRegistry(), log);
    }
}
