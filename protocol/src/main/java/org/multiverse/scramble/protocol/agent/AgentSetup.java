package org.multiverse.scramble.protocol.agent;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * Everything an {@link AgentCore} is built from, read from the state directory and the
 * command line by {@link AgentState}.
 */
record AgentSetup(
        String agentName,
        String version,
        Path stateDir,
        Identity identity,
        AuthorizedRoots roots,
        RevocationStore revocations,
        PolicyHolder policy,
        Map<String, TransportUri> routes,
        Clock clock,
        Duration maxSessionLifetime) {}
