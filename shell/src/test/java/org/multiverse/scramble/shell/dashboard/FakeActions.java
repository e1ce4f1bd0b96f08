package org.multiverse.scramble.shell.dashboard;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.multiverse.scramble.protocol.client.LinkState;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.shell.registry.AgentRole;

/**
 * Agents in a test: answers per command kind (a result, an error, a failure, or held until the
 * test completes it), every command sent recorded, links set by hand, events pushed by the test.
 */
final class FakeActions implements DashboardActions {

    record Sent(AgentRole role, Command command) {}

    final List<Sent> sent = new ArrayList<>();
    final Map<AgentRole, LinkView> links = new EnumMap<>(AgentRole.class);
    final Map<AgentRole, Boolean> reachable = new EnumMap<>(AgentRole.class);
    private final Map<Command.KindCase, Function<Command, CompletableFuture<CommandOutcome>>> answers =
            new EnumMap<>(Command.KindCase.class);
    private volatile Consumer<EventBody> sink = e -> {};

    FakeActions() {
        for (AgentRole r : DashboardModel.AGENTS) {
            reachable.put(r, true);
            links.put(r, new LinkView(LinkState.UP, "sim:" + r.text(), OptionalLong.of(1)));
        }
    }

    FakeActions answer(Command.KindCase kind, Result result) {
        answers.put(kind, c -> CompletableFuture.completedFuture(new CommandOutcome.Ok(result, 0)));
        return this;
    }

    FakeActions answer(Command.KindCase kind, Function<Command, CompletableFuture<CommandOutcome>> f) {
        answers.put(kind, f);
        return this;
    }

    FakeActions refuse(Command.KindCase kind, ErrorCode code, String message) {
        answers.put(
                kind,
                c -> CompletableFuture.completedFuture(new CommandOutcome.Failed(
                        Error.newBuilder().setCode(code).setMessage(message).build())));
        return this;
    }

    FakeActions fail(Command.KindCase kind, Throwable t) {
        answers.put(kind, c -> CompletableFuture.failedFuture(t));
        return this;
    }

    /** Every command of {@code kind} sent so far. */
    synchronized List<Command> sent(Command.KindCase kind) {
        return sent.stream()
                .map(Sent::command)
                .filter(c -> c.getKindCase() == kind)
                .toList();
    }

    synchronized List<Command.KindCase> kindsSent() {
        return sent.stream().map(s -> s.command().getKindCase()).toList();
    }

    void event(EventBody e) {
        sink.accept(e);
    }

    @Override
    public CompletableFuture<CommandOutcome> send(AgentRole role, Command command) {
        synchronized (this) {
            sent.add(new Sent(role, command));
        }
        Function<Command, CompletableFuture<CommandOutcome>> f = answers.get(command.getKindCase());
        if (f == null) {
            return CompletableFuture.completedFuture(new CommandOutcome.Failed(Error.newBuilder()
                    .setCode(ErrorCode.UNSUPPORTED_COMMAND)
                    .setMessage("not served by this fake")
                    .build()));
        }
        return f.apply(command);
    }

    @Override
    public boolean reachable(AgentRole role) {
        return reachable.getOrDefault(role, false);
    }

    @Override
    public Optional<LinkView> link(AgentRole role) {
        return Optional.ofNullable(links.get(role));
    }

    @Override
    public void onEvent(Consumer<EventBody> sink) {
        this.sink = sink;
    }
}
