package org.multiverse.scramble.protocol.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.multiverse.scramble.protocol.agent.audit.AnchorCheck;
import org.multiverse.scramble.protocol.agent.audit.AnchoredVerification;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.agent.audit.AuditVerification;
import org.multiverse.scramble.protocol.agent.policy.PolicyException;
import org.multiverse.scramble.protocol.text.EscapeStripper;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.suite.cert.CertificateVerifier;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line every agent process shares:
 * <pre>
 *   AGENT init      --state-dir DIR
 *   AGENT authorize --state-dir DIR SCRAMBLE-ID [--scope all|read-only]
 *   AGENT revoke    --state-dir DIR SCRAMBLE-ID
 *   AGENT run       --state-dir DIR --listen URI [--listen URI ...] [--policy FILE] [--route NAME=URI ...]
 *                   [--max-session-lifetime 7d]
 *   AGENT audit tail   --state-dir DIR [--json] [-n N]
 *   AGENT audit verify --state-dir DIR [--agent-id ID]
 * </pre>
 * An agent supplies an {@link AgentModule}: its name, its own {@code run} options and its handlers.
 */
public final class AgentCommandLine {

    private AgentCommandLine() {}

    /** Runs the command line; returns the process exit code. */
    public static int run(AgentModule module, String[] args) {
        // Agents' own java.util.logging lines get the same one-line, greppable form as the core's.
        System.setProperty(
                "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ " + module.name() + " %4$s %5$s%6$s%n");
        StrippingLogFormatter.install();
        CommandLine cl = new CommandLine(new Root(module.name()));
        cl.setCommandName(module.name());
        cl.addSubcommand("init", new Init());
        cl.addSubcommand("authorize", new Authorize());
        cl.addSubcommand("revoke", new Revoke());
        CommandLine run = new CommandLine(new Run(module));
        if (module.runOptions() != null) {
            run.addMixin("agent", module.runOptions());
        }
        cl.addSubcommand("run", run);
        CommandLine audit = new CommandLine(new AuditCmd());
        audit.addSubcommand("tail", new AuditTail());
        audit.addSubcommand("verify", new AuditVerify());
        cl.addSubcommand("audit", audit);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // A message can quote a file (policy, definition) or a peer: no escapes reach the terminal.
            commandLine.getErr().println(module.name() + ": " + EscapeStripper.strip(e.getMessage()));
            return 1;
        });
        return cl.execute(args);
    }

    /** One log line on stderr: time, program, level, text (greppable, journald-friendly). */
    static void log(String program, String level, String text) {
        // Refusal reasons can quote what a sender sent: no terminal escapes reach a log reader.
        System.err.println(Instant.now() + " " + program + " " + level + " " + EscapeStripper.strip(text));
    }

    @Command(
            mixinStandardHelpOptions = true,
            description = "A Multiverse agent: serves signed commands, answers sealed.")
    static final class Root implements Callable<Integer> {
        final String name;

        Root(String name) {
            this.name = name;
        }

        @Override
        public Integer call() {
            System.err.println("usage: " + name + " init|authorize|revoke|run|audit ... (--help for details)");
            return 2;
        }
    }

    static class StateDirOption {
        @Option(names = "--state-dir", required = true, description = "the agent's state directory")
        Path stateDir;
    }

    @Command(name = "init", description = "Create the agent's identity in the state directory and print its ID.")
    static final class Init extends StateDirOption implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            try (Identity id = AgentState.init(stateDir)) {
                System.out.println(id.id().text());
            }
            return 0;
        }
    }

    @Command(name = "authorize", description = "Authorise a root Scramble ID to send commands to this agent.")
    static final class Authorize extends StateDirOption implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SCRAMBLE-ID")
        String id;

        @Option(names = "--scope", defaultValue = "all", description = "all or read-only (default: ${DEFAULT-VALUE})")
        String scope;

        @Override
        public Integer call() throws IOException {
            ScrambleId root = parseId(spec, id);
            Scope s = Scope.parse(scope);
            AgentState.roots(stateDir).authorize(root, s);
            System.out.println("authorised " + root.text() + " (" + s.text() + ")");
            return 0;
        }
    }

    @Command(name = "revoke", description = "Remove a root Scramble ID from the authorised list.")
    static final class Revoke extends StateDirOption implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SCRAMBLE-ID")
        String id;

        @Override
        public Integer call() throws IOException {
            ScrambleId root = parseId(spec, id);
            if (!AgentState.roots(stateDir).remove(root)) {
                System.err.println(root.text() + " was not authorised");
                return 1;
            }
            System.out.println("revoked " + root.text());
            return 0;
        }
    }

    /**
     * The ID a person typed, or a usage error naming what is wrong with it ({@code bad Scramble
     * ID: checksum mismatch}), shown with the command's usage and exit code 2.
     */
    static ScrambleId parseId(CommandLine.Model.CommandSpec spec, String text) {
        try {
            return ScrambleId.parse(text);
        } catch (InvalidScrambleIdException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bad Scramble ID: " + e.getMessage());
        }
    }

    @Command(name = "run", description = "Serve until SIGTERM, then drain in-flight commands and exit 0.")
    static final class Run extends StateDirOption implements Callable<Integer> {
        final AgentModule module;

        @Option(
                names = "--listen",
                required = true,
                paramLabel = "URI",
                description = "unix:PATH, tcp:HOST:PORT, chardev:PATH (QEMU virtio-serial socket), virtio:DEVICE")
        List<String> listen = new ArrayList<>();

        @Option(names = "--policy", paramLabel = "FILE", description = "policy file (default: deny everything)")
        Path policy;

        @Option(names = "--route", paramLabel = "NAME=URI", description = "relay envelopes routed to NAME over URI")
        Map<String, String> routes = new LinkedHashMap<>();

        @Option(
                names = "--max-session-lifetime",
                paramLabel = "DURATION",
                defaultValue = "7d",
                converter = LifetimeConverter.class,
                description =
                        "refuse session certificates valid for longer: 1m to 7d, e.g. 12h (default: ${DEFAULT-VALUE})")
        Duration maxSessionLifetime;

        Run(AgentModule module) {
            this.module = module;
        }

        @Override
        public Integer call() throws Exception {
            String name = module.name();
            AgentBuilder builder = new AgentBuilder(name, stateDir)
                    .log(line -> log(name, "INFO", line))
                    .maxSessionLifetime(maxSessionLifetime);
            if (policy != null) {
                try {
                    builder.policy(PolicyHolder.load(policy));
                } catch (PolicyException e) {
                    log(name, "ERROR", "policy refused: " + e.getMessage());
                    return 1;
                }
            } else {
                log(name, "WARN", "no --policy given: every command is denied");
            }
            List<TransportUri> uris = new ArrayList<>();
            for (String l : listen) {
                uris.add(TransportUri.parse(l));
            }
            for (Map.Entry<String, String> r : routes.entrySet()) {
                builder.route(r.getKey(), TransportUri.parse(r.getValue()));
            }
            AgentCore core = builder.build();
            AutoCloseable installed = module.install(core, stateDir);
            // Before the first link is served: a SIGTERM that arrives as soon as a client got its
            // first answer must drain and close the audit log, not kill the JVM mid-write.
            CountDownLatch stop = new CountDownLatch(1);
            Signals.onTerminate(stop::countDown);
            Signals.onHangup(core::reloadPolicy);
            List<Listener> listeners = new ArrayList<>();
            for (TransportUri uri : uris) {
                listeners.add(Transports.listen(uri, core::attach));
                log(name, "INFO", "listening on " + uri);
            }
            log(name, "INFO", "serving as " + core.id().text());
            stop.await();
            log(name, "INFO", "stopping: draining in-flight commands");
            for (Listener l : listeners) {
                l.close();
            }
            core.close();
            installed.close();
            Transports.shutdown();
            log(name, "INFO", "stopped");
            return 0;
        }
    }

    /** {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d}: a session lifetime as a person types it. */
    static final class LifetimeConverter implements CommandLine.ITypeConverter<Duration> {
        private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile("([0-9]{1,6})([smhd])");

        @Override
        public Duration convert(String text) {
            java.util.regex.Matcher m = FORM.matcher(text);
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException(
                        "'" + EscapeStripper.strip(text) + "' is not a duration such as 90s, 30m, 12h or 7d");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            try {
                return CertificateVerifier.checkMaxLifetime(d);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Command(name = "audit", description = "Read the audit log of a state directory.")
    static final class AuditCmd implements Callable<Integer> {
        @Override
        public Integer call() {
            System.err.println("usage: audit tail|verify --state-dir DIR");
            return 2;
        }
    }

    @Command(name = "tail", description = "Print the last audit entries.")
    static final class AuditTail extends StateDirOption implements Callable<Integer> {
        @Option(names = "-n", defaultValue = "20", description = "number of entries (default: ${DEFAULT-VALUE})")
        int n;

        @Option(names = "--json", description = "one JSON object per line")
        boolean json;

        @Override
        public Integer call() throws IOException {
            if (n < 1 || n > 100_000) {
                System.err.println("-n must be between 1 and 100000");
                return 2;
            }
            PrintWriter out = new PrintWriter(System.out, true);
            for (AuditRecord r : AuditLog.tail(AgentState.auditDir(stateDir), n)) {
                out.println(json ? AuditFormat.json(r) : AuditFormat.line(r));
            }
            return 0;
        }
    }

    @Command(
            name = "verify",
            description = "Check the audit log's hash chain and the agent's signed checkpoints; exit 1 naming "
                    + "the first broken entry and the checkpoint that shows it.")
    static final class AuditVerify extends StateDirOption implements Callable<Integer> {
        @Option(
                names = "--agent-id",
                description = "the agent's Scramble ID the checkpoints must be signed by (default: from agent.key "
                        + "in the state directory; give it to check a copied log against the ID you pinned)")
        String agentId;

        @Override
        public Integer call() throws IOException {
            ScrambleId agent;
            if (agentId != null) {
                try {
                    agent = ScrambleId.parse(agentId);
                } catch (InvalidScrambleIdException e) {
                    System.err.println("bad Scramble ID: " + e.getMessage());
                    return 2;
                }
            } else {
                try (Identity id = AgentState.loadIdentity(stateDir)) {
                    agent = id.id();
                }
            }
            AnchoredVerification anchored = AnchorCheck.verify(AgentState.auditDir(stateDir), agent, List.of());
            AuditVerification v = anchored.verdict();
            if (v.ok()) {
                System.out.println("audit log intact: " + v.entriesChecked() + " entries, "
                        + anchored.checkpointsChecked() + " signed checkpoints by " + agent.shortForm());
                return 0;
            }
            System.out.println("audit log BROKEN" + (v.firstBadIndex() > 0 ? " at entry " + v.firstBadIndex() : "")
                    + ": " + EscapeStripper.strip(v.problem()) + " (" + v.entriesChecked()
                    + " entries chain correctly, "
                    + anchored.checkpointsChecked() + " checkpoints are signed by " + agent.shortForm() + ")");
            return 1;
        }
    }
}
