package org.multiverse.scramble.shell.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.agent.AgentBuilder;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.agent.PolicyHolder;
import org.multiverse.scramble.protocol.agent.policy.Policy;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.AgentPing;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.pin.PinFile;
import org.multiverse.scramble.suite.pin.PinnedAgents;

/**
 * Issue 13 item 6: nothing the shell does after a reply runs on a transport's I/O thread. Two
 * real agents on unix sockets (Netty event loops). Before the fix the continuation of a reply
 * ran on the I/O thread, and a reply from a changed key was explained there with a first-contact
 * probe that waited for an answer only that thread could deliver: the link recovered only when
 * heartbeats declared it dead and it reconnected.
 */
class AgentConnectionsThreadsTest {

    /** Far above what the pipeline needs; a stall shows as a wrong thread or a reconnect, not as this. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final SecureRandom rnd = new SecureRandom();
    private final Identity person = Identity.generate(rnd);
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private AgentConfig config;
    private PinFile<ScrambleId> pins;
    private AgentConnections connections;

    @BeforeEach
    void start() throws Exception {
        config = new AgentConfig();
        for (AgentRole role : List.of(AgentRole.HOST, AgentRole.ROUTER)) {
            Path state = tmp.resolve(role.text());
            AgentState.init(state).close();
            AgentState.roots(state).authorize(person.id(), Scope.ALL);
            AgentCore core = new AgentBuilder(role.text() + "-agent", state)
                    .policy(PolicyHolder.fixed(Policy.parse("test", "agent.* @any allow\n")))
                    .build();
            TransportUri uri = TransportUri.parse("unix:" + tmp.resolve(role.text() + ".sock"));
            Listener listener = Transports.listen(uri, core::attach);
            open.add(0, core::close);
            open.add(0, listener);
            config.put(role, uri, true);
            config.trust(core.id()); // as --trust ID: first contact pins it without asking
        }
        pins = PinnedAgents.open(tmp.resolve("known_agents"));
        SessionKeys session = SessionKeys.create(person, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), rnd);
        connections = new AgentConnections(
                config,
                session,
                new Enrolment(pins, config.trusted(), null, new PrintStream(err, true, StandardCharsets.UTF_8)),
                Clock.systemUTC(),
                ClientSettings.DEFAULTS);
    }

    @AfterEach
    void stop() throws Exception {
        connections.close();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private static Command ping() {
        return Command.newBuilder().setAgentPing(AgentPing.getDefaultInstance()).build();
    }

    @Test
    void connectPinAndSendAtOnceFromInsideReplyCallbacks() throws Exception {
        AtomicReference<String> callbackThread = new AtomicReference<>();
        // The router is not pinned yet: its connect and first contact run inside the host's reply callback.
        CompletableFuture<CommandOutcome> chained = connections
                .send(AgentRole.HOST, ping(), TIMEOUT)
                .thenCompose(first -> {
                    callbackThread.set(Thread.currentThread().getName());
                    try {
                        return connections.send(AgentRole.ROUTER, ping(), TIMEOUT);
                    } catch (ShellFailure f) {
                        return CompletableFuture.failedFuture(f);
                    }
                });
        // Meanwhile more commands to both, from other threads.
        List<CompletableFuture<CommandOutcome>> more = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            AgentRole role = i % 2 == 0 ? AgentRole.HOST : AgentRole.ROUTER;
            more.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return connections.send(role, ping(), TIMEOUT);
                        } catch (ShellFailure f) {
                            return CompletableFuture.<CommandOutcome>failedFuture(f);
                        }
                    })
                    .thenCompose(f -> f));
        }
        assertInstanceOf(CommandOutcome.Ok.class, chained.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        for (CompletableFuture<CommandOutcome> f : more) {
            assertInstanceOf(CommandOutcome.Ok.class, f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
        assertTrue(
                callbackThread.get().startsWith(AgentConnections.CALLBACK_THREAD),
                "the reply's continuation ran on " + callbackThread.get() + ", not on the shell's callback threads");
        assertTrue(pins.lookup("host").isPresent() && pins.lookup("router").isPresent(), "both pinned");
        for (AgentLink l : connections.openLinks()) {
            assertEquals(0, l.client().link().reconnects(), l.role() + "'s link was lost on the way");
        }
    }

    @Test
    void aReplyFromAChangedKeyIsExplainedWithoutStallingTheLink() throws Exception {
        ScrambleId old = Identity.generate(rnd).id();
        pins.pin("host", old); // the agent the shell knew had another key
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class,
                () -> connections.send(AgentRole.HOST, ping(), TIMEOUT).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        ShellFailure f = assertInstanceOf(ShellFailure.class, e.getCause());
        // The explanation needs the probe's answer: on the I/O thread it would wait for itself.
        assertTrue(f.getMessage().contains("KEY HAS CHANGED"), f.getMessage());
        AgentLink host = connections.openLinks().get(0);
        assertEquals(
                0,
                host.client().link().reconnects(),
                "the link had to be declared dead before the probe could be answered");
    }
}
