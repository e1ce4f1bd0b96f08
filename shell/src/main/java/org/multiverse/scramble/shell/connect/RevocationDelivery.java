package org.multiverse.scramble.shell.connect;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.v1.Ack;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RevokeSessions;
import org.multiverse.scramble.shell.registry.AgentRole;

/**
 * Delivers a revocation the root signed once to every agent the shell knows (directly or
 * through the host's relay), and says which confirmed it. An agent that could not be reached
 * owes it: it is kept in {@link PendingRevocations} and sent again at the next contact with that
 * agent ({@link AgentConnections#link}), in this run or a later one. An agent that answered but
 * refused (its policy, say) is reported, not retried: sending again would not change its mind.
 */
final class RevocationDelivery {

    /** What one agent made of the revocation. */
    private record Answer(AgentRole agent, boolean confirmed, boolean reached, String detail) {}

    private final AgentConnections connections;
    private final PendingRevocations pending;
    private final Consumer<String> notices;

    RevocationDelivery(AgentConnections connections, PendingRevocations pending, Consumer<String> notices) {
        this.connections = connections;
        this.pending = pending;
        this.notices = notices;
    }

    /**
     * Sends {@code revoke} to every known agent, one after the other, the host last: the
     * revocation covers the session that carries it, so once the host (the relay) has it, it
     * would refuse to relay the same revocation to the agents behind it. The outcome is Ok only
     * when all of them confirmed.
     */
    CompletableFuture<CommandOutcome> everywhere(Command revoke, Duration timeout) {
        RevokeSessions r = revoke.getRevokeSessions();
        List<AgentRole> order = new ArrayList<>(connections.knownAgents());
        order.sort(java.util.Comparator.comparing(a -> a == AgentRole.HOST));
        // One after the other within the command's own time: each agent gets its share of it.
        Duration each = timeout.dividedBy(Math.max(1, order.size()));
        List<Answer> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        // Links are opened here, on the caller's thread: first contact blocks, and the chain below
        // runs on transport threads, which must never block (issue 13 item 6).
        List<AgentRole> linked = new ArrayList<>();
        for (AgentRole agent : order) {
            try {
                connections.link(agent);
                linked.add(agent);
            } catch (org.multiverse.scramble.shell.ShellFailure | RuntimeException e) {
                answers.add(remember(classify(agent, null, e), r));
            }
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (AgentRole agent : linked) {
            chain = chain.thenCompose(v -> {
                CompletableFuture<CommandOutcome> sent;
                try {
                    sent = connections.send(agent, revoke, each);
                } catch (org.multiverse.scramble.shell.ShellFailure | RuntimeException e) {
                    sent = CompletableFuture.failedFuture(e);
                }
                // Off the transport thread: remembering writes a file.
                return sent.handleAsync((o, failure) -> classify(agent, o, failure))
                        .thenAccept(a -> answers.add(remember(a, r)));
            });
        }
        return chain.thenApply(v -> summary(List.copyOf(answers)));
    }

    /** Sends what {@code agent} still owes, if anything, now that it is in contact again. */
    void deliverPending(AgentRole agent, Duration timeout) {
        deliverPending(agent, timeout, RATE_LIMITED_RETRIES);
    }

    /** Retries of an owed revocation the agent rate-limited, each after the wait it asked for. */
    static final int RATE_LIMITED_RETRIES = 3;

    private void deliverPending(AgentRole agent, Duration timeout, int retriesLeft) {
        RevokeSessions owed;
        try {
            owed = pending == null ? null : pending.pendingFor(agent.text()).orElse(null);
        } catch (IOException e) {
            notices.accept("pending revocations not readable: " + e.getMessage());
            return;
        }
        if (owed == null) {
            return;
        }
        Command command = Command.newBuilder().setRevokeSessions(owed).build();
        CompletableFuture<CommandOutcome> sent;
        try {
            sent = connections.send(agent, command, timeout);
        } catch (org.multiverse.scramble.shell.ShellFailure e) {
            return; // still owed; the next contact tries again
        }
        sent.handleAsync((o, failure) -> { // off the transport thread: it writes a file
            Answer a = remember(classify(agent, o, failure), owed);
            if (a.confirmed()) {
                notices.accept("the pending revocation reached the " + agent.text() + " agent: " + a.detail());
            } else if (o instanceof CommandOutcome.Failed f
                    && f.error().getCode() == ErrorCode.RATE_LIMITED
                    && retriesLeft > 0) {
                long wait = Math.max(1, f.error().getRetryAfterMillis());
                CompletableFuture.runAsync(
                        () -> deliverPending(agent, timeout, retriesLeft - 1),
                        CompletableFuture.delayedExecutor(wait, java.util.concurrent.TimeUnit.MILLISECONDS));
            }
            return a;
        });
    }

    private static Answer classify(AgentRole agent, CommandOutcome o, Throwable failure) {
        if (failure != null) {
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            return new Answer(agent, false, false, why);
        }
        if (o instanceof CommandOutcome.Ok ok) {
            return new Answer(agent, true, true, ok.result().getAck().getMessage());
        }
        if (o instanceof CommandOutcome.Failed f) {
            // UNAVAILABLE or RATE_LIMITED: the agent (or the relay in front of it) could not take
            // it now; it stays owed and is sent again.
            boolean reached =
                    f.error().getCode() != ErrorCode.UNAVAILABLE && f.error().getCode() != ErrorCode.RATE_LIMITED;
            return new Answer(
                    agent,
                    false,
                    reached,
                    f.error().getCode().name() + ": " + f.error().getMessage());
        }
        CommandOutcome.Rejected rejected = (CommandOutcome.Rejected) o;
        return new Answer(agent, false, true, "rejected (" + rejected.code().name() + ")");
    }

    private Answer remember(Answer a, RevokeSessions r) {
        if (pending == null) {
            return a;
        }
        try {
            if (a.confirmed()) {
                pending.confirmed(a.agent().text(), r);
            } else if (!a.reached()) {
                pending.add(a.agent().text(), r);
            }
        } catch (IOException e) {
            notices.accept("pending revocations not saved: " + e.getMessage());
        }
        return a;
    }

    private CommandOutcome summary(List<Answer> answers) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("confirmed by", new ArrayList<>());
        groups.put("not reached", new ArrayList<>());
        groups.put("refused by", new ArrayList<>());
        ErrorCode code = null;
        for (Answer a : answers) {
            if (a.confirmed()) {
                groups.get("confirmed by").add(a.agent().text());
            } else if (!a.reached()) {
                groups.get("not reached").add(a.agent().text() + " (" + a.detail() + ")");
                code = ErrorCode.UNAVAILABLE;
            } else {
                groups.get("refused by").add(a.agent().text() + " (" + a.detail() + ")");
                code = code == null ? ErrorCode.PERMISSION : code;
            }
        }
        StringBuilder text = new StringBuilder();
        groups.forEach((label, names) -> {
            if (!names.isEmpty()) {
                text.append(text.length() == 0 ? "" : "; ")
                        .append(label)
                        .append(": ")
                        .append(String.join(", ", names));
            }
        });
        if (answers.isEmpty()) {
            return new CommandOutcome.Failed(Error.newBuilder()
                    .setCode(ErrorCode.UNAVAILABLE)
                    .setMessage("no agent is known to this shell: nothing was revoked")
                    .build());
        }
        if (code == null) {
            return new CommandOutcome.Ok(
                    Result.newBuilder()
                            .setAck(Ack.newBuilder().setMessage("revoked on every known agent: " + text))
                            .build(),
                    0);
        }
        if (!groups.get("not reached").isEmpty() && pending != null) {
            text.append("; kept in ")
                    .append(pending.file())
                    .append(" and sent again at the next contact with each agent not reached");
        }
        return new CommandOutcome.Failed(Error.newBuilder()
                .setCode(code)
                .setMessage("revocation not confirmed everywhere: " + text)
                .build());
    }
}
