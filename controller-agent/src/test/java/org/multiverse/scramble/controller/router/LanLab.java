package org.multiverse.scramble.controller.router;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.multiverse.scramble.controller.net.ManagedProcess;
import org.multiverse.scramble.protocol.process.ProcessResult;
import org.multiverse.scramble.protocol.process.SystemProcessRunner;

/**
 * The world around the chain, built by the tests: a namespace playing the LAN (10.9.9.1 and
 * 10.9.9.3) joined to an uplink veth left in our namespace for universe to take, two
 * WireGuard servers in the LAN (wireguard-go) and nft counters on the LAN wire that sort
 * every arriving frame into "WireGuard UDP to an endpoint", "ARP" and "anything else".
 * Every name carries a random prefix; {@link #close()} removes all of it.
 */
public final class LanLab implements AutoCloseable {
    public static final String LAN_A = "10.9.9.1";
    static final String LAN_B = "10.9.9.3";
    static final int PORT_A = 51820;
    static final int PORT_B = 51821;
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    public final String prefix;
    final String lanNs;
    public final String uplink;
    final String lanIf;
    final String peerA;
    final String peerB;
    public final Path dir;
    final TestKeys serverA = TestKeys.generate();
    final TestKeys serverB = TestKeys.generate();
    final TestKeys clientA = TestKeys.generate();
    final TestKeys clientB = TestKeys.generate();
    private final SystemProcessRunner runner = new SystemProcessRunner();
    private final List<ManagedProcess> daemons = new ArrayList<>();

    public LanLab() throws IOException {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        prefix = "mvt" + HexFormat.of().formatHex(random) + "-"; // 10 characters
        lanNs = prefix + "lan";
        uplink = prefix + "up";
        lanIf = prefix + "ln";
        peerA = prefix + "pa";
        peerB = prefix + "pb";
        dir = Files.createTempDirectory(
                Path.of("/tmp"),
                "mvt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    public void build() throws IOException {
        sh("ip", "netns", "add", lanNs);
        sh("ip", "netns", "exec", lanNs, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        sh("ip", "netns", "exec", lanNs, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        sh("ip", "-n", lanNs, "link", "set", "lo", "up");
        sh("ip", "link", "add", uplink, "type", "veth", "peer", "name", lanIf, "netns", lanNs);
        sh("ip", "-n", lanNs, "addr", "add", LAN_A + "/24", "dev", lanIf);
        sh("ip", "-n", lanNs, "addr", "add", LAN_B + "/24", "dev", lanIf);
        sh("ip", "-n", lanNs, "link", "set", lanIf, "up");
        Path rules = dir.resolve("lan.nft");
        Files.writeString(
                rules,
                "table netdev capture {\n"
                        + "\tcounter cnt_wg { }\n\tcounter cnt_arp { }\n\tcounter cnt_other { }\n"
                        + "\tchain ingress {\n"
                        + "\t\ttype filter hook ingress device \"" + lanIf + "\" priority 0; policy accept;\n"
                        + "\t\tether type arp counter name \"cnt_arp\" accept\n"
                        + "\t\tip daddr . udp dport { " + LAN_A + " . " + PORT_A + ", " + LAN_B + " . " + PORT_B
                        + " } counter name \"cnt_wg\" accept\n"
                        + "\t\tcounter name \"cnt_other\" accept\n"
                        + "\t}\n}\n"
                        + "table inet tunnel {\n"
                        + "\tcounter via_a { }\n\tcounter via_b { }\n"
                        + "\tchain input {\n"
                        + "\t\ttype filter hook input priority 0; policy accept;\n"
                        + "\t\tiifname \"" + peerA + "\" udp dport 9999 counter name \"via_a\"\n"
                        + "\t\tiifname \"" + peerB + "\" udp dport 9999 counter name \"via_b\"\n"
                        + "\t}\n}\n",
                StandardCharsets.US_ASCII);
        sh("ip", "netns", "exec", lanNs, "nft", "-f", rules.toString());
        wireGuardServer(peerA, serverA, PORT_A, "10.66.0.1/24", clientA.publicKey(), "10.66.0.2/32");
        wireGuardServer(peerB, serverB, PORT_B, "10.67.0.1/24", clientB.publicKey(), "10.67.0.2/32, 10.68.0.2/32");
    }

    private void wireGuardServer(
            String name, TestKeys keys, int port, String address, String clientPublic, String allowed)
            throws IOException {
        Files.deleteIfExists(Path.of("/var/run/wireguard", name + ".sock"));
        daemons.add(ManagedProcess.start(
                "wireguard-go",
                List.of("ip", "netns", "exec", lanNs, "wireguard-go", "-f", name),
                dir.resolve(name + ".log")));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(Path.of("/var/run/wireguard", name + ".sock"))
                || runner.run(List.of("ip", "-n", lanNs, "link", "show", name)).exitCode() != 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException("wireguard-go " + name + " did not start");
            }
            sleep(20);
        }
        Path conf = dir.resolve(name + ".conf");
        Files.createFile(conf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(
                conf,
                "[Interface]\nPrivateKey = " + keys.privateKey() + "\nListenPort = " + port + "\n\n[Peer]\nPublicKey = "
                        + clientPublic + "\nAllowedIPs = " + allowed + "\n");
        sh("ip", "netns", "exec", lanNs, "wg", "setconf", name, conf.toString());
        Files.delete(conf);
        sh("ip", "-n", lanNs, "addr", "add", address, "dev", name);
        sh("ip", "-n", lanNs, "link", "set", name, "up");
    }

    /** A galaxy profile towards server A or B. */
    String profile(TestKeys client, TestKeys server, String address, String endpoint) {
        return "# test profile\n[Interface]\nPrivateKey = " + client.privateKey() + "\nAddress = " + address
                + "\n\n[Peer]\nPublicKey = " + server.publicKey() + "\nEndpoint = " + endpoint
                + "\nAllowedIPs = 0.0.0.0/0\nPersistentKeepalive = 1\n";
    }

    long counter(String family, String table, String name) throws IOException {
        String out = sh("ip", "netns", "exec", lanNs, "nft", "list", "counter", family, table, name);
        Matcher m = Pattern.compile("packets (\\d+)").matcher(out);
        if (!m.find()) {
            throw new IOException("no counter in: " + out);
        }
        return Long.parseLong(m.group(1));
    }

    /** What both ends of the tunnels say, for assertion messages. */
    String diagnostics(String galaxyNs) throws IOException {
        return "LAN: "
                + sh("ip", "netns", "exec", lanNs, "wg", "show", "all", "dump").replaceAll("\\S{43}=", "KEY")
                + "\nLAN counters: " + sh("ip", "netns", "exec", lanNs, "nft", "list", "counters")
                + "\ngalaxy routes: " + sh("ip", "-n", galaxyNs, "route")
                + "\ngalaxy addresses: " + sh("ip", "-n", galaxyNs, "-br", "addr");
    }

    String sh(String... argv) throws IOException {
        ProcessResult r = runner.run(List.of(argv));
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", argv) + " -> " + r.exitCode() + ": " + r.stderr());
        }
        return r.stdoutText();
    }

    /** Runs {@link NetProbe} inside {@code ns} to completion and returns its output. */
    static String probe(String ns, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(probeCommand(ns, args))
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(PROBE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("probe timed out");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static List<String> probeCommand(String ns, String... args) {
        List<String> argv = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                ns,
                ProcessHandle.current().info().command().orElse("java"),
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                NetProbe.class.getName()));
        argv.addAll(List.of(args));
        return argv;
    }

    /** A {@link NetProbe} listener in {@code ns}; {@link Listener#stop()} returns what it accepted. */
    static Listener listen(String ns, int port) throws IOException {
        Process p = new ProcessBuilder(probeCommand(ns, "listen", Integer.toString(port)))
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (!"READY".equals(first)) {
            p.destroyForcibly();
            throw new IOException("listener in " + ns + " did not start: " + first);
        }
        return new Listener(p, out);
    }

    record Listener(Process process, BufferedReader out) {
        List<String> stop() throws IOException, InterruptedException {
            // Closing stdin makes the probe exit (its watchdog), which ends its output.
            process.getOutputStream().close();
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return lines;
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes everything carrying our prefix, whatever state the tests left. */
    @Override
    public void close() throws IOException {
        for (ManagedProcess d : daemons) {
            d.close();
        }
        ProcessResult list = runner.run(List.of("ip", "-j", "netns", "list"));
        Matcher m = Pattern.compile("\"name\":\"(" + Pattern.quote(prefix) + "[a-z]+)\"")
                .matcher(list.stdoutText());
        while (m.find()) {
            String ns = m.group(1);
            for (String pid :
                    runner.run(List.of("ip", "netns", "pids", ns)).stdoutText().split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ManagedProcess::stop);
                }
            }
            runner.run(List.of("ip", "netns", "delete", ns));
        }
        runner.run(List.of("ip", "link", "delete", uplink));
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
