package org.multiverse.scramble.shell.connect;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.session.AgentKeyException;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.EventCounts;
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
 *
 * <p>Nothing here runs on a transport's I/O thread: a reply completes the caller's future on
 * the {@code shell-callback} threads (a reply from the wrong key is explained there with a
 * first-contact probe, which waits for an answer that only the I/O thread can deliver), and
 * events reach their sink on the {@code shell-events} thread, in order.
 */
public final class AgentConnections implements AutoCloseable {

    /** How long first contact waits for the agent's answer. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    /** Events queued for the sink at most: a terminal that stops reading must not grow memory without bound. */
    static final int EVENT_BACKLOG = 1024;
    /** Prefix of the threads that complete command futures (tests check continuations run there). */
    static final String CALLBACK_THREAD = "shell-callback-";

    private final AgentConfig config;
    private final SessionKeys session;
    private final Enrolment enrolment;
    private final Clock clock;
    private final ClientSettings settings;
    private final Map<AgentRole, AgentLink> links = new EnumMap<>(AgentRole.class);
    /**
     * A copy of {@link #links} for readers (status line, dashboard, {@code agent status}): they
     * must not wait on the lock {@link #link} holds while it connects and probes.
     */
    private volatile Map<AgentRole, AgentLink> opened = Map.of();

    private final Map<AgentRole, SessionClient> clients = new EnumMap<>(AgentRole.class);
    private final NodeWriteSigner nodeWrites;
    private volatile Consumer<EventBody> events = e -> {};
    /**
     * Runs what follows a reply. Cached, not fixed: a continuation may itself wait for another
     * command (a send step's second command, a first-contact probe), which a fixed pool could starve.
     */
    private final ExecutorService callbacks = Executors.newCachedThreadPool(daemons(CALLBACK_THREAD));
    /** Hands opened events to the sink, one at a time and in order. */
    private final ExecutorService eventSink = new ThreadPoolExecutor(
            1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(EVENT_BACKLOG), daemons("shell-events-"));

    private volatile RevocationDelivery revocations = new RevocationDelivery(this, null, n -> {});

    /** How long an owed revocation, sent again at the next contact, waits for its agent. */
    static final Duration PENDING_REVOCATION_TIMEOUT = Duration.ofSeconds(30);

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

    /**
     * Keeps revocations that an agent could not be reached for in {@code pending}, and sends them
     * at the next contact with that agent; {@code notices} hears when one is delivered later.
     */
    public void keepPendingRevocations(PendingRevocations pending, Consumer<String> notices) {
        this.revocations = new RevocationDelivery(this, pending, notices);
    }

    /**
     * Sends a root-signed {@code agent revoke-sessions} to every agent this shell knows (see
     * {@link #knownAgents}); Ok only when each confirmed, else a failure naming who confirmed,
     * who refused and who could not be reached (those are retried at the next contact).
     */
    public CompletableFuture<CommandOutcome> revokeEverywhere(Command revoke, Duration timeout) {
        return revocations.everywhere(revoke, timeout);
    }

    /**
     * The agents this shell knows: those configured directly, and those pinned that can be
     * reached (through the host's relay). An agent never contacted nor configured is not known.
     */
    synchronized List<AgentRole> knownAgents() {
        List<AgentRole> out = new ArrayList<>();
        for (AgentRole r : AgentRole.values()) {
            if (r == AgentRole.ANY) {
                continue;
            }
            if (config.uri(r).isPresent()
                    || (reachable(r) && enrolment.pins().lookup(r.text()).isPresent())) {
                out.add(r);
            }
        }
        return out;
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
        // The first hop's own sealed refusals (route down, its policy, ROUTE_LOOP) are answers too.
        if (route.isEmpty()) {
            client.firstHop(target);
        } else {
            enrolment.pins().lookup(AgentRole.HOST.text()).ifPresent(client::firstHop);
        }
        AgentLink link = new AgentLink(role, client, target, route, via);
        links.put(role, link);
        opened = Map.copyOf(links);
        revocations.deliverPending(role, PENDING_REVOCATION_TIMEOUT);
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
        client.events().deliverOn(eventSink);
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
            public CompletableFuture<CommandOutcome> sendToEveryAgent(Command command) {
                return revokeEverywhere(command, timeout);
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
        CompletableFuture<CommandOutcome> out = new CompletableFuture<>();
        // The client completes on the transport's thread: hand over at once, do nothing there.
        l.client().send(sent, l.target(), l.route(), timeout).whenComplete((outcome, t) -> {
            try {
                callbacks.execute(() -> {
                    if (t == null) {
                        out.complete(w.judge(l.target(), sent, outcome));
                        return;
                    }
                    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                    out.completeExceptionally(cause instanceof AgentKeyException e ? explainKeyMismatch(l, e) : cause);
                });
            } catch (RejectedExecutionException closed) {
                out.completeExceptionally(new IOException("the shell's agent connections are closed"));
            }
        });
        return out;
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

    /** What {@code role}'s link did with events so far (none until it is opened). */
    public EventCounts eventCounts(AgentRole role) {
        AgentLink l = opened.get(role);
        return l == null ? EventCounts.NONE : l.eventCounts();
    }

    /** The links opened so far, for the status line. */
    public List<AgentLink> openLinks() {
        List<AgentLink> out = new ArrayList<>();
        for (AgentRole r : AgentRole.values()) {
            AgentLink l = opened.get(r);
            if (l != null) {
                out.add(l);
            }
        }
        return out;
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
        opened = Map.of();
        callbacks.shutdown();
        eventSink.shutdown();
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
