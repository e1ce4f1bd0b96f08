package org.multiverse.scramble.controller;

import org.multiverse.scramble.controller.agent.ControllerAgentModule;
import org.multiverse.scramble.protocol.agent.AgentCommandLine;

/** {@code bin/controller-agent}: the shared agent command line around the router module. */
public final class ControllerAgentMain {

    private ControllerAgentMain() {}

    public static void main(String[] args) {
        System.exit(AgentCommandLine.run(new ControllerAgentModule(), args));
    }
}
