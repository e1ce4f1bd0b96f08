package org.multiverse.scramble.shell;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.shell.connect.AgentConfig;
import org.multiverse.scramble.shell.connect.ShellToml;
import org.multiverse.scramble.shell.demo.DemoMode;
import org.multiverse.scramble.shell.identity.ConsolePassphrase;
import org.multiverse.scramble.shell.identity.IdentityCommands;
import org.multiverse.scramble.shell.identity.IdentityStore;
import org.multiverse.scramble.shell.identity.PassphraseFile;
import org.multiverse.scramble.shell.identity.PassphraseSource;
import org.multiverse.scramble.shell.identity.TerminalPassphrase;
import org.multiverse.scramble.shell.interactive.InteractiveShell;
import org.multiverse.scramble.shell.parse.LineParser;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.shell.registry.CommandRegistry;
import org.multiverse.scramble.shell.render.Style;
import org.multiverse.scramble.shell.run.CommandExecutor;
import org.multiverse.scramble.shell.run.OutputWriter;
import org.multiverse.scramble.shell.run.ScriptLine;
import org.multiverse.scramble.shell.run.ScriptRunner;
import org.multiverse.scramble.shell.run.ScriptSource;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * {@code scramble-shell}: the person's one door to Multiverse OS. Interactive (JLine) at a
 * terminal; scripted with {@code -c}, {@code -f}, standard input or a command on the command
 * line; identity commands under {@code id}; {@code --demo} for the whole product in one process.
 * Every failure is one line on stderr and an exit code from {@link ExitCodes}.
 */
public final class ScrambleShell {

    /** Environment variable naming a session file, like ssh's {@code SSH_AUTH_SOCK}; {@code --session} wins. */
    public static final String SESSION_ENV = "SCRAMBLE_SESSION";

    /** The shell's version, shown by {@code --version}. */
    public static final String VERSION = "0.1.0";

    private final ShellEnvironment env;
    private final ShellPaths paths;
    private final Clock clock = Clock.systemUTC();

    ScrambleShell(ShellEnvironment env) {
        this.env = env;
        this.paths = ShellPaths.from(env.env());
    }

    /**
     * Netty 4.2 defines Java Flight Recorder event classes for its buffer allocator on first use
     * (about 90 ms of a one-shot {@code -c} run, measured with -Xlog:class+load); nobody records a
     * flight of a shell command, so they are off unless the person asks with -Dio.netty.jfr.enabled=true.
     */
    static final String NETTY_JFR_PROPERTY = "io.netty.jfr.enabled";

    public static void main(String[] args) {
        if (System.getProperty(NETTY_JFR_PROPERTY) == null) {
            System.setProperty(NETTY_JFR_PROPERTY, "false");
        }
        int code = run(args, ShellEnvironment.system());
        System.out.flush();
        // No graceful Netty shutdown: the links are closed, and exit ends the event loops at once.
        System.exit(code);
    }

    /** Runs the shell with {@code env}; returns the exit code (for tests and {@link #main}). */
    public static int run(String[] args, ShellEnvironment env) {
        try {
            return new ScrambleShell(env).start(ShellOptions.parse(args));
        } catch (ShellFailure f) {
            env.err().println("scramble-shell: " + f.getMessage());
            return f.exitCode();
        } catch (RuntimeException e) {
            env.err().println("scramble-shell: internal error: " + e);
            return ExitCodes.FAILED;
        } finally {
            env.err().flush();
        }
    }

    int start(ShellOptions o) throws ShellFailure {
        if (o.help) {
            env.out().print(ShellOptions.USAGE);
            return ExitCodes.OK;
        }
        if (o.version) {
            env.out().println("scramble-shell " + VERSION);
            return ExitCodes.OK;
        }
        if (!o.words.isEmpty() && o.words.get(0).equals("id")) {
            if (o.demo) {
                throw ShellFailure.usage("--demo makes a throwaway identity; id commands manage your real one");
            }
            if (o.sessionFile != null) {
                throw ShellFailure.usage("--session is for agent commands; id commands use the key file");
            }
            return new IdentityCommands(identityStore(o), scriptPassphrases(o), env.out(), env.err(), clock)
                    .run(o.words.subList(1, o.words.size()), env.in());
        }
        if (o.demo && o.sessionFile != null) {
            throw ShellFailure.usage("--demo makes a throwaway identity; it cannot use --session");
        }
        if (!o.words.isEmpty() && o.words.get(0).equals("dashboard")) {
            try (ShellSession session = o.demo ? DemoMode.start(env.err(), clock) : openForScript(o)) {
                return org.multiverse.scramble.shell.dashboard.Dashboard.run(
                        session,
                        o.timeout != null ? o.timeout : CommandExecutor.DEFAULT_TIMEOUT,
                        env.colour(),
                        env.err());
            }
        }
        List<ScriptLine> lines = scriptLines(o);
        CommandRegistry registry = CommandRegistry.standard();
        Duration timeout = o.timeout != null ? o.timeout : CommandExecutor.DEFAULT_TIMEOUT;
        if (o.dryRun) {
            if (lines == null) {
                throw ShellFailure.usage("--dry-run checks a script: give -c, -f, a command or commands on stdin");
            }
            OutputWriter output = new OutputWriter(env.out(), env.err(), o.json, Style.plain());
            return new ScriptRunner(new LineParser(registry), env.env()::get, output, o.keepGoing).dryRun(lines);
        }
        if (lines == null) {
            return interactive(o, registry, timeout);
        }
        try (ShellSession session = o.demo ? DemoMode.start(env.err(), clock) : openForScript(o)) {
            CommandExecutor executor = new CommandExecutor(session.connections(), session.context(), timeout, true);
            OutputWriter output = new OutputWriter(env.out(), env.err(), o.json, new Style(env.colour()));
            return new ScriptRunner(new LineParser(registry), env.env()::get, output, o.keepGoing)
                    .run(lines, p -> executor.execute(p, f -> {}));
        }
    }

    private int interactive(ShellOptions o, CommandRegistry registry, Duration timeout) throws ShellFailure {
        if (o.json) {
            throw ShellFailure.usage("--json is for scripts: give -c, -f or a command");
        }
        Terminal terminal;
        try {
            terminal = TerminalBuilder.builder()
                    .name("scramble-shell")
                    .system(true)
                    .build();
        } catch (IOException e) {
            throw ShellFailure.failed("cannot open the terminal: " + e.getMessage());
        }
        try (terminal) {
            PassphraseSource passphrases =
                    o.passphraseFile != null ? new PassphraseFile(o.passphraseFile) : new TerminalPassphrase(terminal);
            InteractiveShell.SessionFactory factory;
            if (o.demo) {
                factory = confirm -> DemoMode.start(env.err(), clock);
            } else {
                SessionOpener opener = opener(o);
                Path sessionFile = sessionFile(o);
                factory = sessionFile != null
                        ? confirm -> opener.openHandedOver(sessionFile, passphrases, confirm)
                        : confirm -> opener.open(passphrases, confirm);
            }
            return new InteractiveShell(
                            terminal,
                            registry,
                            factory,
                            o.noHistory ? null : paths.history(),
                            timeout,
                            env.colour(),
                            env.env()::get)
                    .run();
        } catch (IOException e) {
            throw ShellFailure.failed("terminal: " + e.getMessage());
        }
    }

    private ShellSession openForScript(ShellOptions o) throws ShellFailure {
        Path sessionFile = sessionFile(o);
        return sessionFile != null
                ? opener(o).openHandedOver(sessionFile, scriptPassphrases(o), null)
                : opener(o).open(scriptPassphrases(o), null);
    }

    /** {@code --session}, else {@code $SCRAMBLE_SESSION} when set and not empty, else null (unlock the key file). */
    private Path sessionFile(ShellOptions o) {
        if (o.sessionFile != null) {
            return o.sessionFile;
        }
        String fromEnv = env.env().get(SESSION_ENV);
        return fromEnv == null || fromEnv.isEmpty() ? null : Path.of(fromEnv);
    }

    private SessionOpener opener(ShellOptions o) throws ShellFailure {
        return new SessionOpener(identityStore(o), agentConfig(o), paths.knownAgents(), clock, env.err());
    }

    private List<ScriptLine> scriptLines(ShellOptions o) throws ShellFailure {
        if (o.commandText != null) {
            return ScriptSource.fromCommandText(o.commandText);
        }
        if (o.script != null) {
            return ScriptSource.fromFile(o.script);
        }
        if (o.isCommandWords()) {
            List<String> quoted = new ArrayList<>();
            for (String w : o.words) {
                // The words were split by the calling shell already: quote each so none is split again.
                quoted.add("'" + w.replace("'", "'\\''") + "'");
            }
            return List.of(new ScriptLine("args", 1, String.join(" ", quoted)));
        }
        if (!env.interactive()) {
            return ScriptSource.fromStream("stdin", env.in());
        }
        return null;
    }

    private IdentityStore identityStore(ShellOptions o) {
        return new IdentityStore(o.keyFile != null ? o.keyFile : paths.keyFile());
    }

    private PassphraseSource scriptPassphrases(ShellOptions o) {
        return o.passphraseFile != null ? new PassphraseFile(o.passphraseFile) : ConsolePassphrase.orExplain();
    }

    AgentConfig agentConfig(ShellOptions o) throws ShellFailure {
        AgentConfig config = new AgentConfig();
        for (String a : o.agents) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw ShellFailure.usage("--agent takes NAME=URI, e.g. host=unix:/run/multiverse/host.sock");
            }
            String name = a.substring(0, eq);
            AgentRole role = AgentRole.parseAgent(name)
                    .orElseThrow(() -> ShellFailure.usage("--agent: unknown agent '" + ShellOptions.printable(name)
                            + "'; expected host, router or rtos"));
            try {
                config.put(role, TransportUri.parse(a.substring(eq + 1)), true);
            } catch (IllegalArgumentException e) {
                throw ShellFailure.usage("--agent " + name + ": " + e.getMessage());
            }
        }
        for (String t : o.trust) {
            try {
                config.trust(ScrambleId.parse(t));
            } catch (InvalidScrambleIdException e) {
                throw ShellFailure.usage("--trust: " + e.getMessage());
            }
        }
        ShellToml.readInto(paths.shellToml(), config);
        if (config.uri(AgentRole.HOST).isEmpty() && java.nio.file.Files.exists(USER_CONTROLLER_PORT)) {
            // Inside the User Controller the host agent's port is there: no configuration needed.
            config.put(AgentRole.HOST, TransportUri.parse("virtio:" + USER_CONTROLLER_PORT), false);
        }
        return config;
    }

    /** The User Controller's virtio-serial port to the host agent, as udev names it in the guest. */
    static final java.nio.file.Path USER_CONTROLLER_PORT =
            java.nio.file.Path.of("/dev/virtio-ports/org.multiverse.host.0");
}
