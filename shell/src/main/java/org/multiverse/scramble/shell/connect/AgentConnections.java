package org.multiverse.scramble.shell.connect;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.session.AgentKeyException;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.SessionClient;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.shell.registry.SendStep;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.pin.PinnedKeyChangedException;

/**
 * The shell's links to its agents, opened on first use. Each agent is reached over its own
 * connection when one is configured, otherwise through the host agent's relay (route
 * {@code router} or {@code rtos}); either way its own pinned ID is the target, so the relay can
 * neither read nor forge. An agent that is not pinned yet goes through {@link FirstContact} and
 * {@link Enrolment} first. The session's signer of node commands ({@link NodeWriteSigner}) is
 * lent to the commands' send steps through {@link #outbox}.
 */
public final class AgentConnections implements AutoCloseable {

    /** How long first contact waits for the agent's answer. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final AgentConfig config;
    private final SessionKeys session;
    private final Enrolment enrolment;
    private final Clock clock;
    private final ClientSettings settings;
    private final Map<AgentRole, AgentLink> links = new EnumMap<>(AgentRole.class);
    private final Map<AgentRole, SessionClient> clients = new EnumMap<>(AgentRole.class);
    private final NodeWriteSigner nodeWrites;
    private volatile Consumer<EventBody> events = e -> {};
    private volatile AuditWitnesses witnesses;

    public AgentConnections(
            AgentConfig config, SessionKeys session, Enrolment enrolment, Clock clock, ClientSettings settings) {
        this.config = config;
        this.session = session;
        this.enrolment = enrolment;
        this.clock = clock;
        this.settings = settings;
        this.nodeWrites = new NodeWriteSigner(session, clock);
        this.witnesses = AuditWitnesses.inMemory(clock);
    }

    /** Where the audit heads of replies are kept and {@code audit verify} is judged (the file beside the pins). */
    public void useWitnesses(AuditWitnesses w) {
        this.witnesses = w;
    }

    /** Where opened events of subscriptions go. */
    public void onEvent(Consumer<EventBody> sink) {
        this.events = sink;
        synchronized (this) {
            clients.values().forEach(c -> c.onEvent(sink));
        }
    }

    /** The link to {@code role}, connecting and enrolling it first if needed. */
    public synchronized AgentLink link(AgentRole role) throws ShellFailure {
        AgentLink known = links.get(role);
        if (known != null) {
            return known;
        }
        Optional<TransportUri> direct = config.uri(role);
        SessionClient client;
        String route;
        String via;
        if (direct.isPresent()) {
            client = client(role, direct.get());
            route = "";
            via = direct.get().toString();
        } else if (role != AgentRole.HOST && config.uri(AgentRole.HOST).isPresent()) {
            client = client(AgentRole.HOST, config.uri(AgentRole.HOST).get());
            route = role.text();
            via = "via host";
        } else {
            throw ShellFailure.usage("no " + role.text() + " agent configured: give --agent " + role.text()
                    + "=URI (or --agent host=URI to reach it through the host's relay), or set [agents] in "
                    + "shell.toml");
        }
        ScrambleId target = pinnedOrEnrol(role, client, route);
        AgentLink link = new AgentLink(role, client, target, route, via);
        links.put(role, link);
        return link;
    }

    private ScrambleId pinnedOrEnrol(AgentRole role, SessionClient client, String route) throws ShellFailure {
        Optional<ScrambleId> pinned = enrolment.pins().lookup(role.text());
        if (pinned.isPresent()) {
            return pinned.get();
        }
        ScrambleId relay = route.isEmpty() ? null : link(AgentRole.HOST).target();
        ScrambleId presented = FirstContact.probe(client.link(), session, route, relay, PROBE_TIMEOUT, clock);
        enrolment.accept(role.text(), presented);
        return presented;
    }

    /** One session client per physical link (the host's link also carries relayed envelopes). */
    private SessionClient client(AgentRole first, TransportUri uri) throws ShellFailure {
        SessionClient existing = clients.get(first);
        if (existing != null) {
            return existing;
        }
        FrameChannel opened;
        try {
            opened = Transports.connect(uri);
        } catch (IOException | RuntimeException e) {
            throw new ShellFailure(
                    ExitCodes.CONNECTION,
                    "cannot reach the " + first.text() + " agent at " + uri + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        // The first connection is the one just checked; reconnects dial again.
        AtomicReference<FrameChannel> firstChannel = new AtomicReference<>(opened);
        AtomicReference<SessionClient> self = new AtomicReference<>();
        AgentClient link = AgentClient.start(
                () -> {
                    FrameChannel ch = firstChannel.getAndSet(null);
                    return ch != null ? ch : Transports.connect(uri);
                },
                (Frame f) -> {
                    SessionClient c = self.get();
                    if (c != null) {
                        c.deliverEvent(f);
                    }
                },
                settings);
        SessionClient client = new SessionClient(session, link, clock);
        client.onEvent(events);
        client.onAuditWitness((agent, w) -> witnesses.observe(agent, w));
        self.set(client);
        clients.put(first, client);
        return client;
    }

    /**
     * Signs and sends {@code command} to {@code role}, as it is. A reply that is not from the
     * pinned key fails the future with a {@link ShellFailure} that says so loudly.
     */
    public CompletableFuture<CommandOutcome> send(AgentRole role, Command command, Duration timeout)
            throws ShellFailure {
        return send(link(role), command, timeout);
    }

    /**
     * What a command's {@link SendStep} sends through: {@code role}'s agent, and this session's
     * signer of node commands. A link that cannot be opened fails the step's sends.
     */
    public SendStep.Outbox outbox(AgentRole role, Duration timeout) {
        return new SendStep.Outbox() {
            @Override
            public CompletableFuture<CommandOutcome> send(Command command) {
                try {
                    return AgentConnections.this.send(role, command, timeout);
                } catch (ShellFailure f) {
                    return CompletableFuture.failedFuture(f);
                }
            }

            @Override
            public SendStep.NodeCommands nodeCommands() {
                return nodeWrites;
            }
        };
    }

    private CompletableFuture<CommandOutcome> send(AgentLink l, Command command, Duration timeout) {
        AuditWitnesses w = witnesses;
        w.saveIfDue();
        Command sent = w.ask(l.target(), command);
        return l.client()
                .send(sent, l.target(), l.route(), timeout)
                .thenApply(o -> w.judge(l.target(), sent, o))
                .exceptionallyCompose(t -> {
                    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                    if (cause instanceof AgentKeyException e) {
                        return CompletableFuture.failedFuture(explainKeyMismatch(l, e));
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    /** A reply from another key: find out which (first contact again) and refuse loudly. */
    private ShellFailure explainKeyMismatch(AgentLink l, AgentKeyException e) {
        try {
            ScrambleId presented = FirstContact.probe(l.client().link(), session, l.route(), PROBE_TIMEOUT, clock);
            enrolment.pins().check(l.role().text(), presented);
        } catch (PinnedKeyChangedException changed) {
            return Enrolment.keyChanged(changed);
        } catch (ShellFailure f) {
            // Fall through to the plain message.
        }
        return ShellFailure.refused(
                "the " + l.role().text() + " agent's reply is not from its pinned key: " + e.getMessage());
    }

    /** The links opened so far, for the status line. */
    public synchronized List<AgentLink> openLinks() {
        return new ArrayList<>(links.values());
    }

    /** Whether {@code role} can be reached at all with this configuration. */
    public boolean reachable(AgentRole role) {
        return config.uri(role).isPresent()
                || (role != AgentRole.HOST && config.uri(AgentRole.HOST).isPresent());
    }

    @Override
    public synchronized void close() {
        try {
            witnesses.save();
        } catch (IOException e) {
            // Losing the newest heads weakens the next check; it does not make it wrong.
        }
        clients.values().forEach(SessionClient::close);
        clients.clear();
        links.clear();
    }
}
