package org.multiverse.scramble.shell;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code scramble-shell}, parsed by hand (no reflection at start-up, which
 * matters for a command that may run in a loop). Options come before the first word that is
 * not an option; that word and the rest are a command ({@code id init}, {@code dashboard},
 * or an agent command such as {@code portal list}).
 */
public final class ShellOptions {

    /** Largest {@code --timeout}: an hour; longer is a mistake, not a slow agent. */
    static final long MAX_TIMEOUT_SECONDS = 3600;

    Path keyFile;
    Path passphraseFile;
    Path sessionFile;
    Path script;
    String commandText;
    final List<String> agents = new ArrayList<>();
    final List<String> trust = new ArrayList<>();
    boolean keepGoing;
    boolean json;
    boolean dryRun;
    boolean noHistory;
    boolean demo;
    boolean help;
    boolean version;
    Duration timeout;
    final List<String> words = new ArrayList<>();

    static final String USAGE = """
            usage: scramble-shell [OPTIONS]                    interactive shell
                   scramble-shell [OPTIONS] -c "CMD; CMD"       run commands
                   scramble-shell [OPTIONS] -f FILE             run a script (also: commands on stdin)
                   scramble-shell [OPTIONS] COMMAND...          run one command (e.g. portal list)
                   scramble-shell id init|show|export|recover   your Scramble ID
                   scramble-shell id session-export FILE        hand a session to scripts
                   scramble-shell --demo [-c ...|-f ...]        the whole product in one process

            options:
              --agent NAME=URI        an agent: host, router or rtos; URI unix:/PATH, tcp:HOST:PORT,
                                      virtio:/dev/virtio-ports/NAME, chardev:/PATH (repeatable)
              --trust ID              pin this agent ID at first contact without asking (repeatable)
              --keyfile PATH          the key file (default $XDG_CONFIG_HOME/scramble/identity.key)
              --passphrase-file FILE  read the passphrase from FILE (mode 0600) instead of asking
              --session FILE          use the session in FILE (from id session-export; also
                                      $SCRAMBLE_SESSION): no passphrase, no key file
              --keep-going            do not stop at the first failing command
              --json                  one JSON object per command on stdout
              --dry-run               parse and check every command, send nothing
              --timeout SECONDS       how long an agent has to answer (default 30)
              --no-history            interactive: do not read or write the history file
              --demo                  throwaway DEMO identity and in-process agents on sim: links
              -h, --help              this text
              --version               the shell's version

            exit codes: 0 ok, 1 a command failed, 2 usage or parse error,
                        3 refused (authentication, policy, rate limit, agent key), 4 connection or timeout
            """;

    /** Parses {@code args}; a usage error names the offending argument. */
    static ShellOptions parse(String[] args) throws ShellFailure {
        ShellOptions o = new ShellOptions();
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            String value = null;
            int eq = a.indexOf('=');
            String name = a;
            if (a.startsWith("--") && eq > 2) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "--keyfile" -> o.keyFile = Path.of(value != null ? value : next(args, ++i, name));
                case "--passphrase-file" -> o.passphraseFile = Path.of(value != null ? value : next(args, ++i, name));
                case "--session" -> o.sessionFile = Path.of(value != null ? value : next(args, ++i, name));
                case "-f", "--file" -> o.script = Path.of(value != null ? value : next(args, ++i, name));
                case "-c", "--command" -> o.commandText = value != null ? value : next(args, ++i, name);
                case "--agent" -> o.agents.add(value != null ? value : next(args, ++i, name));
                case "--trust" -> o.trust.add(value != null ? value : next(args, ++i, name));
                case "--timeout" -> o.timeout = seconds(value != null ? value : next(args, ++i, name));
                case "--keep-going" -> o.keepGoing = flag(name, value);
                case "--json" -> o.json = flag(name, value);
                case "--dry-run" -> o.dryRun = flag(name, value);
                case "--no-history" -> o.noHistory = flag(name, value);
                case "--demo" -> o.demo = flag(name, value);
                case "-h", "--help" -> o.help = flag(name, value);
                case "--version" -> o.version = flag(name, value);
                case "--" -> {
                    i++;
                    collect(o, args, i);
                    return o.check();
                }
                default -> throw ShellFailure.usage("unknown option " + printable(a) + " (--help lists them)");
            }
        }
        collect(o, args, i);
        return o.check();
    }

    private static void collect(ShellOptions o, String[] args, int from) {
        for (int k = from; k < args.length; k++) {
            o.words.add(args[k]);
        }
    }

    private ShellOptions check() throws ShellFailure {
        int sources = (script != null ? 1 : 0) + (commandText != null ? 1 : 0) + (isCommandWords() ? 1 : 0);
        if (sources > 1) {
            throw ShellFailure.usage("give at most one of -c, -f and a command");
        }
        return this;
    }

    /** Whether the words are an agent command (not {@code id} or {@code dashboard}). */
    boolean isCommandWords() {
        return !words.isEmpty() && !words.get(0).equals("id") && !words.get(0).equals("dashboard");
    }

    private static String next(String[] args, int i, String name) throws ShellFailure {
        if (i >= args.length) {
            throw ShellFailure.usage(name + " needs a value");
        }
        return args[i];
    }

    private static boolean flag(String name, String value) throws ShellFailure {
        if (value != null) {
            throw ShellFailure.usage(name + " takes no value");
        }
        return true;
    }

    private static Duration seconds(String v) throws ShellFailure {
        if (!v.matches("\\d{1,5}") || Long.parseLong(v) < 1 || Long.parseLong(v) > MAX_TIMEOUT_SECONDS) {
            throw ShellFailure.usage(
                    "--timeout takes whole seconds from 1 to " + MAX_TIMEOUT_SECONDS + ", not '" + printable(v) + "'");
        }
        return Duration.ofSeconds(Long.parseLong(v));
    }

    static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 60 ? p.substring(0, 60) + "…" : p;
    }
}
