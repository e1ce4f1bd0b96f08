package org.multiverse.scramble.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.multiverse.scramble.host.agent.HostAgentModule;
import org.multiverse.scramble.host.hypervisor.VmHandle;
import org.multiverse.scramble.host.hypervisor.VmSpec;
import org.multiverse.scramble.host.qemu.Accelerator;
import org.multiverse.scramble.host.qemu.QemuHypervisor;
import org.multiverse.scramble.host.qemu.QemuSettings;
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
import org.multiverse.scramble.protocol.v1.PortalDefine;
import org.multiverse.scramble.protocol.v1.PortalKill;
import org.multiverse.scramble.protocol.v1.PortalStart;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import picocli.CommandLine;

/**
 * What the agent adds to starting a portal: {@code portal start} through the whole signed
 * pipeline (sign, unix socket, verify, policy, rate limit, fsync'd audit, handler, QEMU
 * start, QMP handshake, sealed reply, open) against QEMU's own start-up (spawn to the first
 * QMP answer, through the same backend, nothing else). Diskless TCG guests of 64 MiB. Prints
 * p50/p90 of each and the difference. Not a test: run it by hand.
 *
 * <pre>
 * ./mvnw -B -q -o package -DskipTests
 * java -cp "test/target/test-*.jar:test/target/lib/*" org.multiverse.scramble.bench.PortalStartBenchmark [N]
 * </pre>
 */
public final class PortalStartBenchmark {

    private static final String POLICY = "portal.* @any allow rate=1000/s burst=1000\n";
    /** The start-up of a cold QEMU binary is slower; the first runs only warm the page cache. */
    private static final int WARMUP = 2;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private PortalStartBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("portal-start-bench");
        long[] bare = bareQemu(dir.resolve("bare"), n);
        long[] agent = throughAgent(dir.resolve("agent"), n);
        System.out.printf(
                "QEMU alone (spawn -> QMP ready)      p50 %6.1f ms  p90 %6.1f ms%n", ms(bare, 50), ms(bare, 90));
        System.out.printf(
                "portal start via the signed pipeline p50 %6.1f ms  p90 %6.1f ms%n", ms(agent, 50), ms(agent, 90));
        System.out.printf(
                "agent overhead (p50 difference)      %6.1f ms over %d starts each%n", ms(agent, 50) - ms(bare, 50), n);
    }

    private static long[] bareQemu(Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        QemuHypervisor qemu = QemuHypervisor.create(QemuSettings.defaults(Accelerator.TCG));
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < WARMUP + n; i++) {
            Path run = Files.createDirectories(dir.resolve("r" + i));
            Path share = Files.createDirectories(run.resolve("share"));
            VmSpec spec = new VmSpec(
                    "bare" + i,
                    1,
                    64,
                    null,
                    null,
                    null,
                    null,
                    null,
                    "52:54:00:12:34:56",
                    Map.of(),
                    share,
                    run.resolve("status.out"),
                    run.resolve("qmp.sock"),
                    run.resolve("qemu.pid"),
                    run);
            long t0 = System.nanoTime();
            VmHandle h = qemu.launch(spec, e -> {});
            long t1 = System.nanoTime();
            h.kill();
            h.awaitExit(Duration.ofSeconds(10));
            if (i >= WARMUP) {
                out.add(t1 - t0);
            }
        }
        return sorted(out);
    }

    private static long[] throughAgent(Path state, int n) throws Exception {
        Files.createDirectories(state);
        AgentState.init(state).close();
        try (Identity root = Identity.generate(new SecureRandom())) {
            AgentState.roots(state).authorize(root.id(), Scope.ALL);
            AgentCore core = new AgentBuilder("host-agent", state)
                    .policy(PolicyHolder.fixed(Policy.parse("bench", POLICY)))
                    .build();
            HostAgentModule module = new HostAgentModule();
            new CommandLine(module.runOptions())
                    .parseArgs(
                            "--hypervisor",
                            "qemu",
                            "--accel",
                            "tcg",
                            "--images",
                            state.resolve("images").toString());
            AutoCloseable installed = module.install(core, state);
            TransportUri uri = TransportUri.parse("unix:" + state.resolve("agent.sock"));
            Listener listener = Transports.listen(uri, core::attach);
            SessionKeys session =
                    SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
            SessionClient client = new SessionClient(
                    session,
                    AgentClient.start(() -> Transports.connect(uri), f -> {}, ClientSettings.DEFAULTS),
                    Clock.systemUTC());
            ok(
                    client,
                    core,
                    Command.newBuilder()
                            .setPortalDefine(
                                    PortalDefine.newBuilder()
                                            .setDefinitionToml(
                                                    "name = \"bench\"\ntype = \"service\"\ncpus = 1\nmemory_mib = 64\nnetwork = \"none\"\n"))
                            .build());
            Command start = Command.newBuilder()
                    .setPortalStart(PortalStart.newBuilder().setName("bench"))
                    .build();
            Command kill = Command.newBuilder()
                    .setPortalKill(PortalKill.newBuilder().setName("bench"))
                    .build();
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < WARMUP + n; i++) {
                long t0 = System.nanoTime();
                ok(client, core, start);
                long t1 = System.nanoTime();
                ok(client, core, kill);
                if (i >= WARMUP) {
                    out.add(t1 - t0);
                }
            }
            client.close();
            listener.close();
            core.close();
            installed.close();
            session.close();
            Transports.shutdown();
            return sorted(out);
        }
    }

    private static void ok(SessionClient client, AgentCore core, Command c) throws Exception {
        CommandOutcome o = client.send(c, core.id(), "", TIMEOUT).get();
        if (!(o instanceof CommandOutcome.Ok)) {
            throw new IllegalStateException(c.getKindCase() + " failed: " + o);
        }
    }

    private static long[] sorted(List<Long> values) {
        long[] a = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }

    private static double ms(long[] sortedNanos, int percentile) {
        int i = Math.min(sortedNanos.length - 1, (int) Math.ceil(percentile / 100.0 * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, i)] / 1e6;
    }
}
