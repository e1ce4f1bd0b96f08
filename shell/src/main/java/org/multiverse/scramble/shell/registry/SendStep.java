package org.multiverse.scramble.shell.registry;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.RtosInfoResult;
import org.multiverse.scramble.protocol.v1.RtosWrite;
import org.multiverse.scramble.shell.ShellFailure;

/**
 * How a built command goes out, declared with the command's shell syntax ({@link CommandSpec}):
 * the one place a command's "prepare before send" lives, instead of special cases in the
 * transport. Most commands are sent as built ({@link #AS_BUILT}); an {@code rtos write} first
 * gets the command its node verifies itself, signed by the session ({@link RtosWriteStep}).
 */
@FunctionalInterface
public interface SendStep {

    /** Sends the command as it was built. */
    SendStep AS_BUILT = (command, outbox) -> outbox.send(command);

    /** Sends the command to every agent the shell knows (a root-signed revocation). */
    SendStep TO_EVERY_AGENT = (command, outbox) -> outbox.sendToEveryAgent(command);

    /**
     * Sends {@code built} (or what it becomes) through {@code outbox}.
     *
     * @return the command's outcome; a step may answer with the outcome of a command it needed
     *     first (an {@code rtos info} that failed is the write's answer too)
     */
    CompletableFuture<CommandOutcome> send(Command built, Outbox outbox);

    /** What a step may use: its agent, signed and sealed as usual, and the session's node signer. */
    interface Outbox {

        /** Signs {@code command} with the session and sends it to the command's agent. */
        CompletableFuture<CommandOutcome> send(Command command);

        /**
         * Signs {@code command} for every agent the shell knows and sends it to each (a
         * revocation must reach them all); by default only to the command's agent.
         */
        default CompletableFuture<CommandOutcome> sendToEveryAgent(Command command) {
            return send(command);
        }

        /** The session's signer of node commands, with its cache of nodes' info. */
        NodeCommands nodeCommands();
    }

    /** Signs what a real-time node verifies itself, with the session key (rtos-bridge WIRE.md section 6). */
    interface NodeCommands {

        /** A node's recent signed {@code rtos info}, if one is cached. */
        Optional<RtosInfoResult> cached(String node);

        void remember(String node, RtosInfoResult info);

        /** Forgets what a failed write may have found stale (a re-flashed node, a renamed channel). */
        void forget(String node);

        /** The request with its {@code node_command} signed for the node {@code info} describes. */
        RtosWrite sign(RtosWrite request, RtosInfoResult info) throws ShellFailure;
    }
}
