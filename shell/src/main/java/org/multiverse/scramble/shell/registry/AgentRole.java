package org.multiverse.scramble.shell.registry;

import java.util.Locale;
import java.util.Optional;

/** Which agent serves a command. {@link #ANY} commands go to the host agent unless {@code --on ROLE} says otherwise. */
public enum AgentRole {
    /** The host agent: portals and the 9p share. */
    HOST,
    /** The controller agent in the Router Controller VM: the three routers. */
    ROUTER,
    /** The RTOS bridge: real-time nodes. */
    RTOS,
    /** Served by every agent (ping, status, audit, policy reload, revocation). */
    ANY;

    /** The name in {@code --agent NAME=URI}, the pin file and {@code --on}: {@code host}, {@code router}, {@code rtos}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of the agent a command's descriptor names. */
    public static AgentRole serving(org.multiverse.scramble.protocol.v1.ServingAgent agent) {
        return switch (agent) {
            case HOST -> HOST;
            case ROUTER -> ROUTER;
            case RTOS -> RTOS;
            case ANY -> ANY;
            case SERVING_AGENT_UNSPECIFIED, UNRECOGNIZED ->
                throw new IllegalArgumentException("a command without a serving agent: " + agent);
        };
    }

    /** Parses an agent name; {@code any} is not an agent. */
    public static Optional<AgentRole> parseAgent(String text) {
        for (AgentRole r : values()) {
            if (r != ANY && r.text().equals(text)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
