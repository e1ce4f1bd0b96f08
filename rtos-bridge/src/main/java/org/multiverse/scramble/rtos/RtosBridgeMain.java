package org.multiverse.scramble.rtos;

import java.util.Arrays;
import org.multiverse.scramble.protocol.agent.AgentCommandLine;
import org.multiverse.scramble.rtos.agent.RtosBridgeModule;
import picocli.CommandLine;

/**
 * {@code bin/rtos-bridge}: the shared agent command line around the RTOS module
 * ({@code init, authorize, revoke, run --node NAME=DEV[:baud] ..., audit}), plus
 * {@code simulate-node}, a simulated node for tests and demos (WIRE.md appendix A).
 */
public final class RtosBridgeMain {

    /** The one subcommand that is not an agent command. */
    static final String SIMULATE_NODE = "simulate-node";

    private RtosBridgeMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line; returns the exit code. */
    static int run(String[] args) {
        if (args.length > 0 && args[0].equals(SIMULATE_NODE)) {
            return new CommandLine(new SimulateNodeCommand())
                    .setCommandName("rtos-bridge " + SIMULATE_NODE)
                    .execute(Arrays.copyOfRange(args, 1, args.length));
        }
        return AgentCommandLine.run(new RtosBridgeModule(), args);
    }
}
