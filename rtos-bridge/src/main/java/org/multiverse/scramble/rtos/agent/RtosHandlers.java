package org.multiverse.scramble.rtos.agent;

import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.CommandContext;
import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RtosRead;
import org.multiverse.scramble.protocol.v1.RtosStream;
import org.multiverse.scramble.protocol.v1.RtosWrite;
import org.multiverse.scramble.rtos.link.RtosBridgeService;
import org.multiverse.scramble.rtos.link.RtosException;
import org.multiverse.scramble.rtos.link.StreamReport;

/**
 * The handlers of every {@code rtos} command, over one {@link RtosBridgeService}. Each checks
 * its arguments ({@link RtosArguments}) before any byte goes on a line, and maps the bridge's
 * failures with {@link RtosErrors}.
 */
final class RtosHandlers {

    private final RtosBridgeService service;

    private RtosHandlers(RtosBridgeService service) {
        this.service = service;
    }

    /** Registers the seven {@code rtos} handlers on {@code core}. */
    static void register(AgentCore core, RtosBridgeService service) {
        RtosHandlers h = new RtosHandlers(service);
        core.handlers()
                .register(Command.KindCase.RTOS_LIST, (ctx, cmd) -> RtosResults.list(service.list()))
                .register(
                        Command.KindCase.RTOS_PING,
                        (ctx, cmd) -> h.ping(cmd.getRtosPing().getNode()))
                .register(
                        Command.KindCase.RTOS_INFO,
                        (ctx, cmd) -> h.info(cmd.getRtosInfo().getNode()))
                .register(Command.KindCase.RTOS_READ, (ctx, cmd) -> h.read(cmd.getRtosRead()))
                .register(Command.KindCase.RTOS_WRITE, h::write)
                .register(Command.KindCase.RTOS_STREAM, h::stream)
                .register(
                        Command.KindCase.RTOS_TIME_SYNC,
                        (ctx, cmd) -> h.timeSync(cmd.getRtosTimeSync().getNode()));
    }

    private Result ping(String node) throws CommandException {
        String n = RtosArguments.node(node);
        try {
            return RtosResults.ping(service.ping(n));
        } catch (RtosException e) {
            throw RtosErrors.toCommandException(e);
        }
    }

    private Result info(String node) throws CommandException {
        String n = RtosArguments.node(node);
        try {
            return RtosResults.info(service.info(n));
        } catch (RtosException e) {
            throw RtosErrors.toCommandException(e);
        }
    }

    private Result read(RtosRead r) throws CommandException {
        String node = RtosArguments.node(r.getNode());
        String channel = RtosArguments.channel(r.getChannel());
        try {
            return RtosResults.reading(service.read(node, channel));
        } catch (RtosException e) {
            throw RtosErrors.toCommandException(e);
        }
    }

    /**
     * Relays the person's signed write. The bridge checks that the signed command says what the
     * request says and the node checks the signature: the bridge holds no key that could sign.
     */
    private Result write(CommandContext ctx, Command cmd) throws CommandException {
        RtosWrite w = cmd.getRtosWrite();
        String node = RtosArguments.node(w.getNode());
        String channel = RtosArguments.channel(w.getChannel());
        double value = RtosArguments.value(w.getValue());
        long at = RtosArguments.atOffsetMicros(w.getAtOffsetMicros());
        byte[] signed = RtosArguments.nodeCommand(w.getNodeCommand().toByteArray());
        try {
            return RtosResults.written(service.write(
                    node, channel, value, at, signed, ctx.certificate().encode()));
        } catch (RtosException e) {
            throw RtosErrors.toCommandException(e);
        }
    }

    /** Runs the stream to its end; samples go to subscribers as {@link StreamPublisher} events. */
    private Result stream(CommandContext ctx, Command cmd) throws CommandException {
        RtosStream s = cmd.getRtosStream();
        String node = RtosArguments.node(s.getNode());
        String channel = RtosArguments.channel(s.getChannel());
        int hz = RtosArguments.hz(s.getHz());
        int seconds = RtosArguments.seconds(s.getSeconds());
        try (StreamPublisher publisher = new StreamPublisher(ctx.events(), node, channel)) {
            StreamReport report =
                    service.stream(node, channel, hz, seconds, ctx.certificate().encode(), publisher);
            publisher.finish();
            return RtosResults.stream(report);
        } catch (RtosException e) {
            throw RtosErrors.toCommandException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(ErrorCode.UNAVAILABLE, "the bridge is shutting down");
        }
    }

    private Result timeSync(String node) throws CommandException {
        String n = RtosArguments.node(node);
        try {
            return RtosResults.timeSync(service.timeSync(n));
        } catch (RtosException e) {
            throw RtosErrors.toCommandException(e);
        }
    }
}
