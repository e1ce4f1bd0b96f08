package org.multiverse.scramble.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.multiverse.scramble.protocol.agent.AgentBuilder;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.agent.PolicyHolder;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.agent.policy.Policy;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.EnvelopeSigner;
import org.multiverse.scramble.protocol.session.SessionClient;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.AgentPing;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * Service under attack (issue 14): a signed {@code agent ping} from an authorised session over the
 * agent's unix socket, one at a time, p50/p99 idle and while 8 peers run each attack of the edge
 * table; after each, the agent's RSS and open descriptors and how much its audit log grew. The
 * agent runs in its own JVM (so RSS and descriptors are its own) and listens on a unix socket
 * and on TCP 127.0.0.1; the 8 TCP peers are 8 loopback source addresses (127.0.0.2..9), the unix
 * peers are this user. Not a test: run it by hand (see the README's performance section).
 *
 * <pre>java -cp "test/target/test-0.1.0-SNAPSHOT.jar:test/target/lib/*" org.multiverse.scramble.bench.FloodBenchmark [SECONDS]</pre>
 *
 * SECONDS (default 10) is how long each attack (and the idle phase) runs.
 */
public final class FloodBenchmark {

    private static final String POLICY = "agent.* @any allow rate=1000000/s burst=1000000\n";
    /** Attacking peers per attack, as in the issue's table. */
    private static final int PEERS = 8;
    /** Pause between two measured pings: about 50 a second, so the pings do not load the agent. */
    private static final long PING_GAP_MILLIS = 20;
    /** A ping not answered by then counts as failed (and as this latency). */
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
    /** Connections each peer tries to hold in the held-connections attack: 8 × 2525 = 20,200. */
    private static final int HELD_PER_PEER = 2525;
    /** Connections per peer of the slow-writer attack. */
    private static final int SLOW_PER_PEER = 64;

    private FloodBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("--agent")) {
            runAgent(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        new Run(seconds).run();
    }

    // ---- the agent, in its own process ----

    private static void runAgent(Path state, Path sock) throws Exception {
        AgentCore core = new AgentBuilder("flood-agent", state)
                .policy(PolicyHolder.fixed(Policy.parse("bench", POLICY)))
                .log(line -> {})
                .build();
        Listener unix = Transports.listen(TransportUri.parse("unix:" + sock), core::attach);
        Listener tcp = Transports.listen(TransportUri.parse("tcp:127.0.0.1:0"), core::attach);
        System.out.println("ready " + tcp.uri().port() + " " + core.id().text());
        System.out.flush();
        // Runs until the benchmark closes our stdin.
        while (System.in.read() != -1) {
            // nothing to read
        }
        unix.close();
        tcp.close();
        core.close();
        Transports.shutdown();
    }

    // ---- the benchmark ----

    private static final class Run {
        final int seconds;
        Path state;
        Path sock;
        int tcpPort;
        Process agent;
        ScrambleId agentId;
        SessionClient client;
        byte[] garbageFrame;
        byte[] forgedFrame;
        byte[] capturedFrame;
        byte[] bombChunk;
        final List<String> rows = new ArrayList<>();

        Run(int seconds) {
            this.seconds = seconds;
        }

        void run() throws Exception {
            state = Files.createTempDirectory("flood-bench");
            sock = state.resolve("agent.sock");
            AgentState.init(state).close();
            try (Identity root = Identity.generate(new SecureRandom())) {
                AgentState.roots(state).authorize(root.id(), Scope.ALL);
                startAgent();
                TransportUri uri = TransportUri.parse("unix:" + sock);
                SessionKeys session =
                        SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
                client = new SessionClient(
                        session,
                        AgentClient.start(() -> Transports.connect(uri), f -> {}, ClientSettings.DEFAULTS),
                        Clock.systemUTC());
                prepareAttacks(root);
                for (int i = 0; i < 300; i++) { // warm-up: JIT on both sides; authenticates the link
                    ping();
                }
                System.out.printf("%d s per phase, %d attacking peers; agent pid %d%n", seconds, PEERS, agent.pid());
                System.out.println(
                        "| attack | ping p50 | p99 | max | failed | agent RSS | fds | audit entries | audit bytes | attack traffic |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|");
                phase("idle", stop -> "-");
                phase("reconnect churn: connect, 20 garbage envelopes, close (TCP)", this::churn);
                phase("forged signatures on fresh connections (TCP)", this::forged);
                phase("one captured envelope replayed (TCP, fresh connections)", this::replay);
                phase("header bomb, overlapping 64 KiB headers (unix)", stop -> bomb(stop, false));
                phase("header bomb, overlapping 64 KiB headers (TCP)", stop -> bomb(stop, true));
                phase("20,200 connections held open (TCP)", this::held);
                phase("slow writers, 1 byte/s, 64 links per peer (TCP)", this::slow);
                phase("idle again", stop -> "-");
                client.close();
            } finally {
                if (agent != null) {
                    agent.getOutputStream().close();
                    if (!agent.waitFor(40, TimeUnit.SECONDS)) {
                        agent.destroy();
                    }
                }
                Transports.shutdown();
            }
        }

        void startAgent() throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            agent = new ProcessBuilder(
                            java.toString(),
                            "-Xmx512m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            FloodBenchmark.class.getName(),
                            "--agent",
                            state.toString(),
                            sock.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("ready ")) {
                throw new IOException("the agent did not start: " + line);
            }
            String[] parts = line.split(" ");
            tcpPort = Integer.parseInt(parts[1]);
            try {
                agentId = ScrambleId.parse(parts[2]);
            } catch (Exception e) {
                throw new IOException("bad agent id " + parts[2], e);
            }
        }

        void prepareAttacks(Identity root) throws Exception {
            garbageFrame = FrameEncoder.encode(new Frame(FrameType.ENVELOPE, new byte[] {(byte) 0xFF, 1, 2, 3}));
            try (SessionKeys other =
                    SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom())) {
                byte[] id = new byte[16];
                new SecureRandom().nextBytes(id);
                Command ping = Command.newBuilder()
                        .setAgentPing(AgentPing.getDefaultInstance())
                        .build();
                Envelope captured = EnvelopeSigner.sign(
                        other, ping, agentId, "", 1, Instant.now().toEpochMilli(), id);
                capturedFrame = FrameEncoder.encode(new Frame(FrameType.ENVELOPE, captured.toByteArray()));
                byte[] sig = captured.getSignature().toByteArray();
                sig[7] ^= 1;
                Envelope forged = captured.toBuilder()
                        .setSignature(com.google.protobuf.ByteString.copyFrom(sig))
                        .build();
                forgedFrame = FrameEncoder.encode(new Frame(FrameType.ENVELOPE, forged.toByteArray()));
            }
            // The captured envelope runs once, as it did for its owner, before it is replayed.
            try (SocketChannel s = tcp(1)) {
                s.write(ByteBuffer.wrap(capturedFrame));
                s.read(ByteBuffer.allocate(4096));
            }
            byte[] header = Arrays.copyOf(
                    FrameEncoder.encode(new Frame(FrameType.ENVELOPE, new byte[FrameEncoder.DEFAULT_MAX_PAYLOAD])), 14);
            bombChunk = new byte[14 * 4681]; // 64 KiB of headers, each claiming 64 KiB
            for (int i = 0; i < bombChunk.length; i += 14) {
                System.arraycopy(header, 0, bombChunk, i, 14);
            }
        }

        /** A TCP connection from peer {@code n} (source address 127.0.0.{n+1}). */
        SocketChannel tcp(int n) throws IOException {
            SocketChannel s = SocketChannel.open();
            try {
                s.bind(new InetSocketAddress("127.0.0." + (n + 1), 0));
                s.connect(new InetSocketAddress("127.0.0.1", tcpPort));
                return s;
            } catch (IOException e) {
                s.close();
                throw e;
            }
        }

        SocketChannel unix() throws IOException {
            SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                s.connect(UnixDomainSocketAddress.of(sock));
                return s;
            } catch (IOException e) {
                s.close();
                throw e;
            }
        }

        long ping() throws Exception {
            long t0 = System.nanoTime();
            CommandOutcome o = client.send(
                            Command.newBuilder()
                                    .setAgentPing(AgentPing.getDefaultInstance())
                                    .build(),
                            agentId,
                            "",
                            PING_TIMEOUT)
                    .get(PING_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
            long t = System.nanoTime() - t0;
            return o instanceof CommandOutcome.Ok ? t : -t;
        }

        /** An attack runs on its own threads until {@code stop}; returns what it did, for the table. */
        interface Attack {
            String run(AtomicBoolean stop) throws Exception;
        }

        void phase(String name, Attack attack) throws Exception {
            long entriesBefore = auditEntries();
            long bytesBefore = auditBytes();
            AtomicBoolean stop = new AtomicBoolean();
            String[] traffic = {"-"};
            Thread attacker = new Thread(() -> {
                try {
                    traffic[0] = attack.run(stop);
                } catch (Exception e) {
                    traffic[0] = "attack failed: " + e;
                }
            });
            attacker.start();
            Thread.sleep(500); // let the attack ramp up
            List<Long> latencies = new ArrayList<>();
            int failed = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long rss = 0;
            long fds = 0;
            while (System.nanoTime() < end) {
                long t;
                try {
                    t = ping();
                } catch (Exception e) {
                    t = -PING_TIMEOUT.toNanos();
                }
                if (t < 0) {
                    failed++;
                }
                latencies.add(Math.abs(t));
                rss = Math.max(rss, rssKib());
                fds = Math.max(fds, fds());
                Thread.sleep(PING_GAP_MILLIS);
            }
            stop.set(true);
            attacker.join(30_000);
            // The agent writes its summaries every 10 s: wait for this attack's, so they count here.
            Thread.sleep(name.startsWith("idle") ? 1_000 : 10_500);
            long[] sorted =
                    latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            String row = String.format(
                    "| %s | %.1f ms | %.1f ms | %.0f ms | %d of %d | %d MiB | %d | +%d | +%,d | %s |",
                    name,
                    sorted[sorted.length / 2] / 1e6,
                    sorted[(int) (sorted.length * 0.99)] / 1e6,
                    sorted[sorted.length - 1] / 1e6,
                    failed,
                    sorted.length,
                    rss / 1024,
                    fds,
                    // The pings are read-only queries: counted into at most one 'queries' entry a
                    // minute, so nearly all of a row's entries are the attack's.
                    auditEntries() - entriesBefore,
                    auditBytes() - bytesBefore,
                    traffic[0]);
            System.out.println(row);
            rows.add(row);
        }

        // ---- the attacks: PEERS threads each ----

        interface PeerLoop {
            void run(int peer, AtomicBoolean stop, AtomicLong count) throws Exception;
        }

        String peers(AtomicBoolean stop, String unit, PeerLoop loop) throws InterruptedException {
            AtomicLong count = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int p = 1; p <= PEERS; p++) {
                int peer = p;
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            loop.run(peer, stop, count);
                        } catch (Exception e) {
                            refused.incrementAndGet(); // closed or refused by the agent: go again
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(20_000);
            }
            return String.format("%,d %s, %,d links cut or refused", count.get(), unit, refused.get());
        }

        String churn(AtomicBoolean stop) throws InterruptedException {
            byte[] twenty = repeat(garbageFrame, 20);
            return peers(stop, "garbage envelopes sent", (peer, st, count) -> {
                try (SocketChannel s = tcp(peer)) {
                    s.write(ByteBuffer.wrap(twenty));
                    count.addAndGet(20);
                }
            });
        }

        String forged(AtomicBoolean stop) throws InterruptedException {
            return peers(stop, "forged envelopes sent", (peer, st, count) -> {
                try (SocketChannel s = tcp(peer)) {
                    s.write(ByteBuffer.wrap(repeat(forgedFrame, 5)));
                    count.addAndGet(5);
                    s.read(ByteBuffer.allocate(1024)); // at least one answer, so the checks happen
                }
            });
        }

        String replay(AtomicBoolean stop) throws InterruptedException {
            byte[] twenty = repeat(capturedFrame, 20);
            return peers(stop, "replays sent", (peer, st, count) -> {
                try (SocketChannel s = tcp(peer)) {
                    s.write(ByteBuffer.wrap(twenty));
                    count.addAndGet(20);
                    s.read(ByteBuffer.allocate(4096));
                }
            });
        }

        String bomb(AtomicBoolean stop, boolean overTcp) throws InterruptedException {
            return peers(stop, "bomb bytes sent", (peer, st, count) -> {
                try (SocketChannel s = overTcp ? tcp(peer) : unix()) {
                    while (!st.get()) {
                        ByteBuffer b = ByteBuffer.wrap(bombChunk);
                        while (b.hasRemaining() && !st.get()) {
                            count.addAndGet(s.write(b));
                        }
                    }
                }
            });
        }

        String held(AtomicBoolean stop) throws InterruptedException {
            List<SocketChannel> all = java.util.Collections.synchronizedList(new ArrayList<>());
            String r = peers(stop, "connections opened", (peer, st, count) -> {
                List<SocketChannel> mine = new ArrayList<>();
                try {
                    while (!st.get() && mine.size() < HELD_PER_PEER) {
                        SocketChannel s = tcp(peer);
                        mine.add(s);
                        all.add(s);
                        count.incrementAndGet();
                    }
                    while (!st.get()) {
                        Thread.sleep(50);
                    }
                } finally {
                    for (SocketChannel s : mine) {
                        s.close();
                    }
                }
            });
            return r;
        }

        String slow(AtomicBoolean stop) throws InterruptedException {
            byte[] frame = capturedFrame;
            return peers(stop, "bytes dribbled", (peer, st, count) -> {
                List<SocketChannel> mine = new ArrayList<>();
                try {
                    for (int i = 0; i < SLOW_PER_PEER; i++) {
                        mine.add(tcp(peer));
                    }
                    int at = 0;
                    while (!st.get()) {
                        for (SocketChannel s : mine) {
                            s.write(ByteBuffer.wrap(frame, at % frame.length, 1));
                            count.incrementAndGet();
                        }
                        at++;
                        Thread.sleep(1_000);
                    }
                } finally {
                    for (SocketChannel s : mine) {
                        s.close();
                    }
                }
            });
        }

        static byte[] repeat(byte[] frame, int n) {
            byte[] out = new byte[frame.length * n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(frame, 0, out, i * frame.length, frame.length);
            }
            return out;
        }

        // ---- what the agent uses ----

        long rssKib() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(agent.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the agent is gone: reported as 0
            }
            return 0;
        }

        long fds() {
            try (Stream<Path> s = Files.list(Path.of("/proc", String.valueOf(agent.pid()), "fd"))) {
                return s.count();
            } catch (IOException e) {
                return 0;
            }
        }

        long auditEntries() throws IOException {
            List<AuditRecord> last = AuditLog.tail(AgentState.auditDir(state), 1);
            return last.isEmpty() ? 0 : last.get(0).index();
        }

        long auditBytes() throws IOException {
            try (Stream<Path> s = Files.walk(AgentState.auditDir(state))) {
                return s.filter(Files::isRegularFile)
                        .mapToLong(p -> p.toFile().length())
                        .sum();
            }
        }
    }
}
