package org.multiverse.scramble.host;

import org.multiverse.scramble.host.agent.HostAgentModule;
import org.multiverse.scramble.protocol.agent.AgentCommandLine;

/** The {@code host-agent} program ({@code bin/host-agent}): the shared agent command line with the host's handlers. */
public final class HostAgentMain {

    private HostAgentMain() {}

    public static void main(String[] args) {
        System.exit(AgentCommandLine.run(new HostAgentModule(), args));
    }
}
