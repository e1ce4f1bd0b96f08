package org.multiverse.scramble.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.multiverse.scramble.host.hypervisor.Hypervisor;
import org.multiverse.scramble.host.portal.PortalServiceConfig;
import org.multiverse.scramble.host.portal.PortalTemplates;
import org.multiverse.scramble.host.share.FstabGenerator;
import org.multiverse.scramble.host.share.Mounter;
import org.multiverse.scramble.protocol.agent.AgentBuilder;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.agent.PolicyHolder;
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
 * A host agent on the real pipeline: an agent core with the host's handlers on a {@code sim:}
 * channel, a person's identity and session, and a signing, sealing client. The backends are
 * the test's: a simulated or a real hypervisor, a fake or a real mounter.
 */
final class HostAgentHarness implements AutoCloseable {

    private static final AtomicInteger NAMES = new AtomicInteger();
    /** Generous: the pipeline answers in milliseconds, a TCG start takes a few seconds. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

    final Path stateDir;
    final Path images;
    final Identity root = Identity.generate(new SecureRandom());
    final SessionKeys session;
    final LinkedBlockingQueue<EventBody> events = new LinkedBlockingQueue<>();
    final AgentCore core;
    final HostAgent agent;
    private final Listener listener;
    private final SessionClient client;

    /** The policy with share.link roots as given (null: a share.link rule without roots=). */
    static String policy(String shareRoots) {
        return """
                agent.*      @any allow rate=1000/s burst=1000
                audit.*      @any allow rate=1000/s burst=1000
                portal.*     @any allow rate=1000/s burst=1000
                share.link   @any allow rate=1000/s burst=1000""" + (shareRoots == null ? "" : " roots=" + shareRoots)
                + "\nshare.*      @any allow rate=1000/s burst=1000\n";
    }

    HostAgentHarness(Path dir, Hypervisor hypervisor, List<Path> agentShareRoots, String policyShareRoots,
            Mounter mounter, int maxPortals) throws Exception {
        this.stateDir = Files.createDirectories(dir.resolve("state"));
        this.images = Files.createDirectories(dir.resolve("images"));
        if (!Files.exists(stateDir.resolve("audit"))) {
            AgentState.init(stateDir).close(); // a second harness on the same dir is the agent restarting
        }
        AgentState.roots(stateDir).authorize(root.id(), Scope.ALL);
        session = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
        core = new AgentBuilder("host-agent", stateDir)
                .policy(PolicyHolder.fixed(Policy.parse("test.policy", policy(policyShareRoots)))).build();
        PortalServiceConfig config = new PortalServiceConfig(stateDir, images, PortalTemplates.fromClasspath(), Map.of(),
                maxPortals, 64 * 1024, 3);
        agent = HostAgent.open(core, config, hypervisor, agentShareRoots, mounter, new FstabGenerator());
        TransportUri uri = TransportUri.parse("sim:host-agent-" + NAMES.incrementAndGet());
        listener = Transports.listen(uri, core::attach);
        AtomicReference<SessionClient> self = new AtomicReference<>();
        AgentClient link = AgentClient.start(() -> Transports.connect(uri), f -> {
            SessionClient c = self.get();
            if (c != null) {
                c.deliverEvent(f);
            }
        }, ClientSettings.DEFAULTS);
        client = new SessionClient(session, link, core.id(), Clock.systemUTC());
        client.onEvent(events::add);
        self.set(client);
    }

    CommandOutcome send(Command command) throws Exception {
        return client.send(command, core.id(), "", REPLY_TIMEOUT).get(REPLY_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    /** Sends and expects success. */
    Result ok(Command command) throws Exception {
        CommandOutcome o = send(command);
        return assertInstanceOf(CommandOutcome.Ok.class, o, () -> "expected success for " + command + ", got " + o)
                .result();
    }

    /** Sends and expects the given error code; returns the error (its message is for the person). */
    Error fails(ErrorCode code, Command command) throws Exception {
        CommandOutcome o = send(command);
        Error e = assertInstanceOf(CommandOutcome.Failed.class, o, () -> "expected " + code + " for " + command
                + ", got " + o).error();
        assertEquals(code, e.getCode(), () -> "for " + command.toString().trim() + ": " + e.getMessage());
        return e;
    }

    /** The next event, or an assertion failure after the deadline. */
    EventBody nextEvent() throws InterruptedException {
        EventBody e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no event within 10 s");
        }
        return e;
    }

    @Override
    public void close() throws Exception {
        client.close();
        listener.close();
        core.close();
        agent.close();
        session.close();
        root.close();
    }
}
