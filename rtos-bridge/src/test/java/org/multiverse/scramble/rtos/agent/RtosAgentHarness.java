package org.multiverse.scramble.rtos.agent;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
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
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RtosList;
import org.multiverse.scramble.rtos.serial.PtyPair;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * A real bridge agent core on a simulated channel, its demo node ({@link DemoNode}: a
 * simulated node on a socat pty pair) enrolling the test's root, and a person's session:
 * every command goes through sign, verify, policy, rate limit, audit, handler, seal.
 */
final class RtosAgentHarness implements AutoCloseable {

  /** Generous rates: these tests are about the handlers, not the limits. */
  static final String POLICY = """
      agent.*    @any allow rate=100/s burst=100
      rtos.*     @scope:all allow rate=100/s burst=100
      """;
  /** Longest a plain command may take (a node answers in milliseconds over a pty). */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
  /** The node's handshake and first time sync, on two shared cores. */
  static final long UP_TIMEOUT_MILLIS = 20_000;
  private static final AtomicInteger NAMES = new AtomicInteger();

  final Path stateDir;
  final Identity root = Identity.generate(new SecureRandom());
  final SessionKeys session;
  final AgentCore core;
  final AutoCloseable bridge;
  final Listener listener;
  final SessionClient client;
  final LinkedBlockingQueue<EventBody> events = new LinkedBlockingQueue<>();
  final List<String> log = new CopyOnWriteArrayList<>();

  /** Fails under CI=true when socat is missing; skips on a laptop. */
  static void requireSocat() {
    boolean present = PtyPair.socatAvailable();
    if ("true".equals(System.getenv("CI"))) {
      Assertions.assertTrue(present, "socat is required under CI=true (apt-get install socat)");
    }
    Assumptions.assumeTrue(present, "socat not installed: pty tests skipped");
  }

  RtosAgentHarness(Path stateDir) throws Exception {
    requireSocat();
    this.stateDir = stateDir;
    AgentState.init(stateDir).close();
    AgentState.roots(stateDir).authorize(root.id(), Scope.ALL);
    session = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
    core = new AgentBuilder("rtos-bridge", stateDir)
        .policy(PolicyHolder.fixed(Policy.parse("test.policy", POLICY))).log(log::add).build();
    bridge = new RtosBridgeModule(log::add).installDemo(core, stateDir);
    String uri = "sim:rtos-" + NAMES.incrementAndGet();
    listener = Transports.listen(TransportUri.parse(uri), core::attach);
    AtomicReference<SessionClient> self = new AtomicReference<>();
    AgentClient link = AgentClient.start(() -> Transports.connect(TransportUri.parse(uri)),
        frame -> self.get().deliverEvent(frame), ClientSettings.DEFAULTS);
    client = new SessionClient(session, link, core.id(), Clock.systemUTC());
    client.onEvent(events::add);
    self.set(client);
  }

  /** Polls {@code rtos list} until the demo node's link is up (handshake and time sync done). */
  void awaitNodeUp() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(UP_TIMEOUT_MILLIS);
    Command list = Command.newBuilder().setRtosList(RtosList.getDefaultInstance()).build();
    while (true) {
      Result r = ok(list);
      if (r.getRtosList().getNodesList().stream().anyMatch(n -> n.getLinkUp())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("node never came up: " + r + "\nlog: " + log);
      }
      Thread.sleep(50);
    }
  }

  CommandOutcome send(Command command, Duration timeout) throws Exception {
    return client.send(command, core.id(), "", timeout).get(timeout.toSeconds() + 5, TimeUnit.SECONDS);
  }

  /** Sends and asserts success. */
  Result ok(Command command) throws Exception {
    return ok(command, COMMAND_TIMEOUT);
  }

  Result ok(Command command, Duration timeout) throws Exception {
    CommandOutcome o = send(command, timeout);
    return assertInstanceOf(CommandOutcome.Ok.class, o, () -> "expected success, got " + o).result();
  }

  /** Sends and asserts a sealed error. */
  Error failed(Command command) throws Exception {
    CommandOutcome o = send(command, COMMAND_TIMEOUT);
    return assertInstanceOf(CommandOutcome.Failed.class, o, () -> "expected a sealed error, got " + o).error();
  }

  /** The next event, or an assertion error after {@code COMMAND_TIMEOUT}. */
  EventBody nextEvent() throws InterruptedException {
    EventBody e = events.poll(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no event within " + COMMAND_TIMEOUT.toSeconds() + " s");
    }
    return e;
  }

  AuditRecord lastAudit() throws IOException {
    List<AuditRecord> t = AuditLog.tail(AgentState.auditDir(stateDir), 1);
    return t.get(t.size() - 1);
  }

  @Override
  public void close() throws Exception {
    client.close();
    listener.close();
    core.close();
    bridge.close();
    session.close();
    root.close();
  }
}
