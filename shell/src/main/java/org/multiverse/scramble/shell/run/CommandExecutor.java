package org.multiverse.scramble.shell.run;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.shell.connect.AgentConnections;
import org.multiverse.scramble.shell.parse.ParsedLine;
import org.multiverse.scramble.shell.registry.BuildContext;

/**
 * Builds, signs, sends and waits for one parsed command. Scripts wait for the client-side
 * token bucket (the agent would refuse otherwise); the interactive shell explains instead.
 */
public final class CommandExecutor {

    /** Default time an agent has to answer one command (a portal stop waits for ACPI first). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Longest a script waits for a rate-limit token before the command counts as refused. */
    static final long MAX_TOKEN_WAIT_MILLIS = 30_000;
    /** Grace beyond the request timeout for the future itself (the client's timer fires first). */
    static final long GRACE_MILLIS = 2_000;

    private final AgentConnections connections;
    private final BuildContext context;
    private final Duration timeout;
    private final boolean waitForTokens;

    public CommandExecutor(
            AgentConnections connections, BuildContext context, Duration timeout, boolean waitForTokens) {
        this.connections = connections;
        this.context = context;
        this.timeout = timeout;
        this.waitForTokens = waitForTokens;
    }

    public AgentConnections connections() {
        return connections;
    }

    /**
     * Runs one command.
     *
     * @param pending told about the in-flight future, so Ctrl-C can cancel it
     */
    public Execution execute(ParsedLine line, Consumer<CompletableFuture<?>> pending) {
        long start = System.nanoTime();
        Command command;
        try {
            command = line.spec().build(line.args(), context);
        } catch (ShellFailure e) {
            return new Execution(Verdict.of(e), null, 0);
        }
        long waited = 0;
        while (true) {
            Execution e = sendOnce(line, command, pending, start);
            if (!waitForTokens
                    || !e.verdict().code().equals("RATE_LIMITED_LOCALLY")
                    || waited + e.verdict().retryAfterMillis() > MAX_TOKEN_WAIT_MILLIS) {
                return e;
            }
            long ms = e.verdict().retryAfterMillis();
            waited += ms;
            try {
                // A script command waits for its token like a person would; nothing else to wait on.
                Thread.sleep(ms);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return e;
            }
        }
    }

    private Execution sendOnce(ParsedLine line, Command command, Consumer<CompletableFuture<?>> pending, long start) {
        CompletableFuture<CommandOutcome> future;
        future = line.spec().sendStep().send(command, connections.outbox(line.target(), timeout));
        pending.accept(future);
        try {
            CommandOutcome o = future.get(timeout.toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
            long ms = (System.nanoTime() - start) / 1_000_000;
            Verdict v = o instanceof CommandOutcome.Failed f
                            && f.error().getCode() == org.multiverse.scramble.protocol.v1.ErrorCode.INTERRUPTED
                    ? InterruptedNotice.verdict(line)
                    : Verdict.of(o);
            if (o instanceof CommandOutcome.Ok ok) {
                // agent status also tells what this shell did with the agent's events (SPEC §14.2).
                boolean status = command.getKindCase() == Command.KindCase.AGENT_STATUS;
                return new Execution(v, ok.result(), ms, status ? connections.eventCounts(line.target()) : null);
            }
            return new Execution(v, null, ms);
        } catch (ExecutionException e) {
            return new Execution(Verdict.of(e.getCause()), null, 0);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Execution(
                    new Verdict(ExitCodes.CONNECTION, "TIMEOUT", "no answer within " + timeout.toMillis() + " ms", 0),
                    null,
                    0);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Execution(new Verdict(ExitCodes.FAILED, "CANCELLED", "interrupted", 0), null, 0);
        } catch (java.util.concurrent.CancellationException e) {
            return new Execution(Verdict.of(e), null, 0);
        } finally {
            pending.accept(null);
        }
    }
}
