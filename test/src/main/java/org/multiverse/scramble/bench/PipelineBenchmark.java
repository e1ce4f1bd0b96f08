package org.multiverse.scramble.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
import org.multiverse.scramble.protocol.v1.AgentPing;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * The whole command path on one machine: sign → frame → unix socket → pre-auth → verify →
 * dedup → sequence → policy → rate limit → audit (fsync'd, group commit) → handler → sealed
 * reply → open. Prints p50/p99 latency one command at a time, then commands/s with many in
 * flight. Not a test: run it by hand (see the README's performance section).
 *
 * <pre>java -cp "test/target/test-*.jar:test/target/lib/*" org.multiverse.scramble.bench.PipelineBenchmark [N]</pre>
 */
public final class PipelineBenchmark {

    private static final String POLICY = "agent.* @any allow rate=1000000/s burst=1000000\n";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Path state = Files.createTempDirectory("pipeline-bench");
        Path sock = state.resolve("agent.sock");
        AgentState.init(state).close();
        try (Identity root = Identity.generate(new SecureRandom())) {
            AgentState.roots(state).authorize(root.id(), Scope.ALL);
            AgentCore core = new AgentBuilder("bench-agent", state)
                    .policy(PolicyHolder.fixed(Policy.parse("bench", POLICY)))
                    .build();
            TransportUri uri = TransportUri.parse("unix:" + sock);
            Listener listener = Transports.listen(uri, core::attach);
            SessionKeys session =
                    SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
            SessionClient client = new SessionClient(
                    session,
                    AgentClient.start(() -> Transports.connect(uri), f -> {}, ClientSettings.DEFAULTS),
                    Clock.systemUTC());
            Command ping = Command.newBuilder()
                    .setAgentPing(AgentPing.getDefaultInstance())
                    .build();

            for (int i = 0; i < Math.min(1000, n); i++) { // warm-up: JIT, buckets, caches
                require(client.send(ping, core.id(), "", Duration.ofSeconds(30)).get());
            }
            long[] latencies = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                require(client.send(ping, core.id(), "", Duration.ofSeconds(30)).get());
                latencies[i] = System.nanoTime() - t0;
            }
            Arrays.sort(latencies);
            System.out.printf(
                    "sequential: n=%d p50=%.3f ms p99=%.3f ms max=%.3f ms%n",
                    n, latencies[n / 2] / 1e6, latencies[(int) (n * 0.99)] / 1e6, latencies[n - 1] / 1e6);

            int inFlight = 64;
            long t0 = System.nanoTime();
            List<CompletableFuture<CommandOutcome>> window = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                window.add(client.send(ping, core.id(), "", Duration.ofSeconds(60)));
                if (window.size() == inFlight) {
                    for (CompletableFuture<CommandOutcome> f : window) {
                        require(f.get(60, TimeUnit.SECONDS));
                    }
                    window.clear();
                }
            }
            for (CompletableFuture<CommandOutcome> f : window) {
                require(f.get(60, TimeUnit.SECONDS));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "throughput: %d commands with %d in flight in %.2f s = %.0f commands/s%n",
                    n, inFlight, seconds, n / seconds);
            client.close();
            listener.close();
            core.close();
            Transports.shutdown();
        }
    }

    private static void require(CommandOutcome o) {
        if (!(o instanceof CommandOutcome.Ok)) {
            throw new IllegalStateException("benchmark command failed: " + o);
        }
    }
}
