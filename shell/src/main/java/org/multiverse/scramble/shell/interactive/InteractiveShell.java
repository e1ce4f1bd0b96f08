package org.multiverse.scramble.shell.interactive;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.text.EscapeStripper;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.shell.ShellSession;
import org.multiverse.scramble.shell.connect.Enrolment;
import org.multiverse.scramble.shell.parse.LineParser;
import org.multiverse.scramble.shell.parse.ParseException;
import org.multiverse.scramble.shell.parse.ParsedLine;
import org.multiverse.scramble.shell.parse.Token;
import org.multiverse.scramble.shell.parse.Tokenizer;
import org.multiverse.scramble.shell.registry.CommandRegistry;
import org.multiverse.scramble.shell.registry.HelpText;
import org.multiverse.scramble.shell.render.Style;
import org.multiverse.scramble.shell.run.CommandExecutor;
import org.multiverse.scramble.shell.run.Execution;
import org.multiverse.scramble.shell.run.OutputWriter;
import org.multiverse.scramble.shell.run.ScriptLine;

/**
 * The interactive shell on a JLine terminal: a prompt with the short Scramble ID and the agents
 * in use, completion (verbs, options, live names), highlighting, persistent history (mode 0600,
 * never a passphrase: those are read by a separate reader without history), {@code help}, a
 * status line, Ctrl-C to cancel the command in flight, Ctrl-D or {@code exit} to leave.
 */
public final class InteractiveShell {

    /** Opens (or re-opens, after {@code id lock}) a session; asks the person to pin new agents. */
    @FunctionalInterface
    public interface SessionFactory {
        ShellSession open(Enrolment.Confirm confirm) throws ShellFailure;
    }

    /** Lines of history kept in the file. */
    static final int HISTORY_SIZE = 2000;
    /** How long completion waits for a live-name list before offering nothing. */
    static final Duration LIVE_FETCH_TIMEOUT = Duration.ofSeconds(2);

    private final Terminal terminal;
    private final CommandRegistry registry;
    private final SessionFactory factory;
    private final Path historyFile;
    private final Duration timeout;
    private final Style style;
    private final Tokenizer.Variables variables;
    private final AtomicReference<CompletableFuture<?>> pending = new AtomicReference<>();
    private ShellSession session;
    private LiveNames live;
    private LineReader reader;
    private Status status;
    private String notice = "";

    public InteractiveShell(
            Terminal terminal,
            CommandRegistry registry,
            SessionFactory factory,
            Path historyFile,
            Duration timeout,
            boolean colour,
            Tokenizer.Variables variables) {
        this.terminal = terminal;
        this.registry = registry;
        this.factory = factory;
        this.historyFile = historyFile;
        this.timeout = timeout;
        this.style = new Style(colour);
        this.variables = variables;
    }

    /** Runs until {@code exit} or Ctrl-D; returns the exit code. */
    public int run() throws ShellFailure {
        live = new LiveNames(this::fetch, System::currentTimeMillis);
        reader = buildReader();
        status = Status.getStatus(terminal, false);
        PrintWriter out = terminal.writer();
        out.println(style.bold("Scramble Shell") + " — type help, Tab completes, Ctrl-D leaves.");
        out.flush();
        try {
            unlock();
            while (true) {
                String line;
                try {
                    updateStatus();
                    line = reader.readLine(prompt());
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (!handle(line.strip())) {
                    break;
                }
            }
        } finally {
            if (status != null) {
                status.update(List.of());
            }
            closeSession();
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                terminal.writer().println("history not saved: " + e.getMessage());
            }
        }
        return ExitCodes.OK;
    }

    LineReader buildReader() throws ShellFailure {
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(false);
        LineReaderBuilder b = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("scramble-shell")
                .completer(new ShellCompleter(registry, live))
                .highlighter(new ShellHighlighter(registry))
                .parser(parser)
                .variable(LineReader.HISTORY_SIZE, HISTORY_SIZE)
                .variable(LineReader.HISTORY_FILE_SIZE, HISTORY_SIZE)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true);
        if (historyFile != null) {
            prepareHistoryFile(historyFile);
            b.variable(LineReader.HISTORY_FILE, historyFile);
        } else {
            b.variable(LineReader.DISABLE_HISTORY, true);
        }
        return b.build();
    }

    /** Creates the history file with mode 0600 before JLine writes to it, and tightens an old one. */
    static void prepareHistoryFile(Path file) throws ShellFailure {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw ShellFailure.failed("history file " + file + ": " + e.getMessage() + " (or use --no-history)");
        }
    }

    /** Handles one line; false to leave. */
    boolean handle(String line) {
        PrintWriter out = terminal.writer();
        if (line.isEmpty() || line.startsWith("#")) {
            return true;
        }
        List<Token> tokens;
        try {
            tokens = Tokenizer.tokenize(line, variables::get);
        } catch (ParseException e) {
            error(e.getMessage());
            return true;
        }
        if (tokens.isEmpty()) {
            return true;
        }
        List<String> words = tokens.stream().map(Token::text).toList();
        switch (words.get(0)) {
            case "exit", "quit" -> {
                return false;
            }
            case "help" -> {
                help(words.subList(1, words.size()));
                return true;
            }
            case "dashboard" -> {
                error("dashboard: not built yet (the Lanterna dashboard is still being written)");
                return true;
            }
            case "id" -> {
                idCommand(words);
                return true;
            }
            default -> {}
        }
        ParsedLine parsed;
        try {
            parsed = new LineParser(registry).parse(tokens); // the line is tokenized once
        } catch (ParseException e) {
            error(e.getMessage());
            return true;
        }
        try {
            unlock();
        } catch (ShellFailure f) {
            error(f.getMessage());
            return true;
        }
        Execution e = executeWithCtrlC(parsed);
        if (parsed.spec().changesState()) {
            live.invalidate();
        }
        notice = "";
        if (e.verdict().code().equals("RATE_LIMITED_LOCALLY")
                || e.verdict().code().equals("RATE_LIMITED")) {
            notice = "rate limited: retry in " + e.verdict().retryAfterMillis() + " ms";
            out.println(style.yellow(notice));
        } else {
            out.flush();
            java.io.PrintStream raw =
                    new java.io.PrintStream(terminal.output(), true, java.nio.charset.StandardCharsets.UTF_8);
            new OutputWriter(raw, raw, false, style).executed(new ScriptLine("shell", 0, line), parsed, e);
            raw.flush();
        }
        out.flush();
        return true;
    }

    private Execution executeWithCtrlC(ParsedLine parsed) {
        CommandExecutor executor = new CommandExecutor(session.connections(), session.context(), timeout, false);
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, sig -> {
            CompletableFuture<?> f = pending.get();
            if (f != null) {
                f.cancel(true);
            }
        });
        try {
            return executor.execute(parsed, pending::set);
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
        }
    }

    private void idCommand(List<String> words) {
        String sub = words.size() > 1 ? words.get(1) : "";
        switch (sub) {
            case "lock" -> {
                closeSession();
                terminal.writer()
                        .println("locked: the session keys are forgotten; the next command asks for the passphrase");
            }
            case "show", "export" -> {
                if (session == null) {
                    error("locked: run a command to unlock first");
                } else {
                    terminal.writer()
                            .println(
                                    sub.equals("show")
                                            ? "Scramble ID: " + session.root().text() + "\nShort form:  "
                                                    + session.root().shortForm()
                                            : session.root().text());
                }
            }
            default -> error("in the shell: id show, id export or id lock (id init and id recover run outside it)");
        }
        terminal.writer().flush();
    }

    private void help(List<String> words) {
        PrintWriter out = terminal.writer();
        if (words.isEmpty()) {
            HelpText.overview(registry).forEach(out::println);
        } else {
            Optional<List<String>> h = HelpText.verb(registry, words);
            if (h.isPresent()) {
                h.get().forEach(out::println);
            } else {
                error("help: no command '" + String.join(" ", words) + "'");
            }
        }
        out.flush();
    }

    private void unlock() throws ShellFailure {
        if (session != null) {
            return;
        }
        session = factory.open(this::confirm);
        session.connections().onEvent(ev -> {
            String text = "event " + org.multiverse.scramble.protocol.event.EventKinds.dotted(ev.getKind()) + " "
                    + EscapeStripper.strip(ev.getSubject()) + ": " + EscapeStripper.strip(ev.getText());
            reader.printAbove(text);
        });
        terminal.writer()
                .println("Unlocked " + session.root().shortForm()
                        + (session.label().isEmpty() ? "" : " (" + session.label() + ")") + "; session valid 12 h.");
        terminal.writer().flush();
    }

    private boolean confirm(String question) throws ShellFailure {
        LineReader ask = LineReaderBuilder.builder()
                .terminal(terminal)
                .variable(LineReader.DISABLE_HISTORY, true)
                .build();
        for (int i = 0; i < 3; i++) {
            String a;
            try {
                a = ask.readLine(question).strip().toLowerCase(Locale.ROOT);
            } catch (UserInterruptException | EndOfFileException e) {
                return false;
            }
            if (a.equals("yes")) {
                return true;
            }
            if (a.equals("no")) {
                return false;
            }
            terminal.writer().println("please answer yes or no");
        }
        return false;
    }

    private Optional<Result> fetch(
            org.multiverse.scramble.shell.registry.AgentRole role,
            org.multiverse.scramble.protocol.v1.Command command) {
        ShellSession s = session;
        if (s == null || !s.connections().reachable(role)) {
            return Optional.empty();
        }
        try {
            CommandOutcome o = s.connections()
                    .send(role, command, LIVE_FETCH_TIMEOUT)
                    .get(LIVE_FETCH_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            return o instanceof CommandOutcome.Ok ok ? Optional.of(ok.result()) : Optional.empty();
        } catch (Exception e) {
            // Completion offers nothing rather than interrupting the person with an error.
            return Optional.empty();
        }
    }

    private String prompt() {
        if (session == null) {
            return style.dim("(locked)") + " scramble> ";
        }
        StringBuilder p = new StringBuilder(session.root().shortForm());
        if (!session.label().isEmpty()) {
            p.append(' ').append(style.yellow(session.label()));
        }
        List<String> agents = session.connections().openLinks().stream()
                .map(l -> l.role().text())
                .toList();
        if (!agents.isEmpty()) {
            p.append(" @").append(String.join(",", agents));
        }
        return p.append("> ").toString();
    }

    private void updateStatus() {
        if (status == null || session == null) {
            return;
        }
        AttributedString line = StatusLine.render(session.connections().openLinks(), notice);
        status.update(List.of(line));
    }

    private void error(String message) {
        terminal.writer().println(style.red("error: ") + message);
        terminal.writer().flush();
    }

    private void closeSession() {
        if (session != null) {
            session.close();
            session = null;
            if (live != null) {
                live.invalidate();
            }
        }
    }
}
