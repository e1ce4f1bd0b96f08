package org.multiverse.scramble.rtos.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.testkit.AgentTestKit;
import org.multiverse.scramble.protocol.testkit.Prerequisite;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RtosList;
import org.multiverse.scramble.rtos.serial.PtyPair;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * The shared {@link AgentTestKit} with the bridge's demo node ({@link DemoNode}: a simulated
 * node on a socat pty pair) enrolling the test's root: every command goes through sign,
 * verify, policy, rate limit, audit, handler, seal.
 */
final class RtosAgentHarness implements AutoCloseable {

    /** Generous rates: these tests are about the handlers, not the limits. */
    static final String POLICY = """
      agent.*    @any allow rate=100/s burst=100
      rtos.*     @scope:all allow rate=100/s burst=100
      """;
    /** The node's handshake and first time sync, on two shared cores. */
    static final long UP_TIMEOUT_MILLIS = 20_000;
    /** Poll interval of {@link #awaitNodeUp}: a handshake takes tens of milliseconds. */
    private static final long UP_POLL_MILLIS = 50;

    final AgentTestKit kit;
    final Path stateDir;
    final Identity root;
    final SessionKeys session;
    final AgentCore core;
    final BlockingQueue<EventBody> events;
    final List<String> log = new CopyOnWriteArrayList<>();

    RtosAgentHarness(Path stateDir) throws Exception {
        Prerequisite.require(
                PtyPair.socatAvailable(), "socat is required for the pty tests (apt-get install -y socat)");
        this.stateDir = stateDir;
        kit = AgentTestKit.builder("rtos-bridge", stateDir)
                .policy(POLICY)
                .log(log::add)
                .install(core -> new RtosBridgeModule(log::add).installDemo(core, stateDir))
                .start();
        root = kit.root();
        session = kit.session();
        core = kit.core();
        events = kit.events();
    }

    /** Polls {@code rtos list} until the demo node's link is up (handshake and time sync done). */
    void awaitNodeUp() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(UP_TIMEOUT_MILLIS);
        Command list =
                Command.newBuilder().setRtosList(RtosList.getDefaultInstance()).build();
        while (true) {
            Result r = ok(list);
            if (r.getRtosList().getNodesList().stream().anyMatch(n -> n.getLinkUp())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node never came up: " + r + "\nlog: " + log);
            }
            Thread.sleep(UP_POLL_MILLIS);
        }
    }

    /** Sends and asserts success. */
    Result ok(Command command) throws Exception {
        return kit.ok(command);
    }

    Result ok(Command command, Duration timeout) throws Exception {
        return kit.ok(command, timeout);
    }

    /** Sends and asserts a sealed error. */
    Error failed(Command command) throws Exception {
        return kit.failed(command);
    }

    /** The next event, or an assertion error after the kit's wait. */
    EventBody nextEvent() throws InterruptedException {
        return kit.nextEvent();
    }

    AuditRecord lastAudit() throws IOException {
        return kit.lastAudit();
    }

    @Override
    public void close() throws Exception {
        kit.close();
    }
}
