package org.multiverse.scramble.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiverse.scramble.protocol.agent.AgentBuilder;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.agent.PolicyHolder;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.policy.Policy;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.shell.identity.KeyFileParams;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * The shell as a person uses it, in process: an XDG home in a temporary directory, a key file
 * (cheap Argon2 through {@link KeyFileParams#TESTING_PROPERTY}), and a real agent core with the
 * {@link TinyHostModule} on a {@code sim:} link, with its own audit log.
 */
public final class ShellHarness implements AutoCloseable {

    public static final String POLICY = """
            agent.*        @any allow rate=100/s burst=100
            audit.*        @any allow
            portal.stop    @any deny
            portal.*       @scope:all allow rate=100/s burst=100
            """;
    private static final AtomicInteger NAMES = new AtomicInteger();

    static {
        System.setProperty(KeyFileParams.TESTING_PROPERTY, "m=64,t=1");
    }

    public final Path home;
    public final Path passphraseFile;
    public Path agentState;
    public String agentUri;
    public ScrambleId root;
    private AgentCore core;
    private Listener listener;
    private final List<AutoCloseable> more = new ArrayList<>();

    public ShellHarness(Path tmp) throws IOException {
        this.home = tmp.resolve("home");
        Files.createDirectories(home);
        this.passphraseFile = home.resolve("pass");
        Files.writeString(passphraseFile, "correct horse battery staple\n");
        Files.setPosixFilePermissions(passphraseFile, PosixFilePermissions.fromString("rw-------"));
    }

    /** Creates the person's identity; returns its ID. */
    public ScrambleId initIdentity() throws Exception {
        Run r = run("--passphrase-file", passphraseFile.toString(), "id", "init");
        assertEquals(0, r.exit(), r.err());
        root = ScrambleId.parse(run("id", "export").out().strip());
        return root;
    }

    /** Starts an agent that authorises the person, on a fresh sim: name. */
    public ShellHarness startAgent(String policy) throws Exception {
        return startAgent(policy, "sim:shell-test-" + NAMES.incrementAndGet());
    }

    public ShellHarness startAgent(String policy, String uri) throws Exception {
        agentState = home.resolve("agent-" + NAMES.incrementAndGet());
        AgentState.init(agentState).close();
        AgentState.roots(agentState).authorize(root, Scope.ALL);
        core = new AgentBuilder("tiny-host", agentState)
                .policy(PolicyHolder.fixed(Policy.parse("test", policy)))
                .build();
        more.add(new TinyHostModule().installDemo(core, agentState));
        agentUri = uri;
        listener = Transports.listen(TransportUri.parse(uri), core::attach);
        return this;
    }

    /** Stops the agent and starts another identity on the same link: a changed key. */
    public void replaceAgentIdentity(String policy) throws Exception {
        listener.close();
        core.close();
        String uri = agentUri;
        startAgent(policy, uri);
    }

    /** Stops the agent cleanly (its state directory stays), e.g. to change its files. */
    public void stopAgent() throws Exception {
        listener.close();
        core.close();
    }

    /** Starts the agent again on the same state directory and link. */
    public void restartAgent(String policy) throws Exception {
        core = new AgentBuilder("tiny-host", agentState)
                .policy(PolicyHolder.fixed(Policy.parse("test", policy)))
                .build();
        more.add(new TinyHostModule().installDemo(core, agentState));
        listener = Transports.listen(TransportUri.parse(agentUri), core::attach);
    }

    public ScrambleId agentId() {
        return core.id();
    }

    public long auditLines() throws IOException {
        return AuditLog.tail(AgentState.auditDir(agentState), 100_000).size();
    }

    /** The common options: the agent, the passphrase file. */
    public List<String> connect(String... more) {
        List<String> a =
                new ArrayList<>(List.of("--agent", "host=" + agentUri, "--passphrase-file", passphraseFile.toString()));
        a.addAll(List.of(more));
        return a;
    }

    public Run run(String... args) {
        return run(Map.of(), "", args);
    }

    public Run run(List<String> args) {
        return run(Map.of(), "", args.toArray(String[]::new));
    }

    public Run run(Map<String, String> extraEnv, String stdin, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_STATE_HOME", home.resolve("state").toString());
        env.putAll(extraEnv);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ScrambleShell.run(
                args,
                new ShellEnvironment(
                        env,
                        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public Path knownAgents() {
        return home.resolve("config/scramble/known_agents");
    }

    /** The outcome of one shell run. */
    public record Run(int exit, String out, String err) {}

    @Override
    public void close() throws Exception {
        if (listener != null) {
            listener.close();
        }
        if (core != null) {
            core.close();
        }
        for (AutoCloseable c : more) {
            c.close();
        }
    }
}
