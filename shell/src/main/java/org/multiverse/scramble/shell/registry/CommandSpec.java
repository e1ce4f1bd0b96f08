package org.multiverse.scramble.shell.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.multiverse.scramble.protocol.command.CommandCatalog;
import org.multiverse.scramble.protocol.command.CommandInfo;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Result;

/**
 * The shell's side of one command: its arguments, help with an example, how the parsed line
 * becomes the protobuf command, and the result it answers with. What the command is (its verb
 * path, {@code portal start}, from the dotted name; the agent that serves it; whether it changes
 * state) comes from its descriptor in {@code commands.proto} ({@link CommandCatalog}). The
 * parser, completion, {@code help}, {@code --dry-run} and the JSON output all read this.
 */
public final class CommandSpec {

    private final List<String> verb;
    private final Command.KindCase kind;
    private final AgentRole role;
    private final List<ArgSpec> args;
    private final String summary;
    private final String example;
    private final boolean changesState;
    private final boolean needsRootKey;
    private final Result.KindCase answer;
    private final CommandFactory factory;
    private final SendStep sendStep;

    private CommandSpec(Builder b) {
        this.verb = List.of(b.verb.split(" "));
        this.kind = b.kind;
        this.role = b.role;
        this.args = List.copyOf(b.args);
        this.summary = b.summary;
        this.example = b.example;
        this.changesState = b.changesState;
        this.needsRootKey = b.needsRootKey;
        this.answer = Objects.requireNonNull(b.answer, "answer of " + b.verb);
        this.factory = Objects.requireNonNull(b.factory, "factory of " + b.verb);
        this.sendStep = b.sendStep;
    }

    /** Starts the shell's declaration of a command; its verb, agent and state change come from its descriptor. */
    public static Builder command(Command.KindCase kind) {
        CommandInfo info = CommandCatalog.of(kind);
        Builder b = new Builder(info.words(), kind, AgentRole.serving(info.agent()));
        b.changesState = info.changesState();
        return b;
    }

    public List<String> verb() {
        return verb;
    }

    /** The verb path as typed: {@code portal start}. */
    public String verbText() {
        return String.join(" ", verb);
    }

    public Command.KindCase kind() {
        return kind;
    }

    public AgentRole role() {
        return role;
    }

    public List<ArgSpec> args() {
        return args;
    }

    public List<ArgSpec> positionals() {
        return args.stream().filter(a -> !a.isOption()).toList();
    }

    public List<ArgSpec> options() {
        return args.stream().filter(ArgSpec::isOption).toList();
    }

    public Optional<ArgSpec> option(String token) {
        return options().stream().filter(o -> o.named(token)).findFirst();
    }

    public String summary() {
        return summary;
    }

    public String example() {
        return example;
    }

    public boolean changesState() {
        return changesState;
    }

    /** Whether building it needs the root key (only the root-signed revocation). */
    public boolean needsRootKey() {
        return needsRootKey;
    }

    /** How the built command goes out ({@link SendStep#AS_BUILT} for most). */
    public SendStep sendStep() {
        return sendStep;
    }

    /** The result kind a successful answer carries. */
    public Result.KindCase answer() {
        return answer;
    }

    public Command build(ParsedArgs parsed, BuildContext context) throws org.multiverse.scramble.shell.ShellFailure {
        return factory.build(parsed, context);
    }

    /** {@code portal stop NAME [--timeout N]}. */
    public String usage() {
        StringBuilder s = new StringBuilder(verbText());
        for (ArgSpec a : args) {
            s.append(' ').append(a.usage());
        }
        if (role == AgentRole.ANY) {
            s.append(" [--on host|router|rtos]");
        }
        return s.toString();
    }

    /** Accumulates one declaration. */
    public static final class Builder {
        private final String verb;
        private final Command.KindCase kind;
        private final AgentRole role;
        private final List<ArgSpec> args = new ArrayList<>();
        private String summary = "";
        private String example = "";
        private boolean changesState;
        private boolean needsRootKey;
        private Result.KindCase answer;
        private CommandFactory factory;
        private SendStep sendStep = SendStep.AS_BUILT;

        private Builder(String verb, Command.KindCase kind, AgentRole role) {
            this.verb = verb;
            this.kind = kind;
            this.role = role;
        }

        public Builder help(String summaryLine, String exampleLine) {
            this.summary = summaryLine;
            this.example = exampleLine;
            return this;
        }

        public Builder arg(ArgSpec a) {
            args.add(a);
            return this;
        }

        /** A step between building and sending (see {@link SendStep}). */
        public Builder sendsWith(SendStep step) {
            this.sendStep = Objects.requireNonNull(step);
            return this;
        }

        public Builder needsRootKey() {
            this.needsRootKey = true;
            return this;
        }

        public Builder answers(Result.KindCase r) {
            this.answer = r;
            return this;
        }

        public CommandSpec builds(CommandFactory f) {
            this.factory = f;
            return new CommandSpec(this);
        }
    }
}
