package org.multiverse.scramble.protocol.agent;

import java.nio.file.Path;

/**
 * What one agent adds to the shared core: its name, its own {@code run} options and its
 * command handlers. Agent modules are also found with {@link java.util.ServiceLoader} (declared
 * in {@code META-INF/services/org.multiverse.scramble.protocol.agent.AgentModule}), which is how
 * the shell's {@code --demo} starts every agent in one process without depending on them.
 */
public interface AgentModule {

    /** The program name, e.g. {@code host-agent}. */
    String name();

    /** The role the shell addresses it by: {@code host}, {@code router} or {@code rtos}. */
    String role();

    /** A picocli mixin with this agent's own {@code run} options, or null. */
    default Object runOptions() {
        return null;
    }

    /**
     * Registers the agent's handlers on {@code core} and starts the real backends they drive
     * (as configured by {@link #runOptions()}); the returned resource is closed after the core
     * has drained, at shutdown.
     */
    AutoCloseable install(AgentCore core, Path stateDir) throws Exception;

    /**
     * The same handlers over simulated backends (a simulated hypervisor, simulated routers, a
     * simulated RTOS node), for {@code scramble-shell --demo} and tests: no root, no QEMU.
     */
    AutoCloseable installDemo(AgentCore core, Path stateDir) throws Exception;
}
