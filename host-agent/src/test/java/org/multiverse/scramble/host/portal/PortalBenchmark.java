package org.multiverse.scramble.host.portal;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.multiverse.scramble.host.qemu.Accelerator;
import org.multiverse.scramble.host.qemu.QemuHypervisor;
import org.multiverse.scramble.host.qemu.QemuSettings;
import org.multiverse.scramble.host.qemu.QmpClient;

/**
 * Not a test: measures the agent's overhead on {@code portal start} over QEMU's own
 * start-up (same argument list, launched bare and timed to its first QMP greeting), and
 * {@code portal reset} of a stopped portal (new qcow2 overlay, no guest boot).
 *
 * <pre>
 * ./mvnw -B -q -o -pl host-agent test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp host-agent/target/test-classes:host-agent/target/classes:$(cat host-agent/target/cp.txt) \
 *      org.multiverse.scramble.host.portal.PortalBenchmark [rounds]
 * </pre>
 */
public final class PortalBenchmark {

    private PortalBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path tmp = Files.createTempDirectory("pbench");
        Path state = Files.createDirectories(tmp.resolve("s"));
        Path images = Files.createDirectories(tmp.resolve("i"));
        new ProcessBuilder(List.of(
                        "/usr/bin/qemu-img",
                        "create",
                        "-q",
                        "-f",
                        "qcow2",
                        images.resolve("base.qcow2").toString(),
                        "64M"))
                .inheritIO()
                .start()
                .waitFor();
        QemuHypervisor qemu = QemuHypervisor.create(QemuSettings.defaults(Accelerator.TCG));
        PortalService service = PortalService.open(PortalServiceConfig.defaults(state, images), qemu);
        String def = "name = \"bench\"\ntype = \"service\"\ncpus = 1\nmemory_mib = 64\nimage = \"base.qcow2\"\n"
                + "channels = [\"org.multiverse.host.0\"]\n";
        service.defineFromToml(def);
        Path dir = service.portalDir("bench");
        try {
            // Warm-up: JIT, page cache, QEMU's shared libraries.
            for (int i = 0; i < 2; i++) {
                service.start("bench");
                service.kill("bench");
                bareStart(dir);
            }
            long[] agent = new long[rounds];
            long[] bare = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                service.start("bench");
                agent[i] = System.nanoTime() - t0;
                service.kill("bench");
                bare[i] = bareStart(dir);
            }
            long[] reset = new long[rounds * 3];
            for (int i = 0; i < reset.length; i++) {
                long t0 = System.nanoTime();
                service.reset("bench");
                reset[i] = System.nanoTime() - t0;
            }
            System.out.println(qemu.describe());
            System.out.printf("portal start (agent, to QMP ready + query-status): median %.1f ms%n", median(agent));
            System.out.printf("bare QEMU start (same args, to QMP greeting):    median %.1f ms%n", median(bare));
            System.out.printf(
                    "agent overhead on start:                         %.1f ms (target < 20 ms)%n",
                    median(agent) - median(bare));
            System.out.printf(
                    "portal reset (stopped, new overlay):             median %.1f ms (target < 100 ms)%n",
                    median(reset));
        } finally {
            service.close();
            for (PortalInfo p : service.list()) {
                System.err.println("left running: " + p.name());
            }
        }
    }

    /** Runs QEMU with the recorded argument list of the last agent start; time until QMP greets. */
    private static long bareStart(Path dir) throws Exception {
        byte[] raw = Files.readAllBytes(dir.resolve(QemuHypervisor.ARGS_FILE));
        String joined = new String(raw, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(
                Arrays.asList(joined.substring(0, joined.length() - 1).split("\0", -1)));
        Path qmp = dir.resolve("qmp.sock");
        Files.deleteIfExists(qmp);
        Files.deleteIfExists(dir.resolve("org.multiverse.host.0.sock"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(args)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long elapsed;
        while (true) {
            if (Files.exists(qmp)) {
                try (QmpClient c = QmpClient.connect(qmp, Duration.ofSeconds(10), e -> {}, () -> {})) {
                    elapsed = System.nanoTime() - t0;
                    break;
                } catch (java.io.IOException notYet) {
                    // socket file present, not listening yet
                }
            }
            Thread.sleep(1);
        }
        p.destroyForcibly();
        p.waitFor();
        return elapsed;
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }
}
