package org.multiverse.scramble.protocol.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.multiverse.scramble.protocol.agent.AgentBuilder;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.agent.PolicyHolder;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.agent.policy.Policy;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.SessionClient;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * A real agent core on a real transport, with a person's identity and session, for the tests of
 * every agent: a state directory with the person's root authorised, a core with a fixed policy
 * and the agent's handlers (installed by the test), a listener, and a signing, sealing
 * {@link SessionClient} whose events land in {@link #events()}. Every command goes through the
 * whole pipeline (sign, verify, policy, rate limit, audit, handler, seal).
 *
 * <pre>{@code
 * try (AgentTestKit kit = AgentTestKit.builder("controller-agent", dir).policy(POLICY)
 *         .install(core -> module.installDemo(core, dir)).start()) {
 *     Result r = kit.ok(command);
 * }
 * }</pre>
 */
public final class AgentTestKit implements AutoCloseable {

    /** Default reply deadline: the pipeline answers in milliseconds; generous for two shared cores. */
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #nextEvent()} and {@link #awaitAudit} wait before failing the test. */
    public static final Duration WAIT_TIMEOUT = Duration.ofSeconds(10);
    /** Extra time for the future beyond the command's own deadline, so the outcome, not a timeout, is seen. */
    private static final long FUTURE_SLACK_SECONDS = 5;
    /** Poll interval for audit entries written asynchronously (unattributable refusals skip the fsync). */
    private static final long AUDIT_POLL_MILLIS = 10;

    private static final AtomicInteger NAMES = new AtomicInteger();

    /** Installs an agent's handlers on a freshly built core; returns what closes them (after the core). */
    @FunctionalInterface
    public interface Installer {
        AutoCloseable install(AgentCore core) throws Exception;
    }

    private final Builder settings;
    private final Identity root = Identity.generate(new SecureRandom());
    private final SessionKeys session;
    private final LinkedBlockingQueue<EventBody> events = new LinkedBlockingQueue<>();
    private AgentCore core;
    private AutoCloseable installed;
    private Listener listener;
    private SessionClient client;

    private AgentTestKit(Builder settings) throws Exception {
        this.settings = settings;
        if (!Files.exists(AgentState.auditDir(settings.stateDir))) {
            AgentState.init(settings.stateDir).close(); // else: a second kit on the same dir is the agent restarting
        }
        AgentState.roots(settings.stateDir).authorize(root.id(), Scope.ALL);
        session = SessionKeys.create(
                root, settings.sessionScope, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
        try {
            open();
        } catch (Exception e) {
            session.close();
            root.close();
            throw e;
        }
    }

    /** A kit for an agent named {@code agentName} keeping its state in {@code stateDir}. */
    public static Builder builder(String agentName, Path stateDir) {
        return new Builder(agentName, stateDir);
    }

    private void open() throws Exception {
        AgentBuilder b = new AgentBuilder(settings.agentName, settings.stateDir)
                .policy(PolicyHolder.fixed(Policy.parse("test.policy", settings.policy)));
        if (settings.log != null) {
            b.log(settings.log);
        }
        if (settings.maxSessionLifetime != null) {
            b.maxSessionLifetime(settings.maxSessionLifetime);
        }
        core = b.build();
        installed = settings.installer.install(core);
        TransportUri uri = TransportUri.parse(settings.listenUri);
        listener = Transports.listen(uri, core::attach);
        AtomicReference<SessionClient> self = new AtomicReference<>();
        AgentClient link = AgentClient.start(
                () -> Transports.connect(uri),
                frame -> {
                    SessionClient c = self.get();
                    if (c != null) { // an event can race the constructor below
                        c.deliverEvent(frame);
                    }
                },
                ClientSettings.DEFAULTS);
        client = new SessionClient(session, link, Clock.systemUTC());
        client.onEvent(events::add);
        self.set(client);
    }

    /** Sends a signed command to the agent and waits for its outcome (default deadline). */
    public CommandOutcome send(Command command) throws Exception {
        return send(command, settings.replyTimeout);
    }

    /** Sends a signed command with the given deadline and waits for its outcome. */
    public CommandOutcome send(Command command, Duration timeout) throws Exception {
        return client.send(command, core.id(), "", timeout)
                .get(timeout.toSeconds() + FUTURE_SLACK_SECONDS, TimeUnit.SECONDS);
    }

    /** Sends and asserts success; returns the result. */
    public Result ok(Command command) throws Exception {
        return ok(command, settings.replyTimeout);
    }

    /** Sends with the given deadline and asserts success; returns the result. */
    public Result ok(Command command, Duration timeout) throws Exception {
        CommandOutcome o = send(command, timeout);
        return assertInstanceOf(CommandOutcome.Ok.class, o, () -> "expected success for " + command + ", got " + o)
                .result();
    }

    /** Sends and asserts a sealed error; returns it. */
    public Error failed(Command command) throws Exception {
        CommandOutcome o = send(command);
        return assertInstanceOf(
                        CommandOutcome.Failed.class, o, () -> "expected a sealed error for " + command + ", got " + o)
                .error();
    }

    /** Sends and asserts a sealed error with the given code; returns it (its message is for the person). */
    public Error fails(ErrorCode code, Command command) throws Exception {
        Error e = failed(command);
        assertEquals(code, e.getCode(), () -> "for " + command.toString().trim() + ": " + e.getMessage());
        return e;
    }

    /** The next event the session received, or an assertion error after {@link #WAIT_TIMEOUT}. */
    public EventBody nextEvent() throws InterruptedException {
        EventBody e = events.poll(WAIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + WAIT_TIMEOUT.toSeconds() + " s");
        }
        return e;
    }

    /** The last {@code n} audit records, oldest first. */
    public List<AuditRecord> audit(int n) throws IOException {
        return AuditLog.tail(AgentState.auditDir(settings.stateDir), n);
    }

    /** The newest audit record. */
    public AuditRecord lastAudit() throws IOException {
        List<AuditRecord> t = audit(1);
        if (t.isEmpty()) {
            throw new AssertionError("the audit log is empty");
        }
        return t.get(t.size() - 1);
    }

    /**
     * Waits until the newest audit record matches, for records written without waiting for the
     * disk; fails after {@link #WAIT_TIMEOUT}.
     */
    public AuditRecord awaitAudit(Predicate<AuditRecord> wanted, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<AuditRecord> t = audit(1);
            if (!t.isEmpty() && wanted.test(t.get(0))) {
                return t.get(0);
            }
            Thread.sleep(AUDIT_POLL_MILLIS);
        }
        throw new AssertionError("no " + what + " was audited within " + WAIT_TIMEOUT.toSeconds() + " s");
    }

    /**
     * Simulates {@code kill -9}: drops the client, listener, core and handlers without a graceful
     * drain; keeps the state directory, the root and the session for {@link #restart()}.
     */
    public void crash() throws Exception {
        closeAgent();
    }

    /** Builds a new core on the same state directory, installs the handlers again and reconnects. */
    public void restart() throws Exception {
        open();
    }

    /** The agent's state directory. */
    public Path stateDir() {
        return settings.stateDir;
    }

    /** The person's root identity (authorised with scope {@code all}). */
    public Identity root() {
        return root;
    }

    /** The person's session, with the scope the builder was given. */
    public SessionKeys session() {
        return session;
    }

    /** The running core (a new one after {@link #restart()}). */
    public AgentCore core() {
        return core;
    }

    /** What the installer returned for the running core. */
    public AutoCloseable installed() {
        return installed;
    }

    /** The signing, sealing client of the person's session. */
    public SessionClient client() {
        return client;
    }

    /** The transport address the agent listens on. */
    public String listenUri() {
        return settings.listenUri;
    }

    /** Every event the session received and no test has taken yet. */
    public BlockingQueue<EventBody> events() {
        return events;
    }

    private void closeAgent() throws Exception {
        client.close();
        listener.close();
        core.close();
        installed.close();
    }

    @Override
    public void close() throws Exception {
        try {
            closeAgent();
        } finally {
            session.close();
            root.close();
        }
    }

    /** What the kit starts: the agent's name and state directory, policy, handlers, transport. */
    public static final class Builder {
        private final String agentName;
        private final Path stateDir;
        private String policy = "agent.* @any allow rate=100/s burst=100\n";
        private Scope sessionScope = Scope.ALL;
        private Installer installer = core -> () -> {};
        private Consumer<String> log;
        private Duration replyTimeout = DEFAULT_REPLY_TIMEOUT;
        private String listenUri;
        private Duration maxSessionLifetime;

        private Builder(String agentName, Path stateDir) {
            this.agentName = Objects.requireNonNull(agentName);
            this.stateDir = Objects.requireNonNull(stateDir);
            this.listenUri = "sim:" + agentName + "-" + NAMES.incrementAndGet();
        }

        /** The policy text (policy-file syntax); by default only {@code agent.*} is allowed. */
        public Builder policy(String text) {
            this.policy = Objects.requireNonNull(text);
            return this;
        }

        /** The session's scope (the root itself is always authorised with scope {@code all}). */
        public Builder sessionScope(Scope scope) {
            this.sessionScope = Objects.requireNonNull(scope);
            return this;
        }

        /** Installs the agent's handlers on each core the kit builds (again after a restart). */
        public Builder install(Installer i) {
            this.installer = Objects.requireNonNull(i);
            return this;
        }

        /** Where the core's log lines go (default: the core's own default). */
        public Builder log(Consumer<String> l) {
            this.log = Objects.requireNonNull(l);
            return this;
        }

        /** The deadline of {@link #send(Command)}, {@link #ok(Command)} and {@link #failed(Command)}. */
        public Builder replyTimeout(Duration t) {
            this.replyTimeout = Objects.requireNonNull(t);
            return this;
        }

        /** Where the agent listens (default: a fresh {@code sim:} channel). */
        public Builder listenUri(String uri) {
            this.listenUri = Objects.requireNonNull(uri);
            return this;
        }

        /** The agent's longest accepted session (default: the agent's default, 7 days). */
        public Builder maxSessionLifetime(Duration d) {
            this.maxSessionLifetime = Objects.requireNonNull(d);
            return this;
        }

        /** Prepares the state directory and starts the agent and the person's session. */
        public AgentTestKit start() throws Exception {
            return new AgentTestKit(this);
        }
    }
}
