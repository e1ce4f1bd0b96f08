package org.multiverse.scramble.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.multiverse.scramble.rtos.link.NodeSpec;
import org.multiverse.scramble.rtos.link.RtosBridgeService;
import org.multiverse.scramble.rtos.link.SampleSink;
import org.multiverse.scramble.rtos.link.SealedSample;
import org.multiverse.scramble.rtos.link.StreamReport;
import org.multiverse.scramble.rtos.link.StreamStart;
import org.multiverse.scramble.rtos.serial.PtyPair;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * A 1 kHz sealed telemetry stream for 10 s from a simulated node (its own JVM) over a socat
 * pty pair into the bridge (this JVM). Prints samples lost (target 0), transit jitter p50 /
 * p99 (target p99 under 1 ms), the node's schedule lateness, and the bridge JVM's CPU use.
 *
 * <p>Not a test: run it by hand (needs socat), e.g. with the rtos-bridge class path:
 * {@code java -cp CP org.multiverse.scramble.bench.RtosStreamBenchmark [hz] [seconds]}.
 */
public final class RtosStreamBenchmark {

    private RtosStreamBenchmark() {}

    public static void main(String[] args) throws Exception {
        int hz = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        if (!PtyPair.socatAvailable()) {
            System.err.println("socat is required (apt-get install socat)");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("rtos-bench");
        Identity root = Identity.generate(new SecureRandom());
        SessionKeys session =
                SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
        Path config = dir.resolve("node.properties");
        Files.writeString(
                config, "node_id = bench\nenrolled_roots = " + root.id().text() + "\nkey_file = node.key\n");
        try (PtyPair pty = PtyPair.start(dir.resolve("bridge-tty"), dir.resolve("node-tty"))) {
            Process node = new ProcessBuilder(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            "org.multiverse.scramble.rtos.RtosBridgeMain",
                            "simulate-node",
                            "--serial",
                            pty.b().toString(),
                            "--config",
                            config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("node.log").toFile())
                    .start();
            try (RtosBridgeService bridge =
                    new RtosBridgeService(dir.resolve("state"), List.of(new NodeSpec("bench", pty.a(), 921_600)))) {
                if (!bridge.awaitUp("bench", 30_000)) {
                    throw new IllegalStateException("node did not come up: " + bridge.list());
                }
                // Warm-up stream: the bridge JVM compiles its decode path before the measured run.
                bridge.stream("bench", "temp", 1000, 2, session.certificate().encode(), new CountingSink());
                OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                CountingSink sink = new CountingSink();
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                StreamReport r = bridge.stream(
                        "bench", "temp", hz, seconds, session.certificate().encode(), sink);
                long wall = System.nanoTime() - wall0;
                long cpu = os.getProcessCpuTime() - cpu0;
                System.out.printf("stream       %d Hz x %d s over a pty (socat), sealed per sample%n", hz, seconds);
                System.out.printf(
                        "samples      expected %d, received %d, lost %d%n", r.expected(), r.received(), r.lost());
                System.out.printf(
                        "jitter       p50 %.0f us, p99 %.0f us (RFC 3550 transit variation)%n",
                        r.jitterP50Micros(), r.jitterP99Micros());
                System.out.printf(
                        "node sched   p99 late %.0f us, deadline misses %d%n",
                        r.scheduleLateP99Micros(), r.deadlineMisses());
                System.out.printf(
                        "bridge CPU   %.1f%% of one core (%.2f s CPU over %.2f s)%n",
                        100.0 * cpu / wall, cpu / 1e9, wall / 1e9);
                System.out.printf("line drops   %d frames%n", bridge.droppedFrames("bench"));
            } finally {
                node.destroy();
                node.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static final class CountingSink implements SampleSink {
        final AtomicLong samples = new AtomicLong();

        @Override
        public void start(StreamStart start) {}

        @Override
        public void sample(SealedSample sample) {
            samples.incrementAndGet();
        }
    }
}
