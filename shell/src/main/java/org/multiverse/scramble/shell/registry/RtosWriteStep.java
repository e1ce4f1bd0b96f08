package org.multiverse.scramble.shell.registry;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.RtosInfo;
import org.multiverse.scramble.protocol.v1.RtosInfoResult;
import org.multiverse.scramble.protocol.v1.RtosWrite;
import org.multiverse.scramble.shell.ShellFailure;

/**
 * The send step of {@code rtos write}: the node verifies the write itself, so before it goes out
 * it gets a {@code node_command} signed by the session key. The node's ID and the channel's index
 * come from a signed {@code rtos info} (sent now unless one answered recently), and the deadline
 * is reckoned from the time of sending. If that {@code rtos info} fails, its answer is the write's
 * answer; a node without the channel fails the write with a {@link ShellFailure}. A write that
 * does not succeed drops the cached info, which may be stale.
 */
final class RtosWriteStep implements SendStep {

    @Override
    public CompletableFuture<CommandOutcome> send(Command built, Outbox outbox) {
        if (!built.getRtosWrite().getNodeCommand().isEmpty()) {
            return outbox.send(built); // signed already (a script that carries its own)
        }
        String node = built.getRtosWrite().getNode();
        Optional<RtosInfoResult> known = outbox.nodeCommands().cached(node);
        if (known.isPresent()) {
            return signAndSend(built, known.get(), outbox);
        }
        Command info = Command.newBuilder()
                .setRtosInfo(RtosInfo.newBuilder().setNode(node))
                .build();
        return outbox.send(info).thenCompose(o -> {
            if (!(o instanceof CommandOutcome.Ok ok)) {
                // No such node, node down, refused: that is the write's answer too.
                return CompletableFuture.completedFuture(o);
            }
            if (!ok.result().hasRtosInfo()) {
                return CompletableFuture.failedFuture(
                        ShellFailure.failed("the agent answered rtos info " + node + " without the node's info"));
            }
            outbox.nodeCommands().remember(node, ok.result().getRtosInfo());
            return signAndSend(built, ok.result().getRtosInfo(), outbox);
        });
    }

    private static CompletableFuture<CommandOutcome> signAndSend(Command built, RtosInfoResult info, Outbox outbox) {
        String node = built.getRtosWrite().getNode();
        RtosWrite signed;
        try {
            signed = outbox.nodeCommands().sign(built.getRtosWrite(), info);
        } catch (ShellFailure f) {
            outbox.nodeCommands().forget(node);
            return CompletableFuture.failedFuture(f);
        }
        return outbox.send(built.toBuilder().setRtosWrite(signed).build()).whenComplete((o, t) -> {
            if (!(o instanceof CommandOutcome.Ok)) {
                outbox.nodeCommands().forget(node);
            }
        });
    }
}
